"""Every write to units and accounts. Keyword-only, atomic, validated, audited."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import register_change_names
from core.choices import AuditAction
from core.exceptions import TransitionNotAllowed
from core.i18n import sentence
from core.models import AuditEvent
from core.permissions import can
from core.services import audit_log, diff, notify, snapshot

from .models import Unit, User
from .policies import may_manage_account

# A unit's place in the tree is its materialized path; a move is recorded as its parent unit.
register_change_names(Unit, labels={"parent": gettext_lazy("Parent unit")})

UNIT_FIELDS = ("name", "short_name", "code", "kind", "union_name", "is_active")
USER_FIELDS = ("name", "email", "phone", "role", "unit")
# No 0/O or 1/l/I: the temporary password is read out over the phone.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - an alphabet, not a password


def _require(actor, action, target):
    if not can(actor, action, target):
        raise PermissionDenied


def _check_unit_code(code: str, *, exclude_pk=None) -> None:
    clash = Unit.objects.filter(code__iexact=code)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"code": _("Another unit already uses this code.")})


@transaction.atomic
def unit_create(
    *,
    actor,
    parent: Unit | None,
    name: str,
    code: str,
    kind: str,
    short_name: str = "",
    union_name: str = "",
) -> Unit:
    _require(actor, "add", Unit)
    _check_unit_code(code)
    fields = {"name": name, "code": code, "kind": kind, "short_name": short_name, "union_name": union_name}
    if parent is None:
        if Unit.objects.get_root_nodes().exists():
            raise ValidationError({"parent": _("The organisation already has a top unit; choose a parent.")})
        unit = Unit.objects.add_root(fields)
    else:
        # treebeard locks the parent row, so two children added at once get different paths.
        unit = Unit.objects.add_child(parent, fields)
    audit_log(actor=actor, obj=unit, action=AuditAction.CREATE, changes={k: [None, v] for k, v in fields.items()})
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, **fields) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _require(actor, "change", unit)
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unit_update got unexpected fields: {sorted(unknown)}")
    if "code" in fields:
        _check_unit_code(fields["code"], exclude_pk=unit.pk)
    before = snapshot(unit, fields)
    for name, value in fields.items():
        setattr(unit, name, value)
    changes = diff(before, unit)
    if changes:
        unit.save(update_fields=[*changes, "updated_at"])
        audit_log(actor=actor, obj=unit, action=AuditAction.UPDATE, changes=changes)
    return unit


@transaction.atomic
def unit_move(*, actor, unit: Unit, new_parent: Unit) -> Unit:
    """Move a unit, with its whole subtree, below another unit (reorganisation, merger)."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _require(actor, "move", unit)
    new_parent = Unit.objects.select_for_update().get(pk=new_parent.pk)
    if unit.is_root():
        raise ValidationError({"new_parent": _("The top unit cannot be moved.")})
    if new_parent.path.startswith(unit.path):
        raise ValidationError({"new_parent": _("A unit cannot be moved below itself or one of its own units.")})
    old_parent = Unit.objects.get_parent(unit)
    if old_parent.pk == new_parent.pk:
        raise ValidationError({"new_parent": _("The unit is already directly below this unit.")})
    Unit.objects.move(unit, new_parent, pos="last-child")
    unit.refresh_from_db()
    audit_log(actor=actor, obj=unit, action=AuditAction.MOVE, changes={"parent": [str(old_parent), str(new_parent)]})
    return unit


def _temporary_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(14))


def _check_account(actor, *, role, unit) -> None:
    if unit is None:
        raise ValidationError({"unit": _("Choose the unit this person works for.")})
    if not may_manage_account(actor, role=role, unit=unit):
        raise ValidationError({"role": _("You may not give this role in this unit.")})


@transaction.atomic
def user_create(
    *, actor, username: str, name: str, role: str, unit: Unit, email: str = "", phone: str = ""
) -> tuple[User, str]:
    """Open an account with a temporary password the person must change at first login."""
    _require(actor, "add", User)
    _check_account(actor, role=role, unit=unit)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    password = _temporary_password()
    user = User(username=username, name=name, role=role, unit=unit, email=email, phone=phone)
    user.set_password(password)
    user.must_change_password = True
    user.save()
    audit_log(
        actor=actor,
        obj=user,
        action=AuditAction.CREATE,
        changes={k: [None, str(getattr(user, k))] for k in ("username", *USER_FIELDS)},
    )
    return user, password


@transaction.atomic
def user_update(*, actor, user: User, **fields) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    _require(actor, "change", user)
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise TypeError(f"user_update got unexpected fields: {sorted(unknown)}")
    _check_account(actor, role=fields.get("role", user.role), unit=fields.get("unit", user.unit))
    before = snapshot(user, fields)
    for name, value in fields.items():
        setattr(user, name, value)
    changes = diff(before, user)
    if changes:
        user.save(update_fields=list(changes))
        audit_log(actor=actor, obj=user, action=AuditAction.UPDATE, changes=changes)
    return user


