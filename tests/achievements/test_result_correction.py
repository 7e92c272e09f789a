"""A verified result found wrong later (a patent number, an amount) goes back to the studio for
correction: returned with a reason by the unit that verifies, it counts nowhere until it is verified
again, and its typical case leaves the showcase."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from achievements import services
from achievements.choices import CaseStatus, ResultStatus
from core.models import AuditEvent, Notification
from reports.indicators import compute

pytestmark = pytest.mark.django_db


@pytest.fixture
def verified(world):
    studio = world.studio(status="named", level="company")
    result = services.result_create(
        actor=world.studio_lead,
        studio=studio,
        title="焊接夹具改进",
        category="technical_innovation",
        achieved_on=datetime.date(timezone.localdate().year, 1, 10),
        contributors=[world.lead_person],
        benefit=Decimal("120000"),
        benefit_year=timezone.localdate().year,
        benefit_basis="节约返修工时",
    )
    services.result_submit(actor=world.studio_lead, result=result)
    return services.result_verify(actor=world.unit_cadre, result=result)


def _counted(world):
    year = timezone.localdate().year
    return compute("results_by_category", year, world.root).totals["results"]


def test_a_verified_result_is_returned_for_correction_and_counts_again_once_verified(world, verified):
    assert _counted(world) == 1
    Notification.objects.all().delete()
    services.result_return(actor=world.unit_cadre, result=verified, reason="效益金额有误，请按财务核定数更正")
    verified.refresh_from_db()
    assert verified.status == ResultStatus.RETURNED and verified.verified_on is None
    assert _counted(world) == 0, "a returned result counts nowhere"
    note = Notification.objects.get(recipient=world.studio_lead)
    assert "效益金额有误" in note.title
    event = AuditEvent.objects.filter(object_id=str(verified.pk), action="result_return").get()
    assert event.changes == {"status": ["verified", "returned"]} and event.comment.startswith("效益金额有误")

    services.result_update(actor=world.studio_lead, result=verified, benefit=Decimal("98000"))
    services.result_submit(actor=world.studio_lead, result=verified)
    services.result_verify(actor=world.unit_cadre, result=verified)
    verified.refresh_from_db()
    assert verified.status == ResultStatus.VERIFIED and verified.verified_on == timezone.localdate()
    assert _counted(world) == 1
    benefit = compute("economic_benefit", timezone.localdate().year, world.root).totals["amount"]
    assert Decimal(benefit) == Decimal("98000")


def test_a_typical_case_leaves_the_showcase_with_its_result(world, verified, client):
    services.result_case_propose(actor=world.studio_lead, result=verified, story="焊接变形由3毫米降到0.5毫米")
    services.result_case_approve(actor=world.hq, result=verified)
    assert verified.title in client.get(reverse("showcase:home")).content.decode()
    services.result_return(actor=world.unit_cadre, result=verified, reason="专利号有误")
    verified.refresh_from_db()
    assert verified.case_status == CaseStatus.NONE and verified.case_decided_on is None
    withdrawn = AuditEvent.objects.get(object_id=str(verified.pk), action="case_withdraw")
    assert withdrawn.changes == {"case_status": ["approved", ""]} and withdrawn.comment == "专利号有误"
    assert verified.title not in client.get(reverse("showcase:home")).content.decode()


def test_only_the_reviewing_unit_returns_a_verified_result(world, verified):
    for actor in (world.studio_lead, world.viewer, world.unit_cadre_other, world.expert):
        with pytest.raises(PermissionDenied):
            services.result_return(actor=actor, result=verified, reason="x")
    verified.refresh_from_db()
    assert verified.status == ResultStatus.VERIFIED
    services.result_return(actor=world.hq, result=verified, reason="总部抽查：证明材料不全")
    verified.refresh_from_db()
    assert verified.status == ResultStatus.RETURNED


def test_the_result_page_offers_the_correction_with_its_consequences(world, verified, client_as):
    page = client_as(world.unit_cadre).get(verified.get_absolute_url()).content.decode()
    assert 'data-testid="result-return"' in page and "退回修改" in page
    assert (
        'data-testid="result-return"'
        not in client_as(world.studio_lead).get(verified.get_absolute_url()).content.decode()
    )
    client = client_as(world.unit_cadre)
    url = reverse("achievements:result_return", args=[verified.pk])
    confirm = client.get(url).content.decode()
    assert "计入统计" in confirm
    refused = client.post(url, {"comment": "  "})
    assert refused.status_code == 400 and refused.context["form"].errors["comment"]
    verified.refresh_from_db()
    assert verified.status == ResultStatus.VERIFIED
    assert client.post(url, {"comment": "数量有误"}).status_code == 302
    verified.refresh_from_db()
    assert verified.status == ResultStatus.RETURNED
