"""Tallies (统计底数): the dashboards' figures kept counted, so that a dashboard reads a few hundred
rows whatever the size of the tree instead of aggregating millions of results, places and
pairings each time its cache is stale.

What is counted, and how, is the indicators' definition (reports.indicators, the same functions:
named_studios and level_at_year_end, verified_results, benefit_results, attended_places,
signed_pairings), evaluated for a set of units' own rows (indicators.Units) and grouped by unit,
year and the figure's dimension:

  level          studios holding the title on 31 December, by their level that day
  kind           the same studios by kind
  category       verified results dated in the year, by category (patents are their patent rows)
  benefit        the economic benefit stated for the year (amount) and the results stating one
  studio_benefit the same by studio (own rows only: the dashboard's top studios)
  person_times   training places whose holder signed in, classes held in the year
  pairings       mentor pairings whose agreement was signed in the year

for the years of the book's window (TallyBook: from this year minus WINDOW_BACK to next year).
Each unit has its own rows (`own`) and its subtree's (the sum of the own rows of the unit and of
every unit below it).

Kept current by the writes themselves: every audited write that counts under a unit marks that
unit (TallyMark) in its own transaction (core.services.audit_log), so a mark is committed with the
data or not at all; on commit the unit is counted again (`refresh_units`): its own rows are
recounted by the definitions and the difference is added to the subtree rows of the unit and of
each unit above it, in one transaction. A write whose unit is unknown (a unit moved, a kind, a
bulk load, a migration) marks everything: the tallies are then counted from scratch (`rebuild`,
by a worker, or in the request when tasks run in-process), and until that is done the dashboards
compute their figures from the data directly. A reader never trusts a tally that may be behind:
it counts again the marked units of its subtree first, or, with too many or everything marked,
computes from the data (`dashboard_figures` returns None).
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import CharField, Count, F, Min, Sum, Value
from django.db.models.functions import Cast, Coalesce, ExtractYear, TruncDate
from django.utils import timezone

from accounts.models import Unit

from .choices import TallyFigure
from .indicators import (
    INDICATORS,
    Units,
    attended_places,
    benefit_results,
    in_subtree,
    level_at_year_end,
    named_studios,
    signed_pairings,
    verified_results,
)
from .models import Tally, TallyBook, TallyMark

logger = logging.getLogger(__name__)

WINDOW_BACK = 19  # the window's first year: this year minus 19 (the ten-year trend of the picker's oldest year)
READ_REFRESH_LIMIT = 20  # more units marked in a reader's subtree: computed from the data, a worker catches up
REBUILD_LOCK_SECONDS = 30 * 60
LOCK_CLASS = 7_351_201  # pg advisory lock space of the tallies: (class, 0) the whole book, (class, unit) a unit

# The models whose rows the tallies count from, or count by (tests/reports/test_tallies.py checks
# the list against the tables the counting queries read). An audited write to one of them that is
# not scoped to a unit (a unit moved, a studio deleted) marks every tally; writes to other models
# (users, people, alliances, reports …) cannot change a tally and mark none.
SOURCES = frozenset(
    {
        "accounts.Unit",
        "studios.Studio",
        "studios.StudioKind",
        "studios.LevelRecord",
        "achievements.Result",
        "training.TrainingClass",
        "training.Session",
        "training.Enrolment",
        "training.Attendance",
        "mentoring.Pairing",
    }
)

Key = tuple[str, int, str]  # (figure, year, dimension value)


def window(today: datetime.date | None = None) -> tuple[int, int]:
    year = (today or timezone.localdate()).year
    return year - WINDOW_BACK, year + 1


# --------------------------------------------------------------------------------------------
# Counting: the indicators' definitions, for units' own rows, by unit, year and dimension


def _counts(scope: Units, first: int, last: int) -> list[tuple[object, dict[str, str]]]:
    """(queryset, {figure: the column holding its dimension value}) pairs: each queryset gives
    t_unit, t_year, t_items, t_amount and the dimension columns, grouped finer than or as the
    figures (the studios' level and kind together: one query for both)."""
    from studios.models import Studio

    zero = Value(0)
    counted = []
    # Studios at each year's end: from the year the scope's first studio was named (none before).
    named_from = Studio.objects.filter(in_subtree(scope, "unit")).aggregate(
        first=Min(Coalesce("named_on", TruncDate("created_at")))
    )["first"]
    if named_from is not None and named_from.year <= last:
        years = range(max(first, named_from.year), last + 1)
        parts = [
            named_studios(y, scope)
            .values(t_unit=F("unit_id"), t_level=level_at_year_end(y), t_kind=Cast("kind_id", CharField(max_length=40)))
            .annotate(t_year=Value(y), t_items=Count("pk"), t_amount=zero)
            for y in years
        ]
        counted.append(
            (parts[0].union(*parts[1:], all=True), {TallyFigure.LEVEL: "t_level", TallyFigure.KIND: "t_kind"})
        )
    counted += [
        (
            verified_results(first, scope, last)
            .values(t_unit=F("studio__unit_id"), t_year=ExtractYear("achieved_on"), t_key=F("category"))
            .annotate(t_items=Count("pk"), t_amount=zero),
            {TallyFigure.CATEGORY: "t_key"},
        ),
        (
            benefit_results(first, scope, last)
            .values(
                t_unit=F("studio__unit_id"),
                t_year=F("benefit_year"),
                t_key=Cast("studio_id", output_field=CharField(max_length=40)),
            )
            .annotate(t_items=Count("pk"), t_amount=Sum("benefit")),
            {TallyFigure.BENEFIT: "t_none", TallyFigure.STUDIO_BENEFIT: "t_key"},
        ),
        (
            attended_places(first, scope, last)
            .values(t_unit=F("training_class__organiser_id"), t_year=ExtractYear("training_class__starts_on"))
            .annotate(t_items=Count("pk"), t_amount=zero),
            {TallyFigure.PERSON_TIMES: "t_none"},
        ),
        (
            signed_pairings(first, scope, last)
            .values(t_unit=F("unit_id"), t_year=ExtractYear("agreement_on"))
            .annotate(t_items=Count("pk"), t_amount=zero),
            {TallyFigure.PAIRINGS: "t_none"},
        ),
    ]
    return counted


def count_own(unit_ids: tuple[int, ...], first: int, last: int) -> dict[int, dict[Key, tuple[int, Decimal]]]:
    """{unit: {(figure, year, key): (items, amount)}} of these units' own rows, by the definitions."""
    counted: dict[int, dict[Key, list]] = defaultdict(lambda: defaultdict(lambda: [0, Decimal(0)]))
    for rows, figures in _counts(Units(tuple(unit_ids)), first, last):
        for row in rows:
            for figure, column in figures.items():
                key = row.get(column)
                into = counted[row["t_unit"]][(str(figure), int(row["t_year"]), "" if key is None else str(key))]
                into[0] += int(row["t_items"] or 0)
                into[1] += Decimal(row["t_amount"] or 0)
    return {
        unit: {key: (items, amount) for key, (items, amount) in keys.items() if items or amount}
        for unit, keys in counted.items()
    }


# --------------------------------------------------------------------------------------------
# Marks


def mark_unit(unit_id: int | None) -> None:
    """Mark a unit (None: everything) to be counted again. In the writing transaction."""
    TallyMark.objects.create(unit_id=unit_id)


def mark_all() -> None:
    mark_unit(None)


def _lock(unit_id: int | None) -> None:
    """Counting a unit again waits for a rebuild (and for another count of the same unit); a
    rebuild waits for every count under way. PostgreSQL advisory locks, released at commit; other
    databases serialise writers themselves."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if unit_id is None:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [LOCK_CLASS])
        else:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, 0)", [LOCK_CLASS])
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, unit_id])


# --------------------------------------------------------------------------------------------
# Counting a unit again, and everything from scratch


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _add_to_subtrees(deltas: list[tuple[int, str, int, str, int, Decimal]]) -> None:
    """Add (unit, figure, year, key, items, amount) to the subtree rows (creating them), in one
    statement per batch, in a fixed order (concurrent counts of two units under the same parent
    never wait on each other crosswise)."""
    table = _q(Tally._meta.db_table)
    sql = (
        f"INSERT INTO {table} (unit_id, own, figure, year, {_q('key')}, items, amount) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s, %s, %s) "
        f"ON CONFLICT (unit_id, own, figure, year, {_q('key')}) DO UPDATE "
        f"SET items = {table}.items + EXCLUDED.items, amount = {table}.amount + EXCLUDED.amount"
    )
    rows = sorted(deltas, key=lambda d: d[:4])
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(u, False, f, y, k, i, a) for u, f, y, k, i, a in rows])


def refresh_units(unit_ids, *, book: TallyBook | None = None) -> int:
    """Count these units again (each in its own transaction): their own rows by the definitions,
    and the difference added to the subtree rows of the unit and every unit above it. Returns how
    many units' rows changed. Nothing to do before the first rebuild (no book).

    A unit is counted only while it is still marked: its marks are deleted under the unit's lock
    before counting, so a unit without one was counted since its last write committed (by the same
    commit's earlier write — an import of 500 results in one unit counts it once, not 500 times —,
    a reader, or the sweep), and that count saw the write."""
    book = book or TallyBook.objects.first()
    changed = 0
    for unit_id in sorted({u for u in unit_ids if u is not None}):
        with transaction.atomic():
            _lock(unit_id)
            if not TallyMark.objects.filter(unit_id=unit_id).delete()[0]:
                continue
            if book is None:
                continue
            path = Unit.objects.filter(pk=unit_id).values_list("path", flat=True).first()
            if path is None:
                continue
            new = count_own((unit_id,), book.first_year, book.last_year).get(unit_id, {})
            old = {
                (t.figure, t.year, t.key): (t.items, t.amount)
                for t in Tally.objects.filter(unit_id=unit_id, own=True).only(
                    "figure", "year", "key", "items", "amount"
                )
            }
            if new == old:
                continue
            changed += 1
            Tally.objects.filter(unit_id=unit_id, own=True).delete()
            Tally.objects.bulk_create(
                Tally(unit_id=unit_id, own=True, figure=f, year=y, key=k, items=i, amount=a)
                for (f, y, k), (i, a) in new.items()
            )
            delta = {}
            for key in set(new) | set(old):
                if key[0] == TallyFigure.STUDIO_BENEFIT:
                    continue
                (ni, na), (oi, oa) = new.get(key, (0, Decimal(0))), old.get(key, (0, Decimal(0)))
                if ni != oi or na != oa:
                    delta[key] = (ni - oi, na - oa)
            if not delta:
                continue
            from core.services import ancestor_paths

            above = list(Unit.objects.filter(path__in=ancestor_paths(path)).values_list("pk", flat=True))
            _add_to_subtrees([(u, f, y, k, i, a) for u in above for (f, y, k), (i, a) in delta.items()])
            Tally.objects.filter(unit_id__in=above, own=False, items=0, amount=0).delete()
    return changed


def rebuild(today: datetime.date | None = None) -> TallyBook:
    """Count every tally from scratch for the window of `today`'s year: INSERT … SELECT of each
    definition's grouped rows (the database counts; Python never holds the rows), then the subtree
    rows level by level. One transaction: readers see the old book until it commits (and compute
    from the data while everything is marked)."""
    first, last = window(today)
    table = _q(Tally._meta.db_table)
    units = _q(Unit._meta.db_table)
    with transaction.atomic():
        _lock(None)
        TallyMark.objects.all().delete()
        Tally.objects.all().delete()
        with connection.cursor() as cursor:
            for rows, figures in _counts(Units(None), first, last):
                sql, params = rows.query.get_compiler(connection=connection).as_sql()
                for figure, column in figures.items():
                    key = "''" if column == "t_none" else f"COALESCE(CAST(f.{column} AS VARCHAR(40)), '')"
                    group = "" if column == "t_none" else f", {key}"
                    cursor.execute(
                        f"INSERT INTO {table} (unit_id, own, figure, year, {_q('key')}, items, amount) "  # noqa: S608
                        f"SELECT f.t_unit, %s, %s, f.t_year, {key}, SUM(f.t_items), SUM(COALESCE(f.t_amount, 0)) "
                        f"FROM ({sql}) f GROUP BY f.t_unit, f.t_year{group} "
                        "HAVING SUM(f.t_items) <> 0 OR SUM(COALESCE(f.t_amount, 0)) <> 0",
                        [True, str(figure), *params],
                    )
            depth = Unit.objects.order_by("-depth").values_list("depth", flat=True).first() or 0
            for level in range(1, depth + 1):
                cursor.execute(
                    f"INSERT INTO {table} (unit_id, own, figure, year, {_q('key')}, items, amount) "  # noqa: S608
                    f"SELECT a.id, %s, t.figure, t.year, t.{_q('key')}, SUM(t.items), SUM(t.amount) "
                    f"FROM {table} t JOIN {units} u ON u.id = t.unit_id "
                    f"JOIN {units} a ON a.path = SUBSTR(u.path, 1, %s) "
                    "WHERE t.own = %s AND t.figure <> %s AND u.depth >= %s "
                    f"GROUP BY a.id, t.figure, t.year, t.{_q('key')}",
                    [False, level * Unit.steplen, True, str(TallyFigure.STUDIO_BENEFIT), level],
                )
            if connection.vendor == "postgresql":
                # The planner's statistics of the table just filled (autovacuum comes later): with
                # the old ones a top-ten read sorted every studio's row instead of reading ten
                # along the amount index (3.8 → 0.1 ms at tier P).
                cursor.execute(f"ANALYZE {table}")
        TallyBook.objects.all().delete()
        return TallyBook.objects.create(first_year=first, last_year=last, counted_at=timezone.now())


def _ask(lock: str, task_name: str, inline) -> None:
    """Have a worker do `inline` (one task at a time: a lock in the cache), or do it in this
    request when tasks run in-process."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        inline()
        return
    if cache.add(lock, 1, timeout=REBUILD_LOCK_SECONDS):
        from . import tasks

        try:
            getattr(tasks, task_name).delay()
        except Exception:  # the broker is down: the next reader asks again
            logger.warning("Could not send %s", task_name, exc_info=True)
            cache.delete(lock)


def rebuild_asked() -> None:
    """Everything is marked, or the window has moved: count from scratch."""
    _ask("tallies:rebuilding", "tallies_rebuild_task", rebuild)


def sweep_asked() -> None:
    """More units marked than a reader counts again: count every marked unit again."""
    _ask("tallies:sweeping", "tallies_sweep_task", sweep)


def sweep() -> int:
    """Count again every unit marked (after a rebuild when everything is marked or the window has
    moved): what the writes' own counting left (a worker that died between commit and count, too
    many at once for a reader). Returns how many units' rows changed."""
    book = TallyBook.objects.first()
    if book is None or window() != (book.first_year, book.last_year) or TallyMark.objects.filter(unit=None).exists():
        rebuild()
        return 0
    return refresh_units(set(TallyMark.objects.values_list("unit_id", flat=True).distinct()), book=book)


def rebuild_task_body() -> bool:
    """The worker's rebuild: does nothing when nothing is marked for everything and the window
    is current (another worker did it). Returns whether it counted."""
    try:
        book = TallyBook.objects.first()
        if (
            book is not None
            and (book.first_year, book.last_year) == window()
            and not TallyMark.objects.filter(unit__isnull=True).exists()
        ):
            return False
        rebuild()
        return True
    finally:
        cache.delete("tallies:rebuilding")


def sweep_task_body() -> int:
    try:
        return sweep()
    finally:
        cache.delete("tallies:sweeping")


# --------------------------------------------------------------------------------------------
# Reading: the dashboard's figures


def _book_and_marks(unit: Unit) -> tuple[TallyBook | None, list[int | None]]:
    """The book, and the units of `unit`'s subtree that are marked (None first: everything is
    marked), at most READ_REFRESH_LIMIT + 1 of them: one statement."""
    sql = f"""
        SELECT 0, b.id, b.first_year, b.last_year FROM (
            SELECT id, first_year, last_year FROM {_q(TallyBook._meta.db_table)} ORDER BY id LIMIT 1
        ) b
        UNION ALL
        SELECT 1, m.unit_id, NULL, NULL FROM (
            SELECT mark.unit_id FROM {_q(TallyMark._meta.db_table)} mark
            LEFT JOIN {_q(Unit._meta.db_table)} u ON u.id = mark.unit_id
            WHERE mark.unit_id IS NULL OR u.path LIKE %s
            GROUP BY mark.unit_id ORDER BY mark.unit_id NULLS FIRST LIMIT %s
        ) m
    """  # noqa: S608 - table names only; values go as parameters
    book, marked = None, []
    with connection.cursor() as cursor:
        cursor.execute(sql, [unit.path + "%", READ_REFRESH_LIMIT + 1])
        for part, pk, first_year, last_year in cursor.fetchall():
            if part == 0:
                book = TallyBook(pk=pk, first_year=first_year, last_year=last_year)
            else:
                marked.append(pk)
    marked.sort(key=lambda pk: (pk is not None, pk or 0))
    return book, marked


def current_book(first_year: int, last_year: int, unit: Unit) -> TallyBook | None:
    """The book (its years), if the tallies of `unit`'s subtree can be read for these years now,
    after counting again the subtree's marked units (a few; more are left to a worker). None:
    compute from the data this time (a rebuild or a sweep is asked for)."""
    book, marked = _book_and_marks(unit)
    if book is None or window() != (book.first_year, book.last_year) or (marked and marked[0] is None):
        rebuild_asked()
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            return None
        book, marked = _book_and_marks(unit)
        if book is None:
            return None
    if first_year < book.first_year or last_year > book.last_year:
        return None
    if len(marked) > READ_REFRESH_LIMIT:
        sweep_asked()
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            return None
    elif marked:
        refresh_units(marked, book=book)
    return book


class Figures(NamedTuple):
    """The dashboard's figures: its indicators' results, the ten-year trends, the top studios, and
    the ids of the units its economic benefit is broken down by ({path: id})."""

    indicators: dict
    trends: dict
    top_studios: list[dict]
    unit_ids: dict[str, int]


CENT = Decimal("0.01")


def _decimal(value) -> Decimal:
    """An amount as a raw cursor gives it: a Decimal from PostgreSQL, a number from SQLite."""
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value or 0)).quantize(CENT)


