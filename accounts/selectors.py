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


def branches(user) -> tuple[Unit | None, list[Unit]]:
    """The top of the user's scope and the units directly below it (the branches a chart compares)."""
    visible = Unit.objects.visible_to(user)
    top = visible.order_by("depth", "path").first()
    if top is None:
        return None, []
    return top, list(Unit.objects.get_children(top).filter(pk__in=visible.values("pk")))


def branch_key(top: Unit, path_lookup: str = "path"):
    """The path of the branch (the unit directly below `top`) a row's unit lies in: GROUP BY it."""
    return Substr(path_lookup, 1, top.depth * Unit.steplen + Unit.steplen)


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
