"""The dashboards' data (数据看板) for a year and a unit's subtree.

The figures come from reports.indicators, so the dashboard, the annual report and the exports show
the same number for the same year and scope. What is not an indicator of one year is computed here,
by aggregate queries too:

  * ten-year trends: one GROUP BY year query per figure over the ten years (tests check that every
    year of a trend equals the indicator computed for that year alone);
  * the review pipeline: the applications in each review state now, and how long applications
    stayed in each state (from the studio's recorded transitions) for the stays that ended in the
    year — average and median, in days;
  * the ten studios whose verified results state the most economic benefit for the year.

`dashboard_data(year, unit)` builds plain data (labels in the active language, numbers, links to
the filtered lists behind each figure); `dashboard_entry(year, unit)` keeps it in the cache under
the unit, the year and the language, with the statistics stamp it was computed at (core.services:
the global generation, moved by writes not scoped to a subtree, and the unit's subtree generation,
moved by every audited write to a result, studio, training class or pairing inside it), and
recomputes it when either has moved: a write in one province leaves the other provinces'
dashboards cached.
"""

from __future__ import annotations

import datetime
import logging
import re
import time
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote_plus

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear, TruncDate
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from accounts.models import Unit
from core.navigation import address
from core.services import statistics_stamp

from .indicators import (
    attended_places,
    benefit_results,
    compute_all,
    in_subtree,
    signed_pairings,
    verified_results,
    year_bounds,
)

TREND_YEARS = 10
TOP_STUDIOS = 10
CACHE_TIMEOUT = 6 * 60 * 60  # the generation invalidates; the timeout only bounds what is kept
CACHE_VERSION = 4  # 4: amounts in the reader's way of counting (English: yuan, millions)

logger = logging.getLogger(__name__)

# The indicators the dashboard shows (each computed once, for the year and the unit).
INDICATOR_CODES = (
    "studios_by_level",
    "studios_by_kind",
    "results_by_category",
    "patents_by_type",
    "economic_benefit",
    "training_person_times",
    "pairings_started",
)
# The charts, in page order; each has a table (its Excel download).
CHART_CODES = (
    "studios_by_level",
    "studios_by_kind",
    "results_by_category",
    "economic_benefit",
    "trends",
    "pipeline",
    "top_studios",
)
TABLE_CODES = ("kpis", *CHART_CODES)


def _pipeline_states():
    from studios.choices import StudioStatus as S

    # The application's road to naming, in order; returned applications wait with the applicant.
    return (S.DRAFT, S.SUBMITTED, S.RECOMMENDED, S.PUBLICISED, S.RETURNED)


# --------------------------------------------------------------------------------------------
# Links to the filtered lists behind a figure


_PLAIN = re.compile(r"[A-Za-z0-9_.~-]*")


def _query_value(value) -> str:
    if type(value) is int:  # most values: a unit's id, a year
        return str(value)
    text = str(value)
    return text if _PLAIN.fullmatch(text) else quote_plus(text)


def list_url(url_name: str, **params) -> str:
    """The list's address with `params` as its query (empty ones left out), encoded as urlencode
    does; the dashboard builds a hundred of them, mostly of numbers and codes, which need no
    quoting (urlencode quoted every key and value, a millisecond a page)."""
    query = "&".join(f"{k}={_query_value(v)}" for k, v in params.items() if v not in (None, ""))
    return f"{address(url_name)}?{query}" if query else address(url_name)


def studios_url(unit, year, **params):
    """Studios holding the title at the end of the year (the studios indicators' definition)."""
    return list_url("studios:studio_list", unit=unit.pk, title_year=year, **params)


def results_url(unit, year, **params):
    """Verified results dated in the year."""
    return list_url("achievements:result_list", unit=unit.pk, status="verified", year=year, **params)


def benefit_url(unit_pk, year):
    """Verified results stating a benefit for the year."""
    return list_url("achievements:result_list", unit=unit_pk, status="verified", benefit_year=year, benefit_min=0)


def classes_url(unit, year):
    return list_url("training:class_list", organiser=unit.pk, year=year)


def pairings_url(unit, year):
    return list_url("mentoring:pairing_list", unit=unit.pk, year=year)