def _read(year: int, unit: Unit, first_year: int) -> dict[str, list[tuple]]:
    """Everything the dashboard reads from the tallies, in one statement: the subtree rows of
    `unit` for the years (r), the economic benefit of the units one level down and of the unit's
    own (b), the top studios by benefit with their names (s), and the studio kinds' names (k)."""
    from studios.models import Studio, StudioKind

    from .dashboard import TOP_STUDIOS

    tally, units = _q(Tally._meta.db_table), _q(Unit._meta.db_table)
    key = _q("key")
    sql = f"""
        SELECT 'r', figure, {key}, year, items, amount, NULL FROM {tally}
        WHERE unit_id = %s AND NOT own AND year BETWEEN %s AND %s
        UNION ALL
        SELECT 'b', u.path, NULL, u.id, t.items, t.amount, u.name FROM {units} u
        JOIN {tally} t ON t.unit_id = u.id AND NOT t.own AND t.figure = %s AND t.year = %s
        WHERE u.path LIKE %s AND u.depth = %s
        UNION ALL
        SELECT 'b', u.path, NULL, u.id, t.items, t.amount, u.name FROM {tally} t
        JOIN {units} u ON u.id = t.unit_id
        WHERE t.unit_id = %s AND t.own AND t.figure = %s AND t.year = %s
        UNION ALL
        SELECT 's', su.name, NULL, top.studio, top.items, top.amount, s.name FROM (
            SELECT CAST(t.{key} AS INTEGER) AS studio, t.items, t.amount FROM {tally} t
            JOIN {units} u ON u.id = t.unit_id
            WHERE u.path LIKE %s AND t.own AND t.figure = %s AND t.year = %s
            ORDER BY t.amount DESC, CAST(t.{key} AS INTEGER) LIMIT %s
        ) top
        LEFT JOIN {_q(Studio._meta.db_table)} s ON s.id = top.studio
        LEFT JOIN {units} su ON su.id = s.unit_id
        UNION ALL
        SELECT 'k', NULL, NULL, id, NULL, NULL, name FROM {_q(StudioKind._meta.db_table)}
    """  # noqa: S608 - table and column names only; values go as parameters
    params = [
        unit.pk,
        first_year,
        year,
        TallyFigure.BENEFIT.value,
        year,
        unit.path + "%",
        unit.depth + 1,
        unit.pk,
        TallyFigure.BENEFIT.value,
        year,
        unit.path + "%",
        TallyFigure.STUDIO_BENEFIT.value,
        year,
        TOP_STUDIOS,
    ]
    parts = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for part, *row in cursor.fetchall():
            parts[part].append(row)
    return parts


