"""Scoped reads of units and accounts."""

from django.db.models import Count, Q
from django.db.models.functions import Substr

from .choices import Role
from .models import Unit, User


def unit_list(user):
    return Unit.objects.visible_to(user).annotate(user_count=Count("users", filter=Q(users__is_active=True)))


def unit_choices(user):
    """Units the user may pick in a form (active ones in the user's scope), in tree order."""
    return Unit.objects.visible_to(user).filter(is_active=True)


def unit_children(unit):
    return Unit.objects.get_children(unit).annotate(user_count=Count("users", filter=Q(users__is_active=True)))


def unit_ancestors(unit) -> list[Unit]:
    return list(Unit.objects.get_ancestors(unit))


def user_list(user):
    return User.objects.visible_to(user).select_related("unit")


def organisation_overview(user) -> dict:
    """Counts for the home pages, aggregated in the database over the user's scope."""
    units = Unit.objects.visible_to(user)
    users = User.objects.visible_to(user)
    unit_totals = units.aggregate(total=Count("pk"), active=Count("pk", filter=Q(is_active=True)))
    user_totals = users.aggregate(
        total=Count("pk", filter=Q(is_active=True)),
        inactive=Count("pk", filter=Q(is_active=False)),
        never_logged_in=Count("pk", filter=Q(is_active=True, last_login__isnull=True)),
    )
    by_role = dict(users.filter(is_active=True).values_list("role").annotate(n=Count("pk")).order_by())
    by_kind = dict(units.values_list("kind").annotate(n=Count("pk")).order_by())
    return {
        "units": unit_totals,
        "users": user_totals,
        "users_by_role": [(label, by_role.get(value, 0)) for value, label in Role.choices],
        "units_by_kind": by_kind,
    }


def units_per_branch(user) -> list[tuple[str, int]]:
    """For each unit directly below the top of the user's scope: how many units its subtree holds."""
    visible = Unit.objects.visible_to(user)
    top = visible.order_by("depth", "path").first()
    if top is None:
        return []
    branches = list(Unit.objects.get_children(top).filter(pk__in=visible.values("pk")))
    # One grouped query: every unit of the subtree counted under the branch its path starts with.
    step = Unit.steplen
    prefix_len = top.depth * step + step
    counts = dict(
        visible.filter(depth__gt=top.depth)
        .annotate(branch=Substr("path", 1, prefix_len))
        .values_list("branch")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [(branch.short_name or branch.name, counts.get(branch.path, 0)) for branch in branches]


def locked_usernames():
    """Usernames django-axes refuses now: at least the failure limit, the last one within the
    cool-off (an older lockout has lapsed even while its row waits for axes to clean it up)."""
    from axes.helpers import get_cool_off, get_failure_limit
    from axes.models import AccessAttempt
    from django.utils import timezone

    attempts = AccessAttempt.objects.filter(failures_since_start__gte=get_failure_limit(None, None))
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gt=timezone.now() - cool_off)
    return attempts.values("username")
