"""Every write to projects and results: keyword-only, atomic, validated, audited and notified.

A result: draft → submitted → verified (by the unit) or returned (with a reason). Only verified
results count in statistics, and only a verified result can record where it is applied.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.choices import AuditAction
from core.exceptions import TransitionNotAllowed
from core.i18n import sentence
from core.permissions import can
from core.services import (
    audit_log,
    diff,
    ensure_present,
    notifications_settle,
    notify,
    picture_delete,
    picture_store,
    snapshot,
)
from core.tables import register_action_labels
from studios.models import Studio
from studios.selectors import cadres_over, studio_lead_users
from talent.models import Person

from .choices import CaseStatus, ProjectStatus, ResultCategory, ResultStatus
from .models import Adoption, Attachment, Award, Contributor, Milestone, Project, Result, ResultImage

register_action_labels(
    {
        "project_start": gettext_lazy("Project started"),
        "project_close": gettext_lazy("Project closed"),
        "project_terminate": gettext_lazy("Project terminated"),
        "result_submit": gettext_lazy("Result submitted"),
        "result_verify": gettext_lazy("Result verified"),
        "result_return": gettext_lazy("Result returned"),
        "adoption_add": gettext_lazy("Adoption recorded"),
        "case_propose": gettext_lazy("Proposed as a typical case"),
        "case_approve": gettext_lazy("Approved as a typical case"),
        "case_withdraw": gettext_lazy("Taken off the showcase"),
        "image_add": gettext_lazy("Picture added"),
        "image_delete": gettext_lazy("Picture removed"),
        "milestone_add": gettext_lazy("Milestone added"),
        "milestone_progress": gettext_lazy("Progress recorded"),
        "award_add": gettext_lazy("Award recorded"),
        "attachment_add": gettext_lazy("Attachment added"),
    }
)

PROJECT_FIELDS = ("title", "kind", "leader", "started_on", "planned_end_on", "goals", "budget")
RESULT_FIELDS = (
    "project",
    "title",
    "category",
    "achieved_on",
    "summary",
    "benefit",
    "benefit_year",
    "benefit_basis",
    "benefit_proof",
    "patent_no",
    "patent_granted_on",
    "ip_disputed",
)
EDITABLE_RESULT_STATES = {ResultStatus.DRAFT, ResultStatus.RETURNED}


def _require(actor, action, target):
    if not can(actor, action, target):
        raise PermissionDenied


def _visible_people(actor, people, field):
    people = list(people or [])
    visible = set(Person.objects.visible_to(actor).filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True))
    if any(p.pk not in visible for p in people):
        raise ValidationError({field: _("Choose people you can see.")})
    return people


def _check_project_dates(started_on, planned_end_on):
    if planned_end_on < started_on:
        raise ValidationError({"planned_end_on": _("The planned end cannot be before the start.")})


# Projects -----------------------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    actor,
    studio: Studio,
    title: str,
    kind: str,
    leader: Person,
    started_on,
    planned_end_on,
    goals: str = "",
    budget: Decimal | None = None,
    team=(),
    partner_studios=(),
) -> Project:
    studio = Studio.objects.select_for_update().get(pk=studio.pk)
    _require(actor, "manage_achievements", studio)
    _check_project_dates(started_on, planned_end_on)
    if budget is not None and budget < 0:
        raise ValidationError({"budget": _("The budget cannot be negative.")})
    _visible_people(actor, [leader], "leader")
    team = _visible_people(actor, team, "team")
    partners = list(partner_studios or [])
    visible_studios = set(Studio.objects.visible_to(actor).values_list("pk", flat=True))
    if any(p.pk not in visible_studios or p.pk == studio.pk for p in partners):
        raise ValidationError({"partner_studios": _("Choose other studios you can see.")})
    project = Project.objects.create(
        studio=studio,
        title=title,
        kind=kind,
        leader=leader,
        started_on=started_on,
        planned_end_on=planned_end_on,
        goals=goals,
        budget=budget,
    )
    project.team.set(team)
    project.partner_studios.set(partners)
    audit_log(actor=actor, obj=project, action=AuditAction.CREATE, changes={"title": [None, title]})
    return project


@transaction.atomic
def project_update(*, actor, project: Project, team=None, partner_studios=None, **fields) -> Project:
    project = Project.objects.select_for_update().select_related("studio").get(pk=project.pk)
    _require(actor, "change", project)
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"project_update got unexpected fields: {sorted(unknown)}")
    if project.status in (ProjectStatus.CLOSED, ProjectStatus.TERMINATED):
        raise TransitionNotAllowed(_("A closed or terminated project can no longer be changed."))
    before = snapshot(project, fields)
    for name, value in fields.items():
        setattr(project, name, value)
    _check_project_dates(project.started_on, project.planned_end_on)
    if "leader" in fields:
        _visible_people(actor, [project.leader], "leader")
    changes = diff(before, project)
    if team is not None:
        project.team.set(_visible_people(actor, team, "team"))
    if partner_studios is not None:
        visible_studios = set(Studio.objects.visible_to(actor).values_list("pk", flat=True))
        if any(p.pk not in visible_studios or p.pk == project.studio_id for p in partner_studios):
            raise ValidationError({"partner_studios": _("Choose other studios you can see.")})
        project.partner_studios.set(partner_studios)
    if changes:
        project.save()
    audit_log(actor=actor, obj=project, action=AuditAction.UPDATE, changes=changes)
    return project


def _step(*, actor, obj, permission, sources, target, action, refused, comment="", apply=None):
    """One status step of a project or a result: lock, check the right and the state, apply, audit."""
    obj = type(obj).objects.select_for_update().select_related("studio", "studio__unit").get(pk=obj.pk)
    _require(actor, permission, obj)
    if obj.status not in sources:
        raise TransitionNotAllowed(refused % {"status": obj.get_status_display()})
    old = obj.status
    if apply:
        apply(obj)
    obj.status = target
    obj.save()
    notifications_settle(obj)  # the step it waited for is taken
    audit_log(actor=actor, obj=obj, action=action, changes={"status": [old, target]}, comment=comment)
    return obj


def _project_step(*, project, **kwargs):
    return _step(obj=project, refused=_("This project is “%(status)s”; that step is not possible now."), **kwargs)


@transaction.atomic
def project_start(*, actor, project: Project, comment: str = "") -> Project:
    return _project_step(
        actor=actor,
        project=project,
        permission="start",
        sources={ProjectStatus.APPROVED},
        target=ProjectStatus.IN_PROGRESS,
        action="project_start",
        comment=comment,
    )


@transaction.atomic
def project_close(*, actor, project: Project, summary: str, closed_on: datetime.date | None = None) -> Project:
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"comment": _("Write the closing summary.")})
    closed_on = closed_on or timezone.localdate()
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("The date cannot be in the future.")})

    def apply(locked):
        if closed_on < locked.started_on:
            raise ValidationError({"closed_on": _("A project cannot close before it starts.")})
        locked.closing_summary, locked.closed_on = summary, closed_on

    return _project_step(
        actor=actor,
        project=project,
        permission="close",
        sources={ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS},
        target=ProjectStatus.CLOSED,
        action="project_close",
        comment=summary,
        apply=apply,
    )


@transaction.atomic
def project_terminate(*, actor, project: Project, reason: str) -> Project:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"comment": _("Give the reason for terminating the project.")})

    def apply(locked):
        locked.closed_on = timezone.localdate()

    return _project_step(
        actor=actor,
        project=project,
        permission="terminate",
        sources={ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS},
        target=ProjectStatus.TERMINATED,
        action="project_terminate",
        comment=reason,
        apply=apply,
    )


# Results ------------------------------------------------------------------------------------------


def _check_result(actor, studio, fields):
    errors = {}
    project = fields.get("project")
    if project is not None and not (
        project.studio_id == studio.pk or project.partner_studios.filter(pk=studio.pk).exists()
    ):
        errors["project"] = _("Choose a project of this studio.")
    benefit = fields.get("benefit")
    if benefit is not None and benefit < 0:
        errors["benefit"] = _("The benefit cannot be negative.")
    if benefit and not fields.get("benefit_year"):
        errors["benefit_year"] = _("Say which year the benefit was made in.")
    achieved_on = fields.get("achieved_on")
    if achieved_on and achieved_on > timezone.localdate():
        errors["achieved_on"] = _("The date cannot be in the future.")
    granted = fields.get("patent_granted_on")
    if granted and granted > timezone.localdate():
        errors["patent_granted_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)


def _set_contributors(actor, result, people):
    people = _visible_people(actor, people, "contributors")
    if len({p.pk for p in people}) != len(people):
        raise ValidationError({"contributors": _("Each person is listed once.")})
    result.contributors.all().delete()
    Contributor.objects.bulk_create(
        [Contributor(result=result, person=person, rank=rank) for rank, person in enumerate(people, start=1)]
    )


@transaction.atomic
def result_create(
    *, actor, studio: Studio, title: str, category: str, achieved_on, contributors=(), **fields
) -> Result:
    studio = Studio.objects.select_for_update().get(pk=studio.pk)
    _require(actor, "manage_achievements", studio)
    unknown = set(fields) - set(RESULT_FIELDS)
    if unknown:
        raise TypeError(f"result_create got unexpected fields: {sorted(unknown)}")
    _check_result(actor, studio, {**fields, "achieved_on": achieved_on})
    result = Result.objects.create(studio=studio, title=title, category=category, achieved_on=achieved_on, **fields)
    _set_contributors(actor, result, contributors)
    audit_log(actor=actor, obj=result, action=AuditAction.CREATE, changes={"title": [None, title]})
    return result


@transaction.atomic
def result_update(*, actor, result: Result, contributors=None, **fields) -> Result:
    result = Result.objects.select_for_update().select_related("studio").get(pk=result.pk)
    _require(actor, "change", result)
    unknown = set(fields) - set(RESULT_FIELDS)
    if unknown:
        raise TypeError(f"result_update got unexpected fields: {sorted(unknown)}")
    if result.status not in EDITABLE_RESULT_STATES:
        raise TransitionNotAllowed(_("A submitted or verified result cannot be changed; ask the unit to return it."))
    if "benefit_proof" in fields and not fields["benefit_proof"]:
        del fields["benefit_proof"]  # an empty upload keeps the current proof
    merged = {name: getattr(result, name) for name in RESULT_FIELDS}
    merged.update(fields)
    _check_result(actor, result.studio, merged)
    before = snapshot(result, fields)
    for name, value in fields.items():
        setattr(result, name, value)
    changes = diff(before, result)
    if changes:
        result.save()
    if contributors is not None:
        _set_contributors(actor, result, contributors)
    audit_log(actor=actor, obj=result, action=AuditAction.UPDATE, changes=changes)
    return result


def _result_step(*, result, **kwargs):
    return _step(obj=result, refused=_("This result is “%(status)s”; that step is not possible now."), **kwargs)


def _notify_leads(result, title):
    notify(
        recipients=list(studio_lead_users(result.studio)), title=title, body=result.title, url=result.get_absolute_url()
    )


@transaction.atomic
def result_submit(*, actor, result: Result) -> Result:
    def apply(locked):
        errors = {}
        if locked.category in ResultCategory.patents() and not locked.patent_no:
            errors["patent_no"] = _("A patent needs its patent number before it is submitted.")
        if not locked.contributors.exists():
            errors["contributors"] = _("List at least one contributor.")
        if errors:
            raise ValidationError(errors)

    result = _result_step(
        actor=actor,
        result=result,
        permission="submit",
        sources=EDITABLE_RESULT_STATES,
        target=ResultStatus.SUBMITTED,
        action="result_submit",
        apply=apply,
    )
    notify(
        recipients=list(cadres_over(result.studio.unit)),
        title=sentence("A result waits for verification"),
        body=result.title,
        url=result.get_absolute_url(),
        task=result,
    )
    return result


@transaction.atomic
def result_verify(*, actor, result: Result, comment: str = "") -> Result:
    def apply(locked):
        locked.verified_on = timezone.localdate()

    result = _result_step(
        actor=actor,
        result=result,
        permission="verify",
        sources={ResultStatus.SUBMITTED},
        target=ResultStatus.VERIFIED,
        action="result_verify",
        comment=comment,
        apply=apply,
    )
    _notify_leads(result, sentence("A result was verified"))
    return result


@transaction.atomic
def result_return(*, actor, result: Result, reason: str) -> Result:
    """Back to the studio with a reason: a submitted result before it is verified, or a verified
    one found wrong later (a patent number, an amount) so that the studio corrects it. A returned
    result counts nowhere until it is verified again (annual reports already submitted keep their
    figures); a verified result's typical case leaves the showcase with it, to be proposed again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"comment": _("Give the reason for returning the result.")})
    case_taken_off = []

    def apply(locked):
        locked.verified_on = None
        if locked.case_status != CaseStatus.NONE:
            case_taken_off.append(locked.case_status)
            locked.case_status, locked.case_decided_on = CaseStatus.NONE, None

    result = _result_step(
        actor=actor,
        result=result,
        permission="return",
        sources={ResultStatus.SUBMITTED, ResultStatus.VERIFIED},
        target=ResultStatus.RETURNED,
        action="result_return",
        comment=reason,
        apply=apply,
    )
    if case_taken_off:
        audit_log(
            actor=actor,
            obj=result,
            action="case_withdraw",
            changes={"case_status": [case_taken_off[0], ""]},
            comment=reason,
        )
    _notify_leads(result, sentence("A result was returned: %(reason)s", reason=reason))
    return result


