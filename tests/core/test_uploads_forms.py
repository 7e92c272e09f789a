"""Uploads through the real pages: every upload field of every form the resolver reaches.

Found generically (a view's `form_class` with a FileField), each field is sent, through its page
and as a role allowed to post there:

- bad files — oversize, a PNG declaring 20000×20000 pixels, HTML or SVG named `.jpg`/`.pdf`, a
  picture or a program named as a document, an Office file that unpacks to far more than its size
  (a zip bomb): refused next to the field, in Chinese,
  status 400, no row changed and no file written;
- a good file with `../` and the client's name in it, a JPEG with EXIF GPS: stored (or held in
  the form when other fields are missing) under a name the server generated, the picture
  re-encoded without its EXIF;
- too many files in one request (DATA_UPLOAD_MAX_NUMBER_FILES): 400 with the portal's readable
  page, never a 500, nothing changed.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from core.uploads import DocumentUploadField, ImageUploadField

from ..test_permission_matrix import MATRIX, _state, all_url_names
from .test_uploads import jpeg_with_gps, office_package, png_bytes, png_header_only

CJK = re.compile(r"[\u4e00-\u9fff]")
GENERATED = re.compile(r"[0-9a-f]{32}\.[a-z]{3,4}")
REFUSED = (403, 404, 405, "login")
PREFERRED_ROLES = ("hq", "unit_cadre", "studio_lead", "other_lead", "unit_cadre_other", "viewer", "expert")


def _pairing_in_a_studio(world):
    return f"?studio={world.studio(status='named', level='company').pk}"


# Pages that show their upload form only with a query: url → builder(world) of the query string.
UPLOAD_QUERY = {
    "mentoring:pairing_create": _pairing_in_a_studio,  # first asks in which studio or alliance
}


def upload_url(name, world) -> str:
    url = reverse(name, kwargs=MATRIX[name].kwargs(world))
    return url + UPLOAD_QUERY[name](world) if name in UPLOAD_QUERY else url


def form_of(response, name, field):
    form = (response.context or {}).get("form")
    if form is None or field not in form.fields:
        pytest.fail(
            f"{name}: the answer holds no form with the upload field {field!r}; if the page needs a query "
            "to show it, add one to UPLOAD_QUERY in tests/core/test_uploads_forms.py"
        )
    return form


def kind_of(field) -> str:
    if isinstance(field, ImageUploadField):
        return "image"
    if isinstance(field, DocumentUploadField):
        return "document"
    return "import"  # a plain FileField: the Excel imports, read and never stored


def upload_fields():
    """[(url name, field name, kind)] for every form with a file field behind a URL."""
    found = []
    for name, pattern in sorted(all_url_names().items()):
        view_class = getattr(pattern.callback, "view_class", None)
        form_class = getattr(view_class, "form_class", None) if view_class else None
        if form_class is None or name.startswith("admin:"):
            continue
        for field_name, field in form_class.base_fields.items():
            if isinstance(field, forms.FileField):
                found.append((name, field_name, kind_of(field)))
    return found


def poster(name):
    row = MATRIX[name]
    for role in PREFERRED_ROLES:
        if row.post[role] not in REFUSED and row.get[role] == 200:
            return role
    pytest.fail(f"{name}: no role may post there according to the permission matrix")


def media_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def svg():
    return (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
        b"<script>alert(2)</script></svg>"
    )


def zip_bomb(folder="xl/"):
    """An Office package whose one member unpacks to 1 MB of zeros (the test lowers the limit)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}sharedStrings.xml", b"\0" * 1_000_000)
    return buffer.getvalue()


HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"

