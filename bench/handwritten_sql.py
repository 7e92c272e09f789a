"""The indicators of reports/indicators.py written again by hand, in plain SQL: one query each.

Written from the indicators' docstrings (their definitions), not generated from the ORM, so that
they are an independent check of the registry (tests/reports/test_handwritten_sql.py: on the
hand-computed world the figures are equal) and the baseline of the benchmark's
`report_vs_sql_ratio` (the annual report against the bare queries that give the same figures).

Every query takes the same named parameters: the year (`year`), its first and last day (`start`,
`end`), the chosen unit's materialized path followed by `%` (`subtree`, a prefix match: the unit
and everything below it) and the length of the key of a unit one level below it (`child_len`).
The queries are assembled from this module's constant fragments (never from input, hence the
`noqa: S608` marks). They run on PostgreSQL and on SQLite (the tests' default); the only
difference is the local date of a timestamp, written per database in `local_date`.

Use:
    figures = run_all(2025, unit)            → {code: {row keys: (figure, …)}}
    figures_of(compute_all(2025, unit))      → the same shape from the indicators
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection as default_connection

# Unit.steplen: the characters one level of the tree adds to a materialized path.
STEPLEN = 4


@dataclass(frozen=True)
class HandQuery:
    """A hand-written query: `keys` leading columns are the row's dimension values, the rest its
    figures; `decimal` tells which figures are money or hours (compared to the cent)."""

    sql: str
    keys: int = 0
    decimal: tuple[bool, ...] = (False,)


def local_date(column: str, vendor: str) -> str:
    """The date of a timestamp column in the portal's time zone (settings.TIME_ZONE)."""
    if vendor == "postgresql":
        return f"({column} AT TIME ZONE %(tz)s)::date"
    # SQLite keeps UTC text; Django registers this function on every SQLite connection.
    return f"django_datetime_cast_date({column}, %(tz)s, 'UTC')"


# Studios holding the title on 31 December (named by then — the creation day when no naming date
# was kept — and named or rectifying now, or revoked only after that day), with their unit's path.
NAMED_AT_YEAR_END = """
    SELECT s.id, s.kind_id, s.level, u.path
    FROM studios_studio s
    JOIN accounts_unit u ON u.id = s.unit_id
    WHERE u.path LIKE %(subtree)s
      AND COALESCE(s.named_on, {created_on}) <= %(end)s
      AND (s.status IN ('named', 'rectifying') OR (s.status = 'revoked' AND s.revoked_on > %(end)s))
"""

# The level on 31 December: the newest level record awarded by then (ties: the later record).
LEVEL_ON_YEAR_END = """
    SELECT studio_id, level FROM (
        SELECT lr.studio_id, lr.level,
               ROW_NUMBER() OVER (PARTITION BY lr.studio_id ORDER BY lr.awarded_on DESC, lr.id DESC) AS newest
        FROM studios_levelrecord lr
        WHERE lr.awarded_on <= %(end)s
    ) ranked WHERE newest = 1
"""

HELD_CLASSES = """
    SELECT c.id FROM training_trainingclass c
    JOIN accounts_unit u ON u.id = c.organiser_id
    WHERE u.path LIKE %(subtree)s AND c.status IN ('running', 'finished') AND c.starts_on BETWEEN %(start)s AND %(end)s
"""

SKILL_RANK = """CASE {col} WHEN 'junior' THEN 1 WHEN 'intermediate' THEN 2 WHEN 'senior' THEN 3
    WHEN 'technician' THEN 4 WHEN 'senior_technician' THEN 5 WHEN 'master_technician' THEN 6
    WHEN 'chief_technician' THEN 7 ELSE 0 END"""