# --------------------------------------------------------------------------------------------
# Aggregates that are not single-year indicators


def trend_years(year: int) -> list[int]:
    return list(range(year - TREND_YEARS + 1, year + 1))


def trends(year: int, unit: Unit) -> dict[str, dict[int, int | Decimal]]:
    """Ten years up to `year`, one GROUP BY query per figure: {series: {year: value}}.

    Each series is its indicator's definition for every year of the window (tests hold them equal):
      named_studios — studios_by_level; results, patents — results_by_category, patents_by_type;
      benefit — economic_benefit; person_times — training_person_times; pairings — pairings_started.
    """
    from achievements.choices import ResultCategory
    from studios.choices import StudioStatus
    from studios.models import Studio

    years = trend_years(year)
    first, last = years[0], years[-1]
    start, _end = year_bounds(first)
    _start, end = year_bounds(last)
    series: dict[str, dict[int, int | Decimal]] = {}

    # Studios holding the title on 31 December of each year: named by then (the naming date, else
    # the record's creation date) and not revoked by then. Grouped by (year named, year revoked),
    # then summed per year: a handful of rows whatever the number of studios.
    groups = (
        Studio.objects.order_by()
        .filter(
            in_subtree(unit, "unit"),
            status__in=(StudioStatus.NAMED, StudioStatus.RECTIFYING, StudioStatus.REVOKED),
        )
        .alias(named_from=Coalesce("named_on", TruncDate("created_at")))
        .filter(named_from__lte=end)
        .filter(~Q(status=StudioStatus.REVOKED) | Q(revoked_on__gte=start))
        .values(
            named_year=ExtractYear("named_from"),
            revoked_year=Case(
                When(status=StudioStatus.REVOKED, then=ExtractYear("revoked_on")),
                default=Value(None),
                output_field=IntegerField(),
            ),
            revoked=Case(When(status=StudioStatus.REVOKED, then=Value(1)), default=Value(0)),
        )
        .annotate(studios=Count("pk"))
    )
    groups = list(groups)
    series["named_studios"] = {
        y: sum(
            g["studios"]
            for g in groups
            if g["named_year"] <= y and (not g["revoked"] or (g["revoked_year"] is not None and g["revoked_year"] > y))
        )
        for y in years
    }

    results = (
        verified_results(first, unit, last)
        .values(year=ExtractYear("achieved_on"))
        .annotate(results=Count("pk"), patents=Count("pk", filter=Q(category__in=ResultCategory.patents())))
    )
    results = {row["year"]: row for row in results}
    series["results"] = {y: results.get(y, {}).get("results", 0) for y in years}
    series["patents"] = {y: results.get(y, {}).get("patents", 0) for y in years}

    benefit = benefit_results(first, unit, last).values("benefit_year").annotate(amount=Sum("benefit"))
    benefit = {row["benefit_year"]: Decimal(row["amount"] or 0) for row in benefit}
    series["benefit"] = {y: benefit.get(y, Decimal("0")) for y in years}

    person_times = (
        attended_places(first, unit, last)
        .values(year=ExtractYear("training_class__starts_on"))
        .annotate(person_times=Count("pk"))
    )
    person_times = {row["year"]: row["person_times"] for row in person_times}
    series["person_times"] = {y: person_times.get(y, 0) for y in years}

    pairings = (
        signed_pairings(first, unit, last).values(year=ExtractYear("agreement_on")).annotate(pairings=Count("pk"))
    )
    pairings = {row["year"]: row["pairings"] for row in pairings}
    series["pairings"] = {y: pairings.get(y, 0) for y in years}
    return series


def top_studios_by_benefit(year: int, unit: Unit, limit: int = TOP_STUDIOS) -> list[dict]:
    """The studios of the subtree whose verified results state the most economic benefit for the
    year (benefit year = the year, as in the economic benefit indicator): grouped by studio in the
    database, the largest `limit` sums only."""
    from achievements.choices import ResultStatus
    from achievements.models import Result

    rows = (
        Result.objects.order_by()
        .filter(
            in_subtree(unit, "studio__unit"), status=ResultStatus.VERIFIED, benefit_year=year, benefit__isnull=False
        )
        .values("studio_id", "studio__name", "studio__unit__name")
        .annotate(amount=Sum("benefit"), results=Count("pk"))
        .order_by("-amount", "studio_id")[:limit]
    )
    return [
        {
            "studio": row["studio_id"],
            "name": row["studio__name"],
            "unit": row["studio__unit__name"],
            "amount": Decimal(row["amount"] or 0),
            "results": row["results"],
        }
        for row in rows
    ]


