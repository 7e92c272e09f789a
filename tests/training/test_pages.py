"""Training pages: what each role sees, the trainee's phone pages, downloads, pinned query counts."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEvent
from studios.models import Membership
from training import tokens
from training.models import Attendance, Enrolment, Feedback

from ..conftest import drawn_each_time, skip_or_fail
from .fixtures import (
    add_session,
    attend,
    enrol,
    feedback,
    finished_with_certificate,
    make_class,
    material,
    running_class_with_trainee,
    trainee,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_list_shows_each_role_the_classes_meant_for_it(world, client_as):
    for_a = make_class(world, title="甲公司培训班")
    for_all = make_class(world, title="集团交流培训班", organiser=world.root)
    draft = make_class(world, title="筹备中的班", status="preparing")
    for_b = make_class(world, title="乙公司培训班", organiser=world.branch_b)
    expected = {
        "hq": {for_a, for_all, draft, for_b},
        "viewer": {for_a, for_all, draft, for_b},
        "unit_cadre": {for_a, for_all, draft},
        "unit_cadre_other": {for_all, for_b},
        "studio_lead": {for_a, for_all},
        "other_lead": {for_all, for_b},
    }
    for role, classes in expected.items():
        response = client_as(world.user(role)).get(reverse("training:class_list"))
        shown = {c for c in (for_a, for_all, draft, for_b) if c.title in response.content.decode()}
        assert shown == classes, role


def test_detail_shows_sessions_trainees_hours_and_feedback(world, client_as):
    training_class, session, enrolment = running_class_with_trainee(world)
    attend(session, enrolment)
    feedback(enrolment, comment="现场案例很实用")
    waiting = enrol(training_class, trainee(world, name="候补甲"), world, status="waiting")
    response = client_as(world.unit_cadre).get(training_class.get_absolute_url())
    page = response.content.decode()
    assert session.title in page and enrolment.person.name in page and waiting.person.name in page
    assert "现场案例很实用" in page and reverse("training:session_code", args=[session.pk]) in page
    # Leadership reads the feedback but runs nothing.
    page = client_as(world.viewer).get(training_class.get_absolute_url()).content.decode()
    assert "现场案例很实用" in page and reverse("training:session_code", args=[session.pk]) not in page
    # A lead sees the class but neither the feedback nor other teams' trainees, not even in the
    # class's history (which names everyone enrolled).
    page = client_as(world.studio_lead).get(training_class.get_absolute_url()).content.decode()
    assert "现场案例很实用" not in page and enrolment.person.name not in page
    from training import services

    services.enrol(actor=world.unit_cadre, training_class=make_class(world), people=[trainee(world, name="旁人丙")])
    other = training_class.__class__.objects.exclude(pk=training_class.pk).get()
    page = client_as(world.studio_lead).get(other.get_absolute_url()).content.decode()
    assert "旁人丙" not in page and 'id="history"' not in page
    assert "旁人丙" in client_as(world.unit_cadre).get(other.get_absolute_url()).content.decode()


def test_a_cadre_enrols_by_employee_numbers_and_sees_seats_left(world, client_as):
    training_class = make_class(world, capacity=1, waitlist_limit=1)
    first, second = trainee(world), trainee(world)
    client = client_as(world.unit_cadre)
    url = reverse("training:enrol", args=[training_class.pk])
    assert "1 seats and 1 waiting places" in client.get(url).content.decode()
    response = client.post(url, {"employee_numbers": f"{first.employee_no}，{second.employee_no}\n"})
    assert response.status_code == 302
    assert dict(Enrolment.objects.values_list("person_id", "status")) == {first.pk: "enrolled", second.pk: "waiting"}
    response = client.post(url, {"employee_numbers": trainee(world).employee_no})
    assert response.status_code == 400 and "Nobody was enrolled" in response.content.decode()
    outsider = trainee(world, unit=world.plant_b1)
    response = client.post(url, {"employee_numbers": f"{outsider.employee_no} NOPE"})
    assert response.status_code == 400
    assert outsider.employee_no in response.content.decode() and "NOPE" in response.content.decode()


def test_a_lead_ticks_its_team(world, client_as):
    training_class = make_class(world)
    studio = world.studio(status="named", level="company")
    member = trainee(world, name="队员甲")
    Membership.objects.create(studio=studio, person=member, joined_on="2024-01-01")
    stranger = trainee(world, name="外人乙")
    client = client_as(world.studio_lead)
    url = reverse("training:enrol", args=[training_class.pk])
    page = client.get(url).content.decode()
    assert "队员甲" in page and world.lead_person.name in page and "外人乙" not in page
    response = client.post(url, {"people": [stranger.pk]})
    assert response.status_code == 400 and not Enrolment.objects.exists()
    response = client.post(url, {"people": [member.pk, world.lead_person.pk]})
    assert response.status_code == 302
    assert set(Enrolment.objects.values_list("person_id", flat=True)) == {member.pk, world.lead_person.pk}


def test_the_room_code_is_a_qr_image_of_a_working_sign_in_link(world, client_as):
    _, session, _ = running_class_with_trainee(world)
    client = client_as(world.unit_cadre)
    response = client.get(reverse("training:session_code", args=[session.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and "<svg" in page and 'hx-trigger="every 60s"' in page
    assert response["Cache-Control"] == "no-store"
    fragment = client.get(reverse("training:session_code", args=[session.pk]), HTTP_HX_REQUEST="true")
    assert "<svg" in fragment.content.decode() and "<html" not in fragment.content.decode()
    link = page.split('data-testid="sign-in-link">', 1)[1].split("<", 1)[0]
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert tokens.session_id_from(token) == session.pk


def test_a_trainee_signs_in_on_the_phone_then_gives_feedback(world, client):
    _training_class, session, enrolment = running_class_with_trainee(world)
    url = reverse("training:sign_in", args=[tokens.sign_in_token(session)])
    assert session.title in client.get(url).content.decode()
    person = enrolment.person
    response = client.post(url, {"employee_no": person.employee_no, "name": person.name})
    assert response.status_code == 302
    trainee_url = response["Location"]
    page = client.get(trainee_url).content.decode()
    assert person.name in page and 'data-testid="trainee-hours">3<' in page and 'data-testid="feedback-form"' in page
    # Signing in twice: refused with a clear message, nothing added.
    again = client.post(url, {"employee_no": person.employee_no, "name": person.name})
    assert again.status_code == 409 and "already signed in" in again.content.decode()
    assert Attendance.objects.count() == 1
    # Feedback: bad input first, then once.
    assert client.post(trainee_url, {"content_rating": "9"}).status_code == 400
    ok = client.post(
        trainee_url, {"content_rating": "5", "speaker_rating": "4", "organisation_rating": "5", "comment": "好"}
    )
    assert ok.status_code == 302 and Feedback.objects.count() == 1
    assert 'data-testid="feedback-thanks"' in client.get(trainee_url).content.decode()
    # Audited like a recorded attendance, with no actor (trainees have no account); the feedback
    # event says only that some trainee gave it (organisers read feedback without names).
    signed = AuditEvent.objects.get(action="sign_in")
    assert signed.actor is None and person.name in signed.comment
    given = AuditEvent.objects.get(action="feedback_submit")
    assert given.actor is None and not given.comment and not given.changes


def test_sign_in_refusals_are_clear(world, client, settings):
    _training_class, session, enrolment = running_class_with_trainee(world)
    person = enrolment.person
    data = {"employee_no": person.employee_no, "name": person.name}
    token = tokens.sign_in_token(session)
    forged = client.post(reverse("training:sign_in", args=[token[:-3] + "xyz"]), data)
    assert forged.status_code == 400 and "not valid" in forged.content.decode()
    # Not enrolled in this class: a message next to the field.
    stranger = trainee(world)
    response = client.post(
        reverse("training:sign_in", args=[token]), {"employee_no": stranger.employee_no, "name": stranger.name}
    )
    assert response.status_code == 400 and "No trainee of this class" in response.content.decode()
    # Enrolled in another class, signing in to this session: refused too.
    other = enrol(make_class(world, status="running"), trainee(world), world)
    response = client.post(
        reverse("training:sign_in", args=[token]), {"employee_no": other.person.employee_no, "name": other.person.name}
    )
    assert response.status_code == 400
    settings.TRAINING_SIGN_IN_MAX_AGE = -1
    expired = client.post(reverse("training:sign_in", args=[token]), data)
    assert expired.status_code == 400 and "expired" in expired.content.decode()
    assert not Attendance.objects.exists()


def test_a_broken_trainee_link_is_refused(world, client):
    response = client.get(reverse("training:trainee", args=["nothing-signed-here"]))
    assert response.status_code == 400 and "not valid" in response.content.decode()
    _, session, _ = running_class_with_trainee(world)
    # A room code is not a trainee link.
    response = client.get(reverse("training:trainee", args=[tokens.sign_in_token(session)]))
    assert response.status_code == 400


def _pdf_text(content: bytes) -> str:
    if shutil.which("pdftotext") is None:
        skip_or_fail("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def test_certificates_are_pdf_with_chinese_text(world, client_as, client):
    training_class, enrolment = finished_with_certificate(world)
    response = client_as(world.unit_cadre).get(reverse("training:certificate", args=[enrolment.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    text = _pdf_text(response.content)
    assert enrolment.person.name in text and enrolment.certificate_no in text and training_class.title in text
    everyone = client_as(world.hq).get(reverse("training:certificates", args=[training_class.pk]))
    assert everyone.status_code == 200 and enrolment.certificate_no in _pdf_text(everyone.content)
    # The trainee downloads its own with its link, without a login.
    client.logout()
    own = client.get(reverse("training:trainee_certificate", args=[tokens.feedback_token(enrolment)]))
    assert own.status_code == 200 and own.content.startswith(b"%PDF")


def test_no_certificate_before_the_class_finishes(world, client_as, client):
    _, session, enrolment = running_class_with_trainee(world)
    attend(session, enrolment)
    assert client_as(world.hq).get(reverse("training:certificate", args=[enrolment.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("training:trainee_certificate", args=[tokens.feedback_token(enrolment)]))
    assert response.status_code == 404


def test_attendance_list_to_excel_counts_sessions_and_hours(world, client_as):
    training_class, session, enrolment = running_class_with_trainee(world)
    second = add_session(training_class, hours="1.5")
    attend(session, enrolment)
    attend(second, enrolment)
    absent = enrol(training_class, trainee(world, unit=world.plant_b1), world)
    response = client_as(world.unit_cadre).get(reverse("training:attendance_export", args=[training_class.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert len(rows[0]) == 5 + 2 + 3 and session.title in rows[0][5] and second.title in rows[0][6]
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name[enrolment.person.name][-3:-1] == (2, 4.5)
    assert by_name[enrolment.person.name][5] and by_name[enrolment.person.name][6]
    assert by_name[absent.person.name][-3:-1] == (0, 0)
    # Branch B's cadre is not an organiser and does not see the class at all.
    assert (
        client_as(world.unit_cadre_other)
        .get(reverse("training:attendance_export", args=[training_class.pk]))
        .status_code
        == 404
    )


def test_materials_download_through_the_rule_set(world, client_as):
    training_class = make_class(world)
    item = material(training_class, world)
    response = client_as(world.studio_lead).get(reverse("training:material_file", args=[item.pk]))
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert "%E8%AE%B2%E4%B9%89.pdf" in response["Content-Disposition"]  # 讲义.pdf, named after its title
    assert client_as(world.other_lead).get(reverse("training:material_file", args=[item.pk])).status_code == 404


@pytest.mark.parametrize(("role", "expected"), [("hq", [5, 14]), ("unit_cadre", [5, 14])])
def test_query_counts_are_pinned_and_do_not_grow(world, client_as, role, expected, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    training_class, session, enrolment = running_class_with_trainee(world)
    attend(session, enrolment)
    client = drawn_each_time(client_as(world.user(role)))
    urls = [reverse("training:class_list"), training_class.get_absolute_url()]
    before = []
    for url in urls:
        client.get(url)  # warm the per-process caches (content types, sessions)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        before.append(len(captured))
    assert before == expected
    for index in range(6):
        other = make_class(world, title=f"班{index}")
        add_session(other)
        person = enrol(training_class, trainee(world), world)
        attend(session, person)
        feedback(person)
        material(training_class, world)
        add_session(training_class, hours="1")
    for url, count in zip(urls, expected, strict=True):
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200
