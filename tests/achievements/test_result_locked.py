"""A result its state keeps from changing (with the unit, or verified) is not offered as a form to
be refused on save: its edit page leads back to the result with the reason; a form posted anyway
is refused (409) and changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from achievements import services
from achievements.models import Result
from achievements.views import RESULT_NOT_EDITABLE


@pytest.fixture
def result(world):
    return services.result_create(
        actor=world.studio_lead,
        studio=world.studio(status="named", level="company"),
        title="桥壳反变形焊接工装",
        category="technical_innovation",
        achieved_on=datetime.date(2025, 9, 15),
        contributors=[world.lead_person],
        benefit=Decimal("186000"),
        benefit_year=2025,
    )


def test_a_draft_opens_its_form(world, client_as, result):
    response = client_as(world.studio_lead).get(reverse("achievements:result_update", args=[result.pk]))
    assert response.status_code == 200 and b'name="title"' in response.content


@pytest.mark.parametrize("state", ["submitted", "verified"])
def test_a_result_that_cannot_change_leads_back_to_itself_with_the_reason(world, client_as, result, state):
    services.result_submit(actor=world.studio_lead, result=result)
    if state == "verified":
        services.result_verify(actor=world.unit_cadre, result=result)
    client = client_as(world.studio_lead)
    url = reverse("achievements:result_update", args=[result.pk])
    response = client.get(url, follow=True)
    assert response.redirect_chain == [(result.get_absolute_url(), 302)]
    page = response.content.decode()
    assert 'name="title"' not in page
    assert [str(m) for m in response.context["messages"]] == [str(RESULT_NOT_EDITABLE[state])]
    assert escape(str(RESULT_NOT_EDITABLE[state])) in page

    before = Result.objects.filter(pk=result.pk).values().get()
    response = client.post(url, {"title": "改过的标题", "category": "technical_innovation"})
    assert response.status_code == 409
    assert Result.objects.filter(pk=result.pk).values().get() == before
