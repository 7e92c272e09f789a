"""Pickers over large sets (core.pickers): every choice while there are few, else the chosen ones
and a search answered by the form's own page from the field's queryset; ordered contributors."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.choices import Role
from achievements.forms import ResultForm, studios_for_logging
from achievements.models import Contributor, Result
from core.permissions import can
from studios.models import Studio
from talent.models import Person

from ..factories import PersonFactory, StudioFactory, UnitFactory, UserFactory
from ..matrix import ROLES
from ..test_permission_matrix import all_url_names, row_for

pytestmark = pytest.mark.django_db

PICK = re.compile(r'data-pick="([^"]+)"')
SELECT = re.compile(r'<select name="(?P<name>[^"]+)"[^>]*>(?P<options>.*?)</select>', re.S)


def options_of(html: str, name: str) -> list[str]:
    for match in SELECT.finditer(html):
        if match["name"] == name:
            return re.findall(r'<option value="([^"]*)"', match["options"])
    raise AssertionError(f"no select {name}")


def test_a_few_choices_are_all_listed_many_only_the_chosen_with_a_search(world, client_as, settings):
    studio = world.studio(status="named", level="company")
    people = PersonFactory.create_batch(3, unit=world.plant_a1)
    client = client_as(world.unit_cadre)
    url = reverse("achievements:project_create") + f"?studio={studio.pk}"
    html = client.get(url).content.decode()
    leaders = options_of(html, "leader")
    assert {str(p.pk) for p in people} <= set(leaders)  # few: every one, no search box
    assert 'data-pick="leader"' not in html

    settings.PORTAL_PICKER_LIMIT = 2
    html = client.get(url).content.decode()
    assert options_of(html, "leader") == [""]  # many: nothing listed but the empty choice
    assert 'data-pick="leader"' in html and "data-search-input" in html


def test_the_search_answers_from_the_fields_own_queryset(world, client_as, settings):
    settings.PORTAL_PICKER_LIMIT = 0
    mine = PersonFactory(name="王建国", unit=world.plant_a1, employee_no="E7001")
    PersonFactory(name="王建设", unit=world.plant_b1)  # branch B: not branch A's cadre's
    client = client_as(world.unit_cadre)
    url = reverse("achievements:project_create")
    answer = client.get(url, {"pick": "leader", "q": "王建"})
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    assert answer.json()["results"] == [{"id": str(mine.pk), "label": f"王建国 · {world.plant_a1} · E7001"}]
    assert client.get(url, {"pick": "leader", "q": "E7001"}).json()["results"][0]["id"] == str(mine.pk)
    assert client.get(url, {"pick": "leader", "q": ""}).json() == {"results": []}
    assert client.get(url, {"pick": "title", "q": "王"}).status_code == 404  # not a picker
    assert client.get(url, {"pick": "nope", "q": "王"}).status_code == 404
    assert client.get(url, {"pick": "leader", "q": "王\x00"}).status_code == 200
    # The page's own checks come first: a role that may not open the page gets no answer either.
    assert client_as(world.viewer).get(url, {"pick": "leader", "q": "王"}).status_code == 403


def test_contributors_keep_the_order_they_were_posted_in(world, client_as):
    studio = world.studio(status="named", level="company")
    first, second = PersonFactory(name="乙", unit=world.plant_a1), PersonFactory(name="甲", unit=world.plant_a1)
    lead = world.lead_person
    client = client_as(world.studio_lead)
    response = client.post(
        reverse("achievements:result_create"),
        {
            "studio": studio.pk,
            "title": "排序成果",
            "category": "technical_innovation",
            "achieved_on": "2025-03-01",
            "contributors": [str(second.pk), str(lead.pk), str(first.pk)],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    result = Result.objects.get(title="排序成果")
    ranked = list(Contributor.objects.filter(result=result).order_by("rank").values_list("person_id", flat=True))
    assert ranked == [second.pk, lead.pk, first.pk]
    # The edit page lists them in that order, as chosen options of the ordered picker.
    html = client.get(reverse("achievements:result_update", args=[result.pk])).content.decode()
    assert options_of(html, "contributors") == [str(second.pk), str(lead.pk), str(first.pk)]
    assert 'data-pick="contributors"' in html and "data-ordered" in html


def test_an_ordered_field_takes_each_person_once_and_refuses_an_unseen_one(world):
    mine = PersonFactory(unit=world.plant_a1)
    theirs = PersonFactory(unit=world.plant_b1)
    studio = world.studio(status="named", level="company")
    base = {"studio": studio.pk, "title": "t", "category": "technical_innovation", "achieved_on": "2025-01-01"}
    form = ResultForm(data={**base, "contributors": [str(mine.pk), str(mine.pk)]}, user=world.unit_cadre)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["contributors"] == [mine]
    form = ResultForm(data={**base, "contributors": [str(mine.pk), str(theirs.pk)]}, user=world.unit_cadre)
    assert not form.is_valid() and "contributors" in form.errors


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_studios_for_logging_is_the_rule_asked_for_every_studio(world, role):
    StudioFactory(unit=world.plant_b1, status="draft")
    world.studio(status="named", level="company")
    user = world.user(role)
    expected = {s.pk for s in Studio.objects.visible_to(user) if can(user, "manage_achievements", s)}
    assert set(studios_for_logging(user).values_list("pk", flat=True)) == expected


def test_a_cadre_with_many_units_gets_the_unit_search(world, client_as, settings):
    settings.PORTAL_PICKER_LIMIT = 2
    UnitFactory(name="甲二厂", code="A2", parent=world.branch_a)
    UnitFactory(name="甲三厂", code="A3", parent=world.branch_a)
    client = client_as(world.unit_cadre)
    url = reverse("studios:studio_create")
    html = client.get(url).content.decode()
    assert 'data-pick="unit"' in html
    labels = [row["label"] for row in client.get(url, {"pick": "unit", "q": "甲"}).json()["results"]]
    assert labels == ["甲公司", "甲一厂", "甲二厂", "甲三厂"]  # the scope's, in tree order
    assert client.get(url, {"pick": "unit", "q": "乙"}).json() == {"results": []}


def _form_pages():
    for name in sorted(all_url_names()):
        row = row_for(name)
        if row is None or name.startswith("admin:"):
            continue
        for role in ("hq", "unit_cadre", "studio_lead"):
            if row.get[role] == 200:
                yield pytest.param(name, role, id=f"{name}-{role}")


@pytest.mark.parametrize(("name", "role"), list(_form_pages()))
def test_every_picker_of_every_page_answers_its_search(name, role, world, client_as, settings):
    """With every picker in search mode, each page's pickers are answered by the page itself
    (a page whose view does not hand `?pick=` to core.pickers.pick_response would answer HTML)."""
    settings.PORTAL_PICKER_LIMIT = 0
    row = row_for(name)
    url = reverse(name, kwargs=row.kwargs(world))
    client = client_as(world.user(role))
    response = client.get(url)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return
    for pick in sorted(set(PICK.findall(response.content.decode()))):
        answer = client.get(url, {"pick": pick, "q": "甲"})
        assert answer.status_code == 200, (url, pick, answer.status_code)
        assert answer["Content-Type"] == "application/json", (url, pick)
        assert isinstance(answer.json()["results"], list)


def test_a_national_scope_is_never_listed(world, client_as, settings):
    """HQ's pickers at national scale: with more people than the limit, the result form lists
    none of them (it listed every person the user may see: 69,000 options at tier P)."""
    settings.PORTAL_PICKER_LIMIT = 5
    PersonFactory.create_batch(8, unit=world.plant_b1)
    hq = UserFactory(username="hq2", role=Role.HQ_CADRE, unit=world.root)
    html = client_as(hq).get(reverse("achievements:result_create")).content.decode()
    assert len(re.findall(r"<option", html)) < 40  # categories, the studio and project pickers' few
    assert Person.objects.count() > 5


def test_a_new_result_from_a_projects_page_starts_with_that_project(world, client_as, settings):
    from achievements.models import Project, ProjectKind

    settings.PORTAL_PICKER_LIMIT = 0  # the project picker in search mode: only the chosen one listed
    studio = world.studio(status="named", level="company")
    project = Project.objects.create(
        studio=studio,
        title="桥壳攻关",
        kind=ProjectKind.objects.first(),
        leader=world.lead_person,
        started_on="2025-01-01",
        planned_end_on="2025-12-31",
    )
    client = client_as(world.studio_lead)
    page = client.get(project.get_absolute_url()).content.decode()
    link = reverse("achievements:result_create") + f"?studio={studio.pk}&amp;project={project.pk}"
    assert link in page
    html = client.get(link.replace("&amp;", "&")).content.decode()
    assert options_of(html, "project") == ["", str(project.pk)]
    assert f'<option value="{project.pk}" selected>' in html
    answer = client.get(reverse("achievements:result_create"), {"pick": "project", "q": "桥壳"}).json()
    assert answer == {"results": [{"id": str(project.pk), "label": "桥壳攻关"}]}


def test_adding_a_team_member_offers_only_people_not_in_the_team(world, client_as):
    studio = world.studio(status="named", level="company")
    newcomer = PersonFactory(name="新成员", unit=world.plant_a1)
    client = client_as(world.unit_cadre)
    html = client.get(reverse("studios:membership_create", args=[studio.pk])).content.decode()
    offered = options_of(html, "person")
    assert str(newcomer.pk) in offered and str(world.lead_person.pk) not in offered  # the lead is a member
    assert reverse("talent:person_create") in html  # where to register someone not listed