def _entered_state_sql() -> tuple[str, list, list]:
    """SQL CASE: the studio state an audited studio event enters (create → draft, each transition
    → its target), from the transitions' registry."""
    from core.choices import AuditAction
    from studios.choices import StudioStatus
    from studios.services import TRANSITIONS

    entered = {AuditAction.CREATE.value: StudioStatus.DRAFT.value}
    entered.update({f"studio_{name}": str(t.target) for name, t in TRANSITIONS.items()})
    sql = "CASE e.action " + " ".join("WHEN %s THEN %s" for _ in entered) + " END"
    params = [item for pair in entered.items() for item in pair]
    return sql, params, list(entered)


def review_pipeline(year: int, unit: Unit) -> list[dict]:
    """For each review state (draft, submitted, recommended, publicised, returned): the subtree's
    applications in it now, and the stays in it that ended in the year (the studio moved on by a
    recorded transition) with their average and median length in days.

    One statement: a GROUP BY status, beside a reading of the studios' transition events (window
    functions: the previous event of the same studio opened the stay; the median by row numbers)."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import AuditEvent
    from studios.models import Studio

    states = [str(s) for s in _pipeline_states()]

    tz = timezone.get_current_timezone()
    year_start = datetime.datetime(year, 1, 1, tzinfo=tz)
    next_start = datetime.datetime(year + 1, 1, 1, tzinfo=tz)
    adapt = connection.ops.adapt_datetimefield_value
    if connection.vendor == "postgresql":
        seconds = "EXTRACT(EPOCH FROM (left_at - entered_at))"
    else:
        seconds = "(julianday(left_at) - julianday(entered_at)) * 86400.0"
    case_sql, case_params, actions = _entered_state_sql()
    q = connection.ops.quote_name
    # Only table names, the per-database seconds expression and placeholders are put into the text;
    # every value goes as a parameter.
    sql = f"""
        WITH subtree AS (
            SELECT CAST(s.id AS VARCHAR(64)) AS object_id
            FROM {q(Studio._meta.db_table)} s JOIN {q(Unit._meta.db_table)} u ON u.id = s.unit_id
            WHERE u.path LIKE %s
        ), steps AS (
            SELECT e.created_at AS left_at,
                   LAG(e.created_at) OVER (PARTITION BY e.object_id ORDER BY e.created_at, e.id) AS entered_at,
                   LAG({case_sql}) OVER (PARTITION BY e.object_id ORDER BY e.created_at, e.id) AS state
            FROM {q(AuditEvent._meta.db_table)} e
            WHERE e.content_type_id = %s AND e.action IN ({", ".join(["%s"] * len(actions))})
              AND e.created_at < %s AND e.object_id IN (SELECT object_id FROM subtree)
        ), stays AS (
            SELECT state, {seconds} / 86400.0 AS days FROM steps
            WHERE entered_at IS NOT NULL AND left_at >= %s AND state IN ({", ".join(["%s"] * len(states))})
        ), ranked AS (
            SELECT state, days,
                   ROW_NUMBER() OVER (PARTITION BY state ORDER BY days) AS rn,
                   COUNT(*) OVER (PARTITION BY state) AS stay_count
            FROM stays
        )
        SELECT 1, state, MAX(stay_count), AVG(days),
               AVG(CASE WHEN rn IN ((stay_count + 1) / 2, (stay_count + 2) / 2) THEN days END)
        FROM ranked GROUP BY state
        UNION ALL
        SELECT 0, s.status, COUNT(*), NULL, NULL
        FROM {q(Studio._meta.db_table)} s JOIN {q(Unit._meta.db_table)} u ON u.id = s.unit_id
        WHERE u.path LIKE %s AND s.status IN ({", ".join(["%s"] * len(states))})
        GROUP BY s.status
    """  # noqa: S608
    params = [
        unit.path + "%",
        *case_params,
        ContentType.objects.get_for_model(Studio).pk,
        *actions,
        adapt(next_start),
        adapt(year_start),
        *states,
        unit.path + "%",
        *states,
    ]
    now, stays = {}, {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for part, state, count, avg, median in cursor.fetchall():
            if part == 0:
                now[state] = count
            else:
                stays[state] = (count, avg, median)
    rows = []
    for state in _pipeline_states():
        count, avg, median = stays.get(str(state), (0, None, None))
        rows.append(
            {
                "state": str(state),
                "label": str(state.label),
                "now": now.get(str(state), 0),
                "stays": int(count or 0),
                "average_days": round(float(avg), 1) if avg is not None else None,
                "median_days": round(float(median), 1) if median is not None else None,
            }
        )
    return rows


# --------------------------------------------------------------------------------------------
# Numbers as shown


def money_display(amount) -> tuple[str, str]:
    """(figure, unit) for an amount in yuan, as its readers count: in Chinese 万元 from ten thousand
    up; in English whole yuan, in millions from a million up ("9.80 ten thousand yuan" reads as
    nothing in English)."""
    amount = Decimal(amount or 0)
    if get_language().startswith("zh"):
        if abs(amount) >= 10000:
            return f"{amount / 10000:,.2f}", pgettext("unit of measure", "ten thousand yuan")
        return f"{amount:,.2f}", pgettext("unit of measure", "yuan")
    if abs(amount) >= 1_000_000:
        return f"{amount / 1_000_000:,.2f}", pgettext("unit of measure", "million yuan")
    return f"{amount:,.0f}", pgettext("unit of measure", "yuan")


def change(value, previous) -> dict:
    """The change from last year: direction (up, down, flat), percent (None when last year had
    nothing to compare with) and its size without the sign (what the ▲/▼ card shows)."""
    value, previous = Decimal(value or 0), Decimal(previous or 0)
    direction = "up" if value > previous else "down" if value < previous else "flat"
    percent = None if previous == 0 else round(float((value - previous) / previous * 100), 1)
    return {"direction": direction, "percent": percent, "magnitude": None if percent is None else abs(percent)}


def _float(value) -> float | int:
    return float(value) if isinstance(value, Decimal) else value


def _ten_thousands(amount) -> float:
    return round(float(Decimal(amount or 0) / 10000), 2)


def _indicator_table(result) -> dict:
    header = [str(d.label) for d in result.dimensions] + [str(m.label) for m in result.measures]
    rows = [[*row.labels, *(_float(row.values[m.code]) for m in result.measures)] for row in result.rows]
    total = [
        _("Total"),
        *([""] * (len(result.dimensions) - 1)),
        *(_float(result.totals[m.code]) for m in result.measures),
    ]
    return {"title": str(result.label), "header": header, "rows": [*rows, total]}


# --------------------------------------------------------------------------------------------
# The page's data


def dashboard_figures(year: int, unit: Unit):
    """The dashboard's figures (reports.tallies.Figures: indicators, ten-year trends, top studios,
    the ids of the units the benefit is broken down by): read from the tallies (counted by the
    same definitions and kept current by every write), or, when they cannot be read now (being
    counted from scratch, a year outside their window), computed from the data."""
    from .tallies import Figures
    from .tallies import dashboard_figures as tallied

    if settings.DASHBOARD_TALLIES:
        figures = tallied(year, unit, trend_years(year)[0])
        if figures is not None:
            return figures
    results = compute_all(year, unit, codes=INDICATOR_CODES)
    paths = [row.keys[0] for row in results["economic_benefit"].rows]
    unit_ids = dict(Unit.objects.filter(path__in=paths).values_list("path", "pk")) if paths else {}
    return Figures(results, trends(year, unit), top_studios_by_benefit(year, unit), unit_ids)


def dashboard_data(year: int, unit: Unit) -> dict:
    """Everything the dashboard shows for the year and the unit's subtree, as plain data."""
    results, trend, top, unit_pks = dashboard_figures(year, unit)
    pipeline = review_pipeline(year, unit)
    previous_year = year - 1

    # KPI cards: (code, indicator, trend series, link)
    kpi_specs = (
        ("named_studios", _("Named studios"), "studios_by_level", "named_studios", studios_url(unit, year)),
        ("verified_results", _("Verified results"), "results_by_category", "results", results_url(unit, year)),
        ("economic_benefit", _("Economic benefit"), "economic_benefit", "benefit", benefit_url(unit.pk, year)),
        ("patents", _("Patents"), "patents_by_type", "patents", results_url(unit, year, patent="true")),
        (
            "training_person_times",
            _("Training person-times"),
            "training_person_times",
            "person_times",
            classes_url(unit, year),
        ),
        ("pairings", _("Mentor pairings started"), "pairings_started", "pairings", pairings_url(unit, year)),
    )
    kpis = []
    for code, label, indicator_code, series, url in kpi_specs:
        result = results[indicator_code]
        value, previous = result.value, trend[series][previous_year]
        if code == "economic_benefit":
            display, measure = money_display(value)
        else:
            display, measure = f"{value:,}", str(result.measures[0].unit)
        kpis.append(
            {
                "code": code,
                "label": label,
                "indicator": indicator_code,
                "value": value,
                "previous": previous,
                "display": display,
                "unit": measure,
                "change": change(value, previous),
                "url": url,
            }
        )

    charts, tables = {}, {}
    tables["kpis"] = {
        "title": _("Key figures"),
        "header": [_("Key figure"), _("Unit of measure"), str(year), str(previous_year), _("Change (%)")],
        "rows": [
            [
                k["label"],
                pgettext("unit of measure", "yuan") if k["code"] == "economic_benefit" else k["unit"],
                _float(k["value"]),
                _float(k["previous"]),
                k["change"]["percent"] if k["change"]["percent"] is not None else "",
            ]
            for k in kpis
        ],
    }

    by_level = results["studios_by_level"]
    charts["studios_by_level"] = {
        "type": "bar",
        "title": str(by_level.label),
        "units": [str(by_level.measures[0].unit)],
        "categories": [row.labels[0] for row in by_level.rows],
        "series": [
            {
                "name": str(by_level.measures[0].label),
                "data": [
                    {"value": row["studios"], "url": studios_url(unit, year, level=row.keys[0] or "")}
                    for row in by_level.rows
                ],
            }
        ],
    }
    by_kind = results["studios_by_kind"]
    charts["studios_by_kind"] = {
        "type": "pie",
        "title": str(by_kind.label),
        "units": [str(by_kind.measures[0].unit)],
        "categories": [row.labels[0] for row in by_kind.rows],
        "series": [
            {
                "name": str(by_kind.measures[0].label),
                "data": [
                    {"name": row.labels[0], "value": row["studios"], "url": studios_url(unit, year, kind=row.keys[0])}
                    for row in by_kind.rows
                ],
            }
        ],
    }
    by_category = results["results_by_category"]
    charts["results_by_category"] = {
        "type": "bar",
        "title": str(by_category.label),
        "units": [str(by_category.measures[0].unit)],
        "categories": [row.labels[0] for row in by_category.rows],
        "series": [
            {
                "name": str(by_category.measures[0].label),
                "data": [
                    {"value": row["results"], "url": results_url(unit, year, category=row.keys[0])}
                    for row in by_category.rows
                ],
            }
        ],
    }
    benefit = results["economic_benefit"]
    charts["economic_benefit"] = {
        "type": "hbar",
        "title": _("Economic benefit by unit"),
        "units": [pgettext("unit of measure", "ten thousand yuan")],
        "categories": [row.labels[0] for row in benefit.rows],
        "series": [
            {
                "name": _("Economic benefit (ten thousand yuan)"),
                "data": [
                    {"value": _ten_thousands(row["amount"]), "url": benefit_url(unit_pks.get(row.keys[0]), year)}
                    for row in benefit.rows
                ],
            }
        ],
    }
    for code in ("studios_by_level", "studios_by_kind", "results_by_category"):
        tables[code] = _indicator_table(results[code])
    tables["economic_benefit"] = {**_indicator_table(benefit), "title": _("Economic benefit by unit")}

    years = trend_years(year)
    trend_specs = (
        ("named_studios", _("Named studios (year end)"), 0, lambda y: studios_url(unit, y)),
        ("results", _("Verified results"), 0, lambda y: results_url(unit, y)),
        ("patents", _("Patents"), 0, lambda y: results_url(unit, y, patent="true")),
        ("person_times", _("Training person-times"), 0, lambda y: classes_url(unit, y)),
        ("pairings", _("Mentor pairings started"), 0, lambda y: pairings_url(unit, y)),
        ("benefit", _("Economic benefit (ten thousand yuan)"), 1, lambda y: benefit_url(unit.pk, y)),
    )
    charts["trends"] = {
        "type": "line",
        "title": _("Ten-year trends"),
        "units": [_("Number of items"), pgettext("unit of measure", "ten thousand yuan")],
        "categories": [str(y) for y in years],
        "series": [
            {
                "name": name,
                "axis": axis,
                "data": [
                    {
                        "value": _ten_thousands(trend[code][y]) if code == "benefit" else trend[code][y],
                        "url": link(y),
                    }
                    for y in years
                ],
            }
            for code, name, axis, link in trend_specs
        ],
    }
    tables["trends"] = {
        "title": _("Ten-year trends"),
        "header": [_("Year"), *(name for _code, name, _axis, _link in trend_specs[:-1]), _("Economic benefit (yuan)")],
        "rows": [[y, *(_float(trend[code][y]) for code, *_rest in trend_specs)] for y in years],
    }

    charts["pipeline"] = {
        "type": "pipeline",
        "title": _("Review pipeline"),
        "units": [pgettext("unit of measure", "days"), pgettext("unit of measure", "applications")],
        "categories": [row["label"] for row in pipeline],
        "series": [
            {
                "name": _("Average days in the state"),
                "axis": 0,
                "data": [
                    {
                        "value": row["average_days"],
                        "url": list_url("studios:studio_list", unit=unit.pk, status=row["state"]),
                    }
                    for row in pipeline
                ],
            },
            {
                "name": _("Median days in the state"),
                "axis": 0,
                "data": [
                    {
                        "value": row["median_days"],
                        "url": list_url("studios:studio_list", unit=unit.pk, status=row["state"]),
                    }
                    for row in pipeline
                ],
            },
            {
                "name": _("Applications in the state now"),
                "axis": 1,
                "line": True,
                "data": [
                    {"value": row["now"], "url": list_url("studios:studio_list", unit=unit.pk, status=row["state"])}
                    for row in pipeline
                ],
            },
        ],
    }
    tables["pipeline"] = {
        "title": _("Review pipeline"),
        "header": [
            _("Review step"),
            _("Applications in the state now"),
            _("Stays ended in the year"),
            _("Average days in the state"),
            _("Median days in the state"),
        ],
        "rows": [
            [
                row["label"],
                row["now"],
                row["stays"],
                "" if row["average_days"] is None else row["average_days"],
                "" if row["median_days"] is None else row["median_days"],
            ]
            for row in pipeline
        ],
    }

    charts["top_studios"] = {
        "type": "hbar",
        "title": _("Top studios by economic benefit"),
        "units": [pgettext("unit of measure", "ten thousand yuan")],
        "categories": [row["name"] for row in top],
        "series": [
            {
                "name": _("Economic benefit (ten thousand yuan)"),
                "data": [
                    {
                        "value": _ten_thousands(row["amount"]),
                        "url": reverse("studios:studio_detail", args=[row["studio"]]),
                    }
                    for row in top
                ],
            }
        ],
    }
    tables["top_studios"] = {
        "title": _("Top studios by economic benefit"),
        "header": [_("Rank"), _("Studio"), _("Unit"), _("Economic benefit (yuan)"), _("Results")],
        "rows": [
            [rank, row["name"], row["unit"], float(row["amount"]), row["results"]] for rank, row in enumerate(top, 1)
        ],
    }
    for code, chart in charts.items():
        chart["code"] = code
        chart["empty"] = not any(item["value"] for series in chart["series"] for item in series["data"])

    return {
        "year": year,
        "unit": {"id": unit.pk, "name": unit.name},
        "kpis": kpis,
        "charts": charts,
        "tables": tables,
        "pipeline": pipeline,
        "top_studios": top,
        "trends": trend,
    }


