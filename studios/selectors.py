"""Scoped and aggregated reads of studios."""

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum, Window
from django.db.models.functions import Coalesce

from accounts.choices import Role
from accounts.models import User

from .choices import FundingDirection, StudioStatus
from .models import FundingEntry, Membership, Studio


def studios_led_by(user):
    from .policies import led_studio_ids

    return Studio.objects.filter(pk__in=led_studio_ids(user))


def studio_list(user):
    """The studios the user may see, newest change first, with their current team size.

    The team size is a correlated subquery, not a COUNT over a join: with a GROUP BY the database
    had to join and group every studio before it could sort and cut out one page (and count the
    pages the same way); the subquery is evaluated only for the rows of the page. The long texts
    and the stored eligibility check, which no list column shows, are not read."""
    current_team = (
        Membership.objects.filter(studio=OuterRef("pk"), left_on__isnull=True)
        .order_by()
        .values("studio")
        .annotate(size=Count("pk"))
        .values("size")
    )
    return (
        Studio.objects.visible_to(user)
        .select_related("unit", "kind", "lead")
        .defer("facilities", "description", "explanation", "eligibility")
        .annotate(team_size=Coalesce(Subquery(current_team), 0))
        .order_by("-updated_at", "-id")
    )


def studio_team(studio, *, current_only=False):
    members = Membership.objects.filter(studio=studio).select_related("person", "person__unit")
    return members.filter(left_on__isnull=True) if current_only else members


def team_figures(studio) -> dict:
    """Active team size and the number of distinct 班组 among the members (one query)."""
    return Membership.objects.filter(studio=studio, left_on__isnull=True).aggregate(
        size=Count("pk"),
        team_groups=Count("person__team_group", filter=~Q(person__team_group=""), distinct=True),
        with_group=Count("pk", filter=~Q(person__team_group="")),
    )


def named_studios_per_branch(user) -> list[tuple[str, int]]:
    """For each unit directly below the top of the user's scope: how many of its subtree's studios
    hold the title now (named, or named and in rectification) — HQ's first look at where the
    studios are. Studios of the top unit itself come first when it has any. Two queries."""
    from accounts.selectors import branch_key, branches

    top, children = branches(user)
    if top is None:
        return []
    counts = dict(
        Studio.objects.visible_to(user)
        .filter(status__in=(StudioStatus.NAMED, StudioStatus.RECTIFYING), unit__path__startswith=top.path)
        .annotate(branch=branch_key(top, "unit__path"))
        .values_list("branch")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = [(branch.short_name or branch.name, counts.get(branch.path, 0)) for branch in children]
    own = sum(n for key, n in counts.items() if len(key) <= len(top.path))
    return [(top.short_name or top.name, own), *rows] if own else rows


def ledger_totals(entries) -> dict:
    """Income, spending and balance of a funding ledger queryset (one aggregate query)."""
    zero = Decimal("0")
    totals = entries.aggregate(
        income=Coalesce(Sum("amount", filter=Q(direction=FundingDirection.IN)), zero),
        spending=Coalesce(Sum("amount", filter=Q(direction=FundingDirection.OUT)), zero),
    )
    totals["balance"] = totals["income"] - totals["spending"]
    return totals


def ledger_with_balance(entries):
    """The ledger lines with a running balance computed by the database (a window sum), and whether
    each line has been reversed (a reversing line, negative, cancels it in the balance)."""
    from django.db.models import Case, DecimalField, F, When

    signed = Case(
        When(direction=FundingDirection.IN, then=F("amount")),
        default=-F("amount"),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )
    reversed_ = Exists(entries.model.objects.filter(reverses=OuterRef("pk")))
    return entries.annotate(
        signed_amount=signed,
        balance=Window(Sum(signed), order_by=[F("entry_date").asc(), F("id").asc()]),
        is_reversed=reversed_,
    )


def funding_totals(studio, *, year=None) -> dict:
    entries = FundingEntry.objects.filter(studio=studio)
    if year is not None:
        entries = entries.filter(entry_date__year=year)
    return ledger_totals(entries)


def funding_ledger(studio):
    return ledger_with_balance(FundingEntry.objects.filter(studio=studio))


def cadres_over(unit):
    """Active unit cadres whose unit is `unit` or above it (they review its studios)."""
    step = unit.steplen
    prefixes = [unit.path[:i] for i in range(step, len(unit.path) + 1, step)]
    return User.objects.filter(role=Role.UNIT_CADRE, is_active=True, unit__path__in=prefixes)


def hq_cadres():
    return User.objects.filter(role=Role.HQ_CADRE, is_active=True)


def studio_lead_users(studio):
    """The logins of the studio's lead and liaison."""
    from .policies import LEAD_ROLES

    return User.objects.filter(
        Q(person__led_studios=studio)
        | Q(
            person__memberships__studio=studio,
            person__memberships__left_on__isnull=True,
            person__memberships__role__in=LEAD_ROLES,
        ),
        is_active=True,
    ).distinct()


def review_queue(user):
    """The studios waiting for this user's action."""
    studios = Studio.objects.visible_to(user).select_related("unit", "kind", "lead")
    if user.is_hq:
        return studios.filter(status=StudioStatus.RECOMMENDED)
    if user.is_unit_cadre:
        return studios.filter(status=StudioStatus.SUBMITTED)
    if user.is_studio_lead:
        return studios.filter(status__in=[StudioStatus.DRAFT, StudioStatus.RETURNED])
    return studios.none()


def studio_status_counts(user) -> list[tuple[str, str, int]]:
    """(status, label, count) of the studios in the user's scope, in lifecycle order (one query)."""
    counts = dict(Studio.objects.visible_to(user).values_list("status").annotate(n=Count("pk")).order_by())
    return [(value, label, counts.get(value, 0)) for value, label in StudioStatus.choices]
