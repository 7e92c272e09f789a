"""Studio pages: bad input never writes or 500s; scope holds against guessed ids; queries are pinned;
imports are all-or-nothing; the naming list PDF carries Chinese text."""

import datetime
import io
import shutil
import subprocess
import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.exceptions import TransitionNotAllowed
from core.models import AuditEvent
from studios import services
from studios.models import FundingEntry, Membership, NamingBatch, Studio, StudioKind
from talent.models import Person

from ..bad_input import today
from ..conftest import drawn_each_time, skip_or_fail
from ..factories import PersonFactory, StudioFactory, UnitFactory
from ..xlsx_support import xlsx_upload


def rows():
    return (
        Studio.objects.count(),
        Membership.objects.count(),
        FundingEntry.objects.count(),
        NamingBatch.objects.count(),
        AuditEvent.objects.count(),
        Person.objects.count(),
    )


def studio_payload(world, **changes):
    data = {
        "name": "新工作室",
        "kind": StudioKind.objects.first().pk,
        "unit": world.plant_a1.pk,
        "lead": world.lead_person.pk,
        "specialty": "",
        "founded_on": "2022-01-01",
        "venue_address": "一号楼",
        "venue_area": "50",
        "facilities": "",
        "description": "",
        "contact_phone": "",
        "planned_projects": "2",
        "applied_level": "company",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


STUDIO_BAD = [
    {"name": ""},
    {"name": "长" * 101},
    {"kind": ""},
    {"kind": "999999"},
    {"unit": ""},
    {"unit": "plant_b1"},
    {"lead": ""},
    {"lead": "other_person"},
    {"founded_on": "2099-01-01"},
    {"founded_on": "昨天"},
    {"founded_on": "2024-02-30"},
    {"venue_area": "-5"},
    {"venue_area": "abc"},
    {"venue_area": "1e30"},
    {"planned_projects": "-1"},
    {"planned_projects": "1000"},
    {"planned_projects": "两项"},
    {"applied_level": "galactic"},
    {"name": "已存在的工作室"},
    {"specialty": "专" * 101},
    {"venue_address": "址" * 201},
    {"contact_phone": "1" * 21},
    {"name": "   "},
    {"unit": "'; DROP TABLE studios_studio; --"},
    {"venue_area": "<script>alert(1)</script>"},
]


@pytest.mark.parametrize("change", STUDIO_BAD, ids=[str(i) for i in range(len(STUDIO_BAD))])
def test_studio_registration_bad_input(world, client_as, change):
    StudioFactory(name="已存在的工作室", unit=world.plant_a1, lead=world.lead_person)
    change = dict(change)
    if change.get("unit") == "plant_b1":
        change["unit"] = world.plant_b1.pk
    if change.get("lead") == "other_person":
        change["lead"] = world.other_studio.lead_id
    before = rows()
    response = client_as(world.unit_cadre).post(reverse("studios:studio_create"), studio_payload(world, **change))
    assert response.status_code == 400
    assert response.context["form"].errors
    assert rows() == before


def test_studio_registration_works_and_shows_escaped_text(world, client_as):
    client = client_as(world.unit_cadre)
    response = client.post(
        reverse("studios:studio_create"), studio_payload(world, name="<script>alert(1)</script>工作室")
    )
    assert response.status_code == 302
    studio = Studio.objects.get(name__startswith="<script>")
    page = client.get(studio.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>工作室" not in page and "&lt;script&gt;" in page
    assert Membership.objects.filter(studio=studio, person=world.lead_person, role="lead").exists()


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.text(max_size=110),
    area=st.one_of(st.text(max_size=12), st.decimals(allow_nan=False, allow_infinity=False).map(str)),
    projects=st.text(max_size=6),
    founded=st.text(max_size=12),
)
def test_studio_edit_never_fails_badly(world, client_as, name, area, projects, founded):
    studio = Studio.objects.filter(name="被编辑的工作室").first() or StudioFactory(
        name="被编辑的工作室", unit=world.plant_a1, lead=world.lead_person
    )
    before = rows()
    response = client_as(world.studio_lead).post(
        reverse("studios:studio_update", args=[studio.pk]),
        studio_payload(world, name=name, venue_area=area, planned_projects=projects, founded_on=founded, lead=None),
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert rows() == before


FUNDING_BAD = [
    {"amount": ""},
    {"amount": "-100"},
    {"amount": "0"},
    {"amount": "abc"},
    {"amount": "1e20"},
    {"direction": ""},
    {"direction": "sideways"},
    {"source": ""},
    {"direction": "out", "use": "", "source": ""},
    {"entry_date": "2099-01-01"},
    {"entry_date": ""},
    {"source": "lottery"},
    {"description": "述" * 201},
]


@pytest.mark.parametrize("change", FUNDING_BAD, ids=[str(i) for i in range(len(FUNDING_BAD))])
def test_funding_bad_input(world, client_as, change):
    studio = world.studio()
    data = {
        "direction": "in",
        "source": "founding",
        "use": "",
        "amount": "1000",
        "entry_date": "2025-01-01",
        "description": "",
    }
    data.update(change)
    before = rows()
    response = client_as(world.studio_lead).post(reverse("studios:funding_create", args=[studio.pk]), data)
    assert response.status_code == 400
    assert rows() == before


def test_funding_voucher_must_be_a_document(world, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    studio = world.studio()
    data = {
        "direction": "in",
        "source": "founding",
        "amount": "1000",
        "entry_date": "2025-01-01",
        "voucher": SimpleUploadedFile("invoice.pdf", b"<html>not a pdf</html>", content_type="application/pdf"),
    }
    before = rows()
    response = client_as(world.studio_lead).post(reverse("studios:funding_create", args=[studio.pk]), data)
    assert response.status_code == 400 and "voucher" in response.context["form"].errors
    assert rows() == before


BATCH_BAD = [
    {"name": ""},
    {"year": ""},
    {"year": "1900"},
    {"year": "3000"},
    {"level": "x"},
    {"publicity_start": ""},
    {"publicity_end": "2020-01-01"},
    {"publicity_start": "not a date"},
    {"name": "第一批"},
]


@pytest.mark.parametrize("change", BATCH_BAD, ids=[str(i) for i in range(len(BATCH_BAD))])
def test_batch_bad_input(world, client_as, change):
    services.batch_create(
        actor=world.hq,
        year=today().year,
        level="company",
        name="第一批",
        publicity_start=today(),
        publicity_end=today(),
    )
    data = {
        "year": today().year,
        "level": "company",
        "name": "第二批",
        "document_no": "",
        "publicity_start": today().isoformat(),
        "publicity_end": today().isoformat(),
    }
    data.update(change)
    before = rows()
    response = client_as(world.hq).post(reverse("studios:batch_create"), data)
    assert response.status_code == 400
    assert rows() == before


def test_transition_pages_refuse_a_wrong_state_with_409_and_a_message(world, client_as):
    studio = world.studio(status="draft")
    response = client_as(world.unit_cadre).post(reverse("studios:studio_recommend", args=[studio.pk]), {"comment": ""})
    assert response.status_code == 409
    assert "不能执行" in response.content.decode()
    studio.refresh_from_db()
    assert studio.status == "draft"


@pytest.mark.parametrize("actor", ["studio_lead", "unit_cadre"])
def test_guessed_ids_of_other_scopes_are_404_and_change_nothing(world, client_as, actor):
    far = UnitFactory(code="B2", parent=world.branch_b)
    theirs = [StudioFactory(unit=far, status="submitted") for _ in range(12)]
    client = client_as(getattr(world, actor))
    target = theirs[6].pk
    before = rows()
    for delta in range(-10, 11):
        pk = target + delta
        if pk <= 0 or Studio.objects.visible_to(getattr(world, actor)).filter(pk=pk).exists():
            continue
        for name in ("studio_detail", "studio_update", "studio_recommend", "funding_create", "membership_create"):
            assert client.get(reverse(f"studios:{name}", args=[pk])).status_code == 404
        assert client.post(reverse("studios:studio_recommend", args=[pk]), {"comment": "x"}).status_code == 404
        assert client.post(reverse("studios:studio_update", args=[pk]), studio_payload(world)).status_code == 404
    assert rows() == before


def test_a_viewers_posts_change_nothing(world, client_as):
    studio = world.studio(status="submitted")
    client = client_as(world.viewer)
    before = rows()
    for name, data in [
        ("studio_recommend", {"comment": "x"}),
        ("studio_update", studio_payload(world)),
        ("funding_create", {"direction": "in", "source": "founding", "amount": "1", "entry_date": "2025-01-01"}),
    ]:
        assert client.post(reverse(f"studios:{name}", args=[studio.pk]), data).status_code == 403
    assert rows() == before


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_once_one_wins(world):
    if connection.vendor != "postgresql":
        skip_or_fail("row locks need PostgreSQL (set DATABASE_URL)")
    studio = world.studio(status="submitted")
    barrier = threading.Barrier(2)
    outcomes = []

    def review(actor, action):
        try:
            barrier.wait()
            if action == "recommend":
                services.studio_recommend(actor=actor, studio=studio, comment="同意")
            else:
                services.studio_return(actor=actor, studio=studio, reason="材料不全")
            outcomes.append("won")
        except TransitionNotAllowed as error:
            outcomes.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=review, args=(world.unit_cadre, "recommend")),
        threading.Thread(target=review, args=(world.hq, "return")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(o == "won" for o in outcomes) == [False, True], outcomes
    loser = next(o for o in outcomes if o != "won")
    assert "不能执行" in loser
    events = AuditEvent.objects.filter(object_id=str(studio.pk), action__in=["studio_recommend", "studio_return_unit"])
    assert events.count() == 1


def test_list_and_detail_query_counts_do_not_grow(world, client_as):
    client = drawn_each_time(client_as(world.unit_cadre))
    studio = world.studio()
    list_url, detail_url = reverse("studios:studio_list"), studio.get_absolute_url()
    client.get(list_url)
    client.get(detail_url)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = (count(list_url), count(detail_url))
    for i in range(15):
        other = StudioFactory(unit=world.plant_a1, lead=PersonFactory(unit=world.plant_a1))
        services.membership_add(
            actor=world.hq, studio=studio, person=PersonFactory(unit=world.plant_a1), role="member", joined_on=today()
        )
        services.funding_add(
            actor=world.hq, studio=studio, direction="in", source="founding", amount=100 + i, entry_date=today()
        )
        assert other
    after = (count(list_url), count(detail_url))
    assert before == after
    assert after[0] <= 25 and after[1] <= 35


def test_studio_import_template_then_all_or_nothing(world, client_as):
    client = client_as(world.unit_cadre)
    template = load_workbook(io.BytesIO(client.get(reverse("studios:studio_import_template")).content))
    header = [c.value for c in template.active[1]]
    assert header[0] == "工作室名称" and "单位代码" in header
    lead = PersonFactory(unit=world.plant_a1, employee_no="E900")
    good = ["甲一厂数控工作室", "职工创新工作室", "A1", "E900", "数控", "2023-05-01", "二楼", "60", "2", "公司级"]
    bad_unit = ["乙厂工作室", "职工创新工作室", "B1", "E900", "", "", "", "", "", "公司级"]
    bad_kind = ["某工作室", "不存在的类型", "A1", "E900", "", "", "", "-3", "", "公司级"]
    before = rows()
    response = client.post(reverse("studios:studio_import"), {"file": xlsx_upload([header, good, bad_unit, bad_kind])})
    assert response.status_code == 400
    errors = response.context["errors"]
    assert {row for row, _message in errors} == {3, 4}
    assert rows() == before
    response = client.post(reverse("studios:studio_import"), {"file": xlsx_upload([header, good])})
    assert response.status_code == 302
    studio = Studio.objects.get(name="甲一厂数控工作室")
    assert studio.lead == lead and studio.status == "draft" and studio.unit == world.plant_a1


@pytest.mark.parametrize(
    "content",
    [b"not excel at all", b"%PDF-1.4 a pdf", None],
)
def test_import_rejects_files_that_are_not_the_template(world, client_as, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("x.xlsx", content) if content else xlsx_upload([["错误的表头"], ["x"]])
    before = rows()
    response = client_as(world.hq).post(reverse("studios:studio_import"), {"file": upload})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert rows() == before


def test_batch_naming_list_pdf_is_chinese(world, client_as):
    if not shutil.which("pdftotext"):
        skip_or_fail("pdftotext (poppler-utils) is not installed")
    batch = services.batch_create(
        actor=world.hq,
        year=today().year,
        level="company",
        name="第一批",
        publicity_start=today(),
        publicity_end=today(),
    )
    StudioFactory(name="车桥工艺创新工作室", unit=world.plant_a1, status="publicised", batch=batch)
    response = client_as(world.hq).get(reverse("studios:batch_export_pdf", args=[batch.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "车桥工艺创新工作室" in text and "命名名单" in text and "公司级" in text
    xlsx = client_as(world.unit_cadre).get(reverse("studios:batch_export_xlsx", args=[batch.pk]))
    values = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert values[1][1] == "车桥工艺创新工作室"


def test_personal_data_only_for_those_managing_the_unit(world, client_as):
    person = PersonFactory(unit=world.plant_a1, phone="13912345678", id_number="42030119800101123X")
    Membership.objects.create(studio=world.studio(), person=person, role="core", joined_on="2024-01-01")
    url = person.get_absolute_url()
    assert "13912345678" in client_as(world.unit_cadre).get(url).content.decode()
    assert "13912345678" in client_as(world.hq).get(url).content.decode()
    for role in ("viewer", "studio_lead"):
        page = client_as(getattr(world, role)).get(url).content.decode()
        assert "13912345678" not in page and "42030119800101123X" not in page
    export = client_as(world.hq).get(reverse("talent:person_list"), {"export": "xlsx"}).content
    cells = [c for row in load_workbook(io.BytesIO(export)).active.iter_rows(values_only=True) for c in row]
    assert "13912345678" not in cells


def test_studio_list_filters(world, client_as):
    StudioFactory(
        name="甲示范工作室",
        unit=world.plant_a1,
        status="named",
        level="provincial",
        is_demonstration=True,
        named_on=datetime.date(2024, 5, 1),
    )
    client = client_as(world.hq)

    def names(**params):
        return sorted(
            r.record.name for r in client.get(reverse("studios:studio_list"), params).context["table"].page.object_list
        )

    assert names(level="provincial") == ["甲示范工作室"]
    assert names(named_year="2024") == ["甲示范工作室"]
    assert names(is_demonstration="true") == ["甲示范工作室"]
    assert names(unit=world.branch_b.pk) == ["乙厂工作室"]
    assert names(q="乙厂") == ["乙厂工作室"]
