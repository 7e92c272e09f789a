"""Every write to the people registry. Keyword-only, atomic, validated, audited."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.choices import AuditAction
from core.permissions import can, in_user_subtree
from core.services import audit_log, diff, snapshot

from .models import Honour, Person, SkillGradeChange

PERSON_FIELDS = ("name", "gender", "employee_no", "unit", "team_group", "post", "phone", "id_number", "photo")


def _require(actor, action, target):
    if not can(actor, action, target):
        raise PermissionDenied


def _check_unit(actor, unit) -> None:
    if unit is None:
        raise ValidationError({"unit": _("Choose the person's unit.")})
    if actor.is_hq:
        return
    if not in_user_subtree(actor, unit):
        raise ValidationError({"unit": _("You may only register people of your own unit or the units below it.")})


def _check_employee_no(employee_no, *, exclude_pk=None) -> None:
    if not employee_no:
        return
    clash = Person.objects.filter(employee_no=employee_no)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"employee_no": _("Another person already has this employee number.")})


@transaction.atomic
def person_create(*, actor, name: str, unit, **fields) -> Person:
    _require(actor, "add", Person)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_create got unexpected fields: {sorted(unknown)}")
    _check_unit(actor, unit)
    fields["employee_no"] = fields.get("employee_no") or None
    _check_employee_no(fields["employee_no"])
    try:
        with transaction.atomic():
            person = Person.objects.create(name=name, unit=unit, **fields)
    except IntegrityError:  # the same employee number registered at the same moment
        raise ValidationError({"employee_no": _("Another person already has this employee number.")}) from None
    audit_log(
        actor=actor,
        obj=person,
        action=AuditAction.CREATE,
        changes={"name": [None, name], "unit": [None, str(unit)]},
    )
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **fields) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    _require(actor, "change", person)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_update got unexpected fields: {sorted(unknown)}")
    if "unit" in fields and fields["unit"] != person.unit:
        _check_unit(actor, fields["unit"])
    if "employee_no" in fields:
        fields["employee_no"] = fields["employee_no"] or None
        _check_employee_no(fields["employee_no"], exclude_pk=person.pk)
    if "photo" in fields and not fields["photo"]:
        del fields["photo"]  # an empty upload keeps the current photo
    before = snapshot(person, fields)
    for name, value in fields.items():
        setattr(person, name, value)
    changes = diff(before, person)
    if changes:
        person.save()
        # Personal data changes are audited without their values.
        for private in ("phone", "id_number"):
            if private in changes:
                changes[private] = ["***", "***"]
        audit_log(actor=actor, obj=person, action=AuditAction.UPDATE, changes=changes)
    return person


@transaction.atomic
def person_grade_change(
    *, actor, person: Person, grade: str, changed_on: datetime.date, proof=None, note: str = ""
) -> SkillGradeChange:
    """Record a skill-grade change once; the person's current grade is the newest change's."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    _require(actor, "change", person)
    if changed_on > timezone.localdate():
        raise ValidationError({"changed_on": _("The date cannot be in the future.")})
    if SkillGradeChange.objects.filter(person=person, grade=grade, changed_on=changed_on).exists():
        raise ValidationError({"grade": _("This grade change is already recorded.")})
    try:
        with transaction.atomic():
            change = SkillGradeChange.objects.create(
                person=person, grade=grade, changed_on=changed_on, proof=proof or "", note=note
            )
    except IntegrityError:
        raise ValidationError({"grade": _("This grade change is already recorded.")}) from None
    newest = SkillGradeChange.objects.filter(person=person).order_by("-changed_on", "-id").first()
    old_grade = person.skill_grade
    if person.skill_grade != newest.grade:
        person.skill_grade = newest.grade
        person.save(update_fields=["skill_grade", "updated_at"])
    audit_log(
        actor=actor,
        obj=person,
        action="grade_change",
        changes={"skill_grade": [old_grade, person.skill_grade]},
        comment=f"{change.get_grade_display()} {changed_on.isoformat()} {note}".strip(),
    )
    return change


@transaction.atomic
def honour_add(*, actor, person: Person, kind: str, level: str, title: str, year: int, issuer: str = "") -> Honour:
    person = Person.objects.select_for_update().get(pk=person.pk)
    _require(actor, "change", person)
    if year > timezone.localdate().year:
        raise ValidationError({"year": _("The year cannot be in the future.")})
    if Honour.objects.filter(person=person, title=title, year=year).exists():
        raise ValidationError({"title": _("This honour is already recorded for that year.")})
    honour = Honour.objects.create(person=person, kind=kind, level=level, title=title, year=year, issuer=issuer)
    audit_log(actor=actor, obj=person, action="honour_add", comment=f"{title} ({year})")
    return honour


@transaction.atomic
def honour_remove(*, actor, honour: Honour) -> None:
    person = Person.objects.select_for_update().get(pk=honour.person_id)
    _require(actor, "change", person)
    audit_log(actor=actor, obj=person, action="honour_remove", comment=f"{honour.title} ({honour.year})")
    honour.delete()


@transaction.atomic
def person_link_user(*, actor, person: Person, user) -> Person:
    """Link a person record to a login (or unlink with user=None)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    _require(actor, "link_user", person)
    if user is not None and Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise ValidationError({"user": _("This login already belongs to another person.")})
    before = snapshot(person, ["user"])
    person.user = user
    changes = diff(before, person)
    if changes:
        try:
            with transaction.atomic():
                person.save(update_fields=["user", "updated_at"])
        except IntegrityError:
            raise ValidationError({"user": _("This login already belongs to another person.")}) from None
        audit_log(actor=actor, obj=person, action=AuditAction.UPDATE, changes=changes)
    return person
