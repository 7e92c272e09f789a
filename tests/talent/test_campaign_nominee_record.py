"""The nominee's record on the nomination and scoring pages: the panel reads what the criteria
refer to (verified results, honours, skill grades, studios), read-only, and nothing else of the
person; the person's own page stays closed to the expert; a fixed number of queries."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from achievements.models import Contributor, Result
from studios.models import Membership
from talent.models import Honour, Nomination, SkillGradeChange

from ..factories import PersonFactory, StudioFactory
from .campaign_fixtures import make_campaign, nominate, score

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def nominee_with_a_record(world, person=None, *, n=1):
    """A nominee of A1 with `n` verified results (and one unverified), honours, grade changes and
    studio teams, phone and ID number; another person's record beside it."""
    person = person or PersonFactory(unit=world.plant_a1, phone="13800001111", id_number="420101199001011234")
    start = Result.objects.filter(contributors__person=person).count()
    for i in range(start, start + n):
        studio = StudioFactory(unit=world.plant_a1, status="named", level="company", name=f"记录工作室{i}")
        Membership.objects.create(studio=studio, person=person, role="core", joined_on=datetime.date(2020, 1, 1))
        result = Result.objects.create(
            studio=studio,
            title=f"焊接工装改进{i}",
            category="technical_innovation",
            achieved_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
            benefit=Decimal("125000.50"),
            status="verified",
        )
        Contributor.objects.create(result=result, person=person, rank=1)
        Honour.objects.create(person=person, kind="craftsman", level="company", title=f"技术能手{i}", year=2000 + i)
        SkillGradeChange.objects.create(person=person, grade="technician", changed_on=datetime.date(2010 + i, 1, 1))
    draft = Result.objects.create(
        studio=StudioFactory(unit=world.plant_a1, status="named", level="company"),
        title=f"未认定成果{start}",
        category="technical_innovation",
        achieved_on=datetime.date(2025, 1, 1),
        status="submitted",
    )
    Contributor.objects.create(result=draft, person=person, rank=1)
    stranger = PersonFactory(unit=world.plant_a1)
    Honour.objects.create(person=stranger, kind="other", level="unit", title=f"别人的荣誉{start}", year=2020)
    return person


def test_the_panel_reads_the_nominees_record_and_nothing_else_of_the_person(world, client_as):
    campaign = make_campaign(world, status="scoring")
    person = nominee_with_a_record(world, n=2)
    nomination = nominate(campaign, world, person=person)
    client = client_as(world.expert)
    for url in (nomination.get_absolute_url(), reverse("talent:nomination_score", args=[nomination.pk])):
        response = client.get(url)
        record = response.context["record"]
        assert [c.result.title for c in record["results"]] == ["焊接工装改进1", "焊接工装改进0"]
        assert [h.title for h in record["honours"]] == ["技术能手1", "技术能手0"]
        assert [g.changed_on.year for g in record["grades"]] == [2011, 2010]
        assert {m.studio.name for m in record["studios"]} == {"记录工作室0", "记录工作室1"}
        page = response.content.decode()
        assert 'data-testid="nominee-record"' in page and "焊接工装改进1" in page and "¥125,000.50" in page
        assert "2024-01-02" in page and "Technical innovation" in page and "技术能手0" in page
        assert "未认定成果" not in page and "别人的荣誉" not in page
        assert "13800001111" not in page and "420101199001011234" not in page and person.employee_no not in page
    assert client.get(person.get_absolute_url()).status_code == 404, "the person's page stays closed"
    # Those who do not score it do not get the record here (HQ and the cadre have the person's page).
    for user in (world.hq, world.unit_cadre, world.viewer):
        assert client_as(user).get(nomination.get_absolute_url()).context["record"] is None


def test_the_record_of_a_nominee_without_any(world, client_as):
    campaign = make_campaign(world, status="scoring")
    nomination = nominate(campaign, world)
    page = client_as(world.expert).get(nomination.get_absolute_url()).content.decode()
    assert "No verified results recorded." in page and "No honours recorded." in page
    assert "Not in any studio team." in page


@pytest.mark.parametrize(("page", "expected"), [("nomination", 13), ("score", 12)])
def test_the_record_costs_a_fixed_number_of_queries(world, client_as, page, expected):
    """Four queries for the record (results, honours, grades, studios), whatever it holds."""
    campaign = make_campaign(world, status="scoring")
    person = nominee_with_a_record(world, n=1)
    nomination = nominate(campaign, world, person=person)
    score(nomination, world.expert, [80, 80, 80])
    url = (
        nomination.get_absolute_url()
        if page == "nomination"
        else reverse("talent:nomination_score", args=[nomination.pk])
    )
    client = client_as(world.expert)
    client.get(url)  # warm caches (content types, session)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    small = count()
    nominee_with_a_record(world, person, n=6)
    assert len(client.get(url).context["record"]["results"]) == 7
    assert count() == small == expected


def test_a_result_nomination_has_no_person_record(world, client_as):
    from .campaign_fixtures import verified_result

    campaign = make_campaign(world, kind="result", status="scoring")
    nomination = nominate(campaign, world, result=verified_result(world))
    assert Nomination.objects.get(pk=nomination.pk).person_id is None
    assert client_as(world.expert).get(nomination.get_absolute_url()).context["record"] is None


def test_a_studio_no_longer_named_reads_its_state_beside_its_level(world, client_as):
    """A revoked studio keeps its level: the record says it is revoked, not only "company level"."""
    campaign = make_campaign(world, status="scoring")
    person = PersonFactory(unit=world.plant_a1)
    for name, status in (("仍在命名的工作室", "named"), ("已摘牌的工作室", "revoked")):
        studio = StudioFactory(unit=world.plant_a1, status=status, level="company", name=name)
        Membership.objects.create(studio=studio, person=person, role="core", joined_on=datetime.date(2020, 1, 1))
    nomination = nominate(campaign, world, person=person)
    page = client_as(world.expert).get(nomination.get_absolute_url()).content.decode()
    rows = {row.split(" · ")[0]: row for row in re.findall(r"<li>([^<]*工作室 · .*?)</li>", page)}
    assert "Revoked" in rows["已摘牌的工作室"] and "Company level" in rows["已摘牌的工作室"]
    assert "Revoked" not in rows["仍在命名的工作室"] and "record-studio-status" not in rows["仍在命名的工作室"]