def _ledgers(direction: str, dimension: str) -> str:
    return f"""
    SELECT {dimension}, SUM(amount), COUNT(*) FILTER (WHERE amount > 0) - COUNT(*) FILTER (WHERE amount < 0) FROM (
        SELECT f.{dimension}, f.amount FROM studios_fundingentry f
        JOIN studios_studio s ON s.id = f.studio_id
        JOIN accounts_unit u ON u.id = s.unit_id
        WHERE u.path LIKE %(subtree)s AND f.direction = '{direction}' AND f.entry_date BETWEEN %(start)s AND %(end)s
        UNION ALL
        SELECT f.{dimension}, f.amount FROM alliances_alliancefundingentry f
        JOIN alliances_alliance a ON a.id = f.alliance_id
        JOIN accounts_unit u ON u.id = a.lead_unit_id
        WHERE u.path LIKE %(subtree)s AND f.direction = '{direction}' AND f.entry_date BETWEEN %(start)s AND %(end)s
    ) lines
    GROUP BY {dimension}
    """  # noqa: S608


QUERIES: dict[str, HandQuery] = {
    # Studios ------------------------------------------------------------------------------------
    "studios_by_level": HandQuery(
        f"""
        SELECT COALESCE(lv.level, n.level) AS level, COUNT(*)
        FROM ({NAMED_AT_YEAR_END}) n
        LEFT JOIN ({LEVEL_ON_YEAR_END}) lv ON lv.studio_id = n.id
        GROUP BY COALESCE(lv.level, n.level)
        """,  # noqa: S608
        keys=1,
    ),
    "studios_by_kind": HandQuery(
        f"SELECT n.kind_id, COUNT(*) FROM ({NAMED_AT_YEAR_END}) n GROUP BY n.kind_id",  # noqa: S608
        keys=1,
    ),
    "studios_by_unit": HandQuery(
        f"""
        SELECT SUBSTR(n.path, 1, %(child_len)s), COUNT(*) FROM ({NAMED_AT_YEAR_END}) n
        GROUP BY SUBSTR(n.path, 1, %(child_len)s)
        """,  # noqa: S608
        keys=1,
    ),
    "studios_named": HandQuery(
        """
        SELECT COUNT(*) FROM studios_studio s JOIN accounts_unit u ON u.id = s.unit_id
        WHERE u.path LIKE %(subtree)s AND s.named_on BETWEEN %(start)s AND %(end)s
        """
    ),
    "studios_revoked": HandQuery(
        """
        SELECT COUNT(*) FROM studios_studio s JOIN accounts_unit u ON u.id = s.unit_id
        WHERE u.path LIKE %(subtree)s AND s.status = 'revoked' AND s.revoked_on BETWEEN %(start)s AND %(end)s
        """
    ),
    "team_size": HandQuery(
        f"""
        SELECT COUNT(*) FROM studios_membership m
        JOIN ({NAMED_AT_YEAR_END}) n ON n.id = m.studio_id
        WHERE m.joined_on <= %(end)s AND (m.left_on IS NULL OR m.left_on > %(end)s)
        """  # noqa: S608
    ),
    # Alliances and pilot units ------------------------------------------------------------------
    "alliances": HandQuery(
        """
        SELECT COUNT(*) FROM alliances_alliance a JOIN accounts_unit u ON u.id = a.lead_unit_id
        WHERE u.path LIKE %(subtree)s AND a.founded_on <= %(end)s
          AND (a.status = 'running' OR (a.status = 'dissolved' AND a.dissolved_on > %(end)s))
        """
    ),
    "pilot_units": HandQuery(
        """
        SELECT COUNT(*) FROM alliances_designation d
        JOIN alliances_designationbatch b ON b.id = d.batch_id
        LEFT JOIN alliances_alliance a ON a.id = d.alliance_id
        LEFT JOIN accounts_unit au ON au.id = a.lead_unit_id
        LEFT JOIN studios_studio s ON s.id = d.studio_id
        LEFT JOIN accounts_unit su ON su.id = s.unit_id
        WHERE d.kind = 'pilot' AND b.status = 'published' AND b.designated_on BETWEEN %(start)s AND %(end)s
          AND (au.path LIKE %(subtree)s OR su.path LIKE %(subtree)s)
        """
    ),
    # Projects and results -----------------------------------------------------------------------
    "projects_started": HandQuery(
        """
        SELECT COUNT(*) FROM achievements_project p
        JOIN studios_studio s ON s.id = p.studio_id JOIN accounts_unit u ON u.id = s.unit_id
        WHERE u.path LIKE %(subtree)s AND p.started_on BETWEEN %(start)s AND %(end)s
        """
    ),
    "projects_closed": HandQuery(
        """
        SELECT COUNT(*) FROM achievements_project p
        JOIN studios_studio s ON s.id = p.studio_id JOIN accounts_unit u ON u.id = s.unit_id
        WHERE u.path LIKE %(subtree)s AND p.status = 'closed' AND p.closed_on BETWEEN %(start)s AND %(end)s
        """
    ),
    "results_by_category": HandQuery(
        """
        SELECT r.category, COUNT(*) FROM achievements_result r
        JOIN studios_studio s ON s.id = r.studio_id JOIN accounts_unit u ON u.id = s.unit_id
        WHERE u.path LIKE %(subtree)s AND r.status = 'verified' AND r.achieved_on BETWEEN %(start)s AND %(end)s
        GROUP BY r.category
        """,
        keys=1,
    ),
    "patents_by_type": HandQuery(
        """
        SELECT r.category, COUNT(*) FROM achievements_result r
        JOIN studios_studio s ON s.id = r.studio_id JOIN accounts_unit u ON u.id = s.unit_id
        WHERE u.path LIKE %(subtree)s AND r.status = 'verified' AND r.achieved_on BETWEEN %(start)s AND %(end)s
          AND r.category IN ('invention_patent', 'utility_model', 'design_patent')
        GROUP BY r.category
        """,
        keys=1,
    ),
    "results_applied": HandQuery(
        """
        SELECT CASE WHEN ad.unit_id IS NULL THEN 'outside' ELSE 'inside' END AS place,
               COUNT(*), SUM(ad.yearly_benefit)
        FROM achievements_adoption ad
        JOIN achievements_result r ON r.id = ad.result_id
        JOIN studios_studio s ON s.id = r.studio_id JOIN accounts_unit u ON u.id = s.unit_id
        WHERE u.path LIKE %(subtree)s AND r.status = 'verified' AND ad.adopted_on BETWEEN %(start)s AND %(end)s
        GROUP BY CASE WHEN ad.unit_id IS NULL THEN 'outside' ELSE 'inside' END
        """,
        keys=1,
        decimal=(False, True),
    ),
    "economic_benefit": HandQuery(
        """
        SELECT SUBSTR(u.path, 1, %(child_len)s), SUM(r.benefit), COUNT(*) FROM achievements_result r
        JOIN studios_studio s ON s.id = r.studio_id JOIN accounts_unit u ON u.id = s.unit_id
        WHERE u.path LIKE %(subtree)s AND r.status = 'verified' AND r.benefit_year = %(year)s
          AND r.benefit IS NOT NULL
        GROUP BY SUBSTR(u.path, 1, %(child_len)s)
        """,
        keys=1,
        decimal=(True, False),
    ),
    # Training -----------------------------------------------------------------------------------
    "training_classes": HandQuery(f"SELECT COUNT(*) FROM ({HELD_CLASSES}) held"),  # noqa: S608
    "training_sessions": HandQuery(
        f"SELECT COUNT(*) FROM training_session se WHERE se.training_class_id IN ({HELD_CLASSES})"  # noqa: S608
    ),
    "training_person_times": HandQuery(
        f"""
        SELECT COUNT(DISTINCT a.enrolment_id) FROM training_attendance a
        JOIN training_enrolment e ON e.id = a.enrolment_id
        WHERE e.training_class_id IN ({HELD_CLASSES})
        """  # noqa: S608
    ),
    "training_hours": HandQuery(
        f"""
        SELECT SUM(se.hours) FROM training_attendance a
        JOIN training_session se ON se.id = a.session_id
        WHERE se.training_class_id IN ({HELD_CLASSES})
        """,  # noqa: S608
        decimal=(True,),
    ),
    # Mentoring and people -----------------------------------------------------------------------
    "pairings_started": HandQuery(
        """
        SELECT COUNT(*) FROM mentoring_pairing p JOIN accounts_unit u ON u.id = p.unit_id
        WHERE u.path LIKE %(subtree)s AND p.agreement_on BETWEEN %(start)s AND %(end)s
        """
    ),
    "pairings_graduated": HandQuery(
        """
        SELECT COUNT(*) FROM mentoring_pairing p
        JOIN accounts_unit u ON u.id = p.unit_id
        JOIN mentoring_graduationassessment g ON g.pairing_id = p.id
        WHERE u.path LIKE %(subtree)s AND p.status = 'graduated' AND g.assessed_on BETWEEN %(start)s AND %(end)s
        """
    ),
    # The grade before each change by a window over the person's changes in date order (a first
    # recorded grade steps up from none); only the subtree's people's changes are ranked.
    "skill_upgrades": HandQuery(
        f"""
        SELECT grade, COUNT(*) FROM (
            SELECT c.grade, c.changed_on, {SKILL_RANK.format(col="c.grade")} AS new_rank,
                   LAG({SKILL_RANK.format(col="c.grade")}, 1, 0)
                       OVER (PARTITION BY c.person_id ORDER BY c.changed_on, c.id) AS old_rank
            FROM talent_skillgradechange c
            JOIN talent_person p ON p.id = c.person_id JOIN accounts_unit u ON u.id = p.unit_id
            WHERE u.path LIKE %(subtree)s AND c.changed_on <= %(end)s
        ) steps
        WHERE changed_on >= %(start)s AND new_rank > old_rank
        GROUP BY grade
        """,  # noqa: S608
        keys=1,
    ),
    "honours_by_level": HandQuery(
        """
        SELECT h.level, COUNT(*) FROM talent_honour h
        JOIN talent_person p ON p.id = h.person_id JOIN accounts_unit u ON u.id = p.unit_id
        WHERE u.path LIKE %(subtree)s AND h.year = %(year)s
        GROUP BY h.level
        """,
        keys=1,
    ),
    # Funding: both ledgers -----------------------------------------------------------------------
    "funding_in": HandQuery(_ledgers("in", "source"), keys=1, decimal=(True, False)),
    "funding_out": HandQuery(_ledgers("out", "use"), keys=1, decimal=(True, False)),
}


