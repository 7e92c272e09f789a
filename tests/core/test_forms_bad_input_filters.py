"""Bad input on the GET forms of the list pages (every filter form the resolver serves, taken from
each list view's `filterset_class`) and on the header's search box: whatever is typed into the
query string, the page answers (the list again, with the filter's message, or nothing found),
never a 500, never the typed markup raw; the Excel export of a bad filter exports nothing.

The filter forms are found by walking the resolver, as the inventory finds the other forms: a new
list page gets these cases by itself. See tests/bad_input.py for the nasty values."""

import pytest
from django.urls import reverse

from .. import bad_input as bi
from ..matrix import ROLES
from ..test_permission_matrix import MATRIX

pytestmark = pytest.mark.django_db

VALUES = [
    ("script", bi.SCRIPT),
    ("image tag", bi.IMG),
    ("SQL", bi.SQL_TEXT),
    ("SQL OR", bi.SQL_OR),
    ("emoji, rare CJK, joiner, RTL mark", bi.UNICODE_TEXT),
    ("NUL", bi.NUL_TEXT),
    ("a number too large", bi.HUGE),
    ("1e309", "1e309"),
    ("NaN", "NaN"),
    ("negative", "-1"),
    ("full-width digits", bi.FULL_WIDTH),
    ("30 February", "2026-02-30"),
    ("ten thousand characters", "长" * 10_000),
    ("whitespace", bi.WHITESPACE),
]


def filter_pages() -> list[tuple[str, type]]:
    pages = []
    for name, pattern in sorted(bi.url_patterns().items()):
        view = getattr(pattern.callback, "view_class", None)
        filterset = getattr(view, "filterset_class", None) if view else None
        if filterset is not None:
            pages.append((name, filterset))
    return pages


def _reader(name):
    row = MATRIX[name]
    return next(role for role in ROLES if row.get[role] == 200)


CASES = [
    pytest.param(name, filterset, label, value, id=f"{name}: {label}")
    for name, filterset in filter_pages()
    for label, value in VALUES
]


@pytest.mark.parametrize(("name", "filterset", "label", "value"), CASES)
def test_a_bad_filter_never_fails_badly(world, client_as, name, filterset, label, value):
    client = client_as(world.user(_reader(name)))
    query = dict.fromkeys(filterset.base_filters, value)
    response = client.get(reverse(name), query)
    assert response.status_code == 200, f"{name} {label}: {response.status_code}"
    body = response.content.decode()
    for marker in bi.RAW_MARKERS:
        assert marker not in body, f"{name} {label}: typed markup shown raw"
    form = response.context["filter"].form
    assert all(field in form.fields or field == bi.NON_FIELD for field in form.errors), label
    bi.assert_chinese([str(m) for errors in form.errors.values() for m in errors], f"{name} {label}")


@pytest.mark.parametrize(("name", "filterset"), filter_pages(), ids=[name for name, _ in filter_pages()])
def test_a_bad_filter_exports_without_failing(world, client_as, name, filterset):
    client = client_as(world.user(_reader(name)))
    query = {**dict.fromkeys(filterset.base_filters, bi.HUGE), "export": "xlsx"}
    response = client.get(reverse(name), query)
    assert response.status_code in (200, 403), f"{name}: {response.status_code}"


@pytest.mark.parametrize(("label", "value"), VALUES, ids=[label for label, _ in VALUES])
def test_the_search_box_never_fails_badly(world, client_as, label, value):
    response = client_as(world.unit_cadre).get(reverse("core:search"), {"q": value})
    assert response.status_code == 200, f"{label}: {response.status_code}"
    body = response.content.decode()
    assert all(marker not in body for marker in bi.RAW_MARKERS), label


def test_every_list_page_with_filters_is_covered():
    """The walk finds them all: today's list pages, and any added later."""
    names = {name for name, _ in filter_pages()}
    assert {"studios:studio_list", "talent:person_list", "core:audit_list"} <= names
    assert all(_reader(name) for name in names)
