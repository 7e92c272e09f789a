"""Scoped and aggregated reads of mentor pairings, and the yearly list of mentor rewards due."""

from __future__ import annotations

import bisect
import datetime
import itertools
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import NotSupportedError, connection, transaction
from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.db.models.lookups import In, IsNull

from alliances.choices import CURRENT_MEMBER_STATES
from core.permissions import unit_subtree_q
from studios.models import Membership
from talent.choices import SkillGrade
from talent.models import Person, SkillGradeChange

from .choices import PairingStatus
from .models import Pairing, RewardRule
from .periods import add_months, counted_months, last_active_day

DISPLAY_RELATED = ("studio", "alliance", "unit", "mentor", "mentor__unit", "apprentice", "apprentice__unit")
ZERO = Decimal("0")


def pairing_list(user):
    return (
        Pairing.objects.visible_to(user)
        .select_related("studio", "alliance", "unit", "mentor", "apprentice", "assessment")
        .order_by("-agreement_on", "-id")
    )


def pairings_of_person(user, person):
    """The pairings the user may see in which `person` is the mentor or the apprentice (person page)."""
    return (
        Pairing.objects.visible_to(user)
        .filter(Q(mentor=person) | Q(apprentice=person))
        .select_related(*DISPLAY_RELATED, "assessment")
        .order_by("-agreement_on", "-id")
    )


def studio_pairings(studio):
    """A studio's pairings (its page's tab: seen by whoever sees the studio), under way first."""
    return (
        Pairing.objects.filter(studio=studio)
        .select_related("mentor", "apprentice", "assessment")
        .order_by(F("ended_on").desc(nulls_first=True), "-agreement_on", "-id")  # under way, then latest closed
    )


def studio_pairing_context(user, studio) -> dict:
    """What the studio page's pairings tab needs."""
    from studios.services import CLOSED_STATES

    from .policies import manages_studio

    return {
        "pairings": list(studio_pairings(studio)),
        "can_add_pairing": studio.status not in CLOSED_STATES and manages_studio(user, studio),
    }


def progress_of(pairing):
    return pairing.progress_logs.select_related("logged_by").order_by("-logged_on", "-id")


def placements_of(pairing):
    return pairing.placements.order_by("-placed_on", "-id")


def term_window(pairing) -> tuple[datetime.date, datetime.date]:
    """From the agreement to the day the pairing closed (or the term's last day while under way)."""
    return pairing.agreement_on, pairing.ended_on or pairing.term_ends_on


def grade_changes_in_term(pairing):
    """The apprentice's skill-grade changes between the agreement and the pairing's end."""
    start, end = term_window(pairing)
    return SkillGradeChange.objects.filter(
        person_id=pairing.apprentice_id, changed_on__gte=start, changed_on__lte=end
    ).order_by("changed_on", "id")


def studio_team_choices(user, studio):
    """The studio's current team members the user can see (a bounded list, whatever the scale)."""
    team = Membership.objects.filter(studio=studio, left_on__isnull=True).values("person")
    return Person.objects.visible_to(user).filter(pk__in=team).select_related("unit").order_by("name", "id")


def alliance_team_choices(user, alliance):
    """The current team members of the alliance's current member studios: all of them for the
    alliance's managers (a cross-unit pairing spans units they do not oversee), else those the user
    can see."""
    from alliances.policies import manages

    team = Membership.objects.filter(
        left_on__isnull=True,
        studio__alliance_memberships__alliance=alliance,
        studio__alliance_memberships__status__in=CURRENT_MEMBER_STATES,
    ).values("person")
    people = Person.objects.filter(pk__in=team)
    if not manages(user, alliance):
        people = people.visible_to(user)
    return people.select_related("unit").order_by("name", "id")


def member_units_in_alliance(alliance, people) -> dict[int, set[int]]:
    """For each person: the units of the alliance's current member studios whose team they are in now."""
    rows = Membership.objects.filter(
        person__in=[p.pk for p in people],
        left_on__isnull=True,
        studio__alliance_memberships__alliance=alliance,
        studio__alliance_memberships__status__in=CURRENT_MEMBER_STATES,
    ).values_list("person_id", "studio__unit_id")
    units: dict[int, set[int]] = {p.pk: set() for p in people}
    for person_id, unit_id in rows:
        units[person_id].add(unit_id)
    return units


