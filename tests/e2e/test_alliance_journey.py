"""The alliance journey in the browser: HQ creates an alliance with a lead unit, two studio leads
ask to join and the lead unit's cadre admits them and launches it, HQ names it in a first batch of
pilot units, a member lead logs an activity with a photo, and the alliance page shows it all.
A screenshot at every step."""

import io

import pytest
from playwright.sync_api import expect

from alliances.models import Alliance, AllianceMember

from .alliance_support import link_login
from .test_login_browser import DEMO_PASSWORD
from .test_studio_journey import as_user

pytestmark = [pytest.mark.browser]
NAME = "车身焊接工艺创新工作室联盟"


def photo_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (40, 110, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_create_join_designate_and_log(page, live_server, demo_data, screenshots):
    from accounts.models import Unit
    from studios.models import Studio
    from talent.models import Person

    base = live_server.url
    die_lead = link_login("E10011", "studio_lead_die")  # 马超 leads the die studio
    axle = Studio.objects.get(name="张卫东车桥工艺创新工作室")
    die = Studio.objects.get(name="马超模具劳模创新工作室")
    lead_unit = Unit.objects.get(code="JH-CV")

    # 1. HQ creates the alliance with its lead unit and a logo.
    as_user(page, base, "hq_cadre")
    page.goto(f"{base}/alliances/new/")
    page.fill("#id_name", NAME)
    page.fill("#id_theme", "车身焊接与涂装前处理")
    page.select_option("#id_lead_unit", value=str(lead_unit.pk))
    page.fill("#id_founded_on", "2026-01-05")
    page.fill("#id_secretariat_contact", "李晓燕")
    page.set_input_files("#id_logo", files=[{"name": "logo.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}])
    screenshots(page, "alliance-01-create")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("alliance-status")).to_have_text("筹建")
    alliance = Alliance.objects.get(name=NAME)

    # 2. Two studio leads ask to join.
    for username, studio in (("studio_lead", axle), (die_lead.username, die)):
        as_user(page, base, username)
        page.goto(f"{base}/alliances/{alliance.pk}/")
        page.get_by_test_id("join-request").click()
        page.select_option("#id_studio", value=str(studio.pk))
        page.fill("#id_note", "希望参加跨单位技术交流")
        page.get_by_role("button", name="保存").click()
        expect(page.locator(".alert-success")).to_contain_text("申请已提交")
    screenshots(page, "alliance-02-requested")

    # 3. The lead unit's cadre admits both and launches the alliance.
    as_user(page, base, "unit_cadre")
    page.goto(f"{base}/alliances/{alliance.pk}/")
    page.get_by_test_id("tab-members").click()
    expect(page.get_by_test_id("pending-requests")).to_be_visible()
    page.wait_for_timeout(400)
    screenshots(page, "alliance-03-requests")
    for studio in (axle, die):
        page.goto(f"{base}/alliances/{alliance.pk}/")
        page.get_by_test_id("tab-members").click()
        page.get_by_test_id(f"admit-{studio.pk}").click()
        page.select_option("#id_tier", value="member")
        page.get_by_role("button", name="批准加入").click()
        expect(page.locator(".alert-success")).to_contain_text("已批准")
    page.get_by_test_id("launch").click()
    page.get_by_role("button", name="开始运行").click()
    expect(page.get_by_test_id("alliance-status")).to_have_text("运行")
    assert AllianceMember.objects.filter(alliance=alliance, status="active").count() == 2

    # 4. HQ names it in a first batch of pilot units and publishes the batch.
    as_user(page, base, "hq_cadre")
    page.goto(f"{base}/alliances/designations/new/")
    page.fill("#id_name", "2026年首批")
    page.fill("#id_designated_on", "2026-11-20")
    page.fill("#id_document_no", "江汽工〔2026〕41号")
    page.get_by_role("button", name="保存").click()
    page.get_by_test_id("designation-add").click()
    page.select_option("#id_kind", value="pilot")
    page.select_option("#id_alliance", label=NAME)
    page.fill("#id_citation", "组织健全，跨单位攻关成效明显")
    page.get_by_role("button", name="保存").click()
    page.get_by_test_id("batch-publish").click()
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_test_id("batch-status")).to_have_text("已发布")
    expect(page.get_by_test_id("designations")).to_contain_text(NAME)
    screenshots(page, "alliance-04-designation-batch")

    # 5. A member lead logs an activity and adds a photo.
    as_user(page, base, "studio_lead")
    page.goto(f"{base}/alliances/{alliance.pk}/")
    page.get_by_test_id("log-activity").click()
    page.select_option("#id_kind", value="exchange")
    page.fill("#id_title", "车身焊接变形控制技术交流会")
    page.fill("#id_place", "商用车车桥厂培训室")
    page.check(f"input[name=studios][value='{axle.pk}']")
    people = Person.objects.filter(employee_no__in=["E10001", "E10002"]).values_list("pk", flat=True)
    page.select_option("#id_people", value=[str(pk) for pk in people])
    page.fill("#id_outsider_count", "12")
    page.fill("#id_summary", "交流焊接变形控制经验，形成问题清单。")
    screenshots(page, "alliance-05-activity-form")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("activity-title")).to_have_text("车身焊接变形控制技术交流会")
    page.get_by_test_id("add-photo").click()
    page.set_input_files("#id_image", files=[{"name": "site.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}])
    page.fill("#id_caption", "交流现场")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("activity-photos").locator("img")).to_have_count(1)
    screenshots(page, "alliance-06-activity")

    # 6. The alliance page shows the pilot designation, the members and the activity.
    page.goto(f"{base}/alliances/{alliance.pk}/")
    expect(page.get_by_test_id("alliance-designation")).to_contain_text("联盟试点单位")
    expect(page.get_by_test_id("figure-activities")).to_have_text("1")
    expect(page.get_by_test_id("figure-participants")).to_have_text("14")
    page.get_by_test_id("tab-activities").click()
    timeline = page.get_by_test_id("activity-timeline")
    expect(timeline).to_contain_text("车身焊接变形控制技术交流会")
    expect(timeline.locator("img")).to_have_count(1)
    page.wait_for_timeout(400)  # the tab's fade-in
    screenshots(page, "alliance-07-page")
    page.get_by_test_id("tab-members").click()
    page.wait_for_timeout(400)
    screenshots(page, "alliance-08-members")


def test_demo_alliance_page_for_leadership(page, live_server, demo_data, screenshots):
    base = live_server.url
    as_user(page, base, "viewer")
    page.goto(f"{base}/alliances/")
    expect(page.get_by_role("link", name="车桥与底盘工艺创新工作室联盟")).to_be_visible()
    screenshots(page, "alliance-09-list")
    page.get_by_role("link", name="车桥与底盘工艺创新工作室联盟").click()
    expect(page.get_by_test_id("alliance-designation")).to_contain_text("首批")
    page.get_by_test_id("tab-funding").click()
    expect(page.get_by_test_id("funding-balance")).to_have_text("¥19,500.00")
    page.wait_for_timeout(400)
    screenshots(page, "alliance-10-demo-funding")
    assert DEMO_PASSWORD
