"""Downloads and private files.

- Uploaded files are never served from MEDIA_URL (with DEBUG off or on): every file field of every
  model is served by a view that applies the object's rule (ProtectedFileView), or is in the short
  documented public list (pictures of approved typical cases on the showcase).
- Every download the portal answers — protected files, official lists (ObjectDocumentView), Excel
  exports of lists, import templates, certificates, reports — carries `X-Content-Type-Options:
  nosniff` and a Content-Disposition whose file name is safe: no folder, no control character, no
  leading dot, quoted or percent-encoded as the RFCs ask, even when it is made of stored names.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from core.views import ObjectDocumentView, ProtectedFileView, ScopedListView

from ..test_permission_matrix import MATRIX, all_url_names, funding_with_voucher

PROJECT_APPS = (
    "accounts",
    "core",
    "talent",
    "studios",
    "achievements",
    "alliances",
    "training",
    "mentoring",
    "reports",
)

# File fields that may also be seen without a login, and where: the showcase serves the pictures of
# approved typical cases only (achievements.showcase.public_cases), never any other picture.
PUBLIC_FILES = {
    ("achievements.ResultImage", "image"): "showcase:image",
    ("achievements.ResultImage", "thumbnail"): "showcase:thumbnail",
}

# RFC 6266 / 8187: `filename="…"` (printable ASCII, no quote or backslash) and/or
# `filename*=UTF-8''…` (attr-chars and percent-escapes only).
DISPOSITION = re.compile(
    r"(?P<kind>attachment|inline)"
    r"(?:; filename=\"(?P<plain>[ !#-\[\]-~]*)\")?"
    r"(?:; filename\*=(?i:utf-8)''(?P<encoded>[A-Za-z0-9!#$&+\-.^_`|~%]*))?"
)
UNSAFE_IN_NAME = re.compile(r"[/\\\x00-\x1f\x7f:*?\"<>|]")
HOSTILE = '../..\\秘密:*?"<>|\r\n\t报告.'


def file_fields():
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield model, field


def _view_attr(pattern, name):
    initkwargs = getattr(pattern.callback, "view_initkwargs", {}) or {}
    if name in initkwargs:
        return initkwargs[name]
    return getattr(getattr(pattern.callback, "view_class", None), name, None)


def protected_file_urls():
    """{(model label, field name): [url names]} of the checked views serving each file field."""
    served = {}
    for name, pattern in all_url_names().items():
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is not None and issubclass(view_class, ProtectedFileView):
            model = _view_attr(pattern, "model")
            served.setdefault((model._meta.label, _view_attr(pattern, "file_field")), []).append(name)
    return served


def test_every_file_field_is_served_only_through_a_checked_view():
    served = protected_file_urls()
    missing = [
        f"{model._meta.label}.{field.name}"
        for model, field in file_fields()
        if (model._meta.label, field.name) not in served
    ]
    assert not missing, (
        "file fields with no ProtectedFileView serving them (add one, or list a public field in "
        f"PUBLIC_FILES with where it is shown): {missing}"
    )
    labels = {(m._meta.label, f.name) for m, f in file_fields()}
    assert set(PUBLIC_FILES) <= labels, "PUBLIC_FILES names a field that no longer exists"
    for url_name in PUBLIC_FILES.values():
        assert url_name in all_url_names()


def test_no_template_links_a_stored_file_by_its_storage_url():
    """`{{ obj.file.url }}` would point at MEDIA_URL; pages link to the checked views instead."""
    names = sorted({field.name for _model, field in file_fields()})
    pattern = re.compile(r"\.(?:{})\.url\b".format("|".join(map(re.escape, names))))
    offenders = []
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(line):
                offenders.append(f"{template.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_media_root_is_outside_every_static_folder():
    media = Path(settings.MEDIA_ROOT).resolve()
    folders = [Path(settings.STATIC_ROOT)]
    folders += [Path(d[1] if isinstance(d, tuple) else d) for d in settings.STATICFILES_DIRS]
    for folder in folders:
        folder = folder.resolve()
        assert not media.is_relative_to(folder) and not folder.is_relative_to(media), (media, folder)


def _fresh_urlconf():
    """config.urls imported again, so that a `if settings.DEBUG: urlpatterns += static(...)` would show."""
    spec = importlib.util.find_spec("config.urls")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("debug", [False, True])
def test_media_url_serves_no_private_file(debug, world, client_as, settings):
    from studios.models import FundingEntry

    entry = FundingEntry.objects.get(pk=funding_with_voucher(world)["pk"])
    assert Path(entry.voucher.path).exists()
    path = settings.MEDIA_URL + entry.voucher.name
    settings.DEBUG = debug
    with pytest.raises(Resolver404):
        resolve(path, urlconf=_fresh_urlconf())
    for role in ("anonymous", "hq", "studio_lead"):
        response = client_as(world.user(role)).get(path)
        assert response.status_code == 404, (role, response.status_code)
        assert b"%PDF" not in response.content
    # The checked view serves it to those who may see the studio.
    voucher_url = reverse("studios:funding_voucher", kwargs={"pk": entry.pk})
    assert client_as(world.studio_lead).get(voucher_url).status_code == 200


# Download headers --------------------------------------------------------------------------------


def check_download(response, label) -> list[str]:
    problems = []
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{label}: no X-Content-Type-Options: nosniff")
    disposition = response.get("Content-Disposition")
    if not disposition:
        return [*problems, f"{label}: no Content-Disposition"]
    match = DISPOSITION.fullmatch(disposition)
    if not match or not (match["plain"] or match["encoded"]):
        return [*problems, f"{label}: Content-Disposition not in RFC 6266 form: {disposition!r}"]
    for name in filter(None, (match["plain"], match["encoded"] and unquote(match["encoded"]))):
        if UNSAFE_IN_NAME.search(name) or name.startswith((".", " ")) or not name.strip(". "):
            problems.append(f"{label}: unsafe file name {name!r} in {disposition!r}")
        if len(name.encode()) > 255:
            problems.append(f"{label}: file name longer than 255 bytes")
    return problems


def is_download(response) -> bool:
    if response.status_code != 200:
        return False
    content_type = response.get("Content-Type", "")
    return "Content-Disposition" in response or not content_type.startswith(("text/", "application/json"))


def _reader(row):
    for role in ("hq", "unit_cadre", "studio_lead", "viewer", "unit_cadre_other", "other_lead", "expert", "anonymous"):
        if row.get[role] == 200:
            return role
    return None


def _document_urls():
    """URL names whose view is a download by construction."""
    names = set()
    for name, pattern in all_url_names().items():
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is not None and issubclass(view_class, ProtectedFileView | ObjectDocumentView):
            names.add(name)
    return names


def _list_urls():
    return {
        name
        for name, pattern in all_url_names().items()
        if issubclass(getattr(pattern.callback, "view_class", type), ScopedListView) and not pattern.pattern.converters
    }


def _download_cases():
    """Every URL of the matrix that some role may GET, and every list's ?export=xlsx."""
    for name in sorted(MATRIX):
        if _reader(MATRIX[name]) is not None:
            yield name, ""
    for name in sorted(_list_urls()):
        if name in MATRIX:
            yield name, "?export=xlsx"