def cache_key(year: int, unit: Unit, language: str | None = None) -> str:
    """One entry per unit, year and language; the entry records the statistics stamp (global and
    subtree generations) it was computed at."""
    return f"dashboard:v{CACHE_VERSION}:{unit.pk}:{year}:{language or get_language()}"


@dataclass(frozen=True)
class DashboardEntry:
    """The dashboard's data with when it was computed, and whether data has changed since."""

    data: dict
    computed_at: datetime.datetime
    seconds: float  # how long computing it took
    stale: bool = False  # computed before the latest audited write; a worker is recomputing it


def _compute(year: int, unit: Unit, stamp: list[int] | None = None) -> dict:
    """Compute and store the entry. The stamp is read before computing (here, or by the caller,
    earlier): a write that lands while the figures are computed leaves the entry stale, never
    newer than it is."""
    if stamp is None:
        stamp = list(statistics_stamp(unit.path))
    started = time.perf_counter()
    data = dashboard_data(year, unit)
    entry = {
        "stamp": stamp,
        "data": data,
        "computed_at": timezone.now(),
        "seconds": time.perf_counter() - started,
    }
    cache.set(cache_key(year, unit), entry, CACHE_TIMEOUT)
    return entry


def _entry(raw: dict, *, stale: bool = False) -> DashboardEntry:
    return DashboardEntry(data=raw["data"], computed_at=raw["computed_at"], seconds=raw["seconds"], stale=stale)


