"""Scoped and aggregated reads of alliances. Figures are computed by the database."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from achievements.choices import ResultStatus
from achievements.models import Project, Result
from core.permissions import unit_subtree_q
from studios.selectors import cadres_over, hq_cadres, ledger_totals, ledger_with_balance

from .choices import CURRENT_MEMBER_STATES, TIER_ORDER, DesignationBatchStatus, MemberStatus
from .models import Activity, Alliance, AllianceFundingEntry, AllianceMember, Designation

PENDING_STATES = (MemberStatus.REQUESTED, MemberStatus.EXIT_REQUESTED)


def _count(queryset):
    """A correlated COUNT(*) subquery (no row multiplication from two joins)."""
    return Coalesce(
        Subquery(queryset.order_by().values("alliance_id").annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def alliance_list(user):
    members = AllianceMember.objects.filter(alliance=OuterRef("pk"), status__in=CURRENT_MEMBER_STATES)
    activities = Activity.objects.filter(alliance=OuterRef("pk"))
    return (
        Alliance.objects.visible_to(user)
        .select_related("lead_unit")
        .annotate(member_count=_count(members), activity_count=_count(activities))
        .order_by("-founded_on", "-id")
    )


def led_studio_ids(user) -> set[int]:
    """The studios the user leads (one query)."""
    from studios.selectors import studios_led_by

    return set(studios_led_by(user).values_list("pk", flat=True))


def joinable_studios(user, alliance):
    """The named studios the user leads that are not yet in (nor asking to join) the alliance."""
    from studios.choices import StudioStatus
    from studios.selectors import studios_led_by

    from .choices import OPEN_MEMBER_STATES

    return (
        studios_led_by(user)
        .filter(status__in=(StudioStatus.NAMED, StudioStatus.RECTIFYING))
        .exclude(alliance_memberships__alliance=alliance, alliance_memberships__status__in=OPEN_MEMBER_STATES)
    )


def managers_of(alliance) -> list[User]:
    """Who decides for an alliance: the cadres of its lead unit, or HQ when the unit has none."""
    cadres = list(cadres_over(alliance.lead_unit))
    return cadres or list(hq_cadres())


def current_members(alliance):
    rows = list(
        AllianceMember.objects.filter(alliance=alliance, status__in=CURRENT_MEMBER_STATES).select_related(
            "studio", "studio__unit", "studio__lead"
        )
    )
    rows.sort(key=lambda m: (-TIER_ORDER[m.tier], m.studio.unit.path, m.studio.name))
    return rows


def pending_requests(alliance):
    return (
        AllianceMember.objects.filter(alliance=alliance, status__in=PENDING_STATES)
        .select_related("studio", "studio__unit")
        .order_by("updated_at")
    )


def past_members(alliance):
    return (
        AllianceMember.objects.filter(alliance=alliance, status__in=(MemberStatus.EXITED, MemberStatus.REMOVED))
        .select_related("studio")
        .order_by("-exited_on", "-id")
    )


def requests_waiting_for(user):
    """Join and exit requests the user may decide."""
    pending = AllianceMember.objects.filter(status__in=PENDING_STATES)
    if user.is_hq:
        return pending
    if user.is_unit_cadre:
        return pending.filter(unit_subtree_q(user, "alliance__lead_unit"))
    return pending.none()


def activities_in(alliance, year: int):
    return (
        Activity.objects.filter(alliance=alliance, held_on__year=year)
        .select_related("organiser", "project")
        .prefetch_related("studios", "photos")
        .annotate(people_count=Count("people", distinct=True))
        .order_by("-held_on", "-id")
    )


def activity_years(alliance) -> list[int]:
    return sorted({d.year for d in Activity.objects.filter(alliance=alliance).dates("held_on", "year")}, reverse=True)


def year_figures(alliance, year: int) -> dict:
    """The alliance's figures for a year: activities, participants, joint projects, cross-unit
    pairings (the alliance's mentor pairings agreed in the year) and funding (a few aggregate queries)."""
    from mentoring.selectors import alliance_pairings_in

    activities = Activity.objects.filter(alliance=alliance, held_on__year=year)
    figures = activities.aggregate(
        activities=Count("pk"),
        outsiders=Coalesce(Sum("outsider_count"), 0),
        joint_projects=Count("project", distinct=True),
    )
    figures["pairings"] = alliance_pairings_in(alliance, year)
    figures["people"] = (
        Activity.people.through.objects.filter(activity__in=activities.values("pk")).values("person").distinct().count()
    )
    person_times = Activity.people.through.objects.filter(activity__in=activities.values("pk")).count()
    figures["participants"] = person_times + figures["outsiders"]
    figures["funding"] = ledger_totals(AllianceFundingEntry.objects.filter(alliance=alliance, entry_date__year=year))
    return figures


def member_results_q(alliance) -> Q:
    """Verified results of current member studios achieved since the studio joined."""
    return Q(
        status=ResultStatus.VERIFIED,
        studio__alliance_memberships__alliance=alliance,
        studio__alliance_memberships__status__in=CURRENT_MEMBER_STATES,
        achieved_on__gte=F("studio__alliance_memberships__joined_on"),
    )


def member_results(alliance, *, limit=10):
    results = Result.objects.filter(member_results_q(alliance))
    totals = results.aggregate(count=Count("pk"), benefit=Coalesce(Sum("benefit"), Decimal("0")))
    top = list(results.select_related("studio").order_by(F("benefit").desc(nulls_last=True), "-achieved_on")[:limit])
    return totals, top


def joint_projects(alliance):
    return (
        Project.objects.filter(alliance_activities__alliance=alliance)
        .distinct()
        .select_related("studio")
        .annotate(partner_count=Count("partner_studios", distinct=True))
        .order_by("-started_on", "-id")
    )


def alliance_ledger(alliance):
    return ledger_with_balance(AllianceFundingEntry.objects.filter(alliance=alliance))


def alliance_funding_totals(alliance) -> dict:
    return ledger_totals(AllianceFundingEntry.objects.filter(alliance=alliance))


def designations_of(alliance):
    return (
        Designation.objects.filter(alliance=alliance, batch__status=DesignationBatchStatus.PUBLISHED)
        .select_related("batch")
        .order_by("-batch__designated_on")
    )


def studio_alliances(studio):
    """A studio's alliance memberships, newest first, with their alliances."""
    return (
        AllianceMember.objects.filter(studio=studio)
        .select_related("alliance", "alliance__lead_unit")
        .order_by("-created_at", "-id")
    )
