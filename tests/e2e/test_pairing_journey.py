"""The mentor pairing journey in the browser: the demo lead opens its studio's pairings tab, sets up
a pairing between two team members, logs progress; the unit's cadre records the apprentice's new
skill grade and the graduation assessment; HQ reads the year's rewards. A screenshot at each step."""

import datetime

import pytest
from playwright.sync_api import expect

from .test_studio_journey import as_user

pytestmark = [pytest.mark.browser]


def test_pairing_from_the_studio_page_to_the_rewards(page, live_server, demo_data, screenshots):
    from mentoring.demo import seed_pairings
    from mentoring.models import Pairing
    from studios.models import Studio
    from talent.models import Person

    seed_pairings()  # nothing more once seed_demo loads the pairings itself
    base = live_server.url
    axle = Studio.objects.get(name="张卫东车桥工艺创新工作室")
    mentor, apprentice = Person.objects.get(employee_no="E10002"), Person.objects.get(employee_no="E10003")
    today = datetime.date.today()

    # 1. The lead opens the studio's pairings tab and starts a new pairing there.
    as_user(page, base, "studio_lead")
    page.goto(f"{base}/studios/{axle.pk}/")
    page.get_by_test_id("tab-pairings").click()
    expect(page.get_by_test_id("studio-pairings")).to_be_visible()
    page.wait_for_timeout(300)
    screenshots(page, "pairing-01-studio-tab")
    page.get_by_test_id("add-pairing").click()
    page.select_option("#id_mentor", value=str(mentor.pk))
    page.select_option("#id_apprentice", value=str(apprentice.pk))
    page.fill("#id_agreement_on", (today - datetime.timedelta(days=200)).isoformat())
    page.fill("#id_term_months", "12")
    page.fill("#id_goals", "掌握数控铣削编程，独立完成桥壳端面铣削。")
    screenshots(page, "pairing-02-new")
    page.locator("form[novalidate] button[type=submit]").click()
    expect(page.get_by_test_id("pairing-status")).to_be_visible()
    pairing = Pairing.objects.get(mentor=mentor, apprentice=apprentice, status="active")

    # 2. The lead logs progress.
    page.get_by_test_id("log-progress").click()
    page.fill("#id_logged_on", (today - datetime.timedelta(days=30)).isoformat())
    page.fill("#id_content", "完成端面铣削练习，平面度达到 0.02mm。")
    page.locator("form[novalidate] button[type=submit]").click()
    expect(page.get_by_test_id("progress-timeline")).to_contain_text("平面度")

    # 3. The unit's cadre records the apprentice's new grade and the graduation assessment.
    as_user(page, base, "unit_cadre")
    page.goto(f"{base}/training/pairings/{pairing.pk}/")
    page.get_by_test_id("record-grade").click()
    page.select_option("#id_grade", value="technician")
    page.fill("#id_changed_on", (today - datetime.timedelta(days=10)).isoformat())
    page.locator("form[novalidate] button[type=submit]").click()
    expect(page.get_by_test_id("grade-changes")).to_contain_text("技师")
    page.get_by_test_id("assess").click()
    page.fill("#id_score", "88")
    page.select_option("#id_grade", value="excellent")
    page.fill("#id_assessors", "车桥厂工会、机加车间")
    page.locator("form[novalidate] button[type=submit]").click()
    expect(page.get_by_test_id("assessment")).to_contain_text("88")
    screenshots(page, "pairing-03-graduated")
    pairing.refresh_from_db()
    assert pairing.status == "graduated"

    # 4. HQ reads last year's rewards due.
    as_user(page, base, "hq_cadre")
    page.goto(f"{base}/training/pairings/rewards/?year={today.year - 1}")
    expect(page.get_by_test_id("reward-lines")).to_contain_text("刘芳")
    screenshots(page, "pairing-04-rewards")
