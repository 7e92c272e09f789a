"""Each demo role signs in through the real login form and lands on its own home page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]

DEMO_PASSWORD = "demo-pass-2026"

HOMES = {
    "hq_cadre": "公司总览",
    "unit_cadre": "待办事项",
    "studio_lead": "我的工作室",
    "expert": "我的评审任务",
    "viewer": "数据看板",
}


def sign_in(page, base_url, username, password):
    page.goto(f"{base_url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


@pytest.mark.parametrize("role", list(HOMES))
def test_demo_role_signs_in_and_sees_its_home(role, page, live_server, demo_data, screenshots):
    sign_in(page, live_server.url, role, DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    title = page.get_by_test_id("home-title")
    expect(title).to_contain_text(HOMES[role])
    if role == "hq_cadre":
        # ECharts draws into a canvas from the locally served bundle.
        expect(page.locator("[data-chart] canvas").first).to_be_visible()
    if role == "viewer":
        # Leadership lands on the studios' key figures of the year, each opening its list.
        expect(page.get_by_test_id("kpis").locator(".kpi").first).to_be_visible()
    screenshots(page, f"home-{role}")


def test_wrong_password_shows_the_error_in_chinese(page, live_server, demo_data, screenshots):
    sign_in(page, live_server.url, "unit_cadre", "not-the-password")
    error = page.get_by_test_id("login-error")
    expect(error).to_contain_text("请输入一个正确的")
    screenshots(page, "login-wrong-password")


def test_the_layout_works_on_a_phone(browser, live_server, demo_data, screenshots):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server.url, "hq_cadre", DEMO_PASSWORD)
    expect(page.get_by_test_id("home-title")).to_be_visible()
    screenshots(page, "phone-home")
    # The sidebar folds into an off-canvas menu opened by the menu button.
    page.get_by_role("button", name="菜单").click()
    expect(page.locator("#sidebar").get_by_role("link", name="用户")).to_be_visible()
    page.wait_for_selector("#sidebar.show:not(.showing)")  # the slide-in animation has ended
    screenshots(page, "phone-menu")
    context.close()


def test_hq_opens_the_user_list_and_exports_it(page, live_server, demo_data, screenshots):
    sign_in(page, live_server.url, "hq_cadre", DEMO_PASSWORD)
    page.locator("#sidebar").get_by_role("link", name="用户").click()
    expect(page.get_by_role("heading", name="用户")).to_be_visible()
    expect(page.get_by_role("cell", name="studio_lead", exact=True)).to_be_visible()
    screenshots(page, "user-list")
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
