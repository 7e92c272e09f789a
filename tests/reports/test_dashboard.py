"""The dashboard's figures: the same as the indicators, the same as independent SQL counts, per scope;
ten-year trends equal to the indicator of each year; the top studios; the review pipeline."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from core.models import AuditEvent
from reports.dashboard import (
    INDICATOR_CODES,
    TREND_YEARS,
    dashboard_data,
    list_url,
    review_pipeline,
    top_studios_by_benefit,
    trends,
)
from reports.indicators import compute

from ..factories import PersonFactory, StudioFactory
from .fixtures import YEAR, build_year

START, END = f"{YEAR}-01-01", f"{YEAR}-12-31"
PATENTS = ("invention_patent", "utility_model", "design_patent")
KPI_INDICATORS = {
    "named_studios": "studios_by_level",
    "verified_results": "results_by_category",
    "economic_benefit": "economic_benefit",
    "patents": "patents_by_type",
    "training_person_times": "training_person_times",
    "pairings": "pairings_started",
}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def year_data(world):
    return build_year(world)


@pytest.fixture(params=["root", "branch_a"])
def scope(request, world):
    return getattr(world, request.param)


def fetch_one(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def raw_sql_figures(unit) -> dict:
    """The six key figures by hand-written SQL, independent of the ORM code (every studio of the
    fixture has a naming date)."""
    like = unit.path + "%"
    return {
        "named_studios": fetch_one(
            """
            SELECT COUNT(*) FROM studios_studio s JOIN accounts_unit u ON u.id = s.unit_id
            WHERE u.path LIKE %s AND s.named_on <= %s
              AND (s.status IN ('named', 'rectifying') OR (s.status = 'revoked' AND s.revoked_on > %s))
            """,
            [like, END, END],
        ),
        "verified_results": fetch_one(
            """
            SELECT COUNT(*) FROM achievements_result r JOIN studios_studio s ON s.id = r.studio_id
            JOIN accounts_unit u ON u.id = s.unit_id
            WHERE u.path LIKE %s AND r.status = 'verified' AND r.achieved_on BETWEEN %s AND %s
            """,
            [like, START, END],
        ),
        "patents": fetch_one(
            """
            SELECT COUNT(*) FROM achievements_result r JOIN studios_studio s ON s.id = r.studio_id
            JOIN accounts_unit u ON u.id = s.unit_id
            WHERE u.path LIKE %s AND r.status = 'verified' AND r.achieved_on BETWEEN %s AND %s
              AND r.category IN (%s, %s, %s)
            """,
            [like, START, END, *PATENTS],
        ),
        "economic_benefit": Decimal(
            str(
                fetch_one(
                    """
                    SELECT SUM(r.benefit) FROM achievements_result r JOIN studios_studio s ON s.id = r.studio_id
                    JOIN accounts_unit u ON u.id = s.unit_id
                    WHERE u.path LIKE %s AND r.status = 'verified' AND r.benefit_year = %s
                      AND r.benefit IS NOT NULL
                    """,
                    [like, YEAR],
                )
            )
        ).quantize(Decimal("0.01")),
        "training_person_times": fetch_one(
            """
            SELECT COUNT(*) FROM training_enrolment e JOIN training_trainingclass c ON c.id = e.training_class_id
            JOIN accounts_unit u ON u.id = c.organiser_id
            WHERE u.path LIKE %s AND c.status IN ('running', 'finished') AND c.starts_on BETWEEN %s AND %s
              AND EXISTS (SELECT 1 FROM training_attendance a WHERE a.enrolment_id = e.id)
            """,
            [like, START, END],
        ),
        "pairings": fetch_one(
            """
            SELECT COUNT(*) FROM mentoring_pairing p JOIN accounts_unit u ON u.id = p.unit_id
            WHERE u.path LIKE %s AND p.agreement_on BETWEEN %s AND %s
            """,
            [like, START, END],
        ),
    }


def kpi_values(data) -> dict:
    return {k["code"]: k["value"] for k in data["kpis"]}


def test_key_figures_equal_the_indicators_and_raw_sql(world, year_data, scope):
    data = dashboard_data(YEAR, scope)
    figures = kpi_values(data)
    sql = raw_sql_figures(scope)
    assert set(figures) == set(KPI_INDICATORS)
    for code, indicator in KPI_INDICATORS.items():
        value = compute(indicator, YEAR, scope).value
        if code == "economic_benefit":
            value, figures[code] = value.quantize(Decimal("0.01")), figures[code].quantize(Decimal("0.01"))
        assert figures[code] == value == sql[code], code
        assert sql[code], f"{code} is 0 in the fixture: the comparison proves nothing"


def test_hand_computed_key_figures(world, year_data):
    """The fixture's figures worked out by hand (tests/reports/fixtures.py), root and branch A."""
    assert kpi_values(dashboard_data(YEAR, world.root)) == {
        "named_studios": 4,
        "verified_results": 5,
        "economic_benefit": Decimal("157000"),
        "patents": 3,
        "training_person_times": 3,
        "pairings": 2,
    }
    assert kpi_values(dashboard_data(YEAR, world.branch_a)) == {
        "named_studios": 3,
        "verified_results": 4,
        "economic_benefit": Decimal("127000"),
        "patents": 2,
        "training_person_times": 2,
        "pairings": 2,
    }


