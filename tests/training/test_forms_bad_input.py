"""Bad input on every training form: a message next to the field, 400, nothing written."""

import datetime

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from training import tokens

from .. import bad_input as bi
from .fixtures import add_session, attend, make_class, running_class_with_trainee, trainee

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today().isoformat()
TOMORROW = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
LONG = "长" * 151


def state():
    return [
        list(model._default_manager.order_by("pk").values_list())
        for label in ("accounts", "core", "talent", "studios", "achievements", "alliances", "training")
        for model in apps.get_app_config(label).get_models()
    ]


def a_class(world):
    return make_class(world)


def a_session(world):
    return add_session(make_class(world))


def preparing_with_session(world):
    training_class = make_class(world, status="preparing")
    add_session(training_class)
    return training_class


def place(world):
    from .fixtures import enrol

    return enrol(make_class(world), trainee(world), world)


def running_session(world):
    return running_class_with_trainee(world)[1]


def at(hour, day=0):
    moment = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    return (moment + datetime.timedelta(days=day)).strftime("%Y-%m-%dT%H:%M")


GOOD_CLASS = {
    "title": "创新工作室领衔人交流培训班",
    "kind": "exchange",
    "organiser": "branch_a",
    "starts_on": TODAY,
    "ends_on": TOMORROW,
    "place": "培训中心",
    "capacity": "50",
    "waitlist_limit": "10",
}
GOOD_SESSION = {
    "title": "《创新工作室联盟的组织与实施》",
    "speaker": "王老师",
    "starts_at": at(9),
    "ends_at": at(12),
    "hours": "3",
}


def upload(kind):
    return {
        "html": lambda: SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
        "svg": lambda: SimpleUploadedFile("x.docx", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "application/pdf"),
        "exe": lambda: SimpleUploadedFile("../../handout.pdf", b"MZ\x90\x00binary", "application/pdf"),
        "empty": lambda: SimpleUploadedFile("empty.pdf", b"", "application/pdf"),
    }[kind]()


