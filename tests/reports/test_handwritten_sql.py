"""The benchmark's hand-written SQL (bench/handwritten_sql.py, one query per indicator, written from
the definitions) gives the same figures as the indicator registry on the hand-computed world —
an independent raw-SQL count of every indicator, and the proof that the benchmark's
report-vs-SQL ratio compares two ways of getting the same figures."""

from decimal import Decimal

import pytest

from bench.handwritten_sql import QUERIES, figures_of, run, run_all
from reports.indicators import INDICATORS, compute_all

from .fixtures import YEAR, build_year
from .test_indicators import expected_for


@pytest.fixture
def year_data(world):
    return build_year(world)


def test_one_hand_written_query_per_indicator():
    assert set(QUERIES) == set(INDICATORS)


@pytest.mark.parametrize("scope", ["root", "branch_a", "branch_b", "plant_a1"])
def test_hand_written_sql_equals_the_indicators(world, year_data, scope, django_assert_num_queries):
    unit = getattr(world, scope)
    with django_assert_num_queries(len(QUERIES)):
        by_hand = run_all(YEAR, unit)
    assert by_hand == figures_of(compute_all(YEAR, unit))


@pytest.mark.parametrize("year", [YEAR - 1, YEAR + 1])
def test_the_neighbouring_years_agree_too(world, year_data, year):
    """The fixture's just-outside-the-year items count in these years: the boundaries agree."""
    assert run_all(year, world.root) == figures_of(compute_all(year, world.root))


@pytest.mark.parametrize("scope", ["root", "branch_a", "branch_b"])
def test_hand_written_sql_equals_the_hand_computed_figures(world, year_data, scope):
    """Not only equal to the registry: equal to the figures worked out by hand (main figure)."""
    unit = getattr(world, scope)
    for code in QUERIES:
        expected = expected_for(world, scope, code)
        got = run(code, YEAR, unit)
        if isinstance(expected, dict):
            assert {keys: values[0] for keys, values in got.items()} == {
                keys: Decimal(str(v)).quantize(Decimal("0.01")) if isinstance(v, Decimal) else v
                for keys, v in expected.items()
            }, (scope, code)
        else:
            [(value, *_rest)] = got.values()
            assert value == (
                Decimal(str(expected)).quantize(Decimal("0.01")) if isinstance(expected, Decimal) else expected
            ), (scope, code)


def test_the_root_check_is_not_vacuous(world, year_data):
    by_hand = run_all(YEAR, world.root)
    empty = [code for code, rows in by_hand.items() if not any(any(values) for values in rows.values())]
    assert empty == []
