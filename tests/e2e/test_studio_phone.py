"""A unit cadre reads an application's eligibility check on a phone (390 px): each criterion is a
block of its own with its figure, its requirement and its result, nothing wider than the screen."""

import pytest
from playwright.sync_api import expect

from .test_login_browser import DEMO_PASSWORD, sign_in

pytestmark = [pytest.mark.browser]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "locale": "zh-CN"}


def test_the_eligibility_check_is_readable_on_a_phone(browser, live_server, demo_data, screenshots):
    from studios.models import Studio

    studio = Studio.objects.get(name="刘芳热处理职工创新工作室")
    context = browser.new_context(**PHONE)
    page = context.new_page()
    sign_in(page, live_server.url, "unit_cadre", DEMO_PASSWORD)
    page.goto(f"{live_server.url}{studio.get_absolute_url()}")
    stacked = page.get_by_test_id("eligibility-stacked")
    expect(stacked).to_be_visible()
    expect(page.get_by_test_id("eligibility").locator("table")).to_be_hidden()
    criteria = stacked.locator("li")
    assert criteria.count() == len(studio.eligibility)
    for index in range(criteria.count()):
        criterion = criteria.nth(index)
        expect(criterion.locator(".badge")).to_be_visible()
        box = criterion.locator(".badge").bounding_box()
        assert box["x"] + box["width"] <= 390, "the result is on the screen"
        requirement = criterion.locator("dd").nth(1).bounding_box()
        assert requirement["width"] >= 150, "the requirement has room to be read"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshots(page, "phone-eligibility")
    context.close()