@transaction.atomic
def adoption_add(
    *,
    actor,
    result: Result,
    adopted_on,
    unit=None,
    organisation: str = "",
    scope: str = "",
    yearly_benefit: Decimal = Decimal("0"),
    proof=None,
) -> Adoption:
    """Record where a verified result is transferred or applied."""
    result = Result.objects.select_for_update().select_related("studio").get(pk=result.pk)
    _require(actor, "add_adoption", result)
    if result.status != ResultStatus.VERIFIED:
        raise TransitionNotAllowed(_("Only a verified result can record where it is applied."))
    organisation = (organisation or "").strip()
    errors = {}
    if (unit is None) == (not organisation):
        errors["unit"] = _("Choose the adopting unit, or name an outside organisation (not both).")
    if yearly_benefit is None or yearly_benefit < 0:
        errors["yearly_benefit"] = _("The benefit cannot be negative.")
    if adopted_on > timezone.localdate():
        errors["adopted_on"] = _("The date cannot be in the future.")
    elif adopted_on < result.achieved_on:
        errors["adopted_on"] = _("A result cannot be applied before the date it was achieved.")
    if errors:
        raise ValidationError(errors)
    adoption = Adoption.objects.create(
        result=result,
        unit=unit,
        organisation=organisation,
        adopted_on=adopted_on,
        scope=scope,
        yearly_benefit=yearly_benefit,
        proof=proof or "",
    )
    audit_log(
        actor=actor, obj=result, action="adoption_add", comment=f"{unit or organisation} {adopted_on.isoformat()}"
    )
    return adoption


