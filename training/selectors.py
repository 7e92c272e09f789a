"""Reads of training classes: aggregates in the database, scoped by the rule set."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Avg, Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .choices import EnrolmentStatus
from .models import Attendance, Enrolment, Feedback, Material, Session, TrainingClass

ZERO_HOURS = Value(Decimal("0"), output_field=DecimalField(max_digits=8, decimal_places=1))


def _count_subquery(queryset, field="pk"):
    return Coalesce(Subquery(queryset.order_by().values(field).annotate(n=Count("pk")).values("n")[:1]), Value(0))


def class_list(user):
    """Visible classes with their seat figures, one query (correlated counts, no row fan-out)."""
    enrolled = Enrolment.objects.filter(training_class=OuterRef("pk"), status=EnrolmentStatus.ENROLLED)
    waiting = Enrolment.objects.filter(training_class=OuterRef("pk"), status=EnrolmentStatus.WAITING)
    sessions = Session.objects.filter(training_class=OuterRef("pk"))
    return (
        TrainingClass.objects.visible_to(user)
        .select_related("organiser")
        .annotate(
            enrolled_count=_count_subquery(enrolled, "training_class"),
            waiting_count=_count_subquery(waiting, "training_class"),
            session_count=_count_subquery(sessions, "training_class"),
        )
    )


def seat_figures(training_class) -> dict:
    counts = training_class.enrolments.aggregate(
        enrolled=Count("pk", filter=Q(status=EnrolmentStatus.ENROLLED)),
        waiting=Count("pk", filter=Q(status=EnrolmentStatus.WAITING)),
    )
    hours = training_class.sessions.aggregate(total=Coalesce(Sum("hours"), ZERO_HOURS))["total"]
    return {
        **counts,
        "capacity": training_class.capacity,
        "seats_left": max(training_class.capacity - counts["enrolled"], 0),
        "waiting_left": max(training_class.waitlist_limit - counts["waiting"], 0),
        "hours": hours,
    }


def sessions_of(training_class):
    return list(training_class.sessions.annotate(signed=Count("attendances")).order_by("starts_at", "pk"))


def enrolments_for(user, training_class):
    """The enrolments of a class the user may see, with hours credited and sessions attended."""
    hours = (
        Attendance.objects.filter(enrolment=OuterRef("pk"))
        .order_by()
        .values("enrolment")
        .annotate(total=Sum("session__hours"))
        .values("total")[:1]
    )
    attended = Attendance.objects.filter(enrolment=OuterRef("pk"))
    return (
        Enrolment.objects.visible_to(user)
        .filter(training_class=training_class)
        .select_related("person", "person__unit")
        .annotate(
            hours=Coalesce(Subquery(hours), ZERO_HOURS),
            attended=_count_subquery(attended, "enrolment"),
            has_feedback=Count("feedback"),
        )
        .order_by("status", "asked_at", "pk")
    )


def attendance_marks(training_class, enrolment_ids) -> dict[int, dict[int, object]]:
    """{enrolment id: {session id: signed-in time}} for the given enrolments: one query."""
    marks: dict[int, dict[int, object]] = {}
    rows = Attendance.objects.filter(
        session__training_class=training_class, enrolment_id__in=list(enrolment_ids)
    ).values_list("enrolment_id", "session_id", "signed_at")
    for enrolment_id, session_id, signed_at in rows:
        marks.setdefault(enrolment_id, {})[session_id] = signed_at
    return marks


def trainee_rows(user, training_class, sessions) -> list:
    """The class page's trainee table: the enrolments the user may see, each with `cells`, its
    sign-in time per session (None where absent), in the order of `sessions`. Two queries."""
    enrolments = list(enrolments_for(user, training_class))
    marks = attendance_marks(training_class, [e.pk for e in enrolments])
    for enrolment in enrolments:
        signed = marks.get(enrolment.pk, {})
        enrolment.cells = [signed.get(session.pk) for session in sessions]
    return enrolments


def feedback_summary(training_class) -> dict:
    rows = Feedback.objects.filter(enrolment__training_class=training_class)
    summary = rows.aggregate(
        count=Count("pk"),
        content=Avg("content_rating"),
        speakers=Avg("speaker_rating"),
        organisation=Avg("organisation_rating"),
    )
    attended = Enrolment.objects.filter(training_class=training_class, attendances__isnull=False).distinct().count()
    summary["attended"] = attended
    summary["rate"] = round(100 * summary["count"] / attended) if attended else None
    summary["distribution"] = {
        row["content_rating"]: row["n"] for row in rows.order_by().values("content_rating").annotate(n=Count("pk"))
    }
    # Comments are shown without names: feedback is anonymous to the organisers.
    summary["comments"] = list(
        rows.exclude(comment="", suggestion="").order_by("-submitted_at").values("comment", "suggestion")[:50]
    )
    return summary


def materials_of(training_class):
    return list(Material.objects.filter(training_class=training_class).order_by("created_at", "pk"))


def enrolment_hours(enrolment) -> Decimal:
    return enrolment.attendances.aggregate(total=Coalesce(Sum("session__hours"), ZERO_HOURS))["total"]


def certificate_rows(enrolments) -> list:
    """Enrolments with a certificate number and their hours, for printing."""
    hours = (
        Attendance.objects.filter(enrolment=OuterRef("pk"))
        .order_by()
        .values("enrolment")
        .annotate(total=Sum("session__hours"))
        .values("total")[:1]
    )
    return list(
        enrolments.exclude(certificate_no="")
        .select_related("person", "person__unit", "training_class", "training_class__organiser")
        .annotate(hours=Coalesce(Subquery(hours), ZERO_HOURS))
        .order_by("certificate_no")
    )


def person_classes(user, person):
    """The classes a person took part in (that the user may see), with hours credited."""
    hours = (
        Attendance.objects.filter(enrolment=OuterRef("pk"))
        .order_by()
        .values("enrolment")
        .annotate(total=Sum("session__hours"))
        .values("total")[:1]
    )
    return list(
        Enrolment.objects.filter(person=person, training_class__in=TrainingClass.objects.visible_to(user).values("pk"))
        .exclude(status=EnrolmentStatus.CANCELLED)
        .select_related("training_class", "training_class__organiser")
        .annotate(hours=Coalesce(Subquery(hours), ZERO_HOURS))
        .order_by("-training_class__starts_on", "-pk")
    )


def team_training_figures(studio, year: int) -> dict:
    """Person-times (a team member attending a class) and hours of a studio's team in a year."""
    from studios.models import Membership

    team = Membership.objects.filter(studio=studio, joined_on__year__lte=year).filter(
        Q(left_on__isnull=True) | Q(left_on__year__gte=year)
    )
    attendances = Attendance.objects.filter(enrolment__person__in=team.values("person"), session__starts_at__year=year)
    figures = attendances.aggregate(
        person_times=Count("enrolment", distinct=True),
        hours=Coalesce(Sum("session__hours"), ZERO_HOURS),
    )
    return figures
