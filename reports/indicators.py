"""The indicators (统计指标) of the portal: one definition each, used by the dashboards, the annual
reports and the exports alike.

Every indicator is computed for a calendar year and a unit's whole subtree (the unit and every
unit below it: a prefix match on the materialized path `Unit.path`) by aggregate queries in the
database — one query per indicator, whatever the amount of data; Python only labels the handful
of grouped rows that come back.

Which unit an item belongs to (it counts in a subtree when that unit is in the subtree):
  * a studio → the studio's unit; a studio's team member → the studio's unit;
  * a project or a result (and a result's adoption or benefit) → the unit of the studio that owns it;
  * a person's skill-grade change or honour → the person's unit;
  * a training class (its sessions, enrolments and attendances) → the organising unit;
  * a mentor pairing → its `unit` field (the studio's unit, or the mentor's for an alliance pairing);
  * an alliance (its ledger) → its lead unit; a studio's ledger → the studio's unit;
  * a pilot-unit designation → the designated alliance's lead unit or the designated studio's unit.
Units are taken as they are now: a person who moved keeps counting under their present unit.
Only verified results count anywhere.

Use:
    compute_all(2025, unit)              → {code: IndicatorResult}
    compute("studios_by_level", 2025, unit)
    INDICATORS["honours_by_level"](2025, unit)
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr, TruncDate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Unit

Number = int | Decimal

# --------------------------------------------------------------------------------------------
# The API: what an indicator is and what it gives back


@dataclass(frozen=True)
class Dimension:
    """A dimension a table indicator is broken down by (level, category, unit …)."""

    code: str
    label: str


@dataclass(frozen=True)
class Measure:
    """A figure of an indicator, with its unit of measure (个, 项, 元, 人次, 学时 …)."""

    code: str
    label: str
    unit: str
    decimal: bool = False

    def zero(self) -> Number:
        return Decimal("0") if self.decimal else 0

    def clean(self, value) -> Number:
        if value is None:
            return self.zero()
        return Decimal(value) if self.decimal else int(value)


@dataclass(frozen=True)
class Row:
    """One row of a table indicator: the dimension values (codes and labels) and the figures."""

    keys: tuple
    labels: tuple[str, ...]
    values: dict[str, Number]

    def __getitem__(self, measure: str) -> Number:
        return self.values[measure]


@dataclass(frozen=True)
class IndicatorResult:
    """What an indicator gives for a year and a unit: a scalar (no dimensions, `value`) or a table
    of rows (dimension values with their figures); `totals` always holds the sum of every figure."""

    code: str
    label: str
    year: int
    unit_id: int
    dimensions: tuple[Dimension, ...]
    measures: tuple[Measure, ...]
    rows: tuple[Row, ...] = ()
    totals: dict[str, Number] = field(default_factory=dict)

    @property
    def is_scalar(self) -> bool:
        return not self.dimensions

    @property
    def value(self) -> Number:
        """The total of the first (main) figure: the indicator as one number."""
        return self.totals[self.measures[0].code]

    def get(self, *keys, measure: str | None = None) -> Number:
        """The figure of the row with these dimension values (0 when no row has them)."""
        measure = measure or self.measures[0].code
        for row in self.rows:
            if row.keys == tuple(keys):
                return row.values[measure]
        return next(m for m in self.measures if m.code == measure).zero()

    def as_dict(self) -> dict:
        """Plain data (for caches, JSON and stored reports); numbers as they are."""
        return {
            "code": self.code,
            "label": str(self.label),
            "year": self.year,
            "unit": self.unit_id,
            "dimensions": [{"code": d.code, "label": str(d.label)} for d in self.dimensions],
            "measures": [{"code": m.code, "label": str(m.label), "unit": str(m.unit)} for m in self.measures],
            "rows": [
                {"keys": list(r.keys), "labels": [str(x) for x in r.labels], "values": r.values} for r in self.rows
            ],
            "totals": self.totals,
        }


@dataclass(frozen=True)
class Indicator:
    """A registered indicator. Calling it — `indicator(year, unit)` — gives its IndicatorResult.

    `query(year, unit)` returns the grouped rows as dicts holding each dimension code and each
    measure code; `labels` maps a dimension code to a function turning the row's value into its
    label (choices' labels, names).
    """

    code: str
    label: str
    unit: str
    query: Callable
    dimensions: tuple[Dimension, ...] = ()
    measures: tuple[Measure, ...] = ()
    labels: dict = field(default_factory=dict)
    order: Callable | None = None

    @property
    def definition(self) -> str:
        return (self.query.__doc__ or "").strip()

    def __call__(self, year: int, unit: Unit) -> IndicatorResult:
        return self.result(year, unit, self.query(year, unit))

    def result(self, year: int, unit: Unit, raw: Iterable[dict]) -> IndicatorResult:
        """The IndicatorResult of grouped rows shaped as `query` gives them (from the query, or
        from the tallies of reports.tallies, which count the same rows by the same definitions)."""
        rows = []
        for item in raw:
            keys = tuple(item[d.code] for d in self.dimensions)
            if self.dimensions and all(k is None for k in keys) and not any(item[m.code] for m in self.measures):
                continue
            labels = tuple(
                str(self.labels[d.code](item) if d.code in self.labels else item[d.code]) for d in self.dimensions
            )
            rows.append(Row(keys=keys, labels=labels, values={m.code: m.clean(item[m.code]) for m in self.measures}))
        if self.order is not None:
            rows.sort(key=self.order)
        totals = {m.code: sum((r.values[m.code] for r in rows), m.zero()) for m in self.measures}
        return IndicatorResult(
            code=self.code,
            label=self.label,
            year=year,
            unit_id=unit.pk,
            dimensions=self.dimensions,
            measures=self.measures,
            rows=tuple(rows),
            totals=totals,
        )


INDICATORS: dict[str, Indicator] = {}


def indicator(code, label, *, measures, dimensions=(), labels=None, order=None):
    """Register the decorated query function as the indicator `code`."""

    def register(query):
        if code in INDICATORS:
            raise ValueError(f"indicator {code!r} is registered twice")
        INDICATORS[code] = Indicator(
            code=code,
            label=label,
            unit=measures[0].unit,
            query=query,
            dimensions=tuple(dimensions),
            measures=tuple(measures),
            labels=labels or {},
            order=order,
        )
        return INDICATORS[code]

    return register


def compute(code: str, year: int, unit: Unit) -> IndicatorResult:
    """One indicator by its code (KeyError for an unknown code)."""
    return INDICATORS[code](year, unit)


def compute_all(year: int, unit: Unit, codes: Iterable[str] | None = None) -> dict[str, IndicatorResult]:
    """Every indicator (or those named) for the year and the unit's subtree: one query each."""
    return {code: INDICATORS[code](year, unit) for code in (codes or INDICATORS)}


# --------------------------------------------------------------------------------------------
# Shared pieces: the year's bounds, the subtree, the units one level down, labels


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


@dataclass(frozen=True)
class Units:
    """A scope of exactly these units, not the units below them (`ids`; None: every unit): what
    the tallies (reports.tallies) count a unit's own rows by. Passed wherever a unit's subtree is,
    it gives the same definitions for those units' own rows."""

    ids: tuple[int, ...] | None = None

    def q(self, lookup: str) -> Q:
        return Q() if self.ids is None else Q(**{f"{lookup}__in": self.ids})


def in_subtree(unit: Unit | Units, lookup: str) -> Q:
    """Rows whose unit (reached through `lookup`, e.g. "studio__unit") is `unit` or below it (for
    a Units scope: is one of those units)."""
    if isinstance(unit, Units):
        return unit.q(lookup)
    return Q(**{f"{lookup}__path__startswith": unit.path})


def child_unit_key(unit: Unit, lookup: str):
    """The path of the unit directly below `unit` that holds the row (or `unit` itself for rows of
    `unit`): the key by which a table is broken down "by unit"."""
    return Substr(f"{lookup}__path", 1, len(unit.path) + Unit.steplen)


def unit_name_of(key: str = "unit"):
    """The name of the unit whose path is the row's `key` (a correlated subquery, one per group)."""
    return Subquery(Unit.objects.filter(path=OuterRef(key)).order_by().values("name")[:1])


@functools.cache
def choice_label(choices, dimension: str):
    """The label of the row's `dimension` value among `choices` (labels stay lazy: the mapping is
    made once and speaks the active language)."""
    mapping = dict(choices.choices)
    return lambda row: mapping.get(row[dimension], row[dimension] or _("Not recorded"))


@functools.cache
def choice_order(choices):
    """Rows in the order of the choices (the ranking of levels and grades), unknown values last."""
    position = {value: index for index, value in enumerate(choices.values)}
    return lambda row: (position.get(row.keys[0], len(position)), str(row.keys[0]))


def by_figure(row: Row):
    """Largest first, then by label: the order of a table by unit or by kind."""
    first = next(iter(row.values.values()))
    return (-first, row.labels)


# Units of measure (量词) and the figures built on them.
U_STUDIOS = pgettext_lazy("unit of measure", "studios")
U_ITEMS = pgettext_lazy("unit of measure", "items")
U_PEOPLE = pgettext_lazy("unit of measure", "people")
U_PERSON_TIMES = pgettext_lazy("unit of measure", "person-times")
U_HOURS = pgettext_lazy("unit of measure", "class hours")
U_YUAN = pgettext_lazy("unit of measure", "yuan")
U_ALLIANCES = pgettext_lazy("unit of measure", "alliances")
U_CLASSES = pgettext_lazy("unit of measure", "classes")
U_SESSIONS = pgettext_lazy("unit of measure", "sessions")
U_PAIRS = pgettext_lazy("unit of measure", "pairs")

STUDIOS = Measure("studios", _("Studios"), U_STUDIOS)
YUAN = Measure("amount", _("Amount (yuan)"), U_YUAN, decimal=True)

LEVEL = Dimension("level", _("Level"))
KIND = Dimension("kind", _("Kind"))
UNIT = Dimension("unit", _("Unit"))
UNIT_LABEL = {"unit": lambda row: row["unit_name"] or row["unit"]}

# --------------------------------------------------------------------------------------------
# Studios


def named_at_year_end(year: int) -> Q:
    """Studios that held the title at the end of the year (see studios_by_level)."""
    from studios.choices import StudioStatus

    _start, end = year_bounds(year)
    return Q(status__in=(StudioStatus.NAMED, StudioStatus.RECTIFYING), named_from__lte=end) | Q(
        status=StudioStatus.REVOKED, named_from__lte=end, revoked_on__gt=end
    )


def named_studios(year: int, unit: Unit):
    from studios.models import Studio

    return (
        Studio.objects.order_by()
        .alias(named_from=Coalesce("named_on", TruncDate("created_at")))
        .filter(in_subtree(unit, "unit"))
        .filter(named_at_year_end(year))
    )


def level_at_year_end(year: int):
    """The studio's level on 31 December: its newest level record awarded by then, else its level."""
    from studios.models import LevelRecord

    _start, end = year_bounds(year)
    newest = (
        LevelRecord.objects.filter(studio=OuterRef("pk"), awarded_on__lte=end)
        .order_by("-awarded_on", "-id")
        .values("level")[:1]
    )
    return Coalesce(Subquery(newest), F("level"))


def _studio_level_label(row):
    from studios.choices import StudioLevel

    return choice_label(StudioLevel, "level")(row)


def _studio_level_order(row):
    from studios.choices import StudioLevel

    return choice_order(StudioLevel)(row)


@indicator(
    "studios_by_level",
    _("Named studios by level"),
    measures=(STUDIOS,),
    dimensions=(LEVEL,),
    labels={"level": _studio_level_label},
    order=_studio_level_order,
)
def studios_by_level(year, unit):
    """Studios of the subtree holding the title on 31 December of the year — named on or before that
    day (the record's creation date when no naming date was kept), now named or rectifying, or
    revoked only after that day — by their level on that day (the newest level record awarded by
    then, else the studio's level)."""
    return (
        named_studios(year, unit)
        .values(level_value=level_at_year_end(year))
        .annotate(studios=Count("pk"))
        .values("studios", level=F("level_value"))
    )


@indicator(
    "studios_by_kind",
    _("Named studios by kind"),
    measures=(STUDIOS,),
    dimensions=(KIND,),
    labels={"kind": lambda row: row["kind_name"]},
    order=by_figure,
)
def studios_by_kind(year, unit):
    """Studios of the subtree holding the title on 31 December of the year (as in studios by level),
    by studio kind."""
    return (
        named_studios(year, unit)
        .values(kind_value=F("kind_id"), kind_name=F("kind__name"))
        .annotate(studios=Count("pk"))
        .values("studios", "kind_name", kind=F("kind_value"))
    )


@indicator(
    "studios_by_unit",
    _("Named studios by unit"),
    measures=(STUDIOS,),
    dimensions=(UNIT,),
    labels=UNIT_LABEL,
    order=by_figure,
)
def studios_by_unit(year, unit):
    """Studios of the subtree holding the title on 31 December of the year (as in studios by level),
    by the unit one level below the chosen unit that holds them (the chosen unit's own studios
    under the chosen unit)."""
    return (
        named_studios(year, unit)
        .values(unit_key=child_unit_key(unit, "unit"))
        .annotate(studios=Count("pk"), unit_name=unit_name_of("unit_key"))
        .values("studios", "unit_name", unit=F("unit_key"))
    )


@indicator("studios_named", _("Studios named in the year"), measures=(STUDIOS,))
def studios_named(year, unit):
    """Studios of the subtree whose naming date falls in the year, whatever has happened to them
    since (a studio named and revoked in the same year counts)."""
    from studios.models import Studio

    start, end = year_bounds(year)
    return [
        Studio.objects.filter(in_subtree(unit, "unit"), named_on__range=(start, end)).aggregate(studios=Count("pk"))
    ]


@indicator("studios_revoked", _("Studios revoked in the year"), measures=(STUDIOS,))
def studios_revoked(year, unit):
    """Studios of the subtree whose title was revoked (status revoked) on a date in the year."""
    from studios.choices import StudioStatus
    from studios.models import Studio

    start, end = year_bounds(year)
    return [
        Studio.objects.filter(
            in_subtree(unit, "unit"), status=StudioStatus.REVOKED, revoked_on__range=(start, end)
        ).aggregate(studios=Count("pk"))
    ]


@indicator("team_size", _("Team members of named studios"), measures=(Measure("members", _("Members"), U_PEOPLE),))
def team_size(year, unit):
    """Team places on 31 December of the year in the studios holding the title that day (as in
    studios by level): memberships joined by then and not left by then; a person in two teams
    counts twice."""
    from studios.models import Membership

    _start, end = year_bounds(year)
    return [
        Membership.objects.filter(
            studio__in=named_studios(year, unit).values("pk"),
            joined_on__lte=end,
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=end))
        .aggregate(members=Count("pk"))
    ]


