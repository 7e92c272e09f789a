"""The audit log (/audit/) and its Excel export read every event the services record: an event for
every audit action (with the changes its service writes, from `grep audit_log(`), and every shape a
change takes (a pair, a single value, a list, a dict, a name through relations, nothing), each
change named by its field's label and its values as people read them: never a raw field name, a
choice code, "None" or "True", and never a 500."""

from __future__ import annotations

import datetime
import importlib
import io
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from openpyxl import load_workbook

from core.audit import changes_text, field_label
from core.choices import AuditAction
from core.models import AuditEvent
from core.tables import _extra_action_labels, audit_action_label

from .test_table_rows import fast_rows, reference_rows

SERVICE_APPS = ("accounts", "talent", "studios", "achievements", "alliances", "training", "mentoring", "reports")

# Every action a service records, on the model it is recorded on, with the changes it writes.
ACTIONS = {
    # accounts
    "create": ("accounts.unit", {"name": [None, "总装厂"], "kind": [None, "plant"], "is_active": [None, True]}),
    "update": ("accounts.user", {"role": ["studio_lead", "unit_cadre"], "unit": ["甲一厂", "甲公司"]}),
    "delete": ("accounts.user", {}),
    "move": ("accounts.unit", {"parent": ["甲公司", "乙公司"]}),
    "deactivate": ("accounts.user", {"is_active": [True, False]}),
    "activate": ("accounts.user", {"is_active": [False, True]}),
    "password_reset": ("accounts.user", {}),
    "password_changed": ("accounts.user", {}),
    "unlock": ("accounts.user", {}),
    "login_locked": ("accounts.user", {}),
    # talent
    "grade_change": ("talent.person", {"skill_grade": ["senior", "technician"]}),
    "honour_add": ("talent.person", {}),
    "honour_remove": ("talent.person", {}),
    "campaign_create": (
        "talent.campaign",
        {"kind": [None, "craftsman"], "name": [None, "第二届信赖工匠评选"], "year": [None, 2026], "quota": [None, 2]},
    ),
    "campaign_update": ("talent.campaign", {"quota": [2, 3]}),
    "criterion_add": ("talent.campaign", {"criteria.name": "技能水平", "criteria.weight": 30}),
    "criterion_update": ("talent.campaign", {"criteria.weight": [30, 40]}),
    "criterion_delete": ("talent.campaign", {"criteria.name": "技能水平", "criteria.weight": 30}),
    "panel_add": ("talent.campaign", {}),
    "panel_remove": ("talent.campaign", {}),
    "campaign_start_scoring": ("talent.campaign", {"status": ["open", "scoring"]}),
    "campaign_publicise": (
        "talent.campaign",
        {"status": ["scoring", "publicised"], "publicity_from": [None, "2026-05-01"]},
    ),
    "campaign_close": ("talent.campaign", {"status": ["publicised", "closed"], "closed_on": [None, "2026-05-09"]}),
    "nomination_create": ("talent.nomination", {"unit": [None, "甲一厂"], "status": [None, "nominated"]}),
    "nomination_withdraw": ("talent.nomination", {"status": ["nominated", "withdrawn"]}),
    "nomination_selected": ("talent.nomination", {"status": ["nominated", "selected"]}),
    "nomination_not_selected": ("talent.nomination", {"status": ["nominated", "not_selected"]}),
    "nomination_recuse": (
        "talent.nomination",
        {"recusals.relation": "colleague", "recusals.withdrawn_total": "86.50"},
    ),
    "scorecard_submit": ("talent.scorecard", {"total": [None, "88.00"]}),
    "scorecard_revise": ("talent.scorecard", {"total": ["88.00", "90.50"]}),
    "award_add": ("achievements.result", {}),
    # studios
    "studio_submit": ("studios.studio", {"status": ["draft", "submitted"]}),
    "studio_recommend": ("studios.studio", {"status": ["submitted", "recommended"]}),
    "studio_return_unit": ("studios.studio", {"status": ["submitted", "returned"]}),
    "studio_return_hq": ("studios.studio", {"status": ["recommended", "returned"]}),
    "studio_reject": ("studios.studio", {"status": ["recommended", "rejected"]}),
    "studio_approve": ("studios.studio", {"status": ["recommended", "publicised"], "batch": [None, "第一批"]}),
    "studio_name": ("studios.studio", {"status": ["publicised", "named"], "level": ["", "company"]}),
    "studio_rectify": ("studios.studio", {"status": ["named", "rectifying"], "deadline": [None, "2027-02-22"]}),
    "studio_rectified": ("studios.studio", {"status": ["rectifying", "named"]}),
    "studio_revoke": ("studios.studio", {"status": ["named", "revoked"], "revoked_reason": [None, "lead_moved"]}),
    "change_lead": ("studios.studio", {"lead": ["张卫东", "王海军"]}),
    "member_add": ("studios.studio", {}),
    "member_end": ("studios.studio", {}),
    "level_add": ("studios.studio", {"level": ["company", "provincial"], "is_demonstration": [False, True]}),
    "photo_add": ("studios.studio", {}),
    "photo_delete": ("studios.studio", {}),
    "funding_add": ("studios.studio", {}),
    "funding_reverse": ("studios.studio", {}),
    "assessment_self": ("studios.studio", {}),
    "assessment_score": ("studios.studio", {}),
    "assessment_grade": ("studios.studio", {}),
    "batch_name": ("studios.namingbatch", {}),
    "round_open": ("studios.assessmentround", {}),
    "round_close": ("studios.assessmentround", {"status": ["open", "closed"]}),
    # achievements
    "project_start": ("achievements.project", {"status": ["approved", "in_progress"]}),
    "project_close": ("achievements.project", {"status": ["in_progress", "closed"]}),
    "project_terminate": ("achievements.project", {"status": ["in_progress", "terminated"]}),
    "result_submit": ("achievements.result", {"status": ["draft", "submitted"]}),
    "result_verify": ("achievements.result", {"status": ["submitted", "verified"]}),
    "result_return": ("achievements.result", {"status": ["submitted", "returned"]}),
    "adoption_add": ("achievements.result", {}),
    "image_add": ("achievements.result", {}),
    "image_delete": ("achievements.result", {}),
    "case_propose": ("achievements.result", {"case_status": ["", "proposed"]}),
    "case_approve": ("achievements.result", {"case_status": ["proposed", "approved"]}),
    "case_withdraw": ("achievements.result", {"case_status": ["approved", ""]}),
    "milestone_add": ("achievements.project", {}),
    "milestone_progress": ("achievements.project", {}),
    "attachment_add": ("achievements.result", {}),
    # alliances
    "alliance_create": (
        "alliances.alliance",
        {"name": [None, "新能源联盟"], "lead_unit": [None, "甲公司"], "founded_on": [None, "2026-09-01"]},
    ),
    "alliance_update": ("alliances.alliance", {"lead_unit": ["甲公司", "乙公司"]}),
    "alliance_launch": ("alliances.alliance", {"status": ["preparing", "running"]}),
    "alliance_dissolve": ("alliances.alliance", {"status": ["running", "dissolved"]}),
    "alliance_join_request": (
        "alliances.alliance",
        {"members.studio": "甲厂工作室", "members.status": [None, "requested"]},
    ),
    "alliance_member_add": (
        "alliances.alliance",
        {"members.studio": "甲厂工作室", "members.status": [None, "active"], "members.tier": "member"},
    ),
    "alliance_member_admit": (
        "alliances.alliance",
        {"members.studio": "甲厂工作室", "members.status": ["requested", "active"], "members.tier": "pilot"},
    ),
    "alliance_request_refuse": (
        "alliances.alliance",
        {"members.studio": "甲厂工作室", "members.status": ["requested", "declined"]},
    ),
    "alliance_exit_request": (
        "alliances.alliance",
        {"members.studio": "甲厂工作室", "members.status": ["active", "exit_requested"]},
    ),
    "alliance_member_exit": (
        "alliances.alliance",
        {"members.studio": "甲厂工作室", "members.status": ["exit_requested", "exited"]},
    ),
    "alliance_member_remove": (
        "alliances.alliance",
        {"members.studio": "甲厂工作室", "members.status": ["active", "removed"]},
    ),
    "alliance_member_tier": (
        "alliances.alliance",
        {"members.studio": "甲厂工作室", "members.tier": ["member", "pilot"]},
    ),
    "activity_create": (
        "alliances.alliance",
        {
            "activities.title": "现场观摩",
            "activities.kind": "site_visit",
            "activities.held_on": "2026-04-09",
            "activities.studios": 2,
            "activities.people": 3,
        },
    ),
    "activity_update": (
        "alliances.alliance",
        {"activities.kind": ["site_visit", "exchange"], "activities.people": [3, 4]},
    ),
    "activity_photo_add": ("alliances.alliance", {}),
    "activity_photo_delete": ("alliances.alliance", {}),
    "activity_document_add": ("alliances.alliance", {}),
    "designation_batch_create": (
        "alliances.designationbatch",
        {"name": [None, "首批"], "designated_on": [None, "2025-09-10"], "document_no": [None, "江汽工〔2025〕30号"]},
    ),
    "designation_batch_update": ("alliances.designationbatch", {"description": ["", "依据实施意见命名。"]}),
    "designation_add": (
        "alliances.designationbatch",
        {"designations.kind": "pilot", "designations.alliance": "新能源联盟"},
    ),
    "designation_remove": (
        "alliances.designationbatch",
        {"designations.kind": "demonstration", "designations.studio": "甲厂工作室"},
    ),
    "designation_batch_publish": (
        "alliances.designationbatch",
        {"status": ["draft", "published"], "published_on": [None, "2026-11-24"]},
    ),
    # training
    "class_create": (
        "training.trainingclass",
        {"title": [None, "工作室领衔人交流班"], "organiser": [None, "集团总部"]},
    ),
    "class_update": ("training.trainingclass", {"kind": ["exchange", "topical"], "capacity": [30, 40]}),
    "class_open": ("training.trainingclass", {"status": ["preparing", "enrolling"]}),
    "class_start": ("training.trainingclass", {"status": ["enrolling", "running"]}),
    "class_finish": ("training.trainingclass", {"status": ["running", "finished"]}),
    "session_add": ("training.trainingclass", {}),
    "session_update": (
        "training.trainingclass",
        {"sessions.starts_at": ["2026-04-01T09:00:00+08:00", "2026-04-01T10:00:00+08:00"]},
    ),
    "session_delete": ("training.trainingclass", {}),
    "enrol": ("training.trainingclass", {}),
    "enrolment_cancel": ("training.trainingclass", {"enrolments.status": ["enrolled", "cancelled"]}),
    "attendance_record": ("training.trainingclass", {}),
    "sign_in": ("training.trainingclass", {"attendances.method": "qr"}),
    "feedback_submit": ("training.trainingclass", {}),
    "material_add": ("training.trainingclass", {}),
    "material_delete": ("training.trainingclass", {}),
    # mentoring
    "pairing_create": (
        "mentoring.pairing",
        {
            "mentor": [None, "周强"],
            "apprentice": [None, "吴敏"],
            "agreement_on": [None, "2026-03-01"],
            "term_months": [None, 12],
        },
    ),
    "pairing_update": ("mentoring.pairing", {"term_months": [12, 18]}),
    "pairing_progress": ("mentoring.pairing", {"progress_logs.logged_on": "2026-04-15"}),
    "pairing_placement": ("mentoring.pairing", {"placements.level": "unit", "placements.placed_on": "2024-11-20"}),
    "pairing_assess": (
        "mentoring.pairing",
        {
            "status": ["active", "failed"],
            "ended_on": [None, "2026-03-01"],
            "assessment.grade": "fail",
            "assessment.score": "52",
        },
    ),
    "pairing_end": (
        "mentoring.pairing",
        {"status": ["active", "ended"], "ended_on": [None, "2025-10-08"], "end_reason": "apprentice_transferred"},
    ),
    "pairing_grade_change": ("mentoring.pairing", {"apprentice": "吴敏", "term_ends_on": "2027-02-28"}),
    "reward_rule_update": (
        "mentoring.rewardrule",
        {"allowance_senior": ["0", "100.00"], "bonus_amount": ["0", "3000.00"]},
    ),
    # reports
    "report_request": ("reports.annualreport", {"year": [None, 2026], "unit": [None, "集团总部"]}),
    "report_resume": ("reports.annualreport", {"attempts": [1, 2]}),
    "report_done": ("reports.annualreport", {"status": ["running", "done"]}),
    "report_failed": ("reports.annualreport", {"error": [None, "数据库连接中断"]}),
    "report_requeue": ("reports.annualreport", {"task_id": ["a1b2", "c3d4"]}),
    "report_submit": ("reports.annualreport", {"status": ["done", "submitted"]}),
}

