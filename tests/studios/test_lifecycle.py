"""The whole life of a studio through the services: every path, every forbidden step."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.exceptions import TransitionNotAllowed
from core.models import AuditEvent, Notification
from studios import services
from studios.choices import AssessmentGrade, AssessmentStatus, MemberRole, StudioStatus
from studios.models import Assessment, LevelRecord, Membership, NamingBatch, Studio, StudioKind
from talent.models import Honour

from ..bad_input import today
from ..factories import PersonFactory


@pytest.fixture
def eligible(world):
    """A draft studio of A1 that meets every default criterion."""
    studio = services.studio_create(
        actor=world.unit_cadre,
        name="车桥工艺创新工作室",
        kind=StudioKind.objects.get(name="工匠创新工作室"),
        unit=world.plant_a1,
        lead=world.lead_person,
        founded_on=datetime.date(2020, 1, 1),
        venue_address="机加车间二楼",
        venue_area=Decimal("80"),
        planned_projects=2,
    )
    Honour.objects.create(person=world.lead_person, kind="craftsman", level="provincial", title="荆楚工匠", year=2023)
    for group in ("机加一班", "机加二班"):
        person = PersonFactory(unit=world.plant_a1, team_group=group)
        services.membership_add(
            actor=world.unit_cadre,
            studio=studio,
            person=person,
            role=MemberRole.CORE,
            joined_on=datetime.date(2024, 1, 1),
        )
    services.funding_add(
        actor=world.unit_cadre,
        studio=studio,
        direction="in",
        source="founding",
        amount=Decimal("50000"),
        entry_date=datetime.date(2025, 3, 1),
    )
    return studio


@pytest.fixture
def batch(world):
    return services.batch_create(
        actor=world.hq,
        year=today().year,
        level="company",
        name="第一批",
        document_no="工〔2026〕1号",
        publicity_start=today(),
        publicity_end=today() + datetime.timedelta(days=7),
    )


def statuses(studio):
    return list(
        AuditEvent.objects.filter(object_id=str(studio.pk), content_type__model="studio", action__startswith="studio_")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_the_happy_path_from_registration_to_naming(world, eligible, batch):
    studio = services.studio_submit(actor=world.studio_lead, studio=eligible)
    assert studio.status == StudioStatus.SUBMITTED
    assert all(c["passed"] for c in studio.eligibility)
    assert Notification.objects.filter(recipient=world.unit_cadre).exists()
    studio = services.studio_recommend(actor=world.unit_cadre, studio=studio, comment="同意")
    assert Notification.objects.filter(recipient=world.hq, title__contains="推荐至公司").exists()
    studio = services.studio_approve(actor=world.hq, studio=studio, batch=batch)
    assert studio.status == StudioStatus.PUBLICISED and studio.batch == batch
    with pytest.raises(TransitionNotAllowed):
        services.batch_name(actor=world.hq, batch=batch)  # the notice is still running
    after_notice = batch.publicity_end + datetime.timedelta(days=1)
    services.batch_name(actor=world.hq, batch=batch, named_on=after_notice)
    studio.refresh_from_db()
    assert studio.status == StudioStatus.NAMED and studio.level == "company" and studio.named_on == after_notice
    record = LevelRecord.objects.get(studio=studio)
    assert record.batch == batch and record.document_no == "工〔2026〕1号"
    assert statuses(studio) == ["studio_submit", "studio_recommend", "studio_approve", "studio_name"]
    event = AuditEvent.objects.filter(object_id=str(studio.pk), action="studio_recommend").get()
    assert event.actor == world.unit_cadre and event.changes["status"] == ["submitted", "recommended"]
    assert event.comment == "同意"


def test_returned_by_the_unit_then_resubmitted(world, eligible):
    services.studio_submit(actor=world.studio_lead, studio=eligible)
    with pytest.raises(ValidationError):
        services.studio_return(actor=world.unit_cadre, studio=eligible, reason="  ")
    studio = services.studio_return(actor=world.unit_cadre, studio=eligible, reason="请补充照片")
    assert studio.status == StudioStatus.RETURNED
    assert Notification.objects.filter(recipient=world.studio_lead, title__contains="请补充照片").exists()
    services.studio_update(actor=world.studio_lead, studio=studio, planned_projects=3)
    studio = services.studio_submit(actor=world.studio_lead, studio=studio)
    assert studio.status == StudioStatus.SUBMITTED


def test_returned_by_hq_and_rejected_by_hq(world, eligible):
    services.studio_submit(actor=world.studio_lead, studio=eligible)
    services.studio_recommend(actor=world.unit_cadre, studio=eligible)
    assert services.studio_return(actor=world.hq, studio=eligible, reason="重复申报").status == StudioStatus.RETURNED
    services.studio_submit(actor=world.studio_lead, studio=eligible)
    services.studio_recommend(actor=world.unit_cadre, studio=eligible)
    assert services.studio_reject(actor=world.hq, studio=eligible, reason="方向重复").status == StudioStatus.REJECTED
    with pytest.raises(TransitionNotAllowed):
        services.studio_submit(actor=world.studio_lead, studio=eligible)
    with pytest.raises(TransitionNotAllowed):
        services.studio_update(actor=world.hq, studio=eligible, specialty="x")


@pytest.mark.parametrize(
    ("step", "status"),
    [
        ("recommend", StudioStatus.DRAFT),
        ("recommend", StudioStatus.RECOMMENDED),
        ("approve", StudioStatus.SUBMITTED),
        ("approve", StudioStatus.NAMED),
        ("submit", StudioStatus.SUBMITTED),
        ("submit", StudioStatus.NAMED),
        ("return", StudioStatus.DRAFT),
        ("return", StudioStatus.NAMED),
        ("reject", StudioStatus.DRAFT),
        ("reject", StudioStatus.NAMED),
        ("rectify", StudioStatus.SUBMITTED),
        ("rectified", StudioStatus.NAMED),
        ("revoke", StudioStatus.DRAFT),
        ("revoke", StudioStatus.REVOKED),
    ],
)
def test_forbidden_transitions_are_refused_with_a_message(world, batch, step, status):
    studio = world.studio(status=status)
    calls = {
        "recommend": lambda: services.studio_recommend(actor=world.hq, studio=studio),
        "approve": lambda: services.studio_approve(actor=world.hq, studio=studio, batch=batch),
        "submit": lambda: services.studio_submit(actor=world.hq, studio=studio, explanation="x"),
        "return": lambda: services.studio_return(actor=world.hq, studio=studio, reason="x"),
        "reject": lambda: services.studio_reject(actor=world.hq, studio=studio, reason="x"),
        "rectify": lambda: services.studio_rectify(
            actor=world.hq, studio=studio, deadline=today() + datetime.timedelta(days=30), reason="x"
        ),
        "rectified": lambda: services.studio_rectified(actor=world.hq, studio=studio),
        "revoke": lambda: services.studio_revoke(actor=world.hq, studio=studio, reason_code="other"),
    }
    with pytest.raises(TransitionNotAllowed) as error:
        calls[step]()
    assert "不能执行" in error.value.messages[0]
    studio.refresh_from_db()
    assert studio.status == status
    assert not AuditEvent.objects.filter(object_id=str(studio.pk), action__startswith="studio_").exists()


@pytest.mark.parametrize(
    ("actor", "step", "status"),
    [
        ("studio_lead", "recommend", StudioStatus.SUBMITTED),
        ("viewer", "recommend", StudioStatus.SUBMITTED),
        ("unit_cadre", "approve", StudioStatus.RECOMMENDED),
        ("unit_cadre", "reject", StudioStatus.SUBMITTED),
        ("unit_cadre_other", "recommend", StudioStatus.SUBMITTED),
        ("studio_lead", "revoke", StudioStatus.NAMED),
        ("other_lead", "submit", StudioStatus.DRAFT),
    ],
)
def test_roles_that_may_not_act_are_refused(world, batch, actor, step, status):
    studio = world.studio(status=status)
    user = getattr(world, actor)
    calls = {
        "recommend": lambda: services.studio_recommend(actor=user, studio=studio),
        "approve": lambda: services.studio_approve(actor=user, studio=studio, batch=batch),
        "reject": lambda: services.studio_reject(actor=user, studio=studio, reason="x"),
        "revoke": lambda: services.studio_revoke(actor=user, studio=studio, reason_code="other"),
        "submit": lambda: services.studio_submit(actor=user, studio=studio, explanation="x"),
    }
    with pytest.raises(PermissionDenied):
        calls[step]()
    studio.refresh_from_db()
    assert studio.status == status


def test_a_failing_application_needs_an_explanation_which_reviewers_see(world):
    studio = world.studio()  # one member, no funding, no honour
    with pytest.raises(ValidationError) as error:
        services.studio_submit(actor=world.studio_lead, studio=studio)
    assert "explanation" in error.value.error_dict
    studio = services.studio_submit(actor=world.studio_lead, studio=studio, explanation="团队正在组建")
    failed = {c["code"] for c in studio.eligibility if not c["passed"]}
    assert {"team_size", "lead", "funding"} <= failed
    assert studio.explanation == "团队正在组建"


def test_batch_is_named_only_after_its_notice_and_only_once(world, eligible):
    open_batch = services.batch_create(
        actor=world.hq,
        year=today().year,
        level="company",
        name="第二批",
        publicity_start=today(),
        publicity_end=today() + datetime.timedelta(days=5),
    )
    services.studio_submit(actor=world.studio_lead, studio=eligible)
    services.studio_recommend(actor=world.unit_cadre, studio=eligible)
    services.studio_approve(actor=world.hq, studio=eligible, batch=open_batch)
    with pytest.raises(TransitionNotAllowed):
        services.batch_name(actor=world.hq, batch=open_batch)
    services.batch_name(actor=world.hq, batch=open_batch, named_on=today() + datetime.timedelta(days=6))
    with pytest.raises(TransitionNotAllowed):
        services.batch_name(actor=world.hq, batch=open_batch, named_on=today() + datetime.timedelta(days=7))
    assert LevelRecord.objects.filter(studio=eligible).count() == 1


def test_batch_dates_and_names_are_checked(world, batch):
    with pytest.raises(ValidationError) as error:
        services.batch_create(
            actor=world.hq,
            year=today().year,
            level="company",
            name="第三批",
            publicity_start=today(),
            publicity_end=today() - datetime.timedelta(days=1),
        )
    assert "publicity_end" in error.value.error_dict
    with pytest.raises(ValidationError):
        services.batch_create(
            actor=world.hq,
            year=today().year,
            level="company",
            name="第一批",
            publicity_start=today(),
            publicity_end=today(),
        )
    assert NamingBatch.objects.count() == 1


def test_level_history_derives_the_current_level(world):
    studio = world.studio(status="named", level="company")
    services.level_record_add(
        actor=world.hq,
        studio=studio,
        level="provincial",
        demonstration=True,
        awarded_on=today() - datetime.timedelta(days=1),
        document_no="鄂工〔2026〕3号",
    )
    studio.refresh_from_db()
    assert studio.level == "provincial" and studio.is_demonstration
    services.level_record_add(
        actor=world.hq, studio=studio, level="city", awarded_on=today() - datetime.timedelta(days=400)
    )
    studio.refresh_from_db()
    assert studio.level == "provincial", "an older record does not change the current level"


def test_rectification_and_revocation(world):
    studio = world.studio(status="named", level="company")
    with pytest.raises(ValidationError):
        services.studio_rectify(actor=world.hq, studio=studio, deadline=today(), reason="x")
    services.studio_rectify(
        actor=world.hq, studio=studio, deadline=today() + datetime.timedelta(days=60), reason="考核不合格"
    )
    studio.refresh_from_db()
    assert studio.status == StudioStatus.RECTIFYING and studio.rectification_deadline
    services.studio_rectified(actor=world.hq, studio=studio)
    studio.refresh_from_db()
    assert studio.status == StudioStatus.NAMED and studio.rectification_deadline is None
    services.studio_revoke(actor=world.hq, studio=studio, reason_code="lead_retired", comment="领衔人退休")
    studio.refresh_from_db()
    assert (
        studio.status == StudioStatus.REVOKED
        and studio.revoked_reason == "lead_retired"
        and studio.revoked_on == today()
    )


def test_lead_change_is_its_own_recorded_step(world):
    studio = world.studio(status="named", level="company")
    successor = PersonFactory(unit=world.plant_a1)
    services.studio_change_lead(actor=world.unit_cadre, studio=studio, new_lead=successor, comment="原领衔人调任")
    studio.refresh_from_db()
    assert studio.lead == successor
    old = Membership.objects.get(studio=studio, person=world.lead_person)
    assert old.left_on == today()
    assert Membership.objects.get(studio=studio, person=successor, left_on__isnull=True).role == MemberRole.LEAD
    event = AuditEvent.objects.get(object_id=str(studio.pk), action="change_lead")
    assert event.changes["lead"] == [world.lead_person.name, successor.name]
    with pytest.raises(PermissionDenied):
        services.studio_change_lead(actor=world.studio_lead, studio=studio, new_lead=world.lead_person)


def test_team_rules(world):
    studio = world.studio()
    person = PersonFactory(unit=world.plant_a1)
    services.membership_add(actor=world.studio_lead, studio=studio, person=person, role="core", joined_on=today())
    with pytest.raises(ValidationError):
        services.membership_add(actor=world.studio_lead, studio=studio, person=person, role="member", joined_on=today())
    with pytest.raises(ValidationError):
        services.membership_add(
            actor=world.studio_lead,
            studio=studio,
            person=PersonFactory(unit=world.plant_a1),
            role="lead",
            joined_on=today(),
        )
    outsider = PersonFactory(unit=world.plant_b1)
    with pytest.raises(ValidationError):
        services.membership_add(
            actor=world.studio_lead, studio=studio, person=outsider, role="member", joined_on=today()
        )
    lead_membership = Membership.objects.get(studio=studio, person=world.lead_person)
    with pytest.raises(TransitionNotAllowed):
        services.membership_end(actor=world.studio_lead, membership=lead_membership, left_on=today())
    membership = Membership.objects.get(studio=studio, person=person)
    with pytest.raises(ValidationError):
        services.membership_end(
            actor=world.studio_lead, membership=membership, left_on=today() - datetime.timedelta(days=1)
        )
    services.membership_end(actor=world.studio_lead, membership=membership, left_on=today())
    with pytest.raises(TransitionNotAllowed):
        services.membership_end(actor=world.studio_lead, membership=membership, left_on=today())


def test_funding_ledger_running_balance(world):
    from studios.selectors import funding_ledger, funding_totals

    studio = world.studio()
    services.funding_add(
        actor=world.studio_lead,
        studio=studio,
        direction="in",
        source="founding",
        amount=Decimal("50000"),
        entry_date=datetime.date(2025, 1, 10),
    )
    services.funding_add(
        actor=world.studio_lead,
        studio=studio,
        direction="out",
        use="equipment",
        amount=Decimal("12000.50"),
        entry_date=datetime.date(2025, 2, 1),
    )
    services.funding_add(
        actor=world.studio_lead,
        studio=studio,
        direction="in",
        source="reward",
        amount=Decimal("5000"),
        entry_date=datetime.date(2025, 6, 1),
    )
    assert [e.balance for e in funding_ledger(studio)] == [Decimal("50000"), Decimal("37999.50"), Decimal("42999.50")]
    assert funding_totals(studio, year=2025)["balance"] == Decimal("42999.50")
    for bad in (
        {"direction": "in", "source": "", "amount": Decimal("1")},
        {"direction": "out", "use": "", "amount": Decimal("1")},
        {"direction": "in", "source": "founding", "amount": Decimal("-5")},
        {"direction": "in", "source": "founding", "amount": Decimal("0")},
    ):
        with pytest.raises(ValidationError):
            services.funding_add(actor=world.studio_lead, studio=studio, entry_date=today(), **bad)


def test_annual_assessment_rectification_then_revocation_proposed(world):
    studio = world.studio(status="named", level="company")
    first = services.round_open(actor=world.hq, year=today().year - 1)
    assessment = Assessment.objects.get(round=first, studio=studio)
    with pytest.raises(TransitionNotAllowed):
        services.assessment_unit_score(actor=world.unit_cadre, assessment=assessment, score=Decimal("80"))
    services.assessment_self_submit(actor=world.studio_lead, assessment=assessment, summary="全年开展课题两项")
    assessment.refresh_from_db()
    assert assessment.figures["team_size"] == 1 and assessment.no_verified_result
    services.assessment_unit_score(actor=world.unit_cadre, assessment=assessment, score=Decimal("50"))
    with pytest.raises(ValidationError):
        services.assessment_grade(actor=world.hq, assessment=assessment, grade=AssessmentGrade.FAIL)
    services.assessment_grade(
        actor=world.hq,
        assessment=assessment,
        grade=AssessmentGrade.FAIL,
        deadline=today() + datetime.timedelta(days=90),
    )
    studio.refresh_from_db()
    assert studio.status == StudioStatus.RECTIFYING
    with pytest.raises(TransitionNotAllowed):
        services.round_close(actor=world.hq, assessment_round=first)  # the B1 studio is not graded yet

    second = services.round_open(actor=world.hq, year=today().year)
    again = Assessment.objects.get(round=second, studio=studio)
    services.assessment_self_submit(actor=world.studio_lead, assessment=again, summary="整改中")
    services.assessment_unit_score(actor=world.unit_cadre, assessment=again, score=Decimal("40"))
    services.assessment_grade(actor=world.hq, assessment=again, grade=AssessmentGrade.FAIL)
    again.refresh_from_db()
    assert again.revocation_proposed and again.status == AssessmentStatus.GRADED
    assert Notification.objects.filter(recipient=world.hq, title__contains="建议摘牌").exists()
    studio.refresh_from_db()
    assert studio.status == StudioStatus.RECTIFYING, "revocation is proposed to HQ, not automatic"


def test_round_rules(world):
    with pytest.raises(ValidationError):
        services.round_open(actor=world.hq, year=today().year + 1)
    services.round_open(actor=world.hq, year=today().year)
    with pytest.raises(ValidationError):
        services.round_open(actor=world.hq, year=today().year)
    with pytest.raises(PermissionDenied):
        services.round_open(actor=world.unit_cadre, year=today().year - 1)


def test_application_fields_freeze_after_submission(world, eligible):
    services.studio_submit(actor=world.studio_lead, studio=eligible)
    with pytest.raises(ValidationError) as error:
        services.studio_update(actor=world.studio_lead, studio=eligible, planned_projects=9)
    assert "planned_projects" in error.value.error_dict
    services.studio_update(actor=world.studio_lead, studio=eligible, description="更新简介")
    assert Studio.objects.get(pk=eligible.pk).description == "更新简介"


def test_a_round_closes_once_every_studio_is_graded(world):
    assessment_round = services.round_open(actor=world.hq, year=today().year)
    for assessment in Assessment.objects.filter(round=assessment_round):
        assessment.status, assessment.grade = AssessmentStatus.GRADED, AssessmentGrade.GOOD
        assessment.save()
    services.round_close(actor=world.hq, assessment_round=assessment_round)
    with pytest.raises(TransitionNotAllowed):
        services.round_close(actor=world.hq, assessment_round=assessment_round)
    with pytest.raises(TransitionNotAllowed):
        services.assessment_self_submit(
            actor=world.other_lead, assessment=Assessment.objects.filter(round=assessment_round).first(), summary="x"
        )


def test_approval_only_into_a_batch_whose_notice_has_not_begun(world, eligible):
    running = services.batch_create(
        actor=world.hq,
        year=today().year,
        level="company",
        name="进行中",
        publicity_start=today() - datetime.timedelta(days=2),
        publicity_end=today() + datetime.timedelta(days=5),
    )
    services.studio_submit(actor=world.studio_lead, studio=eligible)
    services.studio_recommend(actor=world.unit_cadre, studio=eligible)
    with pytest.raises(ValidationError) as error:
        services.studio_approve(actor=world.hq, studio=eligible, batch=running)
    assert "batch" in error.value.error_dict
    eligible.refresh_from_db()
    assert eligible.status == StudioStatus.RECOMMENDED


def test_a_batch_with_studios_keeps_its_notice_dates(world, eligible, batch):
    services.studio_submit(actor=world.studio_lead, studio=eligible)
    services.studio_recommend(actor=world.unit_cadre, studio=eligible)
    services.studio_approve(actor=world.hq, studio=eligible, batch=batch)
    with pytest.raises(ValidationError):
        services.batch_update(actor=world.hq, batch=batch, publicity_end=today())
    services.batch_update(actor=world.hq, batch=batch, document_no="工〔2026〕9号")


def test_lead_change_date_is_checked(world):
    studio = world.studio(status="named", level="company")
    successor = PersonFactory(unit=world.plant_a1)
    for bad in (datetime.date(2020, 1, 1), today() + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError) as error:
            services.studio_change_lead(actor=world.hq, studio=studio, new_lead=successor, changed_on=bad)
        assert "changed_on" in error.value.error_dict


def test_after_submission_the_lead_cannot_rename_or_move_the_studio(world, eligible):
    services.studio_submit(actor=world.studio_lead, studio=eligible)
    for field, value in (("name", "改名"), ("venue_area", Decimal("500")), ("unit", world.plant_b1)):
        with pytest.raises(ValidationError):
            services.studio_update(actor=world.studio_lead, studio=eligible, **{field: value})
    services.studio_update(actor=world.unit_cadre, studio=eligible, name="改名后的工作室")


def test_only_model_worker_or_craftsman_honours_count_for_the_lead(world):
    from studios.eligibility import studio_eligibility

    studio = world.studio()
    Honour.objects.create(
        person=world.lead_person, kind="technical_expert", level="national", title="全国技术能手", year=2022
    )
    lead = next(c for c in studio_eligibility(studio) if c.code == "lead")
    assert not lead.passed
    Honour.objects.create(person=world.lead_person, kind="model_worker", level="company", title="公司劳模", year=2023)
    assert next(c for c in studio_eligibility(studio) if c.code == "lead").passed


def test_a_lead_cannot_edit_people_not_even_its_own_record(world):
    from talent import services as talent_services

    with pytest.raises(PermissionDenied):
        talent_services.honour_add(
            actor=world.studio_lead,
            person=world.lead_person,
            kind="model_worker",
            level="national",
            title="全国劳模",
            year=2024,
        )


def test_the_check_stored_at_submission_is_read_in_each_reviewers_language(world, eligible, client, settings):
    """The applicant submits in English; the check is kept in the site's language and as
    sentences, so the cadre reads it in Chinese and an English-speaking reviewer in English —
    the lead's honour level and skill grade included."""
    from django.utils import translation

    from studios.eligibility import shown_criteria

    with translation.override("en"):
        studio = services.studio_submit(actor=world.studio_lead, studio=eligible)
    lead = next(c for c in studio.eligibility if c["code"] == "lead")
    assert lead["label"] == "领衔人荣誉或技能等级" and lead["figure"] == "荆楚工匠（省部级） / 无技能等级"
    with translation.override("en"):
        shown = {c["code"]: c for c in shown_criteria(studio.eligibility)}
        assert shown["lead"]["label"] == "Lead's honour or skill grade"
        assert shown["lead"]["figure"] == "荆楚工匠 (Provincial or ministerial level) / no skill grade"
        assert shown["team_size"]["figure"] == "3 people" and shown["team_size"]["threshold"] == "at least 3"
    client.force_login(world.unit_cadre)
    page = client.get(studio.get_absolute_url()).content.decode()
    assert "领衔人荣誉或技能等级" in page and "荆楚工匠（省部级）" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(studio.get_absolute_url()).content.decode()
    assert "Lead&#x27;s honour or skill grade" in page and "荆楚工匠 (Provincial or ministerial level)" in page
    # A check stored before its sentences were kept is shown as it was stored.
    old = [{k: v for k, v in c.items() if k != "sentences"} for c in studio.eligibility]
    with translation.override("en"):
        assert shown_criteria(old) == old