# --------------------------------------------------------------------------------------------
# Alliances and pilot units


@indicator("alliances", _("Running alliances"), measures=(Measure("alliances", _("Alliances"), U_ALLIANCES),))
def alliances(year, unit):
    """Alliances led by a unit of the subtree that were running on 31 December of the year: founded
    by then, out of preparation (running now, or dissolved only after that day)."""
    from alliances.choices import AllianceStatus
    from alliances.models import Alliance

    _start, end = year_bounds(year)
    return [
        Alliance.objects.filter(in_subtree(unit, "lead_unit"), founded_on__lte=end)
        .filter(Q(status=AllianceStatus.RUNNING) | Q(status=AllianceStatus.DISSOLVED, dissolved_on__gt=end))
        .aggregate(alliances=Count("pk"))
    ]


@indicator("pilot_units", _("Alliance pilot units designated"), measures=(Measure("units", _("Pilot units"), U_ITEMS),))
def pilot_units(year, unit):
    """Alliance pilot-unit designations (an alliance or a studio) of published batches designated
    (the document's date, 命名日期) in the year, whose alliance's lead unit or studio's unit is in
    the subtree — as studios count by their naming date, not by the day the batch was entered."""
    from alliances.choices import DesignationBatchStatus, DesignationKind
    from alliances.models import Designation

    start, end = year_bounds(year)
    return [
        Designation.objects.filter(
            kind=DesignationKind.PILOT,
            batch__status=DesignationBatchStatus.PUBLISHED,
            batch__designated_on__range=(start, end),
        )
        .filter(in_subtree(unit, "alliance__lead_unit") | in_subtree(unit, "studio__unit"))
        .aggregate(units=Count("pk"))
    ]


