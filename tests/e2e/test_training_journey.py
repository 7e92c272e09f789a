"""The training journey in the browser: HQ opens a training class with a session, the unit cadre
enrols people by employee number, HQ starts it and shows the sign-in QR code, a trainee signs in on a
phone-sized screen with the code's link and gives feedback, HQ finishes the class and downloads a
certificate (PDF, Chinese text checked with pdftotext). A screenshot at every step."""

import datetime
import shutil
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from training.models import Enrolment, Feedback, TrainingClass

from ..conftest import skip_or_fail
from .test_studio_journey import as_user

pytestmark = [pytest.mark.browser]
TITLE = "2026年创新工作室领衔人交流培训班"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def confirm(page):
    page.locator("main form button[type=submit]").click()


def test_open_enrol_sign_in_feedback_certificate(page, browser, live_server, demo_data, screenshots):
    from accounts.models import Unit
    from talent.models import Person

    base = live_server.url
    today = timezone.localdate()
    now = timezone.localtime()

    # 1. HQ opens a class, organised by the group's union, with one session on now.
    as_user(page, base, "hq_cadre")
    page.goto(f"{base}/training/new/")
    page.fill("#id_title", TITLE)
    page.select_option("#id_kind", value="exchange")
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", (today + datetime.timedelta(days=1)).isoformat())
    page.fill("#id_place", "集团职工培训中心二楼报告厅")
    page.fill("#id_capacity", "2")
    page.fill("#id_waitlist_limit", "1")
    page.fill("#id_audience", "各单位创新工作室领衔人、联络员")
    screenshots(page, "training-01-create")
    page.get_by_role("button", name="保存").click()
    training_class = TrainingClass.objects.get(title=TITLE)
    expect(page.get_by_test_id("class-status")).to_have_text("筹备")
    page.get_by_test_id("add-session").click()
    page.fill("#id_title", "《生产现场创新的思路与方法》")
    page.fill("#id_speaker", "刘建华")
    page.fill("#id_speaker_title", "全国劳动模范")
    page.fill("#id_starts_at", (now - datetime.timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_ends_at", (now + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_hours", "3")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("sessions")).to_contain_text("生产现场创新的思路与方法")
    page.get_by_test_id("open-enrolment").click()
    confirm(page)
    expect(page.get_by_test_id("class-status")).to_have_text("报名中")
    screenshots(page, "training-02-open")

    # 2. The unit cadre of the commercial-vehicle company enrols three of its people: two seats, one waits.
    cv = Unit.objects.get(code="JH-CV")
    people = list(Person.objects.filter(unit__path__startswith=cv.path).exclude(employee_no=None).order_by("pk")[:3])
    assert len(people) == 3
    as_user(page, base, "unit_cadre")
    page.goto(f"{base}/training/")
    page.get_by_role("link", name=TITLE, exact=True).click()
    page.get_by_test_id("enrol").click()
    expect(page.get_by_test_id("form-intro")).to_contain_text("2")
    page.fill("#id_employee_numbers", "\n".join(p.employee_no for p in people))
    screenshots(page, "training-03-enrol")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("2")
    page.get_by_test_id("tab-trainees").click()
    page.wait_for_timeout(400)
    expect(page.get_by_test_id("trainees")).to_contain_text(people[2].name)
    screenshots(page, "training-04-trainees")
    assert Enrolment.objects.filter(training_class=training_class, status="waiting").count() == 1

    # 3. HQ starts the class and puts the session's QR code on the screen in the room.
    as_user(page, base, "hq_cadre")
    page.goto(f"{base}/training/{training_class.pk}/")
    page.get_by_test_id("start-class").click()
    confirm(page)
    expect(page.get_by_test_id("class-status")).to_have_text("进行中")
    page.get_by_test_id("sign-in-code").click()
    expect(page.get_by_test_id("qr").locator("svg")).to_be_visible()
    screenshots(page, "training-05-qr-code")
    link = page.get_by_test_id("sign-in-link").inner_text()

    # 4. A trainee scans it on a phone: signs in, then gives feedback.
    trainee = people[0]
    phone = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **PHONE)
    mobile = phone.new_page()
    mobile.goto(link)
    expect(mobile.get_by_test_id("sign-in-session")).to_contain_text("生产现场创新的思路与方法")
    mobile.fill("#id_employee_no", trainee.employee_no)
    mobile.fill("#id_name", trainee.name)
    screenshots(mobile, "training-06-phone-sign-in")
    mobile.get_by_test_id("sign-in-submit").click()
    expect(mobile.get_by_test_id("trainee-hours")).to_have_text("3")
    mobile.locator("label[for=id_content_rating_0]").click()
    mobile.locator("label[for=id_speaker_rating_0]").click()
    mobile.locator("label[for=id_organisation_rating_1]").click()
    mobile.fill("#id_comment", "案例贴近生产一线，回去就能用。")
    screenshots(mobile, "training-07-phone-feedback")
    mobile.get_by_test_id("feedback-submit").click()
    expect(mobile.get_by_test_id("feedback-thanks")).to_be_visible()
    trainee_url = mobile.url
    # Signing in a second time is refused with a clear message.
    mobile.goto(link)
    mobile.fill("#id_employee_no", trainee.employee_no)
    mobile.fill("#id_name", trainee.name)
    mobile.get_by_test_id("sign-in-submit").click()
    expect(mobile.get_by_test_id("refused")).to_contain_text(trainee.name)
    screenshots(mobile, "training-08-phone-twice")
    assert Feedback.objects.filter(enrolment__training_class=training_class).count() == 1

    # 5. HQ finishes the class, reads the feedback and downloads the trainee's certificate.
    page.goto(f"{base}/training/{training_class.pk}/")
    page.get_by_test_id("finish-class").click()
    confirm(page)
    expect(page.get_by_test_id("class-status")).to_have_text("结束")
    page.get_by_test_id("tab-feedback").click()
    page.wait_for_timeout(400)
    expect(page.get_by_test_id("feedback-summary")).to_contain_text("案例贴近生产一线")
    screenshots(page, "training-09-feedback")
    page.get_by_test_id("tab-trainees").click()
    page.wait_for_timeout(400)
    with page.expect_download() as download_info:
        page.get_by_test_id("certificate").first.click()
    pdf = download_info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        skip_or_fail("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    flat = "".join(text.split())  # lines wrap and the title is letter-spaced
    assert trainee.name in flat and TITLE in flat and "结业证书" in flat
    screenshots(page, "training-10-finished")
    # The trainee's own page now offers the certificate too.
    mobile.goto(trainee_url)
    expect(mobile.get_by_test_id("trainee-certificate")).to_be_visible()
    screenshots(mobile, "training-11-phone-certificate")
    phone.close()
