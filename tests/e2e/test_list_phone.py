"""A studio lead looks through results on a phone (390 px): the list's filter fields are folded away
behind one button, so the rows come first; the button opens them and then says how many are set;
a filter that cannot be read is shown open.
On a desktop the fields stay in view and the button is not there."""

import re

import pytest
from playwright.sync_api import expect

from .test_login_browser import DEMO_PASSWORD, sign_in

pytestmark = [pytest.mark.browser]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "locale": "zh-CN"}


def test_the_filters_fold_away_on_a_phone(browser, live_server, demo_data, screenshots):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    sign_in(page, live_server.url, "unit_cadre", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/achievements/")
    toggle = page.get_by_test_id("filter-toggle")
    expect(toggle).to_be_visible()
    expect(page.locator("#list-filters")).to_be_hidden()
    first_row = page.locator("table tbody tr").first
    expect(first_row).to_be_visible()
    assert first_row.bounding_box()["y"] < 844, "the first row is on the first screen"
    screenshots(page, "phone-results-filters-folded")

    toggle.click()
    # Opened when Bootstrap's folding has ended (the form then has "show" and no more "collapsing").
    expect(page.locator("#list-filters")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    status = page.locator("#list-filters select[name=status]")
    status.select_option("verified")
    with page.expect_navigation(url="**status=verified**"):
        page.locator("#list-filters button[type=submit]").click()
    expect(page.locator("#list-filters")).to_be_hidden()
    expect(toggle).to_contain_text("已选 1 项")
    screenshots(page, "phone-results-one-filter-set")
    # A filter that cannot be read is shown open, with its message next to it.
    page.goto(f"{live_server.url}/achievements/?benefit_min=abc")
    expect(page.locator("#list-filters")).to_be_visible()
    expect(page.locator("#list-filters .invalid-feedback, #list-filters .text-danger").first).to_be_visible()
    context.close()


def test_the_filters_stay_in_view_on_a_desktop(page, live_server, demo_data):
    sign_in(page, live_server.url, "unit_cadre", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/achievements/?status=verified")
    expect(page.locator("#list-filters")).to_be_visible()
    expect(page.get_by_test_id("filter-toggle")).to_be_hidden()