# Pictures and the public showcase -----------------------------------------------------------------


@transaction.atomic
def result_image_add(*, actor, result: Result, image, caption: str = "") -> ResultImage:
    """`image` is already checked and renamed by core.uploads (ImageUploadField)."""
    result = Result.objects.select_for_update().select_related("studio").get(pk=result.pk)
    _require(actor, "upload_image", result)
    picture = ResultImage(result=result, caption=caption)
    picture_store(picture, image)
    audit_log(actor=actor, obj=result, action="image_add", comment=caption)
    return picture


@transaction.atomic
def result_image_delete(*, actor, picture: ResultImage) -> None:
    result = Result.objects.select_for_update().select_related("studio").get(pk=picture.result_id)
    _require(actor, "upload_image", result)
    ensure_present(picture)
    audit_log(actor=actor, obj=result, action="image_delete", comment=picture.caption)
    picture_delete(picture)


@transaction.atomic
def result_case_propose(*, actor, result: Result, story: str) -> Result:
    """Propose a verified result as a typical case (典型案例), with the story the public will read."""
    story = (story or "").strip()
    result = Result.objects.select_for_update().select_related("studio").get(pk=result.pk)
    _require(actor, "propose_case", result)
    if result.status != ResultStatus.VERIFIED:
        raise TransitionNotAllowed(_("Only a verified result can become a typical case."))
    if result.ip_disputed:
        raise TransitionNotAllowed(_("A result whose intellectual property is in dispute cannot be showcased."))
    if result.case_status != CaseStatus.NONE:
        raise TransitionNotAllowed(_("This result is already proposed or on the showcase."))
    if not story:
        raise ValidationError({"comment": _("Write the case story the public will read.")})
    result.case_status, result.case_story = CaseStatus.PROPOSED, story
    result.save(update_fields=["case_status", "case_story", "updated_at"])
    audit_log(actor=actor, obj=result, action="case_propose", changes={"case_status": ["", "proposed"]})
    from studios.selectors import hq_cadres

    notify(
        recipients=list(hq_cadres()),
        title=sentence("A typical case waits for approval"),
        body=result.title,
        url=result.get_absolute_url(),
        task=result,
    )
    return result