# --------------------------------------------------------------------------------------------
# Projects and results

PROJECTS = Measure("projects", _("Projects"), U_ITEMS)
RESULTS = Measure("results", _("Results"), U_ITEMS)


@indicator("projects_started", _("Projects started"), measures=(PROJECTS,))
def projects_started(year, unit):
    """Projects of the subtree's studios started (立项) on a date in the year, whatever their state now."""
    from achievements.models import Project

    start, end = year_bounds(year)
    return [
        Project.objects.filter(in_subtree(unit, "studio__unit"), started_on__range=(start, end)).aggregate(
            projects=Count("pk")
        )
    ]


@indicator("projects_closed", _("Projects closed"), measures=(PROJECTS,))
def projects_closed(year, unit):
    """Projects of the subtree's studios closed (结题, status closed) on a date in the year;
    terminated projects are not counted."""
    from achievements.choices import ProjectStatus
    from achievements.models import Project

    start, end = year_bounds(year)
    return [
        Project.objects.filter(
            in_subtree(unit, "studio__unit"), status=ProjectStatus.CLOSED, closed_on__range=(start, end)
        ).aggregate(projects=Count("pk"))
    ]


def verified_results(year, unit, last_year=None):
    """Verified results of the subtree's studios achieved in the year (the date the result bears,
    as in the studios' self-assessment figures), or in the years `year`…`last_year`."""
    from achievements.choices import ResultStatus
    from achievements.models import Result

    start, _end = year_bounds(year)
    _start, end = year_bounds(last_year or year)
    return Result.objects.order_by().filter(
        in_subtree(unit, "studio__unit"), status=ResultStatus.VERIFIED, achieved_on__range=(start, end)
    )


