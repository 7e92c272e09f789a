"""Independent hand-written SQL counts equal the indicators, for the root and for branch A."""

from decimal import Decimal

import pytest
from django.db import connection

from reports.indicators import compute

from .fixtures import YEAR, build_year

START, END = f"{YEAR}-01-01", f"{YEAR}-12-31"


@pytest.fixture
def year_data(world):
    return build_year(world)


def fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


@pytest.fixture(params=["root", "branch_a"])
def scope(request, world):
    return getattr(world, request.param)


def test_studios_named_by_sql(world, year_data, scope):
    [(count,)] = fetch(
        """
        SELECT COUNT(*) FROM studios_studio s JOIN accounts_unit u ON u.id = s.unit_id
        WHERE u.path LIKE %s AND s.named_on BETWEEN %s AND %s
        """,
        [scope.path + "%", START, END],
    )
    assert count > 0
    assert compute("studios_named", YEAR, scope).value == count


def test_results_by_category_by_sql(world, year_data, scope):
    rows = fetch(
        """
        SELECT r.category, COUNT(*) FROM achievements_result r
        JOIN studios_studio s ON s.id = r.studio_id JOIN accounts_unit u ON u.id = s.unit_id
        WHERE u.path LIKE %s AND r.status = 'verified' AND r.achieved_on BETWEEN %s AND %s
        GROUP BY r.category
        """,
        [scope.path + "%", START, END],
    )
    result = compute("results_by_category", YEAR, scope)
    assert {row.keys[0]: row["results"] for row in result.rows} == dict(rows)


def test_training_hours_by_sql(world, year_data, scope):
    [(hours,)] = fetch(
        """
        SELECT SUM(se.hours) FROM training_attendance a
        JOIN training_session se ON se.id = a.session_id
        JOIN training_trainingclass c ON c.id = se.training_class_id
        JOIN accounts_unit u ON u.id = c.organiser_id
        WHERE u.path LIKE %s AND c.status IN ('running', 'finished') AND c.starts_on BETWEEN %s AND %s
        """,
        [scope.path + "%", START, END],
    )
    assert money(hours) > 0
    assert money(compute("training_hours", YEAR, scope).value) == money(hours)


def test_funding_in_by_sql(world, year_data, scope):
    rows = fetch(
        """
        SELECT source, SUM(amount) FROM (
            SELECT f.source, f.amount FROM studios_fundingentry f
            JOIN studios_studio s ON s.id = f.studio_id JOIN accounts_unit u ON u.id = s.unit_id
            WHERE u.path LIKE %s AND f.direction = 'in' AND f.entry_date BETWEEN %s AND %s
            UNION ALL
            SELECT f.source, f.amount FROM alliances_alliancefundingentry f
            JOIN alliances_alliance a ON a.id = f.alliance_id JOIN accounts_unit u ON u.id = a.lead_unit_id
            WHERE u.path LIKE %s AND f.direction = 'in' AND f.entry_date BETWEEN %s AND %s
        ) lines GROUP BY source
        """,
        [scope.path + "%", START, END] * 2,
    )
    result = compute("funding_in", YEAR, scope)
    assert {row.keys[0]: money(row["amount"]) for row in result.rows} == {k: money(v) for k, v in rows}


def test_skill_upgrades_by_sql(world, year_data, scope):
    """The previous grade by a window function (LAG), the rank by position in the grade list."""
    [(count,)] = fetch(
        """
        WITH ranked AS (
            SELECT c.id, c.person_id, c.changed_on,
                   CASE c.grade WHEN 'junior' THEN 1 WHEN 'intermediate' THEN 2 WHEN 'senior' THEN 3
                        WHEN 'technician' THEN 4 WHEN 'senior_technician' THEN 5
                        WHEN 'master_technician' THEN 6 WHEN 'chief_technician' THEN 7 ELSE 0 END AS grade_rank
            FROM talent_skillgradechange c
        ), stepped AS (
            SELECT person_id, changed_on, grade_rank,
                   LAG(grade_rank, 1, 0) OVER (PARTITION BY person_id ORDER BY changed_on, id) AS old_rank
            FROM ranked
        )
        SELECT COUNT(*) FROM stepped
        JOIN talent_person p ON p.id = stepped.person_id JOIN accounts_unit u ON u.id = p.unit_id
        WHERE u.path LIKE %s AND stepped.changed_on BETWEEN %s AND %s AND stepped.grade_rank > stepped.old_rank
        """,
        [scope.path + "%", START, END],
    )
    assert count > 0
    assert compute("skill_upgrades", YEAR, scope).value == count


def test_honours_by_sql(world, year_data, scope):
    rows = fetch(
        """
        SELECT h.level, COUNT(*) FROM talent_honour h
        JOIN talent_person p ON p.id = h.person_id JOIN accounts_unit u ON u.id = p.unit_id
        WHERE u.path LIKE %s AND h.year = %s GROUP BY h.level
        """,
        [scope.path + "%", YEAR],
    )
    result = compute("honours_by_level", YEAR, scope)
    assert {row.keys[0]: row["honours"] for row in result.rows} == dict(rows)
