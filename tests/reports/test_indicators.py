"""Every indicator against the hand-computed year of tests/reports/fixtures.py, for the root, for
branch A (a unit cadre's subtree) and for branch B."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports.indicators import INDICATORS, IndicatorResult, compute, compute_all
from studios.models import Studio, StudioKind

from .fixtures import EXPECTED, K0, K1, YEAR, build_year, studio

SCOPES = ("root", "branch_a", "branch_b")


@pytest.fixture
def year_data(world):
    return build_year(world)


def expected_for(world, scope, code):
    """The hand-computed figure, with unit codes and kind placeholders turned into row keys."""
    expected = EXPECTED[scope][code]
    if not isinstance(expected, dict):
        return expected
    kinds = list(StudioKind.objects.order_by("pk").values_list("pk", flat=True))
    units = {"A": world.branch_a.path, "B": world.branch_b.path, "A1": world.plant_a1.path, "B1": world.plant_b1.path}
    translate = {K0: kinds[0], K1: kinds[1], **units}
    return {tuple(translate.get(k, k) for k in keys): value for keys, value in expected.items()}


def check(world, code):
    for scope in SCOPES:
        result = compute(code, YEAR, getattr(world, scope))
        expected = expected_for(world, scope, code)
        if isinstance(expected, dict):
            got = {row.keys: row.values[result.measures[0].code] for row in result.rows}
            assert got == expected, (scope, code)
            assert result.value == sum(expected.values()), (scope, code)
        else:
            assert result.is_scalar
            assert result.value == expected, (scope, code)


@pytest.mark.parametrize("code", sorted(EXPECTED["root"]))
def test_every_indicator_is_checked(code):
    assert code in INDICATORS


def test_every_registered_indicator_has_an_expectation_and_a_definition():
    assert set(INDICATORS) == set(EXPECTED["root"])
    for item in INDICATORS.values():
        assert len(item.definition) > 40, item.code


def test_studios_by_level(world, year_data):
    """s1 counts at the level it held on 31 Dec (company), not its present provincial level; the
    studio revoked in 2026 still counts; those revoked in the year or named in 2026 do not."""
    check(world, "studios_by_level")
    labels = {row.keys[0]: row.labels[0] for row in compute("studios_by_level", YEAR, world.root).rows}
    assert [r.keys[0] for r in compute("studios_by_level", YEAR, world.root).rows] == [
        "unit",
        "company",
        "city",
        "national",
    ]
    assert set(labels) == {"unit", "company", "city", "national"}
    # The year after, s1 is provincial and s3 (revoked in March 2026) is gone; s5 is named.
    after = compute("studios_by_level", YEAR + 1, world.root)
    assert after.get("provincial") == 1 and after.get("unit") == 0


def test_studios_by_kind(world, year_data):
    check(world, "studios_by_kind")
    result = compute("studios_by_kind", YEAR, world.root)
    names = dict(StudioKind.objects.values_list("pk", "name"))
    assert all(row.labels[0] == names[row.keys[0]] for row in result.rows)


def test_studios_by_unit(world, year_data):
    check(world, "studios_by_unit")
    rows = compute("studios_by_unit", YEAR, world.root).rows
    assert [(r.labels[0], r["studios"]) for r in rows] == [(world.branch_a.name, 3), (world.branch_b.name, 1)]
    own = compute("studios_by_unit", YEAR, world.branch_a)
    assert own.get(world.branch_a.path) == 1  # branch A's own studio, under branch A


def test_studios_named(world, year_data):
    check(world, "studios_named")


def test_studios_revoked(world, year_data):
    check(world, "studios_revoked")


def test_team_size(world, year_data):
    check(world, "team_size")


def test_a_named_studio_without_a_naming_date_counts_from_its_creation(world):
    undated = studio(world, world.plant_a1, level="company")
    Studio.objects.filter(pk=undated.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2024, 7, 1, 12)), named_on=None
    )
    Studio.objects.filter(pk=world.other_studio.pk).update(named_on=datetime.date(2030, 1, 1))
    assert compute("studios_by_level", 2023, world.root).value == 0
    assert compute("studios_by_level", 2024, world.root).get("company") == 1


def test_alliances(world, year_data):
    check(world, "alliances")


def test_pilot_units(world, year_data):
    check(world, "pilot_units")


def test_projects_started(world, year_data):
    check(world, "projects_started")


def test_projects_closed(world, year_data):
    check(world, "projects_closed")


def test_results_by_category(world, year_data):
    """Submitted and returned results never count; nor results dated 31 Dec 2024 or 1 Jan 2026."""
    check(world, "results_by_category")


def test_patents_by_type(world, year_data):
    check(world, "patents_by_type")
    by_category = compute("results_by_category", YEAR, world.root)
    patents = compute("patents_by_type", YEAR, world.root)
    assert all(by_category.get(*row.keys) == row["patents"] for row in patents.rows)


def test_results_applied(world, year_data):
    check(world, "results_applied")
    result = compute("results_applied", YEAR, world.root)
    assert result.get("inside", measure="yearly_benefit") == Decimal("12000")
    assert result.get("outside", measure="yearly_benefit") == Decimal("5000")
    assert result.totals["yearly_benefit"] == Decimal("17000")


def test_economic_benefit(world, year_data):
    """Benefit year 2025 counts even for a result dated 2024; the unverified result's never."""
    check(world, "economic_benefit")
    assert compute("economic_benefit", YEAR, world.root).totals["results"] == 4