# What the rows above must read (a sample: a label for every kind of name, a label for every kind of value).
READS = [
    "状态: 草稿 → 已提交",
    "整改期限: — → 2027-02-22",
    "签到方式: 扫码签到",
    "层级: 成员",
    "权重: 30",
    "参加人员: 3",
    "年度: — → 2026",
    "启用: 是 → 否",
    "上级单位: 甲公司 → 乙公司",
    "加权总分: 88.00 → 90.50",
    "典型案例: 典型案例（已公开展示） → —",
    "终止原因: 徒弟调动",
]


def _registered_actions() -> set[str]:
    for app in SERVICE_APPS:
        importlib.import_module(f"{app}.services")
    return set(AuditAction.values) | set(_extra_action_labels)


def _event(action, model_label, changes, n=0):
    app_label, model = model_label.split(".")
    return AuditEvent(
        actor_name="审计员",
        content_type=ContentType.objects.get_by_natural_key(app_label, model),
        object_id=str(n + 1),
        object_repr=f"对象{n}",
        action=action,
        changes=changes,
    )


def _raw_problems(text: str, changes: dict) -> list[str]:
    """What in one row's text is not for people: a recorded name, "None", a Python value."""
    problems = [word for word in ("None", "True", "False", "[", "{") if word in text]
    problems += [f"{name}:" for name in changes if f"{name}:" in text]
    return problems


