"""The people registry: scoped registration, grade history recorded once, honours, personal data, import."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from core.models import AuditEvent
from talent import services
from talent.models import Honour, Person, SkillGradeChange

from ..core.test_uploads import jpeg_with_gps
from ..factories import PersonFactory


def rows():
    return Person.objects.count(), SkillGradeChange.objects.count(), Honour.objects.count(), AuditEvent.objects.count()


def test_people_are_registered_within_the_actors_subtree(world):
    person = services.person_create(actor=world.unit_cadre, name="新人", unit=world.plant_a1, employee_no="X1")
    assert person.unit == world.plant_a1
    with pytest.raises(ValidationError):
        services.person_create(actor=world.unit_cadre, name="外人", unit=world.plant_b1)
    with pytest.raises(ValidationError):
        services.person_create(actor=world.hq, name="重号", unit=world.plant_b1, employee_no="X1")
    with pytest.raises(PermissionDenied):
        services.person_create(actor=world.viewer, name="x", unit=world.plant_a1)


def test_a_skill_grade_change_is_recorded_once_and_the_newest_is_current(world):
    person = PersonFactory(unit=world.plant_a1)
    services.person_grade_change(
        actor=world.hq, person=person, grade="technician", changed_on=datetime.date(2022, 1, 1)
    )
    with pytest.raises(ValidationError):
        services.person_grade_change(
            actor=world.hq, person=person, grade="technician", changed_on=datetime.date(2022, 1, 1)
        )
    services.person_grade_change(actor=world.hq, person=person, grade="senior", changed_on=datetime.date(2018, 1, 1))
    person.refresh_from_db()
    assert person.skill_grade == "technician", "an older change does not replace the current grade"
    services.person_grade_change(
        actor=world.hq, person=person, grade="senior_technician", changed_on=datetime.date(2024, 6, 1)
    )
    person.refresh_from_db()
    assert person.skill_grade == "senior_technician"
    assert SkillGradeChange.objects.filter(person=person).count() == 3
    with pytest.raises(ValidationError):
        services.person_grade_change(
            actor=world.hq,
            person=person,
            grade="chief_technician",
            changed_on=datetime.date.today() + datetime.timedelta(1),
        )


def test_honours(world):
    person = PersonFactory(unit=world.plant_a1)
    services.honour_add(
        actor=world.hq, person=person, kind="craftsman", level="provincial", title="荆楚工匠", year=2023
    )
    with pytest.raises(ValidationError):
        services.honour_add(
            actor=world.hq, person=person, kind="craftsman", level="provincial", title="荆楚工匠", year=2023
        )
    with pytest.raises(ValidationError):
        services.honour_add(actor=world.hq, person=person, kind="other", level="unit", title="x", year=2999)
    assert person.honours.count() == 1


def test_a_login_belongs_to_one_person(world):
    person = PersonFactory(unit=world.plant_a1)
    with pytest.raises(ValidationError):
        services.person_link_user(actor=world.hq, person=person, user=world.studio_lead)  # already lead_person's


PERSON_BAD = [
    {"name": ""},
    {"name": "名" * 51},
    {"unit": ""},
    {"unit": "plant_b1"},
    {"unit": "999999"},
    {"gender": "other"},
    {"employee_no": "有 空格"},
    {"employee_no": "E" * 31},
    {"employee_no": "TAKEN"},
    {"phone": "call me"},
    {"phone": "1" * 25},
    {"id_number": "123"},
    {"id_number": "4203011980010112345"},
    {"id_number": "42030119800101123Y"},
    {"name": "张\x00三"},
    {"post": "岗" * 61},
    {"team_group": "班" * 61},
    {"name": "   "},
    {"employee_no": "<script>"},
    {"employee_no": "'; DROP TABLE talent_person;--"},
    {"phone": "😀😀😀😀😀"},
    {"unit": "abc"},
    {"photo": "html"},
    {"photo": "svg"},
    {"photo": "bomb"},
]


@pytest.mark.parametrize("change", PERSON_BAD, ids=[str(i) for i in range(len(PERSON_BAD))])
def test_person_form_bad_input(world, client_as, change):
    from ..core.test_uploads import png_header_only

    PersonFactory(unit=world.plant_a1, employee_no="TAKEN")
    data = {
        "name": "新人",
        "gender": "male",
        "employee_no": "N100",
        "unit": world.plant_a1.pk,
        "team_group": "",
        "post": "",
        "phone": "",
        "id_number": "",
    }
    change = dict(change)
    if change.get("unit") == "plant_b1":
        change["unit"] = world.plant_b1.pk
    files = {}
    photo = change.pop("photo", None)
    if photo == "html":
        files["photo"] = SimpleUploadedFile("a.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")
    elif photo == "svg":
        files["photo"] = SimpleUploadedFile("a.jpg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/jpeg")
    elif photo == "bomb":
        files["photo"] = SimpleUploadedFile("a.png", png_header_only(20000, 20000), "image/png")
    data.update(change)
    before = rows()
    response = client_as(world.unit_cadre).post(reverse("talent:person_create"), {**data, **files})
    assert response.status_code == 400
    assert response.context["form"].errors
    assert rows() == before


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.text(max_size=60),
    employee_no=st.text(max_size=35),
    phone=st.text(max_size=25),
    id_number=st.text(max_size=20),
)
def test_person_form_never_fails_badly(world, client_as, name, employee_no, phone, id_number):
    before = rows()
    response = client_as(world.unit_cadre).post(
        reverse("talent:person_create"),
        {"name": name, "employee_no": employee_no, "unit": world.plant_a1.pk, "phone": phone, "id_number": id_number},
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert rows() == before


def test_photo_is_cleaned_renamed_and_served_privately(world, client_as):
    client = client_as(world.unit_cadre)
    upload = SimpleUploadedFile("../../我的照片.jpg", jpeg_with_gps(), "image/jpeg")
    response = client.post(
        reverse("talent:person_create"),
        {"name": "有照片", "unit": world.plant_a1.pk, "employee_no": "PH1", "photo": upload},
    )
    assert response.status_code == 302
    person = Person.objects.get(employee_no="PH1")
    assert (
        person.photo.name.startswith("people/")
        and "我的照片" not in person.photo.name
        and ".." not in person.photo.name
    )
    served = client.get(reverse("talent:person_photo", args=[person.pk]))
    assert served.status_code == 200 and served["X-Content-Type-Options"] == "nosniff"
    from PIL import Image

    assert 0x8825 not in Image.open(io.BytesIO(b"".join(served.streaming_content))).getexif()
    assert client_as(world.unit_cadre_other).get(reverse("talent:person_photo", args=[person.pk])).status_code == 404


def test_grade_form_records_a_change_once_through_the_page(world, client_as):
    person = PersonFactory(unit=world.plant_a1)
    client = client_as(world.unit_cadre)
    url = reverse("talent:person_grade_create", args=[person.pk])
    data = {"grade": "technician", "changed_on": "2023-03-01", "note": "认定"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 400 and "grade" in response.context["form"].errors
    assert SkillGradeChange.objects.filter(person=person).count() == 1


def test_people_import_is_all_or_nothing(world, client_as):
    client = client_as(world.unit_cadre)
    header = ["姓名", "性别", "工号", "单位代码", "班组", "岗位", "技能等级", "技能等级取得日期", "电话", "身份证号"]
    good = ["李四", "男", "IM1", "A1", "一班", "车工", "技师", "2021-07-01", "13800000001", ""]
    bad = ["王五", "未知", "IM2", "B1", "", "", "大师", "", "", "123"]

    def upload(*data):
        workbook = Workbook()
        for row in data:
            workbook.active.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return SimpleUploadedFile("people.xlsx", buffer.getvalue())

    before = rows()
    response = client.post(reverse("talent:person_import"), {"file": upload(header, good, bad)})
    assert response.status_code == 400 and {row for row, _ in response.context["errors"]} == {3}
    assert rows() == before
    assert client.post(reverse("talent:person_import"), {"file": upload(header, good)}).status_code == 302
    person = Person.objects.get(employee_no="IM1")
    assert person.skill_grade == "technician" and person.unit == world.plant_a1
    assert person.grade_changes.get().changed_on == datetime.date(2021, 7, 1)


def test_a_duplicate_that_slips_past_the_check_is_still_a_field_error(world, monkeypatch):
    """Two registrations at the same moment both pass the check; the database refuses the second."""
    services.person_create(actor=world.hq, name="甲", unit=world.plant_a1, employee_no="RACE1")
    monkeypatch.setattr(services, "_check_employee_no", lambda *a, **k: None)
    with pytest.raises(ValidationError) as error:
        services.person_create(actor=world.hq, name="乙", unit=world.plant_a1, employee_no="RACE1")
    assert "employee_no" in error.value.error_dict