CASES = [
    # New class
    ("training:class_create", None, "hq", {**GOOD_CLASS, "title": ""}, "no title"),
    ("training:class_create", None, "hq", {**GOOD_CLASS, "title": "   "}, "blank title"),
    ("training:class_create", None, "hq", {**GOOD_CLASS, "title": LONG}, "title too long"),
    ("training:class_create", None, "hq", {**GOOD_CLASS, "kind": "party"}, "unknown kind"),
    ("training:class_create", None, "hq", {**GOOD_CLASS, "organiser": "abc"}, "organiser not a number"),
    ("training:class_create", None, "hq", {**GOOD_CLASS, "organiser": "999999"}, "unknown organiser"),
    ("training:class_create", None, "unit_cadre", {**GOOD_CLASS, "organiser": "branch_b"}, "organiser out of scope"),
    ("training:class_create", None, "hq", {**GOOD_CLASS, "ends_on": "2000-01-01"}, "ends before it starts"),
    ("training:class_create", None, "hq", {**GOOD_CLASS, "starts_on": "2026-02-30"}, "impossible date"),
    ("training:class_create", None, "hq", {**GOOD_CLASS, "starts_on": "下周一"}, "date in words"),
    ("training:class_create", None, "hq", {**GOOD_CLASS, "capacity": "0"}, "no seats"),
    ("training:class_create", None, "hq", {**GOOD_CLASS, "capacity": "-5"}, "negative capacity"),
    ("training:class_create", None, "hq", {**GOOD_CLASS, "capacity": "1e9"}, "huge capacity"),
    ("training:class_create", None, "hq", {**GOOD_CLASS, "capacity": "三十"}, "capacity in words"),
    ("training:class_create", None, "hq", {**GOOD_CLASS, "waitlist_limit": "100000"}, "waiting list too long"),
    ("training:class_create", None, "hq", {**GOOD_CLASS, "place": ""}, "no place"),
    ("training:class_create", None, "hq", {**GOOD_CLASS, "contact_phone": "1" * 30}, "phone too long"),
    (
        "training:class_create",
        None,
        "hq",
        {**GOOD_CLASS, "title": "'; DROP TABLE training_trainingclass; --" * 5},
        "sql",
    ),
    ("training:class_update", a_class, "unit_cadre", {**GOOD_CLASS, "title": ""}, "edit without a title"),
    ("training:class_update", a_class, "unit_cadre", {**GOOD_CLASS, "ends_on": "1999-12-31"}, "edit dates reversed"),
    # Sessions
    ("training:session_create", a_class, "unit_cadre", {**GOOD_SESSION, "title": ""}, "no course"),
    ("training:session_create", a_class, "unit_cadre", {**GOOD_SESSION, "speaker": ""}, "no speaker"),
    ("training:session_create", a_class, "unit_cadre", {**GOOD_SESSION, "ends_at": at(8)}, "ends before it starts"),
    ("training:session_create", a_class, "unit_cadre", {**GOOD_SESSION, "starts_at": at(9, 30)}, "outside the dates"),
    ("training:session_create", a_class, "unit_cadre", {**GOOD_SESSION, "hours": "0"}, "no hours"),
    ("training:session_create", a_class, "unit_cadre", {**GOOD_SESSION, "hours": "-3"}, "negative hours"),
    ("training:session_create", a_class, "unit_cadre", {**GOOD_SESSION, "hours": "25"}, "more than a day"),
    ("training:session_create", a_class, "unit_cadre", {**GOOD_SESSION, "hours": "1.25"}, "hours too precise"),
    ("training:session_create", a_class, "unit_cadre", {**GOOD_SESSION, "starts_at": "明早九点"}, "time in words"),
    ("training:session_create", a_class, "unit_cadre", {**GOOD_SESSION, "speaker": "讲" * 51}, "speaker too long"),
    ("training:session_update", a_session, "unit_cadre", {**GOOD_SESSION, "hours": ""}, "edit without hours"),
    # Enrolment
    ("training:enrol", a_class, "unit_cadre", {"employee_numbers": ""}, "no employee numbers"),
    ("training:enrol", a_class, "unit_cadre", {"employee_numbers": " ，；、 "}, "only separators"),
    ("training:enrol", a_class, "unit_cadre", {"employee_numbers": "NOBODY"}, "unknown employee number"),
    ("training:enrol", a_class, "unit_cadre", {"employee_numbers": "outsider"}, "person out of scope"),
    ("training:enrol", a_class, "unit_cadre", {"employee_numbers": "x" * 20_001}, "text too long"),
    ("training:enrol", a_class, "unit_cadre", {"employee_numbers": "<script>alert(1)</script>"}, "script text"),
    ("training:enrol", a_class, "unit_cadre", {"employee_numbers": "' OR 1=1 --"}, "sql text"),
    ("training:enrol", a_class, "studio_lead", {"people": ""}, "lead ticks nobody"),
    ("training:enrol", a_class, "studio_lead", {"people": "outsider_pk"}, "lead ticks a stranger"),
    ("training:enrol", a_class, "studio_lead", {"people": "abc"}, "lead sends text"),
    # Attendance by hand, materials
    ("training:attendance_record", running_session, "unit_cadre", {"enrolment": ""}, "no trainee"),
    ("training:attendance_record", running_session, "unit_cadre", {"enrolment": "999999"}, "unknown trainee"),
    ("training:material_create", a_class, "unit_cadre", {"title": "讲义", "file": "html"}, "html as a pdf"),
    ("training:material_create", a_class, "unit_cadre", {"title": "讲义", "file": "svg"}, "svg as a docx"),
    ("training:material_create", a_class, "unit_cadre", {"title": "讲义", "file": "exe"}, "program with ../ name"),
    ("training:material_create", a_class, "unit_cadre", {"title": "讲义", "file": "empty"}, "empty file"),
    ("training:material_create", a_class, "unit_cadre", {"title": "讲义"}, "no file"),
    ("training:material_create", a_class, "unit_cadre", {"title": " ", "file": "exe"}, "blank title"),
    # Steps with a comment
    ("training:class_open", preparing_with_session, "hq", {"comment": "长" * 2001}, "open: comment too long"),
    ("training:enrolment_cancel", place, "unit_cadre", {"comment": "长" * 2001}, "cancel: comment too long"),
]