@transaction.atomic
def result_case_approve(*, actor, result: Result, comment: str = "") -> Result:
    result = Result.objects.select_for_update().select_related("studio").get(pk=result.pk)
    _require(actor, "approve_case", result)
    if result.case_status != CaseStatus.PROPOSED:
        raise TransitionNotAllowed(_("Only a proposed case can be approved."))
    if result.ip_disputed or result.status != ResultStatus.VERIFIED:
        raise TransitionNotAllowed(_("A result whose intellectual property is in dispute cannot be showcased."))
    result.case_status, result.case_decided_on = CaseStatus.APPROVED, timezone.localdate()
    result.save(update_fields=["case_status", "case_decided_on", "updated_at"])
    notifications_settle(result)
    audit_log(
        actor=actor,
        obj=result,
        action="case_approve",
        changes={"case_status": ["proposed", "approved"]},
        comment=comment,
    )
    _notify_leads(result, sentence("Your result is now a typical case on the showcase"))
    return result


@transaction.atomic
def result_case_withdraw(*, actor, result: Result, reason: str) -> Result:
    """HQ declines a proposal or takes a case off the showcase."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"comment": _("Give the reason.")})
    result = Result.objects.select_for_update().select_related("studio").get(pk=result.pk)
    _require(actor, "withdraw_case", result)
    if result.case_status == CaseStatus.NONE:
        raise TransitionNotAllowed(_("This result is not proposed as a typical case."))
    old = result.case_status
    result.case_status, result.case_decided_on = CaseStatus.NONE, None
    result.save(update_fields=["case_status", "case_decided_on", "updated_at"])
    notifications_settle(result)
    audit_log(actor=actor, obj=result, action="case_withdraw", changes={"case_status": [old, ""]}, comment=reason)
    return result


# Milestones, awards, attachments --------------------------------------------------------------------


@transaction.atomic
def milestone_add(*, actor, project: Project, title: str, due_on: datetime.date) -> Milestone:
    project = Project.objects.select_for_update().select_related("studio").get(pk=project.pk)
    _require(actor, "manage_milestones", project)
    if project.status in (ProjectStatus.CLOSED, ProjectStatus.TERMINATED):
        raise TransitionNotAllowed(_("A closed or terminated project can no longer be changed."))
    if due_on < project.started_on:
        raise ValidationError({"due_on": _("A milestone cannot fall before the project starts.")})
    milestone = Milestone.objects.create(project=project, title=title, due_on=due_on)
    audit_log(actor=actor, obj=project, action="milestone_add", comment=f"{title} {due_on.isoformat()}")
    return milestone


@transaction.atomic
def milestone_progress(
    *, actor, milestone: Milestone, progress: str, done_on: datetime.date | None = None
) -> Milestone:
    milestone = Milestone.objects.select_for_update().select_related("project", "project__studio").get(pk=milestone.pk)
    _require(actor, "change", milestone)
    if done_on and done_on > timezone.localdate():
        raise ValidationError({"done_on": _("The date cannot be in the future.")})
    if done_on and done_on < milestone.project.started_on:
        raise ValidationError({"done_on": _("A milestone cannot fall before the project starts.")})
    before = snapshot(milestone, ["progress", "done_on"])
    milestone.progress, milestone.done_on = progress, done_on
    changes = diff(before, milestone)
    if changes:
        milestone.save(update_fields=["progress", "done_on"])
        audit_log(
            actor=actor, obj=milestone.project, action="milestone_progress", comment=f"{milestone.title}: {progress}"
        )
    return milestone


@transaction.atomic
def award_add(*, actor, result: Result, name: str, level: str, year: int, grade: str = "") -> Award:
    result = Result.objects.select_for_update().select_related("studio").get(pk=result.pk)
    _require(actor, "add_award", result)
    if year > timezone.localdate().year:
        raise ValidationError({"year": _("The year cannot be in the future.")})
    if Award.objects.filter(result=result, name=name, year=year).exists():
        raise ValidationError({"name": _("This award is already recorded for that year.")})
    award = Award.objects.create(result=result, name=name, level=level, grade=grade, year=year)
    audit_log(actor=actor, obj=result, action="award_add", comment=str(award))
    return award


@transaction.atomic
def attachment_add(*, actor, result: Result, title: str, file) -> Attachment:
    """`file` is already checked and renamed by core.uploads (DocumentUploadField)."""
    result = Result.objects.select_for_update().select_related("studio").get(pk=result.pk)
    _require(actor, "attach", result)
    attachment = Attachment.objects.create(result=result, title=title, file=file)
    audit_log(actor=actor, obj=result, action="attachment_add", comment=title)
    return attachment