def _category_label(row):
    from achievements.choices import ResultCategory

    return choice_label(ResultCategory, "category")(row)


def _category_order(row):
    from achievements.choices import ResultCategory

    return choice_order(ResultCategory)(row)


CATEGORY = Dimension("category", _("Category"))


@indicator(
    "results_by_category",
    _("Verified results by category"),
    measures=(RESULTS,),
    dimensions=(CATEGORY,),
    labels={"category": _category_label},
    order=_category_order,
)
def results_by_category(year, unit):
    """Verified results of the subtree's studios dated (achieved) in the year, by category."""
    return verified_results(year, unit).values("category").annotate(results=Count("pk"))


@indicator(
    "patents_by_type",
    _("Patents by type"),
    measures=(Measure("patents", _("Patents"), U_ITEMS),),
    dimensions=(Dimension("category", _("Patent type")),),
    labels={"category": _category_label},
    order=_category_order,
)
def patents_by_type(year, unit):
    """Verified results of the subtree's studios dated in the year that are patents (invention,
    utility model, design), by type: the patent rows of results by category."""
    from achievements.choices import ResultCategory

    return (
        verified_results(year, unit)
        .filter(category__in=ResultCategory.patents())
        .values("category")
        .annotate(patents=Count("pk"))
    )


INSIDE, OUTSIDE = "inside", "outside"
WHERE_LABELS = {INSIDE: _("Within the company"), OUTSIDE: _("Outside the company")}