def resolve(value, world):
    if value in ("root", "branch_a", "branch_b"):
        return getattr(world, value).pk
    if value == "outsider":
        return trainee(world, unit=world.plant_b1).employee_no
    if value == "outsider_pk":
        return trainee(world, unit=world.plant_b1).pk
    if value in ("html", "svg", "exe", "empty"):
        return upload(value)
    return value


@pytest.mark.parametrize(("url_name", "target", "actor", "payload", "label"), CASES, ids=[c[4] for c in CASES])
def test_bad_input_is_refused_next_to_the_field(world, client_as, url_name, target, actor, payload, label):
    obj = target(world) if target else None
    data = {key: resolve(value, world) for key, value in payload.items()}
    url = reverse(url_name, args=[obj.pk]) if obj is not None else reverse(url_name)
    client = client_as(getattr(world, actor))
    before = state()
    response = client.post(url, data)
    assert response.status_code == 400, f"{label}: {response.status_code}"
    assert response.context["form"].errors, label
    assert state() == before, label


TRAINEE_CASES = [
    ({"employee_no": "", "name": ""}, "nothing"),
    ({"employee_no": "P000001", "name": ""}, "no name"),
    ({"employee_no": "", "name": "张三"}, "no number"),
    ({"employee_no": "x" * 31, "name": "张三"}, "number too long"),
    ({"employee_no": "P1", "name": "名" * 51}, "name too long"),
    ({"employee_no": "' OR '1'='1", "name": "' OR '1'='1"}, "sql text"),
    ({"employee_no": "<script>", "name": "<b>x</b>"}, "html"),
    ({"employee_no": "🙂", "name": "𠀀𪚥"}, "emoji and rare characters"),
]


@pytest.mark.parametrize(("payload", "label"), TRAINEE_CASES, ids=[c[1] for c in TRAINEE_CASES])
def test_sign_in_bad_input(world, client, payload, label):
    session = running_session(world)
    before = state()
    response = client.post(reverse("training:sign_in", args=[tokens.sign_in_token(session)]), payload)
    assert response.status_code == 400, label
    assert response.context["form"].errors, label
    assert "&lt;" in response.content.decode() or "<script>" not in response.content.decode()
    assert state() == before


FEEDBACK_CASES = [
    ({}, "nothing"),
    ({"content_rating": "5", "speaker_rating": "5"}, "a rating missing"),
    ({"content_rating": "0", "speaker_rating": "5", "organisation_rating": "5"}, "zero"),
    ({"content_rating": "6", "speaker_rating": "5", "organisation_rating": "5"}, "above five"),
    ({"content_rating": "-1", "speaker_rating": "5", "organisation_rating": "5"}, "negative"),
    ({"content_rating": "五", "speaker_rating": "5", "organisation_rating": "5"}, "in words"),
    ({"content_rating": "5", "speaker_rating": "5", "organisation_rating": "5", "comment": "长" * 2001}, "long"),
    ({"content_rating": "5", "speaker_rating": "4.5", "organisation_rating": "5"}, "half a point"),
]


@pytest.mark.parametrize(("payload", "label"), FEEDBACK_CASES, ids=[c[1] for c in FEEDBACK_CASES])
def test_feedback_bad_input(world, client, payload, label):
    _, session, enrolment = running_class_with_trainee(world)
    attend(session, enrolment)
    before = state()
    response = client.post(reverse("training:trainee", args=[tokens.feedback_token(enrolment)]), payload)
    assert response.status_code == 400, label
    assert response.context["form"].errors, label
    assert state() == before