def overdue_pairings(user, today: datetime.date):
    """Pairings under way in the studios the user leads whose term is over without an assessment."""
    from studios.selectors import studios_led_by

    return Pairing.objects.filter(
        status=PairingStatus.ACTIVE, term_ends_on__lt=today, studio__in=studios_led_by(user).values("pk")
    )


def overdue_pairings_of_cadre(user, today: datetime.date):
    """Pairings a unit cadre runs (in a studio of its subtree, or in an alliance its subtree leads)
    whose term is over without an assessment."""
    path = user.unit.path if user.unit_id else None
    if not user.is_unit_cadre or path is None:
        return Pairing.objects.none()
    return Pairing.objects.filter(status=PairingStatus.ACTIVE, term_ends_on__lt=today).filter(
        Q(studio__unit__path__startswith=path) | Q(alliance__lead_unit__path__startswith=path)
    )


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def active_in_year_q(year: int) -> Q:
    """Pairings active on at least one day of the year (mentoring.periods)."""
    first, last = _year_bounds(year)
    return Q(agreement_on__lte=last, term_ends_on__gte=first) & (Q(ended_on__isnull=True) | Q(ended_on__gt=first))


def studio_pairing_figures(studio, year: int) -> dict:
    """The studio's pairing figures for its annual self-assessment (one aggregate query)."""
    first, last = _year_bounds(year)
    return Pairing.objects.filter(studio=studio).aggregate(
        started=Count("pk", filter=Q(agreement_on__gte=first, agreement_on__lte=last)),
        active=Count("pk", filter=active_in_year_q(year)),
        graduated=Count("pk", filter=Q(status=PairingStatus.GRADUATED, ended_on__gte=first, ended_on__lte=last)),
    )


def alliance_pairings_in(alliance, year: int) -> int:
    """Pairings formed across units in the alliance: those whose agreement falls in the year."""
    first, last = _year_bounds(year)
    return Pairing.objects.filter(alliance=alliance, agreement_on__gte=first, agreement_on__lte=last).count()


# Rewards ------------------------------------------------------------------------------------------


def reward_scope(user, *, unit=None):
    """The pairings whose rewards the user may list: HQ and leadership all, a cadre its unit subtree."""
    pairings = Pairing.objects.all()
    if not user.sees_everything:
        pairings = pairings.filter(unit_subtree_q(user, "unit")) if user.is_unit_cadre else pairings.none()
    if unit is not None:
        pairings = pairings.filter(unit__path__startswith=unit.path)
    return pairings


@dataclass
class RewardLine:
    """What one pairing's mentor is due for one year."""

    pairing: Pairing
    months: int = 0
    rates: list[tuple[int, Decimal]] = field(default_factory=list)  # (months, monthly allowance), in order
    allowance: Decimal = ZERO
    reached_on: datetime.date | None = None
    bonus: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.allowance + self.bonus


@dataclass
class RewardTotals:
    pairings: int = 0
    months: int = 0
    allowance: Decimal = ZERO
    bonus: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.allowance + self.bonus

    def add(self, line: RewardLine) -> None:
        self.pairings += 1
        self.months += line.months
        self.allowance += line.allowance
        self.bonus += line.bonus


CENT = Decimal("0.01")
AMOUNT = DecimalField(max_digits=14, decimal_places=2)


class AddMonths(Func):
    """mentoring.periods.add_months in SQL: the same day `months` months later, clamped to the end
    of a shorter month (31 Jan + 1 month → 28 or 29 Feb)."""

    output_field = DateField()

    def __init__(self, expression, months: int):
        super().__init__(expression)
        self.months = int(months)

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"AddMonths has no SQL for {connection.vendor}")

    def as_postgresql(self, compiler, connection):
        sql, params = compiler.compile(self.source_expressions[0])
        # PostgreSQL's date + interval clamps to the month's end.
        return f"(({sql}) + make_interval(months => %s))::date", (*params, self.months)

    def as_sqlite(self, compiler, connection):
        # SQLite's date() overflows into the next month (31 Jan + 1 month → 3 Mar): go to the
        # first of the target month, then add the day, at most the target month's last one.
        sql, params = compiler.compile(self.source_expressions[0])
        shift, next_shift = f"{self.months:+d} months", f"{self.months + 1:+d} months"
        template = (
            f"date({sql}, 'start of month', %s, '+' || (min(CAST(strftime('%%d', {sql}) AS INTEGER), "
            f"CAST(strftime('%%d', date({sql}, 'start of month', %s, '-1 day')) AS INTEGER)) - 1) || ' days')"
        )
        return template, (*params, shift, *params, *params, next_shift)


