"""Scoped and aggregated reads of mentor pairings, and the yearly list of mentor rewards due."""

from __future__ import annotations

import bisect
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery

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


def _grade_on(history: list[tuple[datetime.date, int, str]], day: datetime.date) -> str:
    """The grade held on `day`: the newest change on or before it (by date, then by entry)."""
    index = bisect.bisect_right(history, (day, float("inf"), ""))
    return history[index - 1][2] if index else ""


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

    Two queries whatever the number of pairings: the candidate pairings with the apprentice's grade
    before the agreement and the date the bonus grade was reached (subqueries), then the mentors'
    grade histories.
    """
    first, last = _year_bounds(year)
    target_rank = SkillGrade.rank(rule.bonus_grade)
    qualifying = [grade for grade in SkillGrade.values if SkillGrade.rank(grade) >= target_rank]
    apprentice_changes = SkillGradeChange.objects.filter(person=OuterRef("apprentice"))
    may_have_months = Q(term_ends_on__gte=first) & (Q(ended_on__isnull=True) | Q(ended_on__gt=first))
    may_have_bonus = Q(
        status__in=(PairingStatus.ACTIVE, PairingStatus.GRADUATED),
        agreement_on__gte=add_months(first, -12 * rule.bonus_years),
    )
    candidates = (
        pairings.filter(Q(agreement_on__lte=last) & (may_have_months | may_have_bonus))
        .select_related(*DISPLAY_RELATED)
        .annotate(
            start_grade=Subquery(
                apprentice_changes.filter(changed_on__lt=OuterRef("agreement_on"))
                .order_by("-changed_on", "-id")
                .values("grade")[:1]
            ),
            reached_on=Subquery(
                apprentice_changes.filter(grade__in=qualifying, changed_on__gte=OuterRef("agreement_on"))
                .order_by("changed_on", "id")
                .values("changed_on")[:1]
            ),
        )
        .order_by("unit__path", "mentor__name", "agreement_on", "id")
    )
    candidates = list(candidates)
    histories: dict[int, list[tuple[datetime.date, int, str]]] = {}
    mentor_ids = {p.mentor_id for p in candidates}
    if mentor_ids:
        changes = SkillGradeChange.objects.filter(person_id__in=mentor_ids).values_list(
            "person_id", "changed_on", "id", "grade"
        )
        for person_id, changed_on, pk, grade in changes:
            histories.setdefault(person_id, []).append((changed_on, pk, grade))
        for history in histories.values():
            history.sort()

    lines, totals = [], RewardTotals()
    for pairing in candidates:
        line = RewardLine(pairing=pairing)
        last_day = last_active_day(term_ends_on=pairing.term_ends_on, ended_on=pairing.ended_on)
        history = histories.get(pairing.mentor_id, [])
        for month in counted_months(start=pairing.agreement_on, last_day=last_day, year=year, until=today):
            rate = rule.rate_for(_grade_on(history, month))
            if line.rates and line.rates[-1][1] == rate:
                line.rates[-1] = (line.rates[-1][0] + 1, rate)
            else:
                line.rates.append((1, rate))
            line.months += 1
            line.allowance += rate
        reached = pairing.reached_on
        if (
            reached is not None
            and reached.year == year
            and reached <= today
            and pairing.status in (PairingStatus.ACTIVE, PairingStatus.GRADUATED)
            and reached <= add_months(pairing.agreement_on, 12 * rule.bonus_years)
            and SkillGrade.rank(pairing.start_grade or "") < target_rank
        ):
            line.reached_on = reached
            line.bonus = rule.bonus_amount
        if line.months or line.reached_on:
            lines.append(line)
            totals.pairings += 1
            totals.months += line.months
            totals.allowance += line.allowance
            totals.bonus += line.bonus
    return lines, totals