def test_a_stored_script_is_shown_as_text(world, client_as, client):
    training_class = make_class(world, title="<script>alert('班')</script>")
    page = client_as(world.hq).get(training_class.get_absolute_url()).content.decode()
    assert "<script>alert('班')</script>" not in page and "&lt;script&gt;" in page


LEGACY = [
    *bi.legacy(CASES),
    *(bi.Legacy("training:sign_in", label, bi.infer_categories(label, p)) for p, label in TRAINEE_CASES),
    *(bi.Legacy("training:trainee", label, bi.infer_categories(label, p)) for p, label in FEEDBACK_CASES),
]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=st.text(max_size=160),
    starts=st.text(max_size=12),
    capacity=st.text(max_size=8),
    waitlist=st.text(max_size=6),
    kind=st.sampled_from(["exchange", "topical", "experience", "showcase", "x"]),
)
def test_class_form_never_fails_badly(world, client_as, title, starts, capacity, waitlist, kind):
    client = client_as(world.unit_cadre)
    before = state()
    response = client.post(
        reverse("training:class_create"),
        {
            "title": title,
            "kind": kind,
            "organiser": world.plant_a1.pk,
            "starts_on": starts,
            "ends_on": TOMORROW,
            "place": "礼堂",
            "capacity": capacity,
            "waitlist_limit": waitlist,
        },
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert state() == before


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(max_size=160), starts=st.text(max_size=20), ends=st.text(max_size=20), hours=st.text(max_size=6))
def test_session_form_never_fails_badly(world, client_as, title, starts, ends, hours):
    from training.models import TrainingClass

    target = TrainingClass.objects.filter(title="课程测试").first() or make_class(world, title="课程测试")
    client = client_as(world.hq)
    before = state()
    response = client.post(
        reverse("training:session_create", args=[target.pk]),
        {"title": title, "speaker": "王", "starts_at": starts, "ends_at": ends, "hours": hours},
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert state() == before


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(numbers=st.text(max_size=200))
def test_enrol_form_never_fails_badly(world, client_as, numbers):
    from training.models import TrainingClass

    target = TrainingClass.objects.filter(title="报名测试").first() or make_class(world, title="报名测试")
    client = client_as(world.unit_cadre)
    before = state()
    response = client.post(reverse("training:enrol", args=[target.pk]), {"employee_numbers": numbers})
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert state() == before


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(employee_no=st.text(max_size=40), name=st.text(max_size=60))
def test_sign_in_form_never_fails_badly(world, client, employee_no, name):
    from training.models import Session

    session = Session.objects.filter(training_class__title="签到测试").first()
    if session is None:
        training_class, session, _ = running_class_with_trainee(world)
        training_class.title = "签到测试"
        training_class.save()
    before = state()
    response = client.post(
        reverse("training:sign_in", args=[tokens.sign_in_token(session)]), {"employee_no": employee_no, "name": name}
    )
    assert response.status_code == 400
    assert state() == before


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ratings=st.lists(st.text(max_size=3), min_size=3, max_size=3),
    comment=st.text(max_size=2100),
)
def test_feedback_form_never_fails_badly(world, client, ratings, comment):
    from training.models import Enrolment

    enrolment = Enrolment.objects.filter(training_class__title="反馈测试").first()
    if enrolment is None:
        training_class, session, enrolment = running_class_with_trainee(world)
        training_class.title = "反馈测试"
        training_class.save()
        attend(session, enrolment)
    response = client.post(
        reverse("training:trainee", args=[tokens.feedback_token(enrolment)]),
        {
            "content_rating": ratings[0],
            "speaker_rating": ratings[1],
            "organisation_rating": ratings[2],
            "comment": comment,
        },
    )
    assert response.status_code in (302, 400, 409)
    if response.status_code == 302:
        enrolment.feedback.delete()