def _plus(terms, output_field):
    """a + b + c …, flat: SQLite's parser overflows on a dozen nested parentheses."""
    return Func(*terms, template="(%(expressions)s)", arg_joiner=" + ", output_field=output_field)


def _month_firsts(year: int, today: datetime.date) -> list[datetime.date]:
    """The first days of the months of `year` that have begun by `today` (mentoring.periods)."""
    return [first for month in range(1, 13) if (first := datetime.date(year, month, 1)) <= today]


def _active_on_q(day: datetime.date) -> Q:
    """The pairing is active on `day` (mentoring.periods.last_active_day: closed on a day, no
    longer on that day)."""
    return Q(agreement_on__lte=day, term_ends_on__gte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))


class MentorRateOn(Func):
    """The rule's monthly allowance for the grade the pairing's mentor holds on `day` (a date or
    an expression over the pairing): the newest skill-grade change on or before it, by date then
    by entry; no grade, no allowance. Written out as SQL, not as Subquery(Case(...)): the list has
    up to thirteen of these, and resolving them through the ORM took longer than running them."""

    output_field = AMOUNT

    def __init__(self, day, rule: RewardRule):
        if not hasattr(day, "resolve_expression"):
            day = Value(day, output_field=DateField())
        super().__init__(F("mentor_id"), day)
        self.rates = [(grade, rule.rate_for(grade)) for grade in SkillGrade.values]

    def as_sql(self, compiler, connection, **extra_context):
        mentor, mentor_params = compiler.compile(self.source_expressions[0])
        day, day_params = compiler.compile(self.source_expressions[1])
        quote, meta = connection.ops.quote_name, SkillGradeChange._meta

        def column(name):
            return f"rate_grade.{quote(meta.get_field(name).column)}"

        whens = " ".join("WHEN %s THEN CAST(%s AS NUMERIC)" for _ in self.rates)
        # Names from the model's meta, values as parameters.
        sql = (
            f"COALESCE((SELECT CASE {column('grade')} {whens} ELSE 0 END"  # noqa: S608
            f" FROM {quote(meta.db_table)} rate_grade"
            f" WHERE {column('person')} = {mentor} AND {column('changed_on')} <= {day}"
            f" ORDER BY {column('changed_on')} DESC, {column('id')} DESC LIMIT 1), 0)"
        )
        rate_params = [param for grade, rate in self.rates for param in (grade, rate)]
        return sql, (*rate_params, *mentor_params, *day_params)


def _allowance(firsts: list[datetime.date], months, rule: RewardRule):
    """The sum of the mentor's rates on the first days of the months counted: most mentors hold
    the same grade all through the pairing's months of the year (no change between the later of
    1 January and the agreement date, and the last month begun): months × that rate, two lookups;
    the others, one lookup per month counted."""
    zero = Value(ZERO, output_field=AMOUNT)
    if not firsts:
        return zero
    per_month = _plus(
        [
            Case(When(_active_on_q(day), then=MentorRateOn(day, rule)), default=zero, output_field=AMOUNT)
            for day in firsts
        ],
        AMOUNT,
    )

    def since(agreement_on):
        return Greatest(Value(firsts[0]), agreement_on, output_field=DateField())

    grade_changed = Exists(
        SkillGradeChange.objects.filter(
            person=OuterRef("mentor"), changed_on__gt=since(OuterRef("agreement_on")), changed_on__lte=firsts[-1]
        )
    )
    one_rate = ExpressionWrapper(months * MentorRateOn(since(F("agreement_on")), rule), output_field=AMOUNT)
    return Case(When(~Q(grade_changed), then=one_rate), default=per_month, output_field=AMOUNT)