def params(year: int, unit) -> dict:
    return {
        "year": year,
        "start": datetime.date(year, 1, 1).isoformat(),
        "end": datetime.date(year, 12, 31).isoformat(),
        "subtree": unit.path + "%",
        "child_len": len(unit.path) + STEPLEN,
        "tz": settings.TIME_ZONE,
    }


def sql_of(code: str, vendor: str) -> str:
    return QUERIES[code].sql.replace("{created_on}", local_date("s.created_at", vendor))


def _figure(value, decimal: bool):
    if decimal:
        return Decimal(str(value or 0)).quantize(Decimal("0.01"))
    return int(value or 0)


def run(code: str, year: int, unit, connection=None) -> dict[tuple, tuple]:
    """One indicator by hand: {row keys: (figure, …)} ({(): (figure,)} for a single number)."""
    connection = connection or default_connection
    query = QUERIES[code]
    with connection.cursor() as cursor:
        cursor.execute(sql_of(code, connection.vendor), params(year, unit))
        rows = cursor.fetchall()
    figures = {}
    for row in rows:
        keys, values = tuple(row[: query.keys]), row[query.keys :]
        decimals = query.decimal + (False,) * (len(values) - len(query.decimal))
        figures[keys] = tuple(_figure(v, d) for v, d in zip(values, decimals, strict=True))
    return figures


def run_all(year: int, unit, connection=None) -> dict[str, dict[tuple, tuple]]:
    """Every indicator by hand, one query each."""
    return {code: run(code, year, unit, connection) for code in QUERIES}


def figures_of(results: dict) -> dict[str, dict[tuple, tuple]]:
    """The indicators' results (compute_all) in the shape `run` gives, to be compared."""
    shaped = {}
    for code, result in results.items():
        shaped[code] = {
            tuple(row.keys): tuple(_figure(row.values[m.code], m.decimal) for m in result.measures)
            for row in result.rows
        }
    return shaped