def test_training_classes(world, year_data):
    check(world, "training_classes")


def test_training_sessions(world, year_data):
    check(world, "training_sessions")


def test_training_person_times(world, year_data):
    check(world, "training_person_times")


def test_training_hours(world, year_data):
    check(world, "training_hours")


def test_pairings_started(world, year_data):
    check(world, "pairings_started")


def test_pairings_graduated(world, year_data):
    check(world, "pairings_graduated")


def test_skill_upgrades(world, year_data):
    """A step down, the same grade recorded again and a change dated 31 Dec 2024 do not count."""
    check(world, "skill_upgrades")


def test_honours_by_level(world, year_data):
    check(world, "honours_by_level")


def test_funding_in(world, year_data):
    """The studios' and the alliances' ledgers together; the 2024 line does not count."""
    check(world, "funding_in")
    assert compute("funding_in", YEAR, world.root).totals["lines"] == 3


def test_funding_out(world, year_data):
    check(world, "funding_out")


def test_compute_all_gives_every_indicator_and_plain_data(world, year_data):
    results = compute_all(YEAR, world.root)
    assert list(results) == list(INDICATORS)
    assert all(isinstance(r, IndicatorResult) and r.year == YEAR for r in results.values())
    data = results["funding_in"].as_dict()
    assert data["totals"]["amount"] == Decimal("100000") and data["dimensions"][0]["code"] == "source"
    assert compute_all(YEAR, world.root, codes=["alliances"]).keys() == {"alliances"}
    with pytest.raises(KeyError):
        compute("no_such_indicator", YEAR, world.root)


def test_nothing_counts_in_an_empty_year(world, year_data):
    for result in compute_all(1999, world.root).values():
        assert all(not value for value in result.totals.values()), result.code


def test_branches_add_up_to_the_root(world, year_data):
    """Root = branch A + branch B (no item sits at the root unit itself)."""
    root = compute_all(YEAR, world.root)
    a = compute_all(YEAR, world.branch_a)
    b = compute_all(YEAR, world.branch_b)
    for code, result in root.items():
        assert result.totals == {k: a[code].totals[k] + b[code].totals[k] for k in result.totals}, code


def test_compute_all_query_count_does_not_grow_with_the_data(world):
    build_year(world)
    with CaptureQueriesContext(connection) as small:
        first = compute_all(YEAR, world.root)
    build_year(world, copies=3)
    with CaptureQueriesContext(connection) as large:
        second = compute_all(YEAR, world.root)
    assert len(small.captured_queries) == len(large.captured_queries) == len(INDICATORS)
    assert second["training_hours"].value == 4 * first["training_hours"].value
    assert second["studios_by_level"].value == 4 * first["studios_by_level"].value