def _reward_sql(pairings, *, year: int, rule: RewardRule, today: datetime.date):
    """The pairings among `pairings` with anything due for `year` under `rule` (not yet in any
    order), and the SQL expressions of what each is due: `months`, `allowance`, `reached_on` (the
    day the bonus grade was reached, only when the bonus is due) and `bonus`. The rules are those
    of `rewards_due`.

    Months: one CASE per month of the year begun by `today`. Allowance: see `_allowance`.
    Bonus: the first change of the apprentice to the bonus grade or higher on or after the
    agreement date, when it falls in the year, by `today` and within `bonus_years` years of the
    agreement, in a pairing that did not fail or end early, the apprentice's grade before the
    agreement being below the bonus grade.
    """
    first, last = _year_bounds(year)
    firsts = _month_firsts(year, today)
    zero = Value(ZERO, output_field=AMOUNT)
    months = _plus([Value(0), *(Case(When(_active_on_q(day), then=1), default=0) for day in firsts)], IntegerField())
    allowance = _allowance(firsts, months, rule)

    qualifying = [grade for grade in SkillGrade.values if SkillGrade.rank(grade) >= SkillGrade.rank(rule.bonus_grade)]
    apprentice_changes = SkillGradeChange.objects.filter(person=OuterRef("apprentice"))
    # The first qualifying change after the agreement; its date only if the bonus falls due on it.
    reached = Subquery(
        apprentice_changes.filter(grade__in=qualifying, changed_on__gte=OuterRef("agreement_on"))
        .order_by("changed_on", "id")
        .annotate(
            due_on=Case(
                When(
                    Q(changed_on__gte=first, changed_on__lte=min(last, today))
                    & Q(changed_on__lte=AddMonths(OuterRef("agreement_on"), 12 * rule.bonus_years)),
                    then=F("changed_on"),
                ),
                default=None,
                output_field=DateField(),
            )
        )
        .values("due_on")[:1],
        output_field=DateField(),
    )
    start_grade = Coalesce(
        Subquery(
            apprentice_changes.filter(changed_on__lt=OuterRef("agreement_on"))
            .order_by("-changed_on", "-id")
            .values("grade")[:1]
        ),
        Value(""),
    )
    may_have_bonus = Q(
        status__in=(PairingStatus.ACTIVE, PairingStatus.GRADUATED),
        agreement_on__gte=add_months(first, -12 * rule.bonus_years),
    )
    # Evaluated left to right: few pairings reach the grade in the year, so the start grade is
    # looked up for those only.
    reached_on = Case(
        When(may_have_bonus & Q(IsNull(reached, False)) & ~Q(In(start_grade, qualifying)), then=reached),
        default=None,
        output_field=DateField(),
    )
    bonus = Case(
        When(IsNull(reached_on, False), then=Value(rule.bonus_amount, output_field=AMOUNT)),
        default=zero,
        output_field=AMOUNT,
    )
    may_have_months = Q(term_ends_on__gte=first) & (Q(ended_on__isnull=True) | Q(ended_on__gt=first))
    with_line = (
        pairings.filter(Q(agreement_on__lte=last) & (may_have_months | may_have_bonus))
        .alias(months_due=months, bonus_reached_on=reached_on)
        .filter(Q(months_due__gt=0) | Q(bonus_reached_on__isnull=False))
    )
    return with_line, {"months": months, "allowance": allowance, "reached_on": reached_on, "bonus": bonus}


def reward_lines(pairings, *, year: int, rule: RewardRule, today: datetime.date):
    """The pairings among `pairings` with anything due for `year` under `rule`, annotated with
    `months`, `allowance`, `reached_on` and `bonus` (see `_reward_sql`), in the list's order (unit,
    mentor, agreement date). One query, whatever the number of pairings; page it or iterate it."""
    with_line, figures = _reward_sql(pairings, year=year, rule=rule, today=today)
    return (
        with_line.annotate(**figures)
        .select_related(*DISPLAY_RELATED)
        .order_by("unit__path", "mentor__name", "agreement_on", "id")
    )


def reward_totals(pairings, *, year: int, rule: RewardRule, today: datetime.date) -> RewardTotals:
    """The totals of `reward_lines` (one aggregate query)."""
    with_line, figures = _reward_sql(pairings, year=year, rule=rule, today=today)
    # Not Sum("allowance") over reward_lines: Django 5.2 would inline the annotations but still
    # name them (it misses the subqueries under a CASE's condition, so does not wrap the query),
    # and the SQL fails; the aggregates take the expressions themselves.
    totals = with_line.aggregate(
        pairings=Count("pk"),
        months=Sum(figures["months"], default=0),
        allowance=Sum(figures["allowance"], default=ZERO, output_field=AMOUNT),
        bonus=Sum(figures["bonus"], default=ZERO, output_field=AMOUNT),
    )
    return RewardTotals(
        pairings=totals["pairings"],
        months=totals["months"],
        allowance=_amount(totals["allowance"]),
        bonus=_amount(totals["bonus"]),
    )