# name → (kind it applies to, file name, bytes, expected error code); oversize uses a lowered limit.
BAD = {
    "oversize-picture": ("image", "big.png", lambda: png_bytes(200, 200, (1, 2, 3)) + b"\0" * 4096, "file_too_large"),
    "png-20000x20000": ("image", "bomb.png", lambda: png_header_only(20000, 20000), "too_many_pixels"),
    "html-as-jpg": ("image", "photo.jpg", lambda: HTML, "not_image"),
    "svg-as-jpg": ("image", "photo.jpg", svg, "not_image"),
    "pdf-as-jpg": ("image", "photo.jpg", lambda: b"%PDF-1.4 not a picture", "not_image"),
    "oversize-document": ("document", "big.pdf", lambda: b"%PDF-1.4\n" + b"\0" * 4096, "file_too_large"),
    "html-as-pdf": ("document", "report.pdf", lambda: HTML, "not_document"),
    "svg-as-pdf": ("document", "report.pdf", svg, "not_document"),
    # A photo of the paper is a document too (core.uploads scans), bounded in pixels as a picture.
    "picture-bomb-as-pdf": ("document", "report.pdf", lambda: png_header_only(20000, 20000), "too_many_pixels"),
    "truncated-png-as-pdf": ("document", "report.pdf", lambda: png_bytes()[:60], "not_document"),
    "exe-as-docx": ("document", "report.docx", lambda: b"MZ\x90\x00\x03" + b"\0" * 64, "not_document"),
    "zip-as-docx": ("document", "report.docx", lambda: office_package("evil/"), "not_document"),
    "zip-bomb-docx": ("document", "report.docx", lambda: zip_bomb("word/"), "unpacks_too_large"),
    "zip-bomb-xlsx": ("import", "data.xlsx", zip_bomb, "unpacks_too_large"),
    "oversize-workbook": ("import", "big.xlsx", lambda: office_package("xl/") + b"\0" * 4096, "file_too_large"),
    "html-as-xlsx": ("import", "data.xlsx", lambda: HTML, "not_document"),
    "pdf-as-xlsx": ("import", "data.xlsx", lambda: b"%PDF-1.4 not a workbook", "not_document"),
}


def _bad_cases():
    for name, field, kind in upload_fields():
        for case, (applies, *_rest) in BAD.items():
            if applies == kind:
                yield pytest.param(name, field, case, id=f"{name}-{field}-{case}")


def _client(world, role, **options):
    client = Client(**options)
    client.force_login(world.user(role))
    return client


def in_catalogue(error) -> bool:
    from django.utils import translation

    with translation.override("en"):
        english = str(error.message)
    with translation.override("zh-hans"):
        return str(error.message) != english


def error_codes(form, field):
    return [error.code for error in form.errors.as_data().get(field, [])]


@pytest.mark.parametrize(("name", "field", "case"), list(_bad_cases()))
def test_a_bad_file_is_refused_next_to_its_field(name, field, case, world, settings, monkeypatch):
    settings.PORTAL_UPLOAD_MAX_BYTES = 2048
    monkeypatch.setattr("core.uploads.UNPACKED_MAX_BYTES", 100_000)
    _kind, filename, data, code = BAD[case]
    role = poster(name)
    url = upload_url(name, world)
    client = _client(world, role)
    before, files_before = _state(), media_files()
    response = client.post(url, {field: SimpleUploadedFile(filename, data(), content_type="image/jpeg")})
    assert response.status_code == 400, f"POST {url} as {role}: {response.status_code}"
    form = form_of(response, name, field)
    assert code in error_codes(form, field), (code, form.errors.get(field))
    message = " ".join(form.errors[field])
    if in_catalogue(form.errors.as_data()[field][0]):  # a message added since the catalogue was compiled waits
        assert CJK.search(message), f"not a Chinese message: {message!r}"
    assert message in response.content.decode(), "the message is not on the page"
    assert _state() == before, f"a refused upload to {url} changed data"
    assert media_files() == files_before, "a refused upload left a file behind"


def _good_cases():
    for name, field, kind in upload_fields():
        if kind != "import":
            yield pytest.param(name, field, kind, id=f"{name}-{field}")