def dashboard_entry(year: int, unit: Unit, stamp: list[int] | None = None) -> DashboardEntry:
    """dashboard_data through the cache (Redis in production), never hiding a change for long.

    Fresh (computed at the subtree's current statistics stamp): served. Stale (an audited write
    in the subtree since, or a global one): recomputed in the request when the last computation
    was quick (DASHBOARD_INLINE_SECONDS), so a
    cadre sees a change at once; when it was slow (the root of a national tree, where some write
    lands every few seconds and every viewer would wait), the last figures are served, marked with
    their time, and one worker task recomputes them (a lock in the cache: however many people open
    the page, one recomputation at a time; a lost task is sent again when the lock expires). With
    tasks run in-process (no broker configured), or when the broker cannot be reached, stale
    figures are recomputed in the request.

    `stamp`: the subtree's statistics stamp (global, subtree generation) when the caller has just
    read it (the kept page's lookup), else it is read here.
    """
    key = cache_key(year, unit)
    raw = cache.get(key)
    if stamp is None:
        stamp = list(statistics_stamp(unit.path))
    if raw is None:
        return _entry(_compute(year, unit, stamp))
    if raw["stamp"] == stamp:
        return _entry(raw)
    if raw["seconds"] < settings.DASHBOARD_INLINE_SECONDS or settings.CELERY_TASK_ALWAYS_EAGER:
        return _entry(_compute(year, unit, stamp))
    if cache.add(f"{key}:refreshing", 1, timeout=settings.DASHBOARD_REFRESH_LOCK_SECONDS):
        from .tasks import dashboard_refresh_task

        try:
            dashboard_refresh_task.delay(year, unit.pk, get_language())
        except Exception:  # the broker is down: nobody else will recompute it
            logger.warning("Could not send the dashboard refresh; recomputing in the request", exc_info=True)
            cache.delete(f"{key}:refreshing")
            return _entry(_compute(year, unit, stamp))
    return _entry(raw, stale=True)


def dashboard_cached(year: int, unit: Unit) -> dict:
    """The dashboard's data (see dashboard_entry)."""
    return dashboard_entry(year, unit).data


def dashboard_refresh(*, year: int, unit_id: int, language: str) -> bool:
    """Recompute one dashboard in a worker (the task behind dashboard_entry's stale path). Does
    nothing when the entry is already current (another worker, or a request, did it); returns
    whether it recomputed."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        return False
    key = cache_key(year, unit, language)
    try:
        with translation.override(language):
            raw = cache.get(key)
            if raw is not None and raw["stamp"] == list(statistics_stamp(unit.path)):
                return False
            _compute(year, unit)
            return True
    finally:
        cache.delete(f"{key}:refreshing")