@indicator(
    "results_applied",
    _("Results applied or transferred"),
    measures=(
        Measure("adoptions", _("Applications"), U_ITEMS),
        Measure("yearly_benefit", _("Yearly benefit there (yuan)"), U_YUAN, decimal=True),
    ),
    dimensions=(Dimension("where", _("Where")),),
    labels={"where": lambda row: WHERE_LABELS[row["where"]]},
    order=lambda row: (0 if row.keys[0] == INSIDE else 1,),
)
def results_applied(year, unit):
    """Applications (推广应用) recorded with a date in the year of verified results of the subtree's
    studios, by where: at a unit of the company or at an outside organisation, with the yearly
    benefit stated there."""
    from achievements.choices import ResultStatus
    from achievements.models import Adoption

    start, end = year_bounds(year)
    return (
        Adoption.objects.order_by()
        .filter(
            in_subtree(unit, "result__studio__unit"),
            result__status=ResultStatus.VERIFIED,
            adopted_on__range=(start, end),
        )
        .values(where=Case(When(unit__isnull=False, then=Value(INSIDE)), default=Value(OUTSIDE)))
        .annotate(adoptions=Count("pk"), yearly_benefit=Sum("yearly_benefit"))
    )


def benefit_results(year, unit, last_year=None):
    """Verified results of the subtree's studios that state an economic benefit for the year
    (benefit year = the year, whenever the result is dated), or for the years `year`…`last_year`."""
    from achievements.choices import ResultStatus
    from achievements.models import Result

    return Result.objects.order_by().filter(
        in_subtree(unit, "studio__unit"),
        status=ResultStatus.VERIFIED,
        benefit_year__range=(year, last_year or year),
        benefit__isnull=False,
    )


