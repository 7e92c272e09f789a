"""A submitted studio's edit page: the fields the service would refuse are shown disabled with the
reason, instead of being offered and refused on save; what stays open still saves."""

import re

import pytest
from django.urls import reverse

from studios.models import Studio

APPLICATION = ("applied_level", "applying_demonstration", "planned_projects", "founded_on")
REVIEWED = ("name", "kind", "venue_address", "venue_area")


def disabled_fields(page):
    return {
        match.group(2)
        for match in re.finditer(r'<(input|select|textarea)[^>]*\bname="(\w+)"[^>]*>', page)
        if re.search(r"\bdisabled\b", match.group(0))
    }


@pytest.fixture
def submitted(world):
    return world.studio(status="submitted", name="车桥工艺创新工作室", planned_projects=2)


def test_a_draft_offers_every_field(world, client_as):
    studio = world.studio()
    page = client_as(world.studio_lead).get(reverse("studios:studio_update", args=[studio.pk])).content.decode()
    assert disabled_fields(page) == set()


def test_after_submission_the_lead_sees_the_locked_fields_disabled_with_the_reason(world, client_as, submitted):
    url = reverse("studios:studio_update", args=[submitted.pk])
    client = client_as(world.studio_lead)
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert disabled_fields(page) == set(APPLICATION + REVIEWED)
    assert page.count("该项属于申报内容，提交后不能修改。") == len(APPLICATION)
    assert page.count("申报提交后，只有单位工会干部或公司工会可以修改此项。") == len(REVIEWED)
    assert 'data-testid="form-intro"' in page

    # Posting other values for the locked fields changes nothing of them; the open fields save.
    data = {
        "name": "改过的名称",
        "kind": submitted.kind_id,
        "specialty": "车桥热处理",
        "venue_address": "别处",
        "venue_area": "999",
        "planned_projects": "9",
        "applied_level": "provincial",
        "applying_demonstration": "on",
        "founded_on": "2001-01-01",
        "description": "更新简介",
        "contact_phone": "",
        "facilities": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    studio = Studio.objects.get(pk=submitted.pk)
    assert (studio.name, studio.planned_projects, studio.applied_level) == (
        submitted.name,
        submitted.planned_projects,
        submitted.applied_level,
    )
    assert (studio.specialty, studio.description) == ("车桥热处理", "更新简介")


def test_after_submission_the_unit_cadre_may_still_change_what_was_reviewed(world, client_as, submitted):
    page = client_as(world.unit_cadre).get(reverse("studios:studio_update", args=[submitted.pk])).content.decode()
    assert disabled_fields(page) == {"unit", *APPLICATION}
