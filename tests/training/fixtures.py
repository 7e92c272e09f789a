"""Builders of training data for the training tests and the permission matrix.

The class is organised by branch A (its cadre and HQ organise it); it is for branch A's subtree, so
plant A1's studio lead sees it once published; branch B's cadre and the other lead (B1) do not.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from training.models import Attendance, Enrolment, Feedback, Material, Session, TrainingClass

from ..factories import PersonFactory


def make_class(world, *, status="enrolling", organiser=None, capacity=30, waitlist_limit=5, days=0, **fields):
    today = timezone.localdate()
    return TrainingClass.objects.create(
        title=fields.pop("title", f"培训班{TrainingClass.objects.count() + 1}"),
        organiser=organiser or world.branch_a,
        starts_on=fields.pop("starts_on", today + datetime.timedelta(days=days)),
        ends_on=fields.pop("ends_on", today + datetime.timedelta(days=days + 1)),
        place="培训中心",
        capacity=capacity,
        waitlist_limit=waitlist_limit,
        status=status,
        created_by=world.hq,
        **fields,
    )


def add_session(training_class, *, start=None, hours="3", title=None):
    start = start or timezone.now().replace(microsecond=0)
    return Session.objects.create(
        training_class=training_class,
        title=title or f"《生产现场创新的思路与方法》{training_class.sessions.count() + 1}",
        speaker="刘老师",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        hours=Decimal(hours),
    )


def trainee(world, unit=None, **fields):
    return PersonFactory(unit=unit or world.plant_a1, **fields)


def enrol(training_class, person, world, status="enrolled"):
    now = timezone.now()
    return Enrolment.objects.create(
        training_class=training_class,
        person=person,
        status=status,
        enrolled_by=world.unit_cadre,
        asked_at=now,
        seated_at=now if status == "enrolled" else None,
    )


def running_class_with_trainee(world):
    """A running class organised by branch A, with a session on now and one A1 trainee enrolled."""
    training_class = make_class(world, status="running")
    session = add_session(training_class)
    enrolment = enrol(training_class, trainee(world), world)
    return training_class, session, enrolment


def attend(session, enrolment):
    return Attendance.objects.create(session=session, enrolment=enrolment, signed_at=timezone.now(), method="qr")


def finished_with_certificate(world):
    training_class, session, enrolment = running_class_with_trainee(world)
    attend(session, enrolment)
    training_class.status = "finished"
    training_class.save()
    enrolment.certificate_no = f"A-2026-{training_class.pk:04d}-0001"
    enrolment.save()
    return training_class, enrolment


def material(training_class, world):
    item = Material(training_class=training_class, title="讲义", uploaded_by=world.hq)
    item.file.save("m.pdf", ContentFile(b"%PDF-1.4 handout"), save=False)
    item.save()
    return item


def feedback(enrolment, **ratings):
    return Feedback.objects.create(
        enrolment=enrolment,
        content_rating=ratings.get("content", 5),
        speaker_rating=ratings.get("speaker", 4),
        organisation_rating=ratings.get("organisation", 3),
        comment=ratings.get("comment", ""),
    )


# Builders for the matrix (kwargs) ------------------------------------------------------------------


def class_pk(**fields):
    return lambda world: {"pk": make_class(world, **fields).pk}


def session_pk(status="enrolling"):
    return lambda world: {"pk": add_session(make_class(world, status=status)).pk}


def enrolment_pk(status="enrolling"):
    def build(world):
        return {"pk": enrol(make_class(world, status=status), trainee(world), world).pk}

    return build


def certificate_pk(world):
    return {"pk": finished_with_certificate(world)[1].pk}


def finished_class_pk(world):
    return {"pk": finished_with_certificate(world)[0].pk}


def material_pk(world):
    return {"pk": material(make_class(world), world).pk}


def sign_in_token(world):
    from training.tokens import sign_in_token as sign

    return {"token": sign(running_class_with_trainee(world)[1])}


def trainee_token(world):
    from training.tokens import feedback_token

    return {"token": feedback_token(finished_with_certificate(world)[1])}
