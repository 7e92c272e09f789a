"""Training services: the class lifecycle, enrolment with a waiting list, sign-in, feedback, certificates."""

import datetime
from decimal import Decimal

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.exceptions import TransitionNotAllowed
from core.models import AuditEvent
from studios.models import Membership
from training import selectors, services, tokens
from training.models import Attendance, Enrolment, Feedback

from ..factories import PersonFactory
from .fixtures import add_session, attend, enrol, make_class, running_class_with_trainee, trainee

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def people(world, count, unit=None):
    return [trainee(world, unit=unit) for _ in range(count)]


# Lifecycle -----------------------------------------------------------------------------------------


def test_class_moves_through_its_states_and_each_step_is_audited(world):
    training_class = make_class(world, status="preparing")
    with pytest.raises(TransitionNotAllowed, match="sessions"):
        services.class_open_enrolment(actor=world.unit_cadre, training_class=training_class)
    add_session(training_class)
    services.class_open_enrolment(actor=world.unit_cadre, training_class=training_class)
    with pytest.raises(TransitionNotAllowed, match="Nobody"):
        services.class_start(actor=world.hq, training_class=training_class)
    services.enrol(actor=world.unit_cadre, training_class=training_class, people=people(world, 1))
    services.class_start(actor=world.hq, training_class=training_class)
    services.class_finish(actor=world.hq, training_class=training_class)
    training_class.refresh_from_db()
    assert training_class.status == "finished"
    actions = list(
        AuditEvent.objects.filter(object_id=str(training_class.pk)).order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["class_open", "enrol", "class_start", "class_finish"]
    with pytest.raises(TransitionNotAllowed):
        services.class_finish(actor=world.hq, training_class=training_class)


def test_only_organisers_run_a_class(world):
    training_class = make_class(world, status="preparing")
    add_session(training_class)
    for outsider in (world.unit_cadre_other, world.studio_lead, world.viewer, world.expert):
        with pytest.raises(PermissionDenied):
            services.class_open_enrolment(actor=outsider, training_class=training_class)


def test_a_cadre_organises_only_for_its_subtree(world):
    fields = {
        "title": "班",
        "kind": "exchange",
        "starts_on": datetime.date(2026, 5, 1),
        "ends_on": datetime.date(2026, 5, 2),
        "place": "x",
        "capacity": 10,
        "waitlist_limit": 0,
    }
    with pytest.raises(ValidationError) as error:
        services.class_create(actor=world.unit_cadre, organiser=world.branch_b, **fields)
    assert "organiser" in error.value.message_dict
    created = services.class_create(actor=world.unit_cadre, organiser=world.plant_a1, **fields)
    assert created.created_by == world.unit_cadre
    with pytest.raises(ValidationError) as error:
        services.class_create(actor=world.hq, organiser=world.root, **{**fields, "ends_on": datetime.date(2026, 4, 1)})
    assert "ends_on" in error.value.message_dict


def test_sessions_fall_within_the_class_dates(world):
    training_class = make_class(
        world, status="preparing", starts_on=datetime.date(2026, 5, 1), ends_on=datetime.date(2026, 5, 2)
    )
    start = timezone.make_aware(datetime.datetime(2026, 5, 3, 9, 0))
    with pytest.raises(ValidationError) as error:
        services.session_create(
            actor=world.hq,
            training_class=training_class,
            title="课",
            speaker="刘",
            speaker_title="",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            hours=Decimal("2"),
            room="",
        )
    assert "starts_at" in error.value.message_dict
    start = timezone.make_aware(datetime.datetime(2026, 5, 2, 9, 0))
    with pytest.raises(ValidationError) as error:
        services.session_create(
            actor=world.hq,
            training_class=training_class,
            title="课",
            speaker="刘",
            starts_at=start,
            ends_at=start,
            hours=Decimal("2"),
        )
    assert "ends_at" in error.value.message_dict


def test_a_session_with_sign_ins_cannot_be_removed_and_dates_cannot_move_away_from_sessions(world):
    training_class, session, enrolment = running_class_with_trainee(world)
    attend(session, enrolment)
    with pytest.raises(TransitionNotAllowed):
        services.session_delete(actor=world.hq, session=session)
    with pytest.raises(ValidationError) as error:
        services.class_update(
            actor=world.hq,
            training_class=training_class,
            starts_on=training_class.starts_on + datetime.timedelta(days=10),
            ends_on=training_class.ends_on + datetime.timedelta(days=10),
        )
    assert "starts_on" in error.value.message_dict


# Enrolment -----------------------------------------------------------------------------------------


def test_enrolment_fills_seats_then_the_waiting_list_then_is_refused(world):
    training_class = make_class(world, capacity=2, waitlist_limit=1)
    first = people(world, 2)
    assert services.enrol(actor=world.unit_cadre, training_class=training_class, people=first) == {
        "enrolled": 2,
        "waiting": 0,
    }
    assert services.enrol(actor=world.unit_cadre, training_class=training_class, people=people(world, 1)) == {
        "enrolled": 0,
        "waiting": 1,
    }
    before = Enrolment.objects.count()
    with pytest.raises(ValidationError) as error:
        services.enrol(actor=world.unit_cadre, training_class=training_class, people=people(world, 1))
    message = error.value.message_dict["people"][0]
    assert "full" in message and "0 seats" in message and "Nobody was enrolled" in message
    assert Enrolment.objects.count() == before


def test_enrolment_is_all_or_nothing(world):
    training_class = make_class(world, capacity=2, waitlist_limit=1)
    with pytest.raises(ValidationError):
        services.enrol(actor=world.unit_cadre, training_class=training_class, people=people(world, 4))
    assert not Enrolment.objects.exists()


def test_enrolling_someone_twice_is_refused_but_a_cancelled_place_can_be_taken_again(world):
    training_class = make_class(world)
    person = trainee(world)
    services.enrol(actor=world.unit_cadre, training_class=training_class, people=[person])
    with pytest.raises(ValidationError, match="Already enrolled"):
        services.enrol(actor=world.unit_cadre, training_class=training_class, people=[person])
    enrolment = Enrolment.objects.get(person=person)
    services.enrolment_cancel(actor=world.unit_cadre, enrolment=enrolment)
    services.enrol(actor=world.unit_cadre, training_class=training_class, people=[person])
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled" and Enrolment.objects.count() == 1


def test_a_cadre_enrols_its_subtree_and_a_lead_its_team(world):
    training_class = make_class(world, organiser=world.root)
    outsider = trainee(world, unit=world.plant_b1)
    with pytest.raises(ValidationError, match="may not enrol"):
        services.enrol(actor=world.unit_cadre, training_class=training_class, people=[outsider])
    services.enrol(actor=world.unit_cadre_other, training_class=training_class, people=[outsider])
    # The lead: its team (current members of its studio) and itself, not others of its unit.
    studio = world.studio(status="named", level="company")
    member, colleague, former = people(world, 3)
    Membership.objects.create(studio=studio, person=member, joined_on="2024-01-01")
    Membership.objects.create(studio=studio, person=former, joined_on="2024-01-01", left_on="2024-06-01")
    for person in (colleague, former):
        with pytest.raises(ValidationError, match="may not enrol"):
            services.enrol(actor=world.studio_lead, training_class=training_class, people=[person])
    services.enrol(actor=world.studio_lead, training_class=training_class, people=[member, world.lead_person])
    with pytest.raises(PermissionDenied):
        services.enrol(actor=world.viewer, training_class=training_class, people=[member])


def test_enrolment_only_while_the_class_is_open_for_it(world):
    for status in ("preparing", "running", "finished"):
        training_class = make_class(world, status=status)
        with pytest.raises((TransitionNotAllowed, PermissionDenied)):
            services.enrol(actor=world.hq, training_class=training_class, people=people(world, 1))


def test_cancelling_a_seat_gives_it_to_the_person_waiting_longest(world):
    training_class = make_class(world, capacity=1, waitlist_limit=2)
    seated, first, second = people(world, 3)
    services.enrol(actor=world.unit_cadre, training_class=training_class, people=[seated])
    services.enrol(actor=world.unit_cadre, training_class=training_class, people=[first])
    services.enrol(actor=world.hq, training_class=training_class, people=[second])
    services.enrolment_cancel(actor=world.unit_cadre, enrolment=Enrolment.objects.get(person=seated))
    statuses = dict(Enrolment.objects.values_list("person_id", "status"))
    assert statuses == {seated.pk: "cancelled", first.pk: "enrolled", second.pk: "waiting"}
    assert world.unit_cadre.notifications.filter(title__contains=first.name).exists()


def test_raising_the_capacity_seats_the_waiting(world):
    training_class = make_class(world, capacity=1, waitlist_limit=3)
    services.enrol(actor=world.unit_cadre, training_class=training_class, people=people(world, 3))
    services.class_update(actor=world.hq, training_class=training_class, capacity=2)
    assert Enrolment.objects.filter(status="enrolled").count() == 2
    with pytest.raises(ValidationError) as error:
        services.class_update(actor=world.hq, training_class=training_class, capacity=1)
    assert "capacity" in error.value.message_dict


def test_a_place_with_attendance_cannot_be_cancelled(world):
    _, session, enrolment = running_class_with_trainee(world)
    attend(session, enrolment)
    with pytest.raises(TransitionNotAllowed):
        services.enrolment_cancel(actor=world.unit_cadre, enrolment=enrolment)


# Sign-in -------------------------------------------------------------------------------------------


def sign(session, person):
    return services.sign_in(session=session, employee_no=person.employee_no, name=person.name)


def test_a_trainee_signs_in_once_and_is_credited_the_hours(world):
    training_class, session, enrolment = running_class_with_trainee(world)
    attendance = sign(session, enrolment.person)
    assert attendance.method == "qr" and attendance.enrolment == enrolment
    with pytest.raises(TransitionNotAllowed, match="already signed in"):
        sign(session, enrolment.person)
    assert Attendance.objects.count() == 1
    second = add_session(training_class, hours="1.5")
    sign(second, enrolment.person)
    assert selectors.enrolment_hours(enrolment) == Decimal("4.5")


def test_sign_in_needs_the_employee_number_and_the_name_of_an_enrolled_trainee(world):
    training_class, session, enrolment = running_class_with_trainee(world)
    stranger = trainee(world)
    with pytest.raises(ValidationError, match="No trainee"):
        sign(session, stranger)
    with pytest.raises(ValidationError, match="No trainee"):
        services.sign_in(session=session, employee_no=enrolment.person.employee_no, name="别人")
    waiting = enrol(training_class, trainee(world), world, status="waiting")
    with pytest.raises(ValidationError, match="waiting list"):
        sign(session, waiting.person)
    cancelled = enrol(training_class, trainee(world), world, status="cancelled")
    with pytest.raises(ValidationError, match="No trainee"):
        sign(session, cancelled.person)
    # Enrolled in another class does not count for this one.
    other_class = make_class(world, status="running")
    other = enrol(other_class, trainee(world), world)
    with pytest.raises(ValidationError, match="No trainee"):
        sign(session, other.person)
    assert not Attendance.objects.exists()


def test_sign_in_only_while_the_class_runs_and_the_session_is_on(world):
    training_class, session, enrolment = running_class_with_trainee(world)
    too_early = session.starts_at - datetime.timedelta(minutes=61)
    with pytest.raises(TransitionNotAllowed, match="open from"):
        services.sign_in(
            session=session, employee_no=enrolment.person.employee_no, name=enrolment.person.name, now=too_early
        )
    too_late = session.ends_at + datetime.timedelta(minutes=1)
    with pytest.raises(TransitionNotAllowed):
        services.sign_in(
            session=session, employee_no=enrolment.person.employee_no, name=enrolment.person.name, now=too_late
        )
    training_class.status = "finished"
    training_class.save()
    with pytest.raises(TransitionNotAllowed, match="not in progress"):
        sign(session, enrolment.person)
    assert not Attendance.objects.exists()


def test_sign_in_tokens_are_short_lived_and_cannot_be_forged(world, settings):
    _, session, _ = running_class_with_trainee(world)
    token = tokens.sign_in_token(session)
    assert tokens.session_id_from(token) == session.pk
    with pytest.raises(tokens.BadToken) as error:
        tokens.session_id_from(token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    assert not error.value.expired
    forged = signing.TimestampSigner(salt="something-else").sign_object({"id": session.pk})
    with pytest.raises(tokens.BadToken):
        tokens.session_id_from(forged)
    # A feedback token is not a sign-in token (different salt).
    with pytest.raises(tokens.BadToken):
        tokens.session_id_from(tokens.feedback_token(session))
    settings.TRAINING_SIGN_IN_MAX_AGE = -1
    with pytest.raises(tokens.BadToken) as error:
        tokens.session_id_from(token)
    assert error.value.expired


def test_an_organiser_records_attendance_by_hand_once(world):
    _, session, enrolment = running_class_with_trainee(world)
    attendance = services.attendance_record(actor=world.unit_cadre, session=session, enrolment=enrolment)
    assert attendance.method == "manual" and attendance.recorded_by == world.unit_cadre
    with pytest.raises(TransitionNotAllowed):
        services.attendance_record(actor=world.unit_cadre, session=session, enrolment=enrolment)
    with pytest.raises(TransitionNotAllowed):
        sign(session, enrolment.person)
    with pytest.raises(PermissionDenied):
        services.attendance_record(actor=world.unit_cadre_other, session=session, enrolment=enrolment)


# Finishing, certificates, feedback -----------------------------------------------------------------


def test_finishing_numbers_certificates_for_those_who_attended_and_lapses_the_waiting(world):
    training_class, session, enrolment = running_class_with_trainee(world)
    absent = enrol(training_class, trainee(world), world)
    waiting = enrol(training_class, trainee(world), world, status="waiting")
    attend(session, enrolment)
    services.class_finish(actor=world.hq, training_class=training_class)
    enrolment.refresh_from_db()
    absent.refresh_from_db()
    waiting.refresh_from_db()
    assert enrolment.certificate_no == f"A-{training_class.ends_on.year}-{training_class.pk:04d}-0001"
    assert absent.certificate_no == "" and waiting.status == "cancelled"
    rows = selectors.certificate_rows(training_class.enrolments.all())
    assert [(r.person.name, r.hours) for r in rows] == [(enrolment.person.name, Decimal("3.0"))]


def test_feedback_once_by_a_trainee_who_attended(world):
    training_class, session, enrolment = running_class_with_trainee(world)
    ratings = {"content_rating": 5, "speaker_rating": 4, "organisation_rating": 3, "comment": "很有收获"}
    with pytest.raises(TransitionNotAllowed, match="attended"):
        services.feedback_submit(enrolment=enrolment, **ratings)
    attend(session, enrolment)
    services.feedback_submit(enrolment=enrolment, **ratings)
    with pytest.raises(TransitionNotAllowed, match="already given"):
        services.feedback_submit(enrolment=enrolment, **ratings)
    with pytest.raises(ValidationError):
        other = enrol(training_class, trainee(world), world)
        attend(session, other)
        services.feedback_submit(enrolment=other, **{**ratings, "speaker_rating": 6})
    assert Feedback.objects.count() == 1


def test_feedback_summary_averages_the_ratings(world):
    training_class, session, _ = running_class_with_trainee(world)
    for content, speaker in ((5, 4), (3, 2)):
        enrolment = enrol(training_class, trainee(world), world)
        attend(session, enrolment)
        services.feedback_submit(
            enrolment=enrolment, content_rating=content, speaker_rating=speaker, organisation_rating=4, comment="好"
        )
    summary = selectors.feedback_summary(training_class)
    assert summary["count"] == 2 and summary["attended"] == 2 and summary["rate"] == 100
    assert summary["content"] == 4 and summary["speakers"] == 3 and summary["organisation"] == 4
    assert summary["distribution"] == {5: 1, 3: 1}


def test_team_training_figures_count_person_times_and_hours_of_the_team(world):
    studio = world.studio(status="named", level="company")
    member = PersonFactory(unit=world.plant_a1)
    Membership.objects.create(studio=studio, person=member, joined_on="2020-01-01")
    training_class, session, enrolment = running_class_with_trainee(world)
    team_enrolment = enrol(training_class, member, world)
    attend(session, team_enrolment)
    attend(session, enrolment)  # not in the team
    second = add_session(training_class, hours="2")
    attend(second, team_enrolment)
    figures = selectors.team_training_figures(studio, session.starts_at.year)
    assert figures == {"person_times": 1, "hours": Decimal("5.0")}
