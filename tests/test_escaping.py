"""Stored text is shown escaped everywhere (issue #8), checked without a browser.

Every free-text field of every row is poisoned with markup (tests/xss_support.py); then every page
the resolver knows is fetched by every role the permission matrix lets open it, plus the list
pages with payloads in their text filters and the search page. No payload may appear raw in the
HTML, nor in the HTML a PDF is made from, and no stored link may become a `javascript:` link.
The browser twin (tests/e2e/test_stored_xss.py) checks that nothing runs.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from .matrix import ROLES
from .xss_support import SCRIPT, PdfSources, free_text_fields, poisoned_world, raw_payloads


@pytest.fixture
def poisoned(world):
    return poisoned_world(world)


def test_every_free_text_field_of_every_model_is_poisoned(poisoned):
    assert not poisoned.failed_builders, poisoned.failed_builders
    assert not poisoned.empty_models, f"models with free text but no row to poison: {poisoned.empty_models}"
    labels = {f"{model._meta.label}.{f.name}" for model, f in free_text_fields()}
    assert set(poisoned.poisoned.fields) == labels
    assert len(labels) >= 100
    # Only values a constraint keeps empty escape the poison.
    assert all(entry.startswith("achievements.Adoption.organisation#") for entry in poisoned.poisoned.kept_empty)


@pytest.mark.parametrize("role", ROLES)
def test_pages_print_stored_text_escaped(role, world, poisoned, client_as, monkeypatch):
    pdfs = PdfSources(monkeypatch)
    client = client_as(world.user(role))
    pages = [page for page in poisoned.pages if role in page.roles]
    assert pages
    problems, shown = {}, 0
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, f"{page.name} {page.url} as {role}: {response.status_code}"
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html"):
            html = response.content.decode()
            if found := raw_payloads(html):
                problems[page.name] = found
            shown += "XSS" in html
    for number, source in enumerate(pdfs.sources):
        if found := raw_payloads(source):
            problems[f"pdf #{number}"] = found
    assert not problems, f"unescaped stored text as {role}: {problems}"
    # The check means something: the pages do show the poisoned values.
    assert shown >= len([p for p in pages if not p.name.endswith(("_image", "_file"))]) // 2
    if role == "hq":
        assert len(pdfs.sources) >= 2  # the rest of the PDFs are stored files served as they are


def test_reflected_search_terms_are_escaped(world, client_as):
    client = client_as(world.hq)
    response = client.get(reverse("core:search"), {"q": SCRIPT})
    assert response.status_code == 200
    assert "<script>window.__xss" not in response.content.decode()
    assert "&lt;script&gt;window.__xss" in response.content.decode()


@pytest.mark.parametrize(
    ("stored", "followed"),
    [
        ("/studios/", "/studios/"),
        ("javascript:window.__xss=1", None),
        ("//evil.example/", None),
        ("/\\evil.example/", None),
        ("https://evil.example/", None),
    ],
)
def test_a_notification_link_leads_only_inside_the_portal(stored, followed, world, client_as):
    from .factories import NotificationFactory

    notification = NotificationFactory(recipient=world.hq, url=stored)
    response = client_as(world.hq).get(reverse("core:notification_open", kwargs={"pk": notification.pk}))
    assert response.status_code == 302
    assert response["Location"] == (followed or reverse("core:notification_list"))
