"""A person's page: honours (with the campaign that awarded one), skill-grade history, classes
attended with hours, pairings as mentor or apprentice and results contributed, each within the
viewer's scope, at a pinned number of queries that does not grow with the person's record."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from achievements import services as achievement_services
from talent.models import Honour

from ..mentoring.fixtures import make_pairing, member, named_studio
from ..training.fixtures import attend, enrol, make_class, running_class_with_trainee

pytestmark = pytest.mark.django_db


def record(world, person, studio, index):
    """One more of everything for `person`: a class attended, a pairing as mentor, a result."""
    training_class = make_class(world, title=f"培训班{index}", status="running")
    from ..training.fixtures import add_session

    session = add_session(training_class)
    attend(session, enrol(training_class, person, world))
    make_pairing(world, studio=studio, mentor=person, apprentice=member(studio))
    achievement_services.result_create(
        actor=world.studio_lead,
        studio=studio,
        title=f"成果{index}",
        category="technical_innovation",
        achieved_on=datetime.date(2025, 1, 10 + index),
        contributors=[person],
        benefit=Decimal("1000"),
        benefit_year=2025,
    )
    Honour.objects.create(person=person, kind="craftsman", level="company", title=f"信赖工匠{index}", year=2020 + index)


def test_the_page_shows_classes_pairings_and_results(world, client_as):
    studio = named_studio(world)
    person = member(studio, name="学员甲")
    record(world, person, studio, 1)
    apprentice_of = make_pairing(world, studio=studio, apprentice=person)
    page = client_as(world.unit_cadre).get(reverse("talent:person_detail", args=[person.pk])).content.decode()
    assert "培训班1" in page and "3 学时" in page
    assert apprentice_of.mentor.name in page and "成果1" in page and "信赖工匠1" in page
    # Branch B's cadre cannot open the person at all; the other lead neither.
    assert client_as(world.unit_cadre_other).get(reverse("talent:person_detail", args=[person.pk])).status_code == 404


def test_sections_follow_the_viewers_scope(world, client_as):
    studio = named_studio(world)
    person = member(studio, name="学员乙")
    # A class organised by branch B (not for A's subtree) and its enrolment: A's lead must not see it.
    other_class = make_class(world, title="乙公司内部班", organiser=world.branch_b, status="running")
    enrol(other_class, person, world)
    page = client_as(world.studio_lead).get(reverse("talent:person_detail", args=[person.pk])).content.decode()
    assert "乙公司内部班" not in page
    assert "乙公司内部班" in client_as(world.hq).get(reverse("talent:person_detail", args=[person.pk])).content.decode()


@pytest.mark.parametrize(("role", "expected"), [("hq", 10), ("unit_cadre", 10)])
def test_query_count_is_pinned_and_does_not_grow(world, client_as, role, expected, django_assert_num_queries):
    _, _, enrolment = running_class_with_trainee(world)
    person = enrolment.person
    studio = named_studio(world)
    client = client_as(world.user(role))
    url = reverse("talent:person_detail", args=[person.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert len(captured) == expected
    for index in range(1, 5):
        record(world, person, studio, index)
    with django_assert_num_queries(expected):
        page = client.get(url).content.decode()
    assert all(f"成果{i}" in page and f"培训班{i}" in page for i in range(1, 5))