@transaction.atomic
def user_profile_update(*, user: User, name: str, email: str, phone: str) -> User:
    """A person edits their own contact details."""
    user = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(user, ("name", "email", "phone"))
    user.name, user.email, user.phone = name, email, phone
    changes = diff(before, user)
    if changes:
        user.save(update_fields=list(changes))
        audit_log(actor=user, obj=user, action=AuditAction.UPDATE, changes=changes)
    return user


@transaction.atomic
def user_deactivate(*, actor, user: User, comment: str) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    _require(actor, "deactivate", user)
    if not user.is_active:
        raise TransitionNotAllowed(_("This account is already deactivated."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_log(
        actor=actor, obj=user, action=AuditAction.DEACTIVATE, changes={"is_active": [True, False]}, comment=comment
    )
    return user


@transaction.atomic
def user_activate(*, actor, user: User, comment: str = "") -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    _require(actor, "activate", user)
    if user.is_active:
        raise TransitionNotAllowed(_("This account is already active."))
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_log(actor=actor, obj=user, action=AuditAction.ACTIVATE, changes={"is_active": [False, True]}, comment=comment)
    return user


@transaction.atomic
def user_password_reset(*, actor, user: User, comment: str = "") -> str:
    """Give the account a new temporary password (returned once) and require a change at next login."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _require(actor, "reset_password", user)
    password = _temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit_log(actor=actor, obj=user, action=AuditAction.PASSWORD_RESET, comment=comment)
    notify(
        recipients=[user],
        title=sentence("Your password was reset"),
        body=sentence(
            "%(actor)s reset your password. Sign in with the temporary password you were given and choose a new one.",
            actor=actor.display_name,
        ),
        url=reverse("password_change"),
    )
    return password


@transaction.atomic
def user_password_change(*, user: User, new_password: str) -> User:
    """A person sets their own new password. The form has run the validators already; they run
    here again so that no caller (a command, the demo data) can set a weak one."""
    from django.contrib.auth.password_validation import validate_password

    user = User.objects.select_for_update().get(pk=user.pk)
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_log(actor=user, obj=user, action=AuditAction.PASSWORD_CHANGED)
    return user


def user_is_locked(user: User) -> bool:
    from .selectors import locked_usernames

    return locked_usernames().filter(username=user.username).exists()


@transaction.atomic
def user_unlock(*, actor, user: User, comment: str = "") -> User:
    """Lift a lockout after failed logins before its cool-off ends."""
    from axes.utils import reset

    user = User.objects.select_for_update().get(pk=user.pk)
    _require(actor, "unlock", user)
    if not user_is_locked(user):
        raise TransitionNotAllowed(_("This account is not locked."))
    reset(username=user.username)
    audit_log(actor=actor, obj=user, action=AuditAction.UNLOCK, comment=comment)
    return user


@transaction.atomic
def user_lockout_record(*, username: str | None, ip_address: str | None) -> None:
    """Audit a lockout (django-axes reports it) against the account, when the account exists."""
    from axes.helpers import get_cool_off
    from django.utils import timezone

    user = User.objects.filter(username=username).first() if username else None
    if user is None:
        return
    # django-axes reports the lockout again at every attempt during the cool-off; record it once
    # per lockout (a lockout after an unlock is a new one).
    latest = (
        AuditEvent.objects.filter(
            content_type__app_label="accounts",
            content_type__model="user",
            object_id=str(user.pk),
            action__in=[AuditAction.LOGIN_LOCKED, AuditAction.UNLOCK],
            created_at__gte=timezone.now() - get_cool_off(),
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is not None and latest.action == AuditAction.LOGIN_LOCKED:
        return
    audit_log(
        actor=None,
        obj=user,
        action=AuditAction.LOGIN_LOCKED,
        comment=sentence("Locked after repeated failed logins from %(ip)s.", ip=ip_address or "?"),
    )


@transaction.atomic
def organisation_bootstrap(
    *, unit_name: str, unit_code: str, username: str, name: str, password: str
) -> tuple[Unit, User]:
    """Create the top unit and the first HQ cadre of an empty portal (nobody can act before them)."""
    from django.contrib.auth.password_validation import validate_password

    from .choices import Role, UnitKind

    if Unit.objects.get_root_nodes().exists():
        raise ValidationError(_("The organisation already exists."))
    root = Unit.objects.add_root(
        {"name": unit_name, "code": unit_code, "kind": UnitKind.HQ, "union_name": f"{unit_name}工会"}
    )
    user = User(username=username, name=name, role=Role.HQ_CADRE, unit=root)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    audit_log(actor=None, obj=root, action=AuditAction.CREATE, comment="bootstrap")
    audit_log(actor=None, obj=user, action=AuditAction.CREATE, comment="bootstrap")
    return root, user