@indicator(
    "economic_benefit",
    _("Economic benefit"),
    measures=(YUAN, RESULTS),
    dimensions=(UNIT,),
    labels=UNIT_LABEL,
    order=by_figure,
)
def economic_benefit(year, unit):
    """The economic benefit (yuan) that verified results of the subtree's studios state for the
    year (benefit year = the year, whenever the result is dated), and how many results state one,
    by the unit one level below the chosen unit."""
    return (
        benefit_results(year, unit)
        .values(unit_key=child_unit_key(unit, "studio__unit"))
        .annotate(amount=Sum("benefit"), results=Count("pk"), unit_name=unit_name_of("unit_key"))
        .values("amount", "results", "unit_name", unit=F("unit_key"))
    )


# --------------------------------------------------------------------------------------------
# Training


def held_classes(year, unit, prefix="", last_year=None):
    """Q for the training classes held in the year (or in the years `year`…`last_year`): running
    or finished, first day in the year, organised by a unit of the subtree."""
    from training.choices import ClassStatus

    start, _end = year_bounds(year)
    _start, end = year_bounds(last_year or year)
    return in_subtree(unit, f"{prefix}organiser") & Q(
        **{
            f"{prefix}status__in": (ClassStatus.RUNNING, ClassStatus.FINISHED),
            f"{prefix}starts_on__range": (start, end),
        }
    )


@indicator("training_classes", _("Training classes held"), measures=(Measure("classes", _("Classes"), U_CLASSES),))
def training_classes(year, unit):
    """Training classes organised by a unit of the subtree, running or finished, whose first day is
    in the year."""
    from training.models import TrainingClass

    return [TrainingClass.objects.filter(held_classes(year, unit)).aggregate(classes=Count("pk"))]


@indicator("training_sessions", _("Training sessions"), measures=(Measure("sessions", _("Sessions"), U_SESSIONS),))
def training_sessions(year, unit):
    """Sessions (courses) of the training classes held in the year (as in training classes held)."""
    from training.models import Session

    return [Session.objects.filter(held_classes(year, unit, "training_class__")).aggregate(sessions=Count("pk"))]


@indicator(
    "training_person_times",
    _("Training person-times"),
    measures=(Measure("person_times", _("Person-times"), U_PERSON_TIMES),),
)
def training_person_times(year, unit):
    """Places in the training classes held in the year (as in training classes held) whose holder
    signed in to at least one session: one person-time per person and class."""
    return [attended_places(year, unit).aggregate(person_times=Count("pk"))]