def test_chart_tables_total_to_the_indicators(world, year_data, scope):
    data = dashboard_data(YEAR, scope)
    for code in ("studios_by_level", "studios_by_kind", "results_by_category", "economic_benefit"):
        result = compute(code, YEAR, scope)
        table = data["tables"][code]
        *rows, total = table["rows"]
        assert total[len(result.dimensions)] == float(result.value), code
        assert sum(row[len(result.dimensions)] for row in rows) == float(result.value), code
        chart_total = sum(item["value"] for item in data["charts"][code]["series"][0]["data"])
        expected = float(result.value) / 10000 if code == "economic_benefit" else result.value
        assert chart_total == pytest.approx(expected), code


def test_the_change_from_last_year(world, year_data):
    data = dashboard_data(YEAR, world.root)
    kpis = {k["code"]: k for k in data["kpis"]}
    for code, indicator in KPI_INDICATORS.items():
        assert kpis[code]["previous"] == compute(indicator, YEAR - 1, world.root).value, code
    # 2024: s2, s3, s4 held the title at the end of the year (s8 was revoked on 31 Dec): 3 → 4.
    assert kpis["named_studios"]["previous"] == 3
    assert kpis["named_studios"]["change"] == {"direction": "up", "percent": 33.3, "magnitude": 33.3}
    # Three pairings signed in 2024, two in 2025.
    assert kpis["pairings"]["change"] == {"direction": "down", "percent": -33.3, "magnitude": 33.3}
    # No patent dated 2024: no percentage, only the direction.
    assert kpis["patents"]["previous"] == 0
    assert kpis["patents"]["change"] == {"direction": "up", "percent": None, "magnitude": None}
    assert kpis["economic_benefit"]["display"] == "15.70"  # 157,000 yuan in 万元


