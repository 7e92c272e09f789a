"""Every write to training classes. Keyword-only, atomic, validated, audited on the class.

Class: preparing (筹备) → enrolling (报名) → running (进行中) → finished (结束).
Enrolment: enrolled while seats last, then waiting (in order of asking, up to the waiting list's
size), else refused; cancelling a seat gives it to the first person waiting.
Sign-in: once per person and session, by the QR code in the room while the class runs (from an
hour before the session starts until it ends), or recorded by an organiser. Hours are credited per
session attended. Finishing the class numbers the certificates of everyone who attended.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.audit import register_change_names
from core.exceptions import TransitionNotAllowed
from core.i18n import sentence
from core.permissions import can
from core.services import audit_log, diff, ensure_present, notify, snapshot
from core.tables import register_action_labels
from talent.models import Person

from .choices import ClassStatus, EnrolmentStatus, SignInMethod
from .models import Attendance, Enrolment, Feedback, Material, Session, TrainingClass
from .policies import may_enrol_person

register_action_labels(
    {
        "class_create": gettext_lazy("Class created"),
        "class_update": gettext_lazy("Class edited"),
        "class_open": gettext_lazy("Enrolment opened"),
        "class_start": gettext_lazy("Class started"),
        "class_finish": gettext_lazy("Class finished"),
        "session_add": gettext_lazy("Session added"),
        "session_update": gettext_lazy("Session edited"),
        "session_delete": gettext_lazy("Session removed"),
        "enrol": gettext_lazy("People enrolled"),
        "enrolment_cancel": gettext_lazy("Enrolment cancelled"),
        "attendance_record": gettext_lazy("Attendance recorded"),
        "sign_in": gettext_lazy("Signed in with the QR code"),
        "feedback_submit": gettext_lazy("Feedback received"),
        "material_add": gettext_lazy("Material added"),
        "material_delete": gettext_lazy("Material removed"),
    }
)
# A sign-in is recorded on the class (its history), the attendance being a session's.
register_change_names(TrainingClass, fields={"attendances.method": "sessions.attendances.method"})

CLASS_FIELDS = (
    "title",
    "kind",
    "organiser",
    "starts_on",
    "ends_on",
    "place",
    "capacity",
    "waitlist_limit",
    "audience",
    "description",
    "contact",
    "contact_phone",
)
SESSION_FIELDS = ("title", "speaker", "speaker_title", "starts_at", "ends_at", "hours", "room")
MAX_ENROL_AT_ONCE = 500


def _require(actor, action, target):
    if not can(actor, action, target):
        raise PermissionDenied


def _locked(training_class: TrainingClass) -> TrainingClass:
    """The class's row, locked alone, then read afresh with its organiser. Locked through the join,
    PostgreSQL would re-check the join against the old organiser once a concurrent edit that changed
    it commits, and find no class (as studios.services._locked explains)."""
    TrainingClass.objects.select_for_update().filter(pk=training_class.pk).values_list("pk", flat=True).get()
    return TrainingClass.objects.select_related("organiser").get(pk=training_class.pk)


def _not_finished(training_class):
    if training_class.status == ClassStatus.FINISHED:
        raise TransitionNotAllowed(_("This class has finished; it can no longer be changed."))


def _check_class(fields: dict, training_class: TrainingClass | None = None) -> None:
    starts_on, ends_on = fields.get("starts_on"), fields.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day cannot be before the first day.")})
    if training_class is None:
        return
    counts = _counts(training_class)
    if "capacity" in fields and fields["capacity"] < counts[EnrolmentStatus.ENROLLED]:
        raise ValidationError(
            {
                "capacity": _("%(count)s people are already enrolled; the capacity cannot be lower.")
                % {"count": counts[EnrolmentStatus.ENROLLED]}
            }
        )
    if "waitlist_limit" in fields and fields["waitlist_limit"] < counts[EnrolmentStatus.WAITING]:
        raise ValidationError(
            {
                "waitlist_limit": _("%(count)s people are already waiting; the waiting list cannot be shorter.")
                % {"count": counts[EnrolmentStatus.WAITING]}
            }
        )
    if starts_on and ends_on:
        outside = [
            s
            for s in training_class.sessions.all()
            if not starts_on <= timezone.localtime(s.starts_at).date() <= ends_on
        ]
        if outside:
            raise ValidationError(
                {"starts_on": _("The session “%(title)s” falls outside these dates.") % {"title": outside[0].title}}
            )


def _check_organiser(actor, organiser) -> None:
    from core.permissions import in_user_subtree

    if organiser is None:
        raise ValidationError({"organiser": _("Choose the organising unit.")})
    if not actor.is_hq and not in_user_subtree(actor, organiser):
        raise ValidationError(
            {"organiser": _("You may only organise classes for your own unit or the units below it.")}
        )


@transaction.atomic
def class_create(*, actor, **fields) -> TrainingClass:
    _require(actor, "add", TrainingClass)
    unknown = set(fields) - set(CLASS_FIELDS)
    if unknown:
        raise TypeError(f"class_create got unexpected fields: {sorted(unknown)}")
    _check_organiser(actor, fields.get("organiser"))
    _check_class(fields)
    training_class = TrainingClass.objects.create(created_by=actor, **fields)
    audit_log(
        actor=actor,
        obj=training_class,
        action="class_create",
        changes={"title": [None, training_class.title], "organiser": [None, str(training_class.organiser)]},
    )
    return training_class


@transaction.atomic
def class_update(*, actor, training_class: TrainingClass, **fields) -> TrainingClass:
    training_class = _locked(training_class)
    _require(actor, "change", training_class)
    _not_finished(training_class)
    unknown = set(fields) - set(CLASS_FIELDS)
    if unknown:
        raise TypeError(f"class_update got unexpected fields: {sorted(unknown)}")
    if "organiser" in fields and fields["organiser"] != training_class.organiser:
        _check_organiser(actor, fields["organiser"])
    merged = {"starts_on": training_class.starts_on, "ends_on": training_class.ends_on, **fields}
    _check_class(merged, training_class)
    before = snapshot(training_class, fields)
    for name, value in fields.items():
        setattr(training_class, name, value)
    changes = diff(before, training_class)
    if changes:
        training_class.save()
        audit_log(actor=actor, obj=training_class, action="class_update", changes=changes)
        if "capacity" in changes:
            _promote_waiting(training_class)
    return training_class


def _transition(actor, training_class, *, action, permission, source, target, message, comment="", check=None):
    training_class = _locked(training_class)
    _require(actor, permission, training_class)
    if training_class.status != source:
        raise TransitionNotAllowed(message)
    if check:
        check(training_class)
    training_class.status = target
    training_class.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, obj=training_class, action=action, changes={"status": [source, target]}, comment=comment)
    return training_class


def _has_sessions(training_class):
    if not training_class.sessions.exists():
        raise TransitionNotAllowed(_("Add the class's sessions before opening enrolment."))


@transaction.atomic
def class_open_enrolment(*, actor, training_class: TrainingClass, comment: str = "") -> TrainingClass:
    return _transition(
        actor,
        training_class,
        action="class_open",
        permission="manage",
        source=ClassStatus.PREPARING,
        target=ClassStatus.ENROLLING,
        message=_("Only a class in preparation can open for enrolment."),
        comment=comment,
        check=_has_sessions,
    )


@transaction.atomic
def class_start(*, actor, training_class: TrainingClass, comment: str = "") -> TrainingClass:
    def has_trainees(locked):
        if not locked.enrolments.filter(status=EnrolmentStatus.ENROLLED).exists():
            raise TransitionNotAllowed(_("Nobody is enrolled yet; the class cannot start."))

    return _transition(
        actor,
        training_class,
        action="class_start",
        permission="manage",
        source=ClassStatus.ENROLLING,
        target=ClassStatus.RUNNING,
        message=_("Only a class open for enrolment can start."),
        comment=comment,
        check=has_trainees,
    )


@transaction.atomic
def class_finish(*, actor, training_class: TrainingClass, comment: str = "") -> TrainingClass:
    """End the class: waiting places lapse and each trainee who attended gets a certificate number."""
    training_class = _transition(
        actor,
        training_class,
        action="class_finish",
        permission="manage",
        source=ClassStatus.RUNNING,
        target=ClassStatus.FINISHED,
        message=_("Only a class in progress can be finished."),
        comment=comment,
    )
    now = timezone.now()
    training_class.enrolments.filter(status=EnrolmentStatus.WAITING).update(
        status=EnrolmentStatus.CANCELLED, cancelled_at=now
    )
    attended = (
        training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED, attendances__isnull=False)
        .distinct()
        .select_related("person")
        .order_by("person__unit__path", "person__name", "pk")
    )
    prefix = f"{training_class.organiser.code or 'PX'}-{training_class.ends_on.year}-{training_class.pk:04d}"
    numbered = []
    for number, enrolment in enumerate(attended, start=1):
        enrolment.certificate_no = f"{prefix}-{number:04d}"
        numbered.append(enrolment)
    Enrolment.objects.bulk_update(numbered, ["certificate_no"])
    notify(
        recipients={
            e.enrolled_by
            for e in Enrolment.objects.filter(pk__in=[e.pk for e in numbered]).select_related("enrolled_by")
        },
        title=sentence("Certificates of “%(title)s” are ready", title=training_class.title),
        url=training_class.get_absolute_url(),
    )
    return training_class


# Sessions -----------------------------------------------------------------------------------------


def _check_session(training_class, fields) -> None:
    starts_at, ends_at = fields.get("starts_at"), fields.get("ends_at")
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The session must end after it starts.")})
    if starts_at and not (training_class.starts_on <= timezone.localtime(starts_at).date() <= training_class.ends_on):
        raise ValidationError(
            {
                "starts_at": _("The session must fall within the class's dates (%(start)s to %(end)s).")
                % {"start": training_class.starts_on.isoformat(), "end": training_class.ends_on.isoformat()}
            }
        )


@transaction.atomic
def session_create(*, actor, training_class: TrainingClass, **fields) -> Session:
    training_class = _locked(training_class)
    _require(actor, "manage", training_class)
    _not_finished(training_class)
    _check_session(training_class, fields)
    session = Session.objects.create(training_class=training_class, **fields)
    audit_log(
        actor=actor,
        obj=training_class,
        action="session_add",
        comment=f"{session.title} · {session.speaker} · {session.hours}",
    )
    return session


@transaction.atomic
def session_update(*, actor, session: Session, **fields) -> Session:
    training_class = _locked(session.training_class)
    session = Session.objects.select_for_update().get(pk=session.pk)
    _require(actor, "manage", training_class)
    _not_finished(training_class)
    merged = {"starts_at": session.starts_at, "ends_at": session.ends_at, **fields}
    _check_session(training_class, merged)
    before = snapshot(session, fields)
    for name, value in fields.items():
        setattr(session, name, value)
    changes = diff(before, session)
    if changes:
        session.save()
        audit_log(
            actor=actor,
            obj=training_class,
            action="session_update",
            changes={f"sessions.{name}": value for name, value in changes.items()},
            comment=session.title,
        )
    return session


@transaction.atomic
def session_delete(*, actor, session: Session) -> TrainingClass:
    training_class = _locked(session.training_class)
    _require(actor, "manage", training_class)
    _not_finished(training_class)
    ensure_present(session)
    if session.attendances.exists():
        raise TransitionNotAllowed(_("People have signed in to this session; it cannot be removed."))
    audit_log(actor=actor, obj=training_class, action="session_delete", comment=session.title)
    session.delete()
    return training_class


# Enrolment ----------------------------------------------------------------------------------------


def _counts(training_class) -> dict:
    from django.db.models import Count

    counts = dict.fromkeys(EnrolmentStatus.values, 0)
    for row in training_class.enrolments.values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


@transaction.atomic
def enrol(*, actor, training_class: TrainingClass, people: Iterable[Person]) -> dict:
    """Enrol people: seats first, then the waiting list. All or nothing: if the seats and waiting
    places left cannot hold everyone asked for, nobody is enrolled and the message says how many fit."""
    training_class = _locked(training_class)
    _require(actor, "enrol", training_class)
    if training_class.status != ClassStatus.ENROLLING:
        raise TransitionNotAllowed(_("This class is not open for enrolment."))
    people = list({p.pk: p for p in people}.values())
    if not people:
        raise ValidationError({"people": _("Choose at least one person.")})
    if len(people) > MAX_ENROL_AT_ONCE:
        raise ValidationError({"people": _("Enrol at most %(count)s people at a time.") % {"count": MAX_ENROL_AT_ONCE}})
    outside = [p.name for p in people if not may_enrol_person(actor, p)]
    if outside:
        raise ValidationError({"people": _("You may not enrol: %(names)s.") % {"names": "、".join(outside[:10])}})
    existing = {
        e.person_id: e
        for e in Enrolment.objects.select_for_update().filter(training_class=training_class, person__in=people)
    }
    already = [p.name for p in people if p.pk in existing and existing[p.pk].status != EnrolmentStatus.CANCELLED]
    if already:
        raise ValidationError(
            {"people": _("Already enrolled or waiting: %(names)s.") % {"names": "、".join(already[:10])}}
        )
    counts = _counts(training_class)
    seats = max(training_class.capacity - counts[EnrolmentStatus.ENROLLED], 0)
    waiting_room = max(training_class.waitlist_limit - counts[EnrolmentStatus.WAITING], 0)
    if len(people) > seats + waiting_room:
        raise ValidationError(
            {
                "people": _(
                    "The class is full: %(seats)s seats and %(waiting)s waiting places are left, "
                    "and you asked for %(asked)s people. Nobody was enrolled."
                )
                % {"seats": seats, "waiting": waiting_room, "asked": len(people)}
            }
        )
    now = timezone.now()
    result = {EnrolmentStatus.ENROLLED: [], EnrolmentStatus.WAITING: []}
    for index, person in enumerate(people):
        status = EnrolmentStatus.ENROLLED if index < seats else EnrolmentStatus.WAITING
        enrolment = existing.get(person.pk) or Enrolment(training_class=training_class, person=person)
        enrolment.status = status
        enrolment.enrolled_by = actor
        enrolment.asked_at = now
        enrolment.seated_at = now if status == EnrolmentStatus.ENROLLED else None
        enrolment.cancelled_at = None
        try:
            with transaction.atomic():
                enrolment.save()
        except IntegrityError:
            raise ValidationError(
                {"people": _("Already enrolled or waiting: %(names)s.") % {"names": person.name}}
            ) from None
        result[status].append(person.name)
    audit_log(
        actor=actor,
        obj=training_class,
        action="enrol",
        comment="；".join(
            f"{EnrolmentStatus(status).label}: {'、'.join(names)}" for status, names in result.items() if names
        ),
    )
    return {"enrolled": len(result[EnrolmentStatus.ENROLLED]), "waiting": len(result[EnrolmentStatus.WAITING])}


def _promote_waiting(training_class) -> list[Enrolment]:
    """Give free seats to the people waiting longest (the class row is locked by the caller)."""
    if training_class.status not in (ClassStatus.ENROLLING, ClassStatus.RUNNING):
        return []
    counts = _counts(training_class)
    free = training_class.capacity - counts[EnrolmentStatus.ENROLLED]
    if free <= 0:
        return []
    promoted = list(
        training_class.enrolments.select_for_update()
        .filter(status=EnrolmentStatus.WAITING)
        .select_related("person", "enrolled_by")
        .order_by("asked_at", "pk")[:free]
    )
    now = timezone.now()
    for enrolment in promoted:
        enrolment.status = EnrolmentStatus.ENROLLED
        enrolment.seated_at = now
        enrolment.save(update_fields=["status", "seated_at"])
        notify(
            recipients=[enrolment.enrolled_by],
            title=sentence(
                "%(name)s now has a seat in “%(title)s”", name=enrolment.person.name, title=training_class.title
            ),
            url=training_class.get_absolute_url(),
        )
    return promoted


@transaction.atomic
def enrolment_cancel(*, actor, enrolment: Enrolment, comment: str = "") -> Enrolment:
    training_class = _locked(enrolment.training_class)
    enrolment = Enrolment.objects.select_for_update().select_related("person").get(pk=enrolment.pk)
    _require(actor, "cancel", enrolment)
    if training_class.status not in (ClassStatus.ENROLLING, ClassStatus.RUNNING):
        raise TransitionNotAllowed(_("Places can only be cancelled while the class is enrolling or in progress."))
    if enrolment.status == EnrolmentStatus.CANCELLED:
        raise TransitionNotAllowed(_("This place is already cancelled."))
    if enrolment.attendances.exists():
        raise TransitionNotAllowed(_("This person has already attended a session; the place cannot be cancelled."))
    old = enrolment.status
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.cancelled_at = timezone.now()
    enrolment.save(update_fields=["status", "cancelled_at"])
    promoted = _promote_waiting(training_class) if old == EnrolmentStatus.ENROLLED else []
    audit_log(
        actor=actor,
        obj=training_class,
        action="enrolment_cancel",
        changes={"enrolments.status": [old, EnrolmentStatus.CANCELLED]},
        comment="；".join(filter(None, [enrolment.person.name, comment, "、".join(e.person.name for e in promoted)])),
    )
    return enrolment


# Sign-in ------------------------------------------------------------------------------------------


def _sign_in_window(session) -> tuple[datetime.datetime, datetime.datetime]:
    early = datetime.timedelta(minutes=settings.TRAINING_SIGN_IN_EARLY_MINUTES)
    return session.starts_at - early, session.ends_at


def find_enrolment(*, session: Session, employee_no: str, name: str) -> Enrolment:
    """The trainee's enrolment in the session's class, found by employee number and name together."""
    employee_no, name = (employee_no or "").strip(), (name or "").strip()
    enrolment = (
        Enrolment.objects.select_related("person")
        .filter(training_class_id=session.training_class_id, person__employee_no=employee_no, person__name=name)
        .first()
    )
    if enrolment is None or enrolment.status == EnrolmentStatus.CANCELLED:
        raise ValidationError(
            {
                "employee_no": _(
                    "No trainee of this class has this employee number and name. Check both, or ask the organiser."
                )
            }
        )
    if enrolment.status == EnrolmentStatus.WAITING:
        raise ValidationError(
            {"employee_no": _("You are on the waiting list of this class, not enrolled; you cannot sign in yet.")}
        )
    return enrolment


@transaction.atomic
def sign_in(*, session: Session, employee_no: str, name: str, now: datetime.datetime | None = None) -> Attendance:
    """A trainee signs in with the room's QR code. Once per session; while the class runs and the
    session is on (from an hour before it starts until it ends)."""
    now = now or timezone.now()
    session = Session.objects.select_related("training_class").get(pk=session.pk)
    # The class row is locked as finishing it locks it: a sign-in never lands after the certificates.
    session.training_class = _locked(session.training_class)
    if session.training_class.status != ClassStatus.RUNNING:
        raise TransitionNotAllowed(_("Sign-in is closed: the class is not in progress."))
    opens, closes = _sign_in_window(session)
    if not opens <= now <= closes:
        raise TransitionNotAllowed(
            _("Sign-in for this session is open from %(opens)s to %(closes)s.")
            % {
                "opens": timezone.localtime(opens).strftime("%Y-%m-%d %H:%M"),
                "closes": timezone.localtime(closes).strftime("%H:%M"),
            }
        )
    enrolment = find_enrolment(session=session, employee_no=employee_no, name=name)
    attendance = _attend(session, enrolment, method=SignInMethod.QR, now=now)
    # The trainee has no account: no actor; the event names who signed in, as a recorded one does.
    audit_log(
        actor=None,
        obj=session.training_class,
        action="sign_in",
        changes={"attendances.method": SignInMethod.QR},
        comment=f"{enrolment.person.name} · {session.title}",
    )
    return attendance


def _attend(session, enrolment, *, method, now, actor=None) -> Attendance:
    enrolment = Enrolment.objects.select_for_update().select_related("person").get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.ENROLLED:  # cancelled since it was looked up
        raise ValidationError({"employee_no": _("This place has been cancelled; you cannot sign in.")})
    earlier = Attendance.objects.filter(session=session, enrolment=enrolment).first()
    if earlier is not None:
        raise TransitionNotAllowed(
            _("%(name)s already signed in to this session at %(time)s.")
            % {"name": enrolment.person.name, "time": time_format(timezone.localtime(earlier.signed_at), "H:i")}
        )
    try:
        with transaction.atomic():
            return Attendance.objects.create(
                session=session, enrolment=enrolment, signed_at=now, method=method, recorded_by=actor
            )
    except IntegrityError:  # two taps at the same moment
        raise TransitionNotAllowed(
            _("%(name)s already signed in to this session.") % {"name": enrolment.person.name}
        ) from None


@transaction.atomic
def attendance_record(*, actor, session: Session, enrolment: Enrolment) -> Attendance:
    """An organiser records a trainee present who could not scan the code (no phone, flat battery)."""
    training_class = _locked(session.training_class)
    _require(actor, "manage", training_class)
    if training_class.status != ClassStatus.RUNNING:
        raise TransitionNotAllowed(_("Attendance is recorded while the class is in progress."))
    if enrolment.training_class_id != training_class.pk or enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError({"enrolment": _("Choose a trainee enrolled in this class.")})
    now = timezone.now()
    if now < _sign_in_window(session)[0]:
        raise ValidationError({"session": _("This session has not started yet.")})
    attendance = _attend(session, enrolment, method=SignInMethod.MANUAL, now=now, actor=actor)
    audit_log(
        actor=actor,
        obj=training_class,
        action="attendance_record",
        comment=f"{enrolment.person.name} · {session.title}",
    )
    return attendance


# Feedback and materials ---------------------------------------------------------------------------


@transaction.atomic
def feedback_submit(
    *,
    enrolment: Enrolment,
    content_rating: int,
    speaker_rating: int,
    organisation_rating: int,
    comment: str = "",
    suggestion: str = "",
) -> Feedback:
    """A trainee's feedback, once, after attending at least one session."""
    enrolment = Enrolment.objects.select_for_update().select_related("training_class").get(pk=enrolment.pk)
    if enrolment.training_class.status not in (ClassStatus.RUNNING, ClassStatus.FINISHED):
        raise TransitionNotAllowed(_("Feedback opens when the class starts."))
    if not enrolment.attendances.exists():
        raise TransitionNotAllowed(_("Feedback is given by trainees who attended at least one session."))
    if Feedback.objects.filter(enrolment=enrolment).exists():
        raise TransitionNotAllowed(_("You have already given feedback on this class. Thank you!"))
    for field, value in (
        ("content_rating", content_rating),
        ("speaker_rating", speaker_rating),
        ("organisation_rating", organisation_rating),
    ):
        if value not in range(1, 6):
            raise ValidationError({field: _("Give a rating from 1 to 5.")})
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                enrolment=enrolment,
                content_rating=content_rating,
                speaker_rating=speaker_rating,
                organisation_rating=organisation_rating,
                comment=comment,
                suggestion=suggestion,
            )
    except IntegrityError:
        raise TransitionNotAllowed(_("You have already given feedback on this class. Thank you!")) from None
    # Feedback is shown without names: the event says that some trainee gave it, not who or what.
    audit_log(actor=None, obj=enrolment.training_class, action="feedback_submit")
    return feedback


@transaction.atomic
def material_add(*, actor, training_class: TrainingClass, title: str, file) -> Material:
    training_class = _locked(training_class)
    _require(actor, "manage", training_class)
    material = Material.objects.create(training_class=training_class, title=title, file=file, uploaded_by=actor)
    audit_log(actor=actor, obj=training_class, action="material_add", comment=title)
    return material


@transaction.atomic
def material_delete(*, actor, material: Material) -> TrainingClass:
    training_class = _locked(material.training_class)
    _require(actor, "manage", training_class)
    ensure_present(material)
    audit_log(actor=actor, obj=training_class, action="material_delete", comment=material.title)
    name = material.file.name
    material.delete()
    storage = Material._meta.get_field("file").storage
    transaction.on_commit(lambda: storage.delete(name))
    return training_class


def enrol_message(counts: dict) -> str:
    parts = [
        ngettext("%(count)s person enrolled", "%(count)s people enrolled", counts["enrolled"])
        % {"count": counts["enrolled"]}
    ]
    if counts["waiting"]:
        parts.append(
            ngettext("%(count)s on the waiting list", "%(count)s on the waiting list", counts["waiting"])
            % {"count": counts["waiting"]}
        )
    return "，".join(parts) + "。"