def attended_places(year, unit, last_year=None):
    """The places (enrolments) in the training classes held in the year (or the years
    `year`…`last_year`) whose holder signed in to at least one session: the person-times."""
    from training.models import Attendance, Enrolment

    return (
        Enrolment.objects.order_by()
        .filter(held_classes(year, unit, "training_class__", last_year=last_year))
        .filter(Exists(Attendance.objects.filter(enrolment=OuterRef("pk"))))
    )


@indicator(
    "training_hours",
    _("Training hours"),
    measures=(Measure("hours", _("Class hours"), U_HOURS, decimal=True),),
)
def training_hours(year, unit):
    """Class hours credited in the training classes held in the year (as in training classes held):
    for every sign-in, the hours of the session signed in to."""
    from training.models import Attendance

    return [
        Attendance.objects.filter(held_classes(year, unit, "session__training_class__")).aggregate(
            hours=Sum("session__hours")
        )
    ]


# --------------------------------------------------------------------------------------------
# Mentoring and people

PAIRINGS = Measure("pairings", _("Pairings"), U_PAIRS)


@indicator("pairings_started", _("Mentor pairings started"), measures=(PAIRINGS,))
def pairings_started(year, unit):
    """Mentor pairings counted under a unit of the subtree whose agreement (师徒协议) was signed in
    the year, whatever became of them."""
    return [signed_pairings(year, unit).aggregate(pairings=Count("pk"))]


def signed_pairings(year, unit, last_year=None):
    """Mentor pairings counted under a unit of the subtree whose agreement was signed in the year
    (or the years `year`…`last_year`)."""
    from mentoring.models import Pairing

    start, _end = year_bounds(year)
    _start, end = year_bounds(last_year or year)
    return Pairing.objects.order_by().filter(in_subtree(unit, "unit"), agreement_on__range=(start, end))


# One apprentice graduates from a pairing: counted in people (the same code, "pairings").
GRADUATES = Measure("pairings", _("Apprentices"), U_PEOPLE)


@indicator("pairings_graduated", _("Apprentices graduated"), measures=(GRADUATES,))
def pairings_graduated(year, unit):
    """Mentor pairings counted under a unit of the subtree whose graduation assessment (出师考核) in
    the year was passed (graded pass or excellent: the pairing graduated)."""
    from mentoring.choices import PairingStatus
    from mentoring.models import Pairing

    start, end = year_bounds(year)
    return [
        Pairing.objects.filter(
            in_subtree(unit, "unit"),
            status=PairingStatus.GRADUATED,
            assessment__assessed_on__range=(start, end),
        ).aggregate(pairings=Count("pk"))
    ]