def test_trends_equal_the_indicator_of_each_year(world, year_data):
    """A studio named years ago, one revoked in between, results and pairings in earlier years:
    every year of every series equals the indicator computed for that year alone."""
    from achievements.models import Result
    from studios.models import StudioKind

    kind = StudioKind.objects.first()
    old = StudioFactory(unit=world.plant_a1, lead=PersonFactory(unit=world.plant_a1), kind=kind, status="named")
    type(old).objects.filter(pk=old.pk).update(named_on=datetime.date(2017, 5, 1), level="company")
    gone = StudioFactory(unit=world.plant_a1, lead=PersonFactory(unit=world.plant_a1), kind=kind, status="revoked")
    type(gone).objects.filter(pk=gone.pk).update(
        named_on=datetime.date(2012, 5, 1), revoked_on=datetime.date(2019, 8, 1), level="city"
    )
    for year in (2016, 2018, 2020, 2023):
        Result.objects.create(
            studio=old,
            title=f"成果{year}",
            category="invention_patent" if year % 4 == 0 else "paper",
            achieved_on=datetime.date(year, 6, 1),
            status="verified",
            benefit=Decimal("1234.50"),
            benefit_year=year,
        )
    series_of = {
        "named_studios": "studios_by_level",
        "results": "results_by_category",
        "patents": "patents_by_type",
        "benefit": "economic_benefit",
        "person_times": "training_person_times",
        "pairings": "pairings_started",
    }
    for unit in (world.root, world.branch_a, world.branch_b):
        trend = trends(YEAR, unit)
        assert set(trend) == set(series_of)
        for series, indicator in series_of.items():
            assert list(trend[series]) == list(range(YEAR - TREND_YEARS + 1, YEAR + 1))
            for year, value in trend[series].items():
                assert value == compute(indicator, year, unit).value, (unit.code, series, year)
    trend = trends(YEAR, world.root)
    assert trend["named_studios"][2018] == 2 and trend["named_studios"][2019] == 1
    assert trend["results"][2016] == 1 and trend["patents"][2020] == 1


def test_trends_take_a_fixed_number_of_queries(world, year_data, django_assert_num_queries):
    with django_assert_num_queries(5):
        trends(YEAR, world.root)


def test_top_studios_by_benefit(world, year_data):
    """s1: 100,000 + 7,000 (a 2024 result stating 2025's benefit); s6: 30,000; s2: 20,000. The
    submitted result and the benefit stated for 2024 do not count."""
    s = year_data
    top = top_studios_by_benefit(YEAR, world.root)
    assert [(row["studio"], row["amount"], row["results"]) for row in top] == [
        (s["s1"].pk, Decimal("107000"), 2),
        (s["s6"].pk, Decimal("30000"), 1),
        (s["s2"].pk, Decimal("20000"), 1),
    ]
    assert sum(row["amount"] for row in top) == compute("economic_benefit", YEAR, world.root).value
    assert [row["studio"] for row in top_studios_by_benefit(YEAR, world.branch_a)] == [s["s1"].pk, s["s2"].pk]
    assert [row["studio"] for row in top_studios_by_benefit(YEAR, world.root, limit=1)] == [s["s1"].pk]


def _history(studio, *steps):
    """Recorded transitions of `studio`: (action, when) pairs, written as the services write them."""
    content_type = ContentType.objects.get_for_model(studio)
    for action, when in steps:
        event = AuditEvent.objects.create(
            content_type=content_type, object_id=str(studio.pk), object_repr=studio.name, action=action
        )
        AuditEvent.objects.filter(pk=event.pk).update(created_at=when)


