"""The studio journey in the browser: the unit cadre registers, the lead completes and submits, the
unit recommends, HQ approves into a batch whose notice has ended and names it; then HQ's annual
assessment sends another studio to rectification. A screenshot at every step."""

import datetime

import pytest
from playwright.sync_api import expect

from studios.models import NamingBatch, Studio

from .test_login_browser import DEMO_PASSWORD, sign_in

pytestmark = [pytest.mark.browser]


def as_user(page, base, username):
    page.context.clear_cookies()
    sign_in(page, base, username, DEMO_PASSWORD)
    expect(page.get_by_test_id("home-title")).to_be_visible()


def click_action(page, name):
    page.get_by_role("link", name=name, exact=True).first.click()


def test_register_review_name_and_assess(page, live_server, demo_data, screenshots):
    from talent.models import Person

    base = live_server.url
    lead = Person.objects.get(employee_no="E10001")
    members = [Person.objects.get(employee_no="E10004"), Person.objects.get(employee_no="E10003")]

    # 1. The unit cadre registers the studio.
    as_user(page, base, "unit_cadre")
    page.goto(f"{base}/studios/new/")
    page.fill("#id_name", "张卫东热处理变形控制创新工作室")
    page.select_option("#id_kind", label="工匠创新工作室")
    page.select_option("#id_unit", value=str(lead.unit_id))
    page.select_option("#id_lead", value=str(lead.pk))
    page.fill("#id_specialty", "热处理变形控制")
    page.fill("#id_founded_on", "2022-03-01")
    page.fill("#id_venue_address", "车桥厂热处理车间东侧")
    page.fill("#id_venue_area", "45")
    page.fill("#id_planned_projects", "2")
    screenshots(page, "studio-01-register")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("studio-status")).to_have_text("草稿")
    studio = Studio.objects.get(name="张卫东热处理变形控制创新工作室")

    # 2. The lead adds the team and the funding, sees the criteria, and submits.
    as_user(page, base, "studio_lead")
    for person in members:
        page.goto(f"{base}/studios/{studio.pk}/members/new/")
        page.select_option("#id_person", value=str(person.pk))
        page.select_option("#id_role", value="core")
        page.fill("#id_joined_on", "2022-03-01")
        page.get_by_role("button", name="保存").click()
    page.goto(f"{base}/studios/{studio.pk}/funding/new/")
    page.select_option("#id_source", value="founding")
    page.fill("#id_amount", "30000")
    page.fill("#id_description", "公司工会创建经费")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("funding-balance")).to_have_text("¥30,000.00")
    page.get_by_test_id("tab-team").click()
    page.wait_for_selector("#team.show")
    screenshots(page, "studio-02-team")
    click_action(page, "提交申报")
    expect(page.get_by_test_id("eligibility")).to_contain_text("全部条件达到")
    screenshots(page, "studio-03-submit")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("studio-status")).to_have_text("已提交")

    # 3. The unit cadre recommends it.
    as_user(page, base, "unit_cadre")
    expect(page.get_by_test_id("todo-list")).to_contain_text("待审核的工作室申报")
    page.goto(f"{base}/studios/{studio.pk}/")
    click_action(page, "推荐")
    page.fill("#id_comment", "材料齐全，同意推荐")
    page.get_by_role("button", name="推荐").click()
    expect(page.get_by_test_id("studio-status")).to_have_text("单位已推荐")
    screenshots(page, "studio-04-recommended")

    # 4. HQ approves it into this year's first batch, whose public notice starts today; when the
    #    notice has passed, HQ names the batch.
    as_user(page, base, "hq_cadre")
    page.goto(f"{base}/studios/{studio.pk}/")
    click_action(page, "审核通过并公示")
    page.select_option("#id_batch", label=f"{datetime.date.today().year}年公司级第一批")
    page.get_by_role("button", name="通过").click()
    expect(page.get_by_test_id("studio-status")).to_have_text("公示中")
    batch = Studio.objects.get(pk=studio.pk).batch
    # A week passes: the public notice is over (the clock is the only thing the test moves).
    NamingBatch.objects.filter(pk=batch.pk).update(
        publicity_start=batch.publicity_start - datetime.timedelta(days=8),
        publicity_end=batch.publicity_end - datetime.timedelta(days=8),
    )
    page.goto(f"{base}/studios/batches/{batch.pk}/")
    screenshots(page, "studio-05-batch")
    page.get_by_test_id("batch-name").click()
    page.get_by_role("button", name="命名工作室").click()
    expect(page.get_by_text("批次已命名。")).to_be_visible()
    page.goto(f"{base}/studios/{studio.pk}/")
    expect(page.get_by_test_id("studio-status")).to_have_text("已命名")
    page.get_by_test_id("tab-timeline").click()
    page.wait_for_selector("#timeline.show")
    screenshots(page, "studio-06-named")

    # 5. HQ opens this year's assessment; another studio fails and goes to rectification.
    page.goto(f"{base}/studios/assessments/new/")
    page.get_by_role("button", name="保存").click()
    failing = Studio.objects.get(name="张卫东车桥工艺创新工作室")
    assessment = failing.assessments.get(round__year=datetime.date.today().year)
    as_user(page, base, "studio_lead")
    page.goto(f"{base}/studios/assessment/{assessment.pk}/self/")
    page.fill("#id_self_summary", "本年度课题推进缓慢，师带徒活动开展不足。")
    page.get_by_role("button", name="保存").click()
    as_user(page, base, "unit_cadre")
    page.goto(f"{base}/studios/assessment/{assessment.pk}/score/")
    page.fill("#id_unit_score", "52")
    page.get_by_role("button", name="保存").click()
    as_user(page, base, "hq_cadre")
    page.goto(f"{base}/studios/assessment/{assessment.pk}/grade/")
    page.select_option("#id_grade", value="fail")
    page.fill("#id_deadline", (datetime.date.today() + datetime.timedelta(days=90)).isoformat())
    page.fill("#id_comment", "全年无课题结题")
    screenshots(page, "studio-07-grade")
    page.get_by_role("button", name="保存").click()
    page.goto(f"{base}/studios/{failing.pk}/")
    expect(page.get_by_test_id("studio-status")).to_have_text("限期整改")
    screenshots(page, "studio-08-rectifying")