def _assert_clean(data: bytes, filename: str, kind: str):
    assert GENERATED.fullmatch(filename), f"stored under a name the server did not generate: {filename!r}"
    assert "passwd" not in filename and "照片" not in filename and ".." not in filename
    if kind == "image":
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
            assert 0x8825 not in exif, "the GPS block survived"
            assert not exif.get_ifd(0x8825)
            assert 0x010F not in exif, "the camera's make survived"


@pytest.mark.parametrize(("name", "field", "kind"), list(_good_cases()))
def test_a_good_file_gets_a_generated_name_and_loses_its_gps(name, field, kind, world):
    role = poster(name)
    url = upload_url(name, world)
    client = _client(world, role)
    if kind == "image":
        upload = SimpleUploadedFile("../../etc/照片 passwd.jpg", jpeg_with_gps(), content_type="image/jpeg")
    else:
        upload = SimpleUploadedFile(
            "../../etc/照片 passwd.pdf", b"%PDF-1.4\n% report\n", content_type="application/pdf"
        )
    files_before = media_files()
    response = client.post(url, {field: upload})
    assert response.status_code in (302, 400), f"POST {url} as {role}: {response.status_code}"
    if response.status_code == 400:
        # Other fields are missing; the file itself passed its field and is held, cleaned, in the form.
        form = form_of(response, name, field)
        assert field not in form.errors, form.errors[field]
        cleaned = form.cleaned_data[field]
        cleaned.seek(0)
        _assert_clean(cleaned.read(), cleaned.name, kind)
        assert media_files() == files_before, "a refused form left a file behind"
    else:
        stored = media_files() - files_before
        assert stored, f"POST {url} answered 302 but stored no file"
        for path in stored:
            _assert_clean(path.read_bytes(), path.name, "image" if path.suffix in (".jpg", ".png") else "document")


def test_every_kind_of_upload_field_is_found():
    kinds = {kind for _name, _field, kind in upload_fields()}
    assert kinds == {"image", "document", "import"}, kinds
    assert len(upload_fields()) >= 20


def _too_many(limit):
    return {
        f"file{i}": SimpleUploadedFile(f"{i}.png", png_bytes(4, 4), content_type="image/png") for i in range(limit + 1)
    }


@pytest.mark.parametrize("name", sorted({name for name, _field, _kind in upload_fields()}))
def test_too_many_files_in_one_request_is_a_readable_400(name, world):
    role = poster(name)
    url = upload_url(name, world)
    client = _client(world, role)
    before, files_before = _state(), media_files()
    response = client.post(url, _too_many(settings.DATA_UPLOAD_MAX_NUMBER_FILES))
    assert response.status_code == 400, f"POST {url}: {response.status_code}"
    assert "400.html" in [t.name for t in response.templates]
    assert _state() == before and media_files() == files_before


def test_too_many_files_is_refused_before_the_csrf_check_reads_them(world):
    """In production the CSRF middleware is the first to read the body: still a 400, not a 500."""
    client = _client(world, "hq", enforce_csrf_checks=True)
    url = reverse("accounts:profile")
    client.get(url)  # the browser holds the CSRF cookie and the form its token
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    files = _too_many(settings.DATA_UPLOAD_MAX_NUMBER_FILES)
    response = client.post(url, {"csrfmiddlewaretoken": token, **files})
    assert response.status_code == 400
    assert "400.html" in [t.name for t in response.templates]


def test_the_400_page_is_the_portals_own_and_tells_nothing_inside(world):
    client = _client(world, "hq")
    response = client.post(reverse("accounts:profile"), _too_many(settings.DATA_UPLOAD_MAX_NUMBER_FILES))
    page = response.content.decode()
    assert response.status_code == 400 and "400.html" in [t.name for t in response.templates]
    assert 'lang="zh-hans"' in page and CJK.search(page)
    assert "Traceback" not in page and "TooManyFilesSent" not in page and "DATA_UPLOAD" not in page