def dashboard_figures(year: int, unit: Unit, first_year: int) -> Figures | None:
    """The dashboard's figures from the tallies, shaped as reports.dashboard computes them from the
    data; None when the tallies cannot be read now. Two statements (_book_and_marks, _read) when
    no unit of the subtree is marked."""
    from achievements.choices import ResultCategory

    if current_book(first_year, year, unit) is None:
        return None
    parts = _read(year, unit, first_year)
    by = defaultdict(dict)
    for figure, key, y, items, amount, _name in parts["r"]:
        by[(figure, y)][key] = (items, _decimal(amount))

    def this_year(figure):
        return by.get((figure, year), {})

    patents = set(ResultCategory.patents())
    kinds = {pk: name for _a, _b, pk, _i, _m, name in parts["k"]}
    # The economic benefit by the unit one level down (its subtree rows) and the unit's own.
    below = [(path, name, items, _decimal(amount)) for path, _k, _pk, items, amount, name in parts["b"]]
    raw = {
        "studios_by_level": [
            {"level": key, "studios": items} for key, (items, _a) in this_year(TallyFigure.LEVEL).items()
        ],
        "studios_by_kind": [
            {"kind": int(key) if key else None, "kind_name": kinds.get(int(key)) if key else None, "studios": items}
            for key, (items, _a) in this_year(TallyFigure.KIND).items()
        ],
        "results_by_category": [
            {"category": key, "results": items} for key, (items, _a) in this_year(TallyFigure.CATEGORY).items()
        ],
        "patents_by_type": [
            {"category": key, "patents": items}
            for key, (items, _a) in this_year(TallyFigure.CATEGORY).items()
            if key in patents
        ],
        "economic_benefit": [
            {"unit": path, "unit_name": name, "amount": amount, "results": items} for path, name, items, amount in below
        ],
        "training_person_times": [{"person_times": this_year(TallyFigure.PERSON_TIMES).get("", (0, 0))[0]}],
        "pairings_started": [{"pairings": this_year(TallyFigure.PAIRINGS).get("", (0, 0))[0]}],
    }
    results = {code: INDICATORS[code].result(year, unit, raw[code]) for code in raw}

    years = range(first_year, year + 1)

    def total(figure, y, keys=None, amount=False):
        values = by.get((figure, y), {})
        return sum(
            ((a if amount else i) for k, (i, a) in values.items() if keys is None or k in keys),
            Decimal(0) if amount else 0,
        )

    trend = {
        "named_studios": {y: total(TallyFigure.LEVEL, y) for y in years},
        "results": {y: total(TallyFigure.CATEGORY, y) for y in years},
        "patents": {y: total(TallyFigure.CATEGORY, y, patents) for y in years},
        "benefit": {y: Decimal(total(TallyFigure.BENEFIT, y, amount=True)) for y in years},
        "person_times": {y: total(TallyFigure.PERSON_TIMES, y) for y in years},
        "pairings": {y: total(TallyFigure.PAIRINGS, y) for y in years},
    }
    top = sorted(parts["s"], key=lambda row: (-_decimal(row[4]), row[2]))
    top_studios = [
        {
            "studio": pk,
            "name": name or "",
            "unit": unit_name or "",
            "amount": _decimal(amount),
            "results": items,
        }
        for unit_name, _k, pk, items, amount, name in top
    ]
    unit_ids = {path: pk for path, _k, pk, _i, _a, _n in parts["b"]}
    return Figures(results, trend, top_studios, unit_ids)