def _amount(value) -> Decimal:
    # SQLite sums decimals as floats: back to the cent (PostgreSQL's numeric is exact already).
    return Decimal(value).quantize(CENT)


def _grade_on(history: list[tuple[datetime.date, int, str]], day: datetime.date) -> str:
    """The grade held on `day`: the newest change on or before it (by date, then by entry)."""
    index = bisect.bisect_right(history, (day, float("inf"), ""))
    return history[index - 1][2] if index else ""


def reward_page(pairings, *, year: int, rule: RewardRule, today: datetime.date) -> list[RewardLine]:
    """The lines of some pairings of `reward_lines` (a page, a chunk of the export), with the
    months at each rate spelled out (`RewardLine.rates`): one query for their mentors' grade
    histories."""
    pairings = list(pairings)
    histories: dict[int, list[tuple[datetime.date, int, str]]] = {}
    mentor_ids = {p.mentor_id for p in pairings}
    if mentor_ids:
        changes = SkillGradeChange.objects.filter(person_id__in=mentor_ids).values_list(
            "person_id", "changed_on", "id", "grade"
        )
        for person_id, changed_on, pk, grade in changes:
            histories.setdefault(person_id, []).append((changed_on, pk, grade))
        for history in histories.values():
            history.sort()
    rate_of = {grade: rule.rate_for(grade) for grade in SkillGrade.values}  # rate_for reads SkillGrade.values
    lines = []
    for pairing in pairings:
        rates: list[tuple[int, Decimal]] = []
        last_day = last_active_day(term_ends_on=pairing.term_ends_on, ended_on=pairing.ended_on)
        history = histories.get(pairing.mentor_id, [])
        for month in counted_months(start=pairing.agreement_on, last_day=last_day, year=year, until=today):
            rate = rate_of.get(_grade_on(history, month), ZERO)
            if rates and rates[-1][1] == rate:
                rates[-1] = (rates[-1][0] + 1, rate)
            else:
                rates.append((1, rate))
        lines.append(
            RewardLine(
                pairing=pairing,
                months=pairing.months,
                rates=rates,
                allowance=_amount(pairing.allowance),
                reached_on=pairing.reached_on,
                bonus=_amount(pairing.bonus),
            )
        )
    return lines


@contextmanager
def jit_off():
    """Run the reward queries without PostgreSQL's JIT compiler: their plans are estimated costly
    (a subquery per month in each CASE), so PostgreSQL compiles the expressions, which took 4 s for
    0.2 s of work at tier P. SET LOCAL: for this transaction only (one is opened if none is)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


def iter_reward_lines(lines, *, year: int, rule: RewardRule, today: datetime.date, chunk_size: int = 2000):
    """Every line of `reward_lines`, streamed (the Excel export): the pairings are read from a
    cursor in chunks, each with its mentors' grade histories, and never all held at once."""
    with jit_off():
        rows = lines.iterator(chunk_size=chunk_size)
        while chunk := list(itertools.islice(rows, chunk_size)):
            yield from reward_page(chunk, year=year, rule=rule, today=today)


def rewards_due(
    pairings, *, year: int, rule: RewardRule, today: datetime.date
) -> tuple[list[RewardLine], RewardTotals]:
    """The rewards due to mentors for `year` under `rule`, one line per pairing with anything due.

    Allowance: for each month counted (mentoring.periods: the pairing is active on the month's
    first day, and the month has begun by `today`), the rule's rate for the grade the mentor holds
    on that first day (by the mentor's skill-grade history; no grade, no allowance).
    Bonus: once, in the year the apprentice's first change to the rule's grade or higher on or
    after the agreement date falls, if that is within `bonus_years` years of the agreement (on the
    anniversary still counts), the apprentice was below that grade when the agreement was signed,
    and the pairing did not fail or end early.

    Every line at once (tests, small scopes): the page and the export read `reward_lines` a page
    or a chunk at a time and `reward_totals` instead.
    """
    with jit_off():
        lines = reward_lines(pairings, year=year, rule=rule, today=today)
        lines = reward_page(lines, year=year, rule=rule, today=today)
    totals = RewardTotals()
    for line in lines:
        totals.add(line)
    return lines, totals
