"""The results journey in the browser: the lead logs a project and a result with a picture and a
benefit proof and submits it; the unit cadre verifies it; the lead records an adoption at another
unit and proposes it as a typical case; HQ approves; an anonymous visitor sees it on the showcase."""

import datetime

import pytest
from playwright.sync_api import expect

from achievements.models import Result
from studios.models import Studio
from talent.models import Person

from ..core.test_uploads import png_bytes
from .test_login_browser import DEMO_PASSWORD, sign_in

pytestmark = [pytest.mark.browser]


def as_user(page, base, username):
    page.context.clear_cookies()
    sign_in(page, base, username, DEMO_PASSWORD)
    expect(page.get_by_test_id("home-title")).to_be_visible()


def test_result_from_logging_to_the_public_showcase(page, live_server, demo_data, screenshots):
    base = live_server.url
    studio = Studio.objects.get(name="张卫东车桥工艺创新工作室")
    lead = Person.objects.get(employee_no="E10001")
    colleague = Person.objects.get(employee_no="E10002")
    year = datetime.date.today().year

    # 1. The lead registers a project.
    as_user(page, base, "studio_lead")
    page.goto(f"{base}/achievements/projects/new/?studio={studio.pk}")
    page.fill("#id_title", "桥壳热处理变形在线检测攻关")
    page.select_option("#id_kind", label="技术攻关")
    page.select_option("#id_leader", value=str(lead.pk))
    page.select_option("#id_team", value=[str(lead.pk), str(colleague.pk)])
    page.fill("#id_started_on", f"{year}-01-10")
    page.fill("#id_planned_end_on", f"{year}-12-31")
    page.fill("#id_budget", "40000")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("project-status")).to_have_text("已立项")
    screenshots(page, "result-01-project")

    # 2. …and a result with a benefit proof and a picture, then submits it.
    page.get_by_role("link", name="登记成果").click()
    page.fill("#id_title", "热处理变形在线检测装置")
    page.select_option("#id_project", label="桥壳热处理变形在线检测攻关")
    page.select_option("#id_category", value="technical_innovation")
    page.fill("#id_achieved_on", f"{year}-01-20")
    # Contributors are searched and added in rank order; the colleague first, then the lead,
    # who is then moved up to first place.
    picker = page.locator('[data-pick="contributors"]')
    picker.locator("[data-search-input]").fill("查无此人")
    expect(picker.locator("[data-search-results]")).to_contain_text("没有找到")
    for person in (colleague, lead):
        picker.locator("[data-search-input]").fill(person.name)
        picker.locator("[data-search-results] button", has_text=person.name).first.click()
    chosen = picker.locator("[data-search-chosen] li")
    expect(chosen).to_have_count(2)
    expect(chosen.nth(0)).to_contain_text(colleague.name)
    chosen.nth(1).get_by_role("button", name=f"上移 {lead.name}", exact=False).click()
    expect(chosen.nth(0)).to_contain_text(lead.name)
    screenshots(page, "result-02a-contributors")
    page.fill("#id_benefit", "96000")
    page.fill("#id_benefit_year", str(year))
    page.fill("#id_benefit_basis", "减少返修 480 件，每件 200 元。")
    page.set_input_files(
        "#id_benefit_proof",
        {"name": "效益证明.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% benefit proof\n"},
    )
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("result-status")).to_have_text("草稿")
    expect(page.get_by_text(f"1. {lead.name}")).to_be_visible()
    expect(page.get_by_text(f"2. {colleague.name}")).to_be_visible()
    page.get_by_role("link", name="上传图片").click()
    page.set_input_files("#id_image", {"name": "装置.png", "mimeType": "image/png", "buffer": png_bytes(640, 480)})
    page.fill("#id_caption", "在线检测装置")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("link", name="提交审核").click()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("result-status")).to_have_text("已提交")
    screenshots(page, "result-02-submitted")
    result = Result.objects.get(title="热处理变形在线检测装置")

    # 3. The unit cadre verifies it.
    as_user(page, base, "unit_cadre")
    expect(page.get_by_test_id("todo-list")).to_contain_text("待审核的创新成果")
    page.goto(f"{base}/achievements/results/{result.pk}/")
    page.get_by_role("link", name="审核通过").click()
    page.get_by_role("button", name="审核通过").click()
    expect(page.get_by_test_id("result-status")).to_have_text("已审核")

    # 4. The lead records where it is applied and proposes it as a typical case.
    as_user(page, base, "studio_lead")
    page.goto(f"{base}/achievements/results/{result.pk}/")
    page.get_by_role("link", name="登记推广应用").click()
    page.select_option("#id_unit", label="\u3000\u3000零部件铸造厂")
    page.fill("#id_adopted_on", f"{year}-02-01")
    page.fill("#id_scope", "铸件热处理线")
    page.fill("#id_yearly_benefit", "30000")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("adoption-benefit")).to_have_text("¥30,000.00")
    page.get_by_role("link", name="推荐为典型案例").click()
    page.fill("#id_comment", "热处理后桥壳变形过去靠人工抽检。装置实现在线全检，返修大幅下降，已在铸造厂推广。")
    page.get_by_role("button", name="推荐").click()
    screenshots(page, "result-03-adopted-proposed")

    # 5. HQ approves the typical case.
    as_user(page, base, "hq_cadre")
    expect(page.get_by_test_id("todo-list")).to_contain_text("待审批的典型案例")
    page.goto(f"{base}/achievements/results/{result.pk}/")
    page.get_by_role("link", name="审批典型案例").click()
    page.get_by_role("button", name="通过").click()
    expect(page.get_by_test_id("case-status")).to_contain_text("典型案例")

    # 6. An anonymous visitor sees it on the showcase.
    page.context.clear_cookies()
    page.goto(f"{base}/showcase/")
    expect(page.get_by_test_id("cases")).to_contain_text("热处理变形在线检测装置")
    screenshots(page, "result-04-showcase")
    page.get_by_role("link", name="热处理变形在线检测装置").click()
    expect(page.get_by_test_id("case-title")).to_have_text("热处理变形在线检测装置")
    expect(page.locator("img").first).to_be_visible()
    assert "13800" not in page.content(), "no phone number on the public page"
    screenshots(page, "result-05-case")
