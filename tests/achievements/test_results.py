"""Projects and results: verification paths, forbidden steps, only verified results count, adoptions."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from achievements import services
from achievements.choices import ProjectStatus, ResultStatus
from achievements.models import Contributor, ProjectKind, Result
from core.exceptions import TransitionNotAllowed
from core.models import AuditEvent, Notification
from studios.assessment import assessment_figures

from ..bad_input import today
from ..conftest import drawn_each_time
from ..factories import PersonFactory


def kind(name):
    from achievements.models import ProjectKind

    return ProjectKind.objects.get(name=name)


def state():
    return [
        list(model._default_manager.order_by("pk").values_list())
        for label in ("accounts", "core", "talent", "studios", "achievements")
        for model in apps.get_app_config(label).get_models()
    ]


@pytest.fixture
def studio(world):
    return world.studio(status="named", level="company")


@pytest.fixture
def result(world, studio):
    return services.result_create(
        actor=world.studio_lead,
        studio=studio,
        title="车桥壳体焊接变形控制",
        category="technical_innovation",
        achieved_on=datetime.date(today().year, 1, 10),
        contributors=[world.lead_person],
        benefit=Decimal("120000"),
        benefit_year=today().year,
    )


def test_verification_path_and_figures(world, studio, result):
    figures = assessment_figures(studio, today().year)
    assert figures["verified_results"] == 0, "an unverified result counts nowhere"
    services.result_submit(actor=world.studio_lead, result=result)
    assert Notification.objects.filter(recipient=world.unit_cadre).exists()
    assert assessment_figures(studio, today().year)["verified_results"] == 0
    services.result_verify(actor=world.unit_cadre, result=result)
    result.refresh_from_db()
    assert result.status == ResultStatus.VERIFIED and result.verified_on == today()
    figures = assessment_figures(studio, today().year)
    assert figures["verified_results"] == 1 and Decimal(figures["benefit"]) == Decimal("120000")
    actions = list(
        AuditEvent.objects.filter(object_id=str(result.pk), content_type__model="result")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "result_submit", "result_verify"]


def test_returned_then_corrected_and_resubmitted(world, result):
    services.result_submit(actor=world.studio_lead, result=result)
    with pytest.raises(ValidationError):
        services.result_return(actor=world.unit_cadre, result=result, reason=" ")
    services.result_return(actor=world.unit_cadre, result=result, reason="请补充效益证明")
    services.result_update(actor=world.studio_lead, result=result, benefit_basis="节约返修工时 800 小时")
    assert services.result_submit(actor=world.studio_lead, result=result).status == ResultStatus.SUBMITTED


@pytest.mark.parametrize(
    ("step", "status"),
    [("verify", "draft"), ("verify", "verified"), ("return", "draft"), ("submit", "submitted"), ("submit", "verified")],
)
def test_forbidden_steps(world, studio, step, status):
    result = Result.objects.create(studio=studio, title="x", category="paper", achieved_on=today(), status=status)
    Contributor.objects.create(result=result, person=world.lead_person, rank=1)
    call = {
        "verify": lambda: services.result_verify(actor=world.unit_cadre, result=result),
        "return": lambda: services.result_return(actor=world.unit_cadre, result=result, reason="x"),
        "submit": lambda: services.result_submit(actor=world.studio_lead, result=result),
    }[step]
    with pytest.raises(TransitionNotAllowed):
        call()
    result.refresh_from_db()
    assert result.status == status


def test_who_may_verify(world, result):
    services.result_submit(actor=world.studio_lead, result=result)
    for actor in (world.studio_lead, world.viewer, world.unit_cadre_other, world.expert):
        with pytest.raises(PermissionDenied):
            services.result_verify(actor=actor, result=result)


def test_a_patent_needs_its_number_and_a_result_its_contributors(world, studio):
    patent = services.result_create(
        actor=world.studio_lead,
        studio=studio,
        title="专利",
        category="invention_patent",
        achieved_on=today(),
        contributors=[world.lead_person],
    )
    with pytest.raises(ValidationError) as error:
        services.result_submit(actor=world.studio_lead, result=patent)
    assert "patent_no" in error.value.error_dict
    bare = services.result_create(
        actor=world.studio_lead, studio=studio, title="无人", category="paper", achieved_on=today()
    )
    with pytest.raises(ValidationError) as error:
        services.result_submit(actor=world.studio_lead, result=bare)
    assert "contributors" in error.value.error_dict


def test_contributors_keep_their_rank_and_must_be_visible(world, studio):
    second = PersonFactory(unit=world.plant_a1)
    result = services.result_create(
        actor=world.studio_lead,
        studio=studio,
        title="排序",
        category="paper",
        achieved_on=today(),
        contributors=[second, world.lead_person],
    )
    assert [c.person for c in result.contributors.order_by("rank")] == [second, world.lead_person]
    with pytest.raises(ValidationError):
        services.result_update(
            actor=world.studio_lead, result=result, contributors=[PersonFactory(unit=world.plant_b1)]
        )


def test_adoptions_only_for_verified_results(world, result):
    with pytest.raises(TransitionNotAllowed):
        services.adoption_add(actor=world.studio_lead, result=result, unit=world.plant_b1, adopted_on=today())
    services.result_submit(actor=world.studio_lead, result=result)
    services.result_verify(actor=world.unit_cadre, result=result)
    with pytest.raises(ValidationError):
        # neither unit nor organisation
        services.adoption_add(actor=world.studio_lead, result=result, adopted_on=today())
    with pytest.raises(ValidationError):
        services.adoption_add(
            actor=world.studio_lead, result=result, unit=world.plant_b1, organisation="外厂", adopted_on=today()
        )
    services.adoption_add(
        actor=world.studio_lead,
        result=result,
        unit=world.plant_b1,
        adopted_on=today(),
        yearly_benefit=Decimal("30000"),
        scope="乙一厂两条产线",
    )
    services.adoption_add(
        actor=world.studio_lead,
        result=result,
        organisation="某汽车零部件公司",
        adopted_on=today(),
        yearly_benefit=Decimal("5000"),
    )
    from achievements.selectors import adoption_totals

    assert adoption_totals(result) == {"places": 2, "benefit": Decimal("35000")}


def test_project_lifecycle_and_joint_visibility(world, studio):
    partner = world.other_studio
    project = services.project_create(
        actor=world.hq,
        studio=studio,
        title="联合攻关",
        kind=kind("技术攻关"),
        leader=world.lead_person,
        started_on=datetime.date(today().year, 2, 1),
        planned_end_on=datetime.date(today().year, 12, 31),
        partner_studios=[partner],
    )
    from achievements.models import Project

    assert Project.objects.visible_to(world.other_lead).filter(pk=project.pk).exists(), "partners see joint projects"
    assert not Project.objects.visible_to(world.expert).exists()
    with pytest.raises(ValidationError):
        services.project_close(actor=world.studio_lead, project=project, summary="")
    services.project_start(actor=world.studio_lead, project=project)
    with pytest.raises(TransitionNotAllowed):
        services.project_start(actor=world.studio_lead, project=project)
    services.project_close(actor=world.studio_lead, project=project, summary="达成目标", closed_on=today())
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED
    with pytest.raises(TransitionNotAllowed):
        services.project_update(actor=world.studio_lead, project=project, title="改")
    figures = assessment_figures(studio, today().year)
    assert figures["projects_started"] == 1 and figures["projects_closed"] == 1


def test_project_dates_and_people_are_checked(world, studio):
    with pytest.raises(ValidationError):
        services.project_create(
            actor=world.studio_lead,
            studio=studio,
            title="x",
            kind=kind("QC 课题"),
            leader=world.lead_person,
            started_on=today(),
            planned_end_on=today() - datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError):
        services.project_create(
            actor=world.studio_lead,
            studio=studio,
            title="x",
            kind=kind("QC 课题"),
            leader=PersonFactory(unit=world.plant_b1),
            started_on=today(),
            planned_end_on=today(),
        )


RESULT_BAD = [
    {"title": ""},
    {"title": "题" * 201},
    {"category": "novel"},
    {"achieved_on": ""},
    {"achieved_on": "2099-01-01"},
    {"contributors": ""},
    {"contributors": "outsider"},
    {"benefit": "-1"},
    {"benefit": "很多"},
    {"benefit": "5000", "benefit_year": ""},
    {"benefit_year": "1800"},
    {"patent_granted_on": "2099-01-01"},
    {"project": "999999"},
    {"benefit_proof": "html"},
    {"studio": "other"},
]


@pytest.mark.parametrize("change", RESULT_BAD, ids=[str(i) for i in range(len(RESULT_BAD))])
def test_result_form_bad_input(world, client_as, studio, change):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "studio": studio.pk,
        "title": "新成果",
        "category": "paper",
        "achieved_on": "2025-01-01",
        "contributors": [world.lead_person.pk],
    }
    data.update(change)
    if data.get("contributors") == "outsider":
        data["contributors"] = [PersonFactory(unit=world.plant_b1).pk]
    if data.get("benefit_proof") == "html":
        data["benefit_proof"] = SimpleUploadedFile("p.pdf", b"<html></html>", "application/pdf")
    if data.get("studio") == "other":
        data["studio"] = world.other_studio.pk
    client = client_as(world.studio_lead)
    before = state()
    response = client.post(reverse("achievements:result_create"), data)
    assert response.status_code == 400 and response.context["form"].errors
    assert state() == before


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(max_size=210), benefit=st.text(max_size=15), year=st.text(max_size=6), date=st.text(max_size=12))
def test_result_form_never_fails_badly(world, client_as, studio, title, benefit, year, date):
    client = client_as(world.studio_lead)
    before = state()
    response = client.post(
        reverse("achievements:result_create"),
        {
            "studio": studio.pk,
            "title": title,
            "category": "paper",
            "achieved_on": date,
            "benefit": benefit,
            "benefit_year": year,
            "contributors": [world.lead_person.pk],
        },
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert state() == before


def test_list_and_detail_query_counts_do_not_grow(world, client_as, studio, result):
    client = drawn_each_time(client_as(world.unit_cadre))
    urls = [reverse("achievements:result_list"), result.get_absolute_url(), reverse("achievements:project_list")]
    for url in urls:
        client.get(url)

    def counts():
        numbers = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            numbers.append(len(ctx))
        return numbers

    def project(i):
        services.project_create(
            actor=world.hq,
            studio=studio,
            title=f"项目{i}",
            kind=ProjectKind.objects.create(name=f"类别{i}"),
            leader=world.lead_person,
            started_on=today(),
            planned_end_on=today() + datetime.timedelta(days=300),
        )

    project(0)
    for url in urls:
        client.get(url)
    before = counts()
    for i in range(1, 13):
        other = services.result_create(
            actor=world.hq,
            studio=studio,
            title=f"成果{i}",
            category="paper",
            achieved_on=today(),
            contributors=[PersonFactory(unit=world.plant_a1)],
        )
        assert other
        project(i)  # each of its own kind: a kind read per row would show as a query per project
    after = counts()
    assert before == after


def test_result_import_is_all_or_nothing(world, client_as, studio):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    lead = world.lead_person
    lead.employee_no = "L001"
    lead.save()
    header = [
        "成果名称",
        "工作室名称",
        "类别",
        "日期",
        "完成人工号（按排名，以、或逗号分隔）",
        "经济效益（元）",
        "效益年度",
        "专利号",
        "简介",
    ]
    good = ["导入的成果", studio.name, "技术革新", "2025-04-01", "L001", "1000", "2025", "", ""]
    bad = ["坏行", "不存在的工作室", "论文", "2025-04-01", "X9", "-5", "", "", ""]

    def upload(*rows_):
        workbook = Workbook()
        for row in rows_:
            workbook.active.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return SimpleUploadedFile("r.xlsx", buffer.getvalue())

    client = client_as(world.studio_lead)
    before = state()
    response = client.post(reverse("achievements:result_import"), {"file": upload(header, good, bad)})
    errors = response.context["errors"]
    assert response.status_code == 400 and {row for row, _ in errors} == {3}, errors
    assert state() == before
    assert client.post(reverse("achievements:result_import"), {"file": upload(header, good)}).status_code == 302
    imported = Result.objects.get(title="导入的成果")
    assert imported.status == "draft" and [c.person for c in imported.contributors.all()] == [lead]


def test_milestones_awards_and_attachments(world, studio, result):
    from django.core.files.base import ContentFile

    project = services.project_create(
        actor=world.studio_lead,
        studio=studio,
        title="攻关",
        kind=kind("QC 课题"),
        leader=world.lead_person,
        started_on=datetime.date(today().year, 1, 1),
        planned_end_on=datetime.date(today().year, 12, 31),
    )
    with pytest.raises(ValidationError):
        services.milestone_add(actor=world.studio_lead, project=project, title="太早", due_on=datetime.date(2000, 1, 1))
    milestone = services.milestone_add(
        actor=world.studio_lead, project=project, title="样机", due_on=datetime.date(today().year, 6, 30)
    )
    services.milestone_progress(actor=world.studio_lead, milestone=milestone, progress="样机完成", done_on=today())
    milestone.refresh_from_db()
    assert milestone.done_on == today() and milestone.progress == "样机完成"
    with pytest.raises(PermissionDenied):
        services.milestone_progress(actor=world.viewer, milestone=milestone, progress="x")
    award = services.award_add(
        actor=world.studio_lead,
        result=result,
        name="全国优秀QC成果",
        level="national",
        grade="一等奖",
        year=today().year,
    )
    with pytest.raises(ValidationError):
        services.award_add(
            actor=world.studio_lead, result=result, name="全国优秀QC成果", level="national", year=today().year
        )
    with pytest.raises(ValidationError):
        services.award_add(actor=world.studio_lead, result=result, name="未来奖", level="unit", year=today().year + 1)
    attachment = services.attachment_add(
        actor=world.studio_lead, result=result, title="技术报告", file=ContentFile(b"%PDF-1.4 x", name="a.pdf")
    )
    assert award.pk and attachment.file.name.startswith("results/attachments/")


PROJECT_BAD = [
    {"title": ""},
    {"kind": "magic"},
    {"leader": ""},
    {"started_on": "不是日期"},
    {"planned_end_on": "2020-01-01"},
    {"budget": "-1"},
    {"budget": "很多"},
    {"team": "999999"},
    {"partner_studios": "999999"},
    {"studio": "other"},
]


@pytest.mark.parametrize("change", PROJECT_BAD, ids=[str(i) for i in range(len(PROJECT_BAD))])
def test_project_form_bad_input(world, client_as, studio, change):
    data = {
        "studio": studio.pk,
        "title": "课题",
        "kind": kind("QC 课题").pk,
        "leader": world.lead_person.pk,
        "started_on": "2025-01-01",
        "planned_end_on": "2025-12-31",
    }
    data.update(change)
    if data.get("studio") == "other":
        data["studio"] = world.other_studio.pk
    client = client_as(world.studio_lead)
    before = state()
    response = client.post(reverse("achievements:project_create"), data)
    assert response.status_code == 400 and response.context["form"].errors
    assert state() == before


ADOPTION_BAD = [
    {},
    {"unit": "", "organisation": ""},
    {"organisation": "外厂"},
    {"adopted_on": "2099-01-01"},
    {"yearly_benefit": "-5"},
    {"proof": "html"},
    {"unit": "999999"},
]


@pytest.mark.parametrize("change", ADOPTION_BAD, ids=[str(i) for i in range(len(ADOPTION_BAD))])
def test_adoption_form_bad_input(world, client_as, studio, change):
    from django.core.files.uploadedfile import SimpleUploadedFile

    verified = Result.objects.create(
        studio=studio, title="已审核", category="paper", achieved_on=today(), status="verified"
    )
    data = {"unit": world.plant_b1.pk, "adopted_on": "2025-05-01", "yearly_benefit": "100"} if change else {}
    data.update(change)
    if data.get("proof") == "html":
        data["proof"] = SimpleUploadedFile("p.pdf", b"<html></html>")
    client = client_as(world.studio_lead)
    before = state()
    response = client.post(reverse("achievements:adoption_create", args=[verified.pk]), data)
    assert response.status_code == 400 and response.context["form"].errors
    assert state() == before


def test_project_kinds_are_configured_by_hq(world, client_as):
    from achievements.models import ProjectKind

    client = client_as(world.hq)
    assert client.post(reverse("achievements:kind_create"), {"name": "安全课题", "order": "6"}).status_code == 302
    assert ProjectKind.objects.filter(name="安全课题").exists()
    before = state()
    for bad in ({"name": "", "order": "1"}, {"name": "技术攻关", "order": "1"}, {"name": "x", "order": "-1"}):
        assert client.post(reverse("achievements:kind_create"), bad).status_code == 400
    assert state() == before
    retired = ProjectKind.objects.get(name="合理化建议")
    client.post(reverse("achievements:kind_update", args=[retired.pk]), {"name": "合理化建议", "order": "5"})
    retired.refresh_from_db()
    assert not retired.is_active
    form = client_as(world.studio_lead).get(reverse("achievements:project_create")).context["form"]
    assert retired not in form.fields["kind"].queryset


def _verified(studio):
    return Result.objects.create(
        studio=studio, title="已审核成果", category="paper", achieved_on=today(), status="verified"
    )


def _project(world, studio):
    from achievements.models import Project

    return Project.objects.create(
        studio=studio,
        title="课题",
        kind=kind("QC 课题"),
        leader=world.lead_person,
        started_on=datetime.date(2025, 1, 1),
        planned_end_on=datetime.date(2025, 12, 31),
    )


def _milestone(world, studio):
    from achievements.models import Milestone

    return Milestone.objects.create(project=_project(world, studio), title="节点", due_on=datetime.date(2025, 6, 1))


OTHER_FORMS_BAD = [
    ("achievements:milestone_create", _project, {"title": "", "due_on": "2025-03-01"}),
    ("achievements:milestone_create", _project, {"title": "节点", "due_on": "2000-01-01"}),
    ("achievements:milestone_create", _project, {"title": "节点", "due_on": "下周"}),
    ("achievements:milestone_progress", _milestone, {"progress": "", "done_on": ""}),
    ("achievements:milestone_progress", _milestone, {"progress": "完成", "done_on": "2099-01-01"}),
    ("achievements:award_create", lambda w, s: _verified(s), {"name": "", "level": "national", "year": "2024"}),
    ("achievements:award_create", lambda w, s: _verified(s), {"name": "奖", "level": "galactic", "year": "2024"}),
    ("achievements:award_create", lambda w, s: _verified(s), {"name": "奖", "level": "unit", "year": "3000"}),
    ("achievements:attachment_create", lambda w, s: _verified(s), {"title": "报告", "file": "html"}),
    ("achievements:attachment_create", lambda w, s: _verified(s), {"title": "", "file": "pdf"}),
    ("achievements:image_create", lambda w, s: _verified(s), {"image": "html"}),
    ("achievements:image_create", lambda w, s: _verified(s), {"image": "bomb"}),
    ("achievements:case_propose", lambda w, s: _verified(s), {"comment": "   "}),
    (
        "achievements:result_return",
        lambda w, s: Result.objects.create(
            studio=s, title="x", category="paper", achieved_on=today(), status="submitted"
        ),
        {"comment": ""},
    ),
]


@pytest.mark.parametrize(
    ("url_name", "target", "payload"), OTHER_FORMS_BAD, ids=[f"{c[0]}-{i}" for i, c in enumerate(OTHER_FORMS_BAD)]
)
def test_other_forms_bad_input(world, client_as, studio, url_name, target, payload):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ..core.test_uploads import png_header_only

    files = {
        "html": lambda: SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script></html>"),
        "pdf": lambda: SimpleUploadedFile("x.pdf", b"%PDF-1.4 ok"),
        "bomb": lambda: SimpleUploadedFile("x.png", png_header_only(20000, 20000)),
    }
    data = {k: (files[v]() if isinstance(v, str) and v in files else v) for k, v in payload.items()}
    obj = target(world, studio)
    actor = world.unit_cadre if url_name == "achievements:result_return" else world.studio_lead
    client = client_as(actor)
    before = state()
    response = client.post(reverse(url_name, args=[obj.pk]), data)
    assert response.status_code == 400, response.status_code
    assert response.context["form"].errors
    assert state() == before
