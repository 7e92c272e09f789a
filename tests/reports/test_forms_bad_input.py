"""Bad input on the reports' forms: the request for an annual report (a year and a unit), and the
dashboard's year and unit picker (?year=&unit=, read without a Form class: a bad value is a 404).
See tests/bad_input.py."""

import pytest
from django.urls import reverse

from .. import bad_input as bi
from ..bad_input import (
    DATE_ORDER,
    DUPLICATE,
    EMPTY,
    HTML,
    HUGE,
    IMG,
    NUL,
    RARE_CJK,
    SCOPE,
    SCRIPT,
    SQL,
    SQL_OR,
    SQL_TEXT,
    TOO_LONG,
    UNICODE,
    WHITESPACE,
    WRONG_TYPE,
    any_,
    bad,
)
from ..factories import UnitFactory

pytestmark = pytest.mark.django_db
# Payload values worked out when a test runs, not at import (a run may cross midnight): bi.year.
LAST_YEAR = bi.year(-1)
NEXT_YEAR = bi.year(1)


def _branch_a(ctx):
    return ctx.world.branch_a.pk


def _inactive_unit(ctx):
    return UnitFactory(name="撤销的车间", code="OLD9", parent=ctx.world.branch_a, is_active=False).pk


REQUEST = bi.FormSpec(
    url="reports:report_create",
    actor="unit_cadre",
    good={"year": LAST_YEAR, "unit": _branch_a},
    cases=[
        bad("no year", EMPTY, year=""),
        bad("blank year", EMPTY, year=WHITESPACE),
        bad("year in words", WRONG_TYPE, year="二〇二五"),
        bad("year of 1e309", WRONG_TYPE, year="1e309"),
        bad("year NaN", WRONG_TYPE, year="NaN"),
        bad("year infinite", WRONG_TYPE, year="Infinity"),
        bad("fractional year", WRONG_TYPE, year="2025.5"),
        bad("year out of range", WRONG_TYPE, year=HUGE),
        bad("next year", DATE_ORDER, year=NEXT_YEAR),
        bad("year 1900", DATE_ORDER, year="1900"),
        bad("year as SQL", SQL, year="2025; DROP TABLE reports_annualreport"),
        bad("year as a script", HTML, year=SCRIPT),
        bad("year as emoji", UNICODE, year="😀"),
        bad("year with NUL", UNICODE, year=LAST_YEAR + NUL),
        bad("year of ten thousand digits", TOO_LONG, year="2" * 10_000),
        bad("year twice, the last next year", DUPLICATE, year=[LAST_YEAR, NEXT_YEAR]),
        bad("no unit", EMPTY, unit=""),
        bad("unit not a number", WRONG_TYPE, unit="abc"),
        bad("unknown unit", SCOPE, unit="999999"),
        bad("a unit of branch B", SCOPE, unit=lambda c: c.world.branch_b.pk),
        bad("the top unit, above the cadre's branch", SCOPE, unit=lambda c: c.world.root.pk),
        bad("an inactive unit", SCOPE, unit=_inactive_unit),
        bad("unit as SQL", SQL, unit=SQL_OR),
        bad("unit as SQL text", SQL, unit=SQL_TEXT),
        bad("unit as an image tag", HTML, unit=IMG),
        bad("unit in rare CJK", UNICODE, unit=RARE_CJK),
        bad("unit id out of range", WRONG_TYPE, unit=HUGE),
        bad("unit twice, the last of branch B", DUPLICATE, unit=lambda c: [c.world.branch_a.pk, c.world.branch_b.pk]),
        any_("year in full-width digits", WRONG_TYPE, year="２０２５"),
    ],
)

SPECS = [REQUEST]


class TestForms(bi.Battery):
    """The battery of tests/bad_input.py over this module's forms."""

    specs = SPECS


# The dashboard's picker: no Form class, so not in the inventory; its bad values are still checked.

PICKER_CASES = [
    ({"year": "abc"}, "year in letters"),
    ({"year": "1e309"}, "year of 1e309"),
    ({"year": "NaN"}, "year NaN"),
    ({"year": "-2025"}, "negative year"),
    ({"year": NEXT_YEAR}, "next year"),
    ({"year": "1900"}, "year 1900"),
    ({"year": "9" * 5000}, "a year of five thousand digits"),
    ({"year": "２０２５"}, "year in full-width digits"),
    ({"year": SCRIPT}, "year as a script"),
    ({"year": SQL_TEXT}, "year as SQL"),
    ({"year": "2025\x00"}, "year with NUL"),
    ({"unit": "abc"}, "unit in letters"),
    ({"unit": "999999"}, "unknown unit"),
    ({"unit": HUGE}, "unit out of range"),
    ({"unit": "branch_b"}, "a unit outside the cadre's subtree"),
    ({"unit": SQL_OR}, "unit as SQL"),
    ({"unit": IMG}, "unit as an image tag"),
    ({"unit": "😀"}, "unit as emoji"),
    ({"unit": ["branch_a", "branch_b"]}, "unit twice, the last outside"),
]


@pytest.mark.parametrize(("params", "label"), PICKER_CASES, ids=[c[1] for c in PICKER_CASES])
def test_dashboard_picker_bad_input(world, client_as, params, label):
    units = {"branch_a": world.branch_a.pk, "branch_b": world.branch_b.pk}
    params = {key: value() if isinstance(value, bi.WhenRun) else value for key, value in params.items()}
    query = {
        key: [units.get(v, v) for v in value] if isinstance(value, list) else units.get(value, value)
        for key, value in params.items()
    }
    response = client_as(world.unit_cadre).get(reverse("dashboard:index"), query)
    assert response.status_code in (200, 404), f"{label}: {response.status_code}"
    body = response.content.decode()
    assert "<script>alert(1)" not in body and "<img src=x onerror" not in body, label