def test_review_pipeline_days_in_each_state(world):
    tz = timezone.get_current_timezone()

    def at(month, day, hour=0):
        return datetime.datetime(YEAR, month, day, hour, tzinfo=tz)

    a = world.studio(status="named")
    b = world.studio(status="recommended")
    c = world.studio(status="submitted")
    far = StudioFactory(unit=world.plant_b1, lead=PersonFactory(unit=world.plant_b1), status="submitted")
    # a: draft 10 days, submitted 4, recommended 6, publicised 7 (+ a member added: not a transition).
    _history(
        a,
        ("create", at(1, 1)),
        ("studio_submit", at(1, 11)),
        ("member_add", at(1, 12)),
        ("studio_recommend", at(1, 15)),
        ("studio_approve", at(1, 21)),
        ("studio_name", at(1, 28)),
    )
    # b: draft since last year (20 days), submitted 2 days, returned 3, submitted 6 days; waits now.
    _history(
        b,
        ("create", datetime.datetime(YEAR - 1, 12, 12, tzinfo=tz)),
        ("studio_submit", at(1, 1)),
        ("studio_return_unit", at(1, 3)),
        ("studio_submit", at(1, 6)),
        ("studio_recommend", at(1, 12)),
    )
    # c: draft 12 hours; the next year's stays do not count.
    _history(c, ("create", at(12, 31, 0)), ("studio_submit", at(12, 31, 12)))
    _history(far, ("create", at(3, 1)), ("studio_submit", at(3, 31)))
    rows = {row["state"]: row for row in review_pipeline(YEAR, world.branch_a)}
    assert list(rows) == ["draft", "submitted", "recommended", "publicised", "returned"]
    assert rows["draft"] | {"label": None} == {
        "state": "draft",
        "label": None,
        "now": 0,
        "stays": 3,
        "average_days": round((10 + 20 + 0.5) / 3, 1),
        "median_days": 10.0,
    }
    assert (rows["submitted"]["stays"], rows["submitted"]["average_days"], rows["submitted"]["median_days"]) == (
        3,
        4.0,
        4.0,
    )
    assert rows["submitted"]["now"] == 1
    assert (rows["recommended"]["stays"], rows["recommended"]["median_days"], rows["recommended"]["now"]) == (1, 6.0, 1)
    assert (rows["publicised"]["stays"], rows["publicised"]["average_days"]) == (1, 7.0)
    assert (rows["returned"]["stays"], rows["returned"]["average_days"]) == (1, 3.0)
    # Two stays in draft at the root as well (far: 30 days): median of 0.5, 10, 20, 30 = 15.
    root = {row["state"]: row for row in review_pipeline(YEAR, world.root)}
    assert (root["draft"]["stays"], root["draft"]["median_days"]) == (4, 15.0)
    # The year after: nothing ended then.
    assert all(row["stays"] == 0 and row["average_days"] is None for row in review_pipeline(YEAR + 1, world.root))


def test_empty_dashboard(world):
    data = dashboard_data(1999, world.root)
    assert all(not k["value"] for k in data["kpis"])
    assert all(chart["empty"] for code, chart in data["charts"].items() if code != "pipeline")
    assert set(data["charts"]) | {"kpis"} == set(data["tables"])


def test_dashboard_computes_only_the_indicators_it_shows(world, year_data):
    data = dashboard_data(YEAR, world.root)
    assert {k["indicator"] for k in data["kpis"]} <= set(INDICATOR_CODES)


@pytest.mark.parametrize(
    ("language", "amount", "shown"),
    [
        ("zh-hans", "157000", ("15.70", "万元")),
        ("zh-hans", "9800.5", ("9,800.50", "元")),
        ("en", "157000", ("157,000", "yuan")),
        ("en", "12345678.9", ("12.35", "million yuan")),
    ],
)
def test_an_amount_reads_as_its_readers_count(language, amount, shown):
    """万元 in Chinese; whole yuan, or millions, in English ("15.70 ten thousand yuan" reads as
    nothing in English)."""
    from decimal import Decimal

    from django.utils import translation

    from reports.dashboard import money_display

    with translation.override(language):
        assert money_display(Decimal(amount)) == shown


@given(
    params=st.dictionaries(
        st.sampled_from(["unit", "year", "level", "kind", "category", "status", "patent", "benefit_min"]),
        st.one_of(st.none(), st.integers(-10, 10**6), st.text(max_size=12)),
    )
)
def test_a_figures_link_is_its_list_with_the_parameters_encoded(params):
    """list_url writes plain values as they are and quotes the rest as urlencode does."""
    from urllib.parse import urlencode

    from core.navigation import address

    expected = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    assert list_url("studios:studio_list", **params) == address("studios:studio_list") + (
        f"?{expected}" if expected else ""
    )