def test_every_audit_action_of_the_services_is_in_the_catalogue():
    registered = _registered_actions()
    assert set(ACTIONS) == registered, (
        f"add to ACTIONS (with the changes the service records): {sorted(registered - set(ACTIONS))}; "
        f"no such action any more: {sorted(set(ACTIONS) - registered)}"
    )


@pytest.mark.django_db
def test_every_recorded_name_has_a_label():
    _registered_actions()
    unlabelled = {}
    for action, (model_label, changes) in ACTIONS.items():
        model = ContentType.objects.get_by_natural_key(*model_label.split(".")).model_class()
        assert audit_action_label(action) != action, action
        for name in changes:
            if field_label(model, name) == name:
                unlabelled.setdefault(model_label, []).append(name)
    assert not unlabelled, f"names with no label (a field path or register_change_names): {unlabelled}"


@pytest.mark.django_db
def test_the_audit_log_and_its_export_read_every_action(world, client_as):
    _registered_actions()
    AuditEvent.objects.bulk_create(
        [_event(action, model, changes, n) for n, (action, (model, changes)) in enumerate(ACTIONS.items())]
    )
    client = client_as(world.hq)

    # The page, every page of it (the bug: a 500 on the pages holding a single-valued change).
    texts, page = [], 1
    while True:
        response = client.get(reverse("core:audit_list"), {"page": page})
        assert response.status_code == 200, page
        table = response.context["table"]
        assert fast_rows(table) == reference_rows(table)  # the fast rows are django-tables2's
        for row in table.page.object_list:
            texts.append((row.record, changes_text(row.record.content_type.model_class(), row.record.changes)))
        if not table.page.has_next():
            break
        page += 1
    assert len(texts) == len(ACTIONS)
    body = " ".join(text for _record, text in texts)
    for expected in READS:
        assert expected in body, expected

    # The Excel export (the bug: always a 500): the same text in the changes column.
    response = client.get(reverse("core:audit_list"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.values)
    assert len(rows) == len(ACTIONS)
    column = header.index("变更内容")
    by_object = {row[header.index("对象")]: row for row in rows}
    problems = {}
    for record, text in texts:
        exported = by_object[record.object_repr]
        assert exported[column] == text, record.action
        assert exported[header.index("操作")] == audit_action_label(record.action)
        if found := _raw_problems(text, record.changes):
            problems[record.action] = (text, found)
    assert not problems, problems


SHAPES = [
    # (model, changes, what the changes column reads)
    ("training.trainingclass", {"status": ["running", "finished"]}, "状态: 进行中 → 结束"),
    ("reports.annualreport", {"year": [None, 2026]}, "年度: — → 2026"),
    ("alliances.alliance", {"members.tier": "member"}, "层级: 成员"),
    ("talent.campaign", {"criteria.weight": 30}, "权重: 30"),
    ("training.trainingclass", {"attendances.method": "qr"}, "签到方式: 扫码签到"),
    ("training.trainingclass", {"sessions.attendances.method": "manual"}, "签到方式: 组织方补录"),
    ("accounts.user", {"is_active": [True, False]}, "启用: 是 → 否"),
    ("accounts.user", {"role": ["expert", None]}, "角色: 评审专家 → —"),
    ("accounts.user", {"email": ["", "a@example.com"]}, "电子邮件地址: — → a@example.com"),
    ("accounts.user", {"role": ["hq_cadre", "viewer", "expert"]}, "角色: 公司工会干部、领导查看、评审专家"),
    ("accounts.user", {"role": []}, "角色: —"),
    ("accounts.user", {"role": {"from": "expert", "to": "viewer"}}, "角色: from: 评审专家，to: 领导查看"),
    ("accounts.user", {"name": None}, "姓名: —"),
    ("accounts.user", {"name": ["甲", "乙"], "phone": [None, "027-1"]}, "姓名: 甲 → 乙; 电话: — → 027-1"),
    ("accounts.user", {}, "—"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "changes", "reads"), SHAPES)
def test_every_shape_of_a_change_reads_on_the_page_and_in_the_export(model, changes, reads, world, client_as):
    _registered_actions()
    _event("update", model, changes).save()
    client = client_as(world.hq)
    response = client.get(reverse("core:audit_list"))
    assert response.status_code == 200
    page = re.sub(r"\s+", " ", response.content.decode())
    assert f'<td class="wide wrap">{reads.replace(">", "&gt;")}</td>' in page
    response = client.get(reverse("core:audit_list"), {"export": "xlsx"})
    assert response.status_code == 200
    _header, row = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert reads in row


@pytest.mark.django_db
def test_the_history_panel_reads_changes_as_the_audit_log(world, client_as):
    """The same helpers: the studio's page names the rectification deadline, not "deadline"."""
    studio = world.studio(status="rectifying")
    AuditEvent.objects.create(
        actor_name="审计员",
        content_type=ContentType.objects.get_for_model(studio),
        object_id=str(studio.pk),
        object_repr=str(studio),
        action="studio_rectify",
        changes={"status": ["named", "rectifying"], "deadline": [None, "2027-02-22"]},
    )
    page = client_as(world.hq).get(studio.get_absolute_url()).content.decode()
    assert "整改期限: — → 2027-02-22" in page
    assert "deadline:" not in page


def test_a_composed_comment_is_read_in_the_readers_language(
    world, client_as, settings, django_capture_on_commit_callbacks
):
    """A comment a service composes (a grade, a level, a batch) is kept as a sentence and read in
    each reader's language, on the history panel and the audit log; its copy in the site's
    language serves search and the export. A comment someone wrote is shown as written."""
    from django.db import transaction
    from django.utils import translation

    from core.services import audit_log
    from studios.services import level_record_add

    studio = world.studio(status="named", level="company")
    with translation.override("en"), transaction.atomic():  # the actor works in English
        level_record_add(
            actor=world.hq,
            studio=studio,
            level="city",
            demonstration=False,
            awarded_on=datetime.date(2025, 3, 1),
            document_no="市总〔2025〕3号",
            issuer="",
        )
        audit_log(actor=world.hq, obj=studio, action="update", comment="材料齐全")
    event = AuditEvent.objects.filter(object_id=str(studio.pk), action="level_add").get()
    assert event.comment == "市级，2025-03-01授予，文号市总〔2025〕3号"  # the site's language
    with translation.override("en"):
        assert event.shown_comment == "City level, awarded on 2025-03-01, document 市总〔2025〕3号"
    client = client_as(world.hq)
    page = client.get(studio.get_absolute_url()).content.decode()
    assert "市级，2025-03-01授予，文号市总〔2025〕3号" in page and "材料齐全" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in (studio.get_absolute_url(), reverse("core:audit_list")):
        page = client.get(url).content.decode()
        assert "City level, awarded on 2025-03-01, document 市总〔2025〕3号" in page, url
        assert "材料齐全" in page, url
    found = client.get(reverse("core:audit_list"), {"q": "文号市总"})
    assert len(found.context["table"].page.object_list) == 1
    assert ">Studio<" in found.content.decode()  # the object type reads as a label


def test_a_comment_with_a_line_break_keeps_it_on_the_audit_log_escaped(world, client_as):
    studio = world.studio()
    AuditEvent.objects.create(
        actor_name="审计员",
        content_type=ContentType.objects.get_for_model(studio),
        object_id=str(studio.pk),
        object_repr=str(studio),
        action="update",
        comment="第一行\n<b>第二行</b>",
    )
    page = client_as(world.hq).get(reverse("core:audit_list")).content.decode()
    # The comment wraps at a readable width (portal.css: td.wide) instead of widening the page.
    assert '<td class="wide wrap">第一行<br>&lt;b&gt;第二行&lt;/b&gt;</td>' in page


@pytest.mark.parametrize(
    "line, chinese, english",
    [
        (
            {"direction": "in", "source": "founding"},
            "收入 ¥20,000.00 创建经费",
            "Income ¥20,000.00 Founding funds (创建经费)",
        ),
        ({"direction": "out", "use": "training"}, "支出 ¥20,000.00 培训", "Spending ¥20,000.00 Training"),
        ({"direction": "out"}, "支出 ¥20,000.00 ", "Spending ¥20,000.00 "),
    ],
)
def test_a_funding_lines_comment_follows_the_reader(line, chinese, english):
    from decimal import Decimal

    from django.utils import translation

    from studios.models import FundingEntry
    from studios.services import funding_summary

    comment = funding_summary(FundingEntry(amount=Decimal("20000"), **line))
    with translation.override("zh-hans"):
        assert str(comment) == chinese
    with translation.override("en"):
        assert str(comment) == english
