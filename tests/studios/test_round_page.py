"""An assessment round's page: its studios a page at a time, filtered, with the count at each step,
in a bounded number of queries (a national round assesses every named studio)."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from studios.models import Assessment, AssessmentRound

from ..factories import StudioFactory

pytestmark = pytest.mark.django_db


def grow(world, assessment_round, count, **fields):
    for _ in range(count):
        studio = StudioFactory(unit=world.plant_a1, status="named", level="company")
        Assessment.objects.create(round=assessment_round, studio=studio, **fields)


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_round_page_pages_filters_and_counts(world, client_as):
    assessment_round = AssessmentRound.objects.create(year=2025)
    grow(world, assessment_round, settings.PORTAL_PAGE_SIZE + 3)
    grow(world, assessment_round, 2, status="graded", grade="fail", no_verified_result=True)
    StudioFactory(unit=world.plant_b1, status="named", level="company")
    Assessment.objects.create(round=assessment_round, studio=world.other_studio)  # branch B's
    url = reverse("studios:round_detail", args=[assessment_round.pk])
    client = client_as(world.unit_cadre)
    html = client.get(url).content.decode()
    assert html.count("/studios/assessment/") == settings.PORTAL_PAGE_SIZE  # one page of links
    assert f"{settings.PORTAL_PAGE_SIZE + 5}" in html  # branch A's 55 studios, not branch B's
    steps = client.get(url).context["step_counts"]
    assert [n for _label, n in steps] == [settings.PORTAL_PAGE_SIZE + 3, 0, 0, 2]  # pending … graded
    page = client.get(url, {"grade": "fail"})
    assert page.context["table"].paginator.count == 2
    assert client.get(url, {"no_verified_result": "true"}).context["table"].paginator.count == 2
    assert client.get(url, {"status": "nonsense"}).context["table"].paginator.count == 0
    assert client_as(world.hq).get(url).context["table"].paginator.count == settings.PORTAL_PAGE_SIZE + 6


def test_the_round_pages_queries_do_not_grow(world, client_as):
    assessment_round = AssessmentRound.objects.create(year=2025)
    grow(world, assessment_round, 3)
    client = client_as(world.hq)
    url = reverse("studios:round_detail", args=[assessment_round.pk])
    queries(client, url)
    before = queries(client, url)
    grow(world, assessment_round, 8, status="graded", grade="good")
    assert queries(client, url) == before