def grade_rank(field_name: str = "grade"):
    """The skill grade's rank in SQL: 1 (junior) … 7 (chief technician), 0 for none."""
    from talent.choices import SkillGrade

    return Case(
        *(When(**{field_name: value}, then=Value(index)) for index, value in enumerate(SkillGrade.values, 1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _grade_label(row):
    from talent.choices import SkillGrade

    return choice_label(SkillGrade, "grade")(row)


def _grade_order(row):
    from talent.choices import SkillGrade

    return choice_order(SkillGrade)(row)


@indicator(
    "skill_upgrades",
    _("Skill-grade upgrades"),
    measures=(Measure("upgrades", _("Upgrades"), U_PERSON_TIMES),),
    dimensions=(Dimension("grade", _("New skill grade")),),
    labels={"grade": _grade_label},
    order=_grade_order,
)
def skill_upgrades(year, unit):
    """Skill-grade changes dated in the year of people of the subtree to a grade higher than the
    one they held before the change (their previous recorded grade; a first recorded grade is an
    upgrade from none), by the new grade."""
    from talent.models import SkillGradeChange

    start, end = year_bounds(year)
    previous = (
        SkillGradeChange.objects.filter(person=OuterRef("person"))
        .filter(Q(changed_on__lt=OuterRef("changed_on")) | Q(changed_on=OuterRef("changed_on"), pk__lt=OuterRef("pk")))
        .order_by("-changed_on", "-pk")
        .annotate(rank=grade_rank())
        .values("rank")[:1]
    )
    return (
        SkillGradeChange.objects.order_by()
        .filter(in_subtree(unit, "person__unit"), changed_on__range=(start, end))
        .alias(new_rank=grade_rank(), old_rank=Coalesce(Subquery(previous), Value(0)))
        .filter(new_rank__gt=F("old_rank"))
        .values("grade")
        .annotate(upgrades=Count("pk"))
    )


def _honour_level_label(row):
    from talent.choices import HonourLevel

    return choice_label(HonourLevel, "level")(row)


def _honour_level_order(row):
    from talent.choices import HonourLevel

    return choice_order(HonourLevel)(row)


@indicator(
    "honours_by_level",
    _("Honours awarded by level"),
    measures=(Measure("honours", _("Honours"), U_ITEMS),),
    dimensions=(LEVEL,),
    labels={"level": _honour_level_label},
    order=_honour_level_order,
)
def honours_by_level(year, unit):
    """Honour titles of the year (honour year = the year) held by people of the subtree, by level."""
    from talent.models import Honour

    return (
        Honour.objects.order_by()
        .filter(in_subtree(unit, "person__unit"), year=year)
        .values("level")
        .annotate(honours=Count("pk"))
    )


# --------------------------------------------------------------------------------------------
# Funding: the studios' and the alliances' ledgers together


def _ledgers(year, unit, direction, dimension):
    """The year's lines of both ledgers in one direction, summed by `dimension` (source or use):
    one UNION ALL query of two grouped selects (the same source appears once per ledger)."""
    from alliances.models import AllianceFundingEntry
    from studios.models import FundingEntry

    start, end = year_bounds(year)
    money = DecimalField(max_digits=16, decimal_places=2)

    def grouped(model, owner_unit):
        return (
            model.objects.order_by()
            .filter(in_subtree(unit, owner_unit), direction=direction, entry_date__range=(start, end))
            .values(dimension)
            # A reversing line (negative) cancels its line in the count and in the amount (the count
            # first: its conditions read the line's amount, not the sum annotated under that name).
            .annotate(lines=Count("pk", filter=Q(amount__gt=0)) - Count("pk", filter=Q(amount__lt=0)))
            .annotate(amount=Sum("amount", output_field=money))
            .values(dimension, "amount", "lines")
        )

    merged: dict[str, dict] = {}
    for row in grouped(FundingEntry, "studio__unit").union(
        grouped(AllianceFundingEntry, "alliance__lead_unit"), all=True
    ):
        into = merged.setdefault(row[dimension], {dimension: row[dimension], "amount": Decimal("0"), "lines": 0})
        into["amount"] += Decimal(row["amount"])
        into["lines"] += row["lines"]
    return merged.values()


LINES = Measure("lines", _("Ledger lines"), U_ITEMS)


def _source_label(row):
    from studios.choices import FundingSource

    return choice_label(FundingSource, "source")(row)


def _source_order(row):
    from studios.choices import FundingSource

    return choice_order(FundingSource)(row)


def _use_label(row):
    from studios.choices import FundingUse

    return choice_label(FundingUse, "use")(row)


def _use_order(row):
    from studios.choices import FundingUse

    return choice_order(FundingUse)(row)


@indicator(
    "funding_in",
    _("Funding received by source"),
    measures=(YUAN, LINES),
    dimensions=(Dimension("source", _("Source")),),
    labels={"source": _source_label},
    order=_source_order,
)
def funding_in(year, unit):
    """Income lines dated in the year of the ledgers of the subtree's studios and of the alliances
    led by a unit of the subtree, summed by source of funds."""
    from studios.choices import FundingDirection

    return _ledgers(year, unit, FundingDirection.IN, "source")


@indicator(
    "funding_out",
    _("Funding spent by use"),
    measures=(YUAN, LINES),
    dimensions=(Dimension("use", _("Use")),),
    labels={"use": _use_label},
    order=_use_order,
)
def funding_out(year, unit):
    """Spending lines dated in the year of the ledgers of the subtree's studios and of the alliances
    led by a unit of the subtree, summed by use."""
    from studios.choices import FundingDirection

    return _ledgers(year, unit, FundingDirection.OUT, "use")