def _hostile_names(world, name, kwargs):
    """Give the object behind the URL (and what it points at) hostile names and titles."""
    pattern = all_url_names()[name]
    model = _view_attr(pattern, "model")
    if model is None or "pk" not in kwargs:
        return
    targets = [(model, kwargs["pk"])]
    obj = model._default_manager.get(pk=kwargs["pk"])
    for field in model._meta.concrete_fields:
        if field.many_to_one and getattr(obj, field.attname) is not None:
            targets.append((field.related_model, getattr(obj, field.attname)))
    for target, pk in targets:
        updates = {
            f.name: HOSTILE[: f.max_length]
            for f in target._meta.concrete_fields
            if isinstance(f, models.CharField) and f.name in {"name", "title"} and not f.choices and not f.unique
        }
        if updates:
            target._default_manager.filter(pk=pk).update(**updates)


@pytest.mark.parametrize("hostile", [False, True], ids=["plain-names", "hostile-names"])
@pytest.mark.parametrize(("name", "query"), list(_download_cases()))
def test_every_download_has_nosniff_and_a_safe_file_name(name, query, hostile, world):
    row = MATRIX[name]
    role = _reader(row) if not query else "hq"
    kwargs = row.kwargs(world)
    if hostile:
        _hostile_names(world, name, kwargs)
    client = Client()
    if world.user(role) is not None:
        client.force_login(world.user(role))
    url = reverse(name, kwargs=kwargs) + query
    response = client.get(url)
    assert response.status_code < 500, f"GET {url} as {role}: {response.status_code}"
    if name in _document_urls() or query:
        assert is_download(response), f"GET {url} as {role} answered no file: {response.status_code}"
    if is_download(response):
        problems = check_download(response, f"GET {url} as {role}")
        assert not problems, "\n".join(problems)
