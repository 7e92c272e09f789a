"""The public showcase shows only what HQ approved, and never personal data."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from achievements import services
from achievements.choices import CaseStatus
from core.exceptions import TransitionNotAllowed
from studios.models import Membership

from ..bad_input import today
from ..factories import PersonFactory, StudioFactory

PHONE, ID_NUMBER = "13912345678", "42030119800101123X"


@pytest.fixture
def verified(world):
    studio = world.studio(status="named", level="company", name="甲一厂焊接工作室")
    world.lead_person.phone, world.lead_person.id_number = PHONE, ID_NUMBER
    world.lead_person.save()
    member = PersonFactory(unit=world.plant_a1, name="保密的完成人", phone="13800001111")
    Membership.objects.create(studio=studio, person=member, role="core", joined_on="2024-01-01")
    result = services.result_create(
        actor=world.studio_lead,
        studio=studio,
        title="焊接变形控制法",
        category="operating_method",
        achieved_on=datetime.date(2025, 3, 1),
        contributors=[member, world.lead_person],
        benefit=Decimal("80000"),
        benefit_year=2025,
    )
    services.result_submit(actor=world.studio_lead, result=result)
    return services.result_verify(actor=world.unit_cadre, result=result)


def public_page(client, url):
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_case_flow_from_proposal_to_the_public_page(world, client, verified):
    home = reverse("showcase:home")
    assert "焊接变形控制法" not in public_page(client, home)
    services.result_case_propose(actor=world.studio_lead, result=verified, story="用反变形工装控制焊接变形。")
    assert "焊接变形控制法" not in public_page(client, home), "a proposal is not public"
    assert client.get(reverse("showcase:case", args=[verified.pk])).status_code == 404
    services.result_case_approve(actor=world.hq, result=verified)
    page = public_page(client, home)
    assert "焊接变形控制法" in page and "甲一厂焊接工作室" in page
    case_page = public_page(client, reverse("showcase:case", args=[verified.pk]))
    assert "用反变形工装控制焊接变形" in case_page
    services.result_case_withdraw(actor=world.hq, result=verified, reason="数据待核实")
    assert "焊接变形控制法" not in public_page(client, home)


def test_the_showcase_reveals_nothing_unapproved_and_no_personal_data(world, client, verified):
    services.result_case_propose(actor=world.studio_lead, result=verified, story="故事")
    services.result_case_approve(actor=world.hq, result=verified)
    StudioFactory(name="草稿中的工作室", unit=world.plant_a1, status="draft")
    StudioFactory(name="已摘牌的工作室", unit=world.plant_a1, status="revoked")
    unapproved = services.result_create(
        actor=world.studio_lead,
        studio=verified.studio,
        title="未公开的成果",
        category="paper",
        achieved_on=today(),
        contributors=[world.lead_person],
    )
    pages = [
        reverse("showcase:home"),
        reverse("showcase:studio", args=[verified.studio_id]),
        reverse("showcase:case", args=[verified.pk]),
    ]
    text = "".join(public_page(client, url) for url in pages)
    for secret in (PHONE, ID_NUMBER, "13800001111", "保密的完成人", "草稿中的工作室", "已摘牌的工作室", "未公开的成果"):
        assert secret not in text, secret
    assert client.get(reverse("showcase:case", args=[unapproved.pk])).status_code == 404
    for status in ("draft", "revoked", "rectifying"):
        hidden = StudioFactory(unit=world.plant_a1, status=status)
        assert client.get(reverse("showcase:studio", args=[hidden.pk])).status_code == 404


def test_a_disputed_result_cannot_be_showcased(world, studio_with_disputed):
    with pytest.raises(TransitionNotAllowed):
        services.result_case_propose(actor=world.studio_lead, result=studio_with_disputed, story="x")


@pytest.fixture
def studio_with_disputed(world):
    from achievements.models import Result

    studio = world.studio(status="named", level="company")
    return Result.objects.create(
        studio=studio,
        title="有争议",
        category="invention_patent",
        achieved_on=today(),
        status="verified",
        ip_disputed=True,
    )


def test_an_approved_case_that_becomes_disputed_leaves_the_showcase(world, client, verified):
    services.result_case_propose(actor=world.studio_lead, result=verified, story="故事")
    services.result_case_approve(actor=world.hq, result=verified)
    type(verified).objects.filter(pk=verified.pk).update(ip_disputed=True)
    assert client.get(reverse("showcase:case", args=[verified.pk])).status_code == 404
    verified.refresh_from_db()
    assert verified.case_status == CaseStatus.APPROVED, "hidden by the dispute, not withdrawn"


def test_private_pictures_are_not_public(world, client, verified):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.uploads import clean_image

    from ..core.test_uploads import png_bytes

    picture = services.result_image_add(
        actor=world.studio_lead,
        result=verified,
        image=clean_image(SimpleUploadedFile("a.png", png_bytes())),
        caption="工装",
    )
    client.logout()
    assert client.get(reverse("showcase:image", args=[picture.pk])).status_code == 404
    services.result_case_propose(actor=world.studio_lead, result=verified, story="故事")
    services.result_case_approve(actor=world.hq, result=verified)
    response = client.get(reverse("showcase:thumbnail", args=[picture.pk]))
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"


def test_showcase_query_counts_do_not_grow(world, client, verified):
    services.result_case_propose(actor=world.studio_lead, result=verified, story="故事")
    services.result_case_approve(actor=world.hq, result=verified)
    client.logout()
    urls = [reverse("showcase:home"), reverse("showcase:studio", args=[verified.studio_id])]

    def counts():
        numbers = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            numbers.append(len(ctx))
        return numbers

    before = counts()
    for i in range(8):
        studio = StudioFactory(unit=world.plant_a1, status="named", level="city", name=f"市级工作室{i}")
        from achievements.models import Result

        Result.objects.create(
            studio=studio,
            title=f"案例{i}",
            category="paper",
            achieved_on=today(),
            status="verified",
            case_status="approved",
            case_story="故事",
        )
    assert counts() == before
