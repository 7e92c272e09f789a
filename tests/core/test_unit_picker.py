"""A list filter's unit picker lists the top of the user's scope and two levels below it (a
national tree has 15,000 units: a select of all of them cost seconds per list page), still accepts
any unit of the scope, and then shows it as chosen; a studio picker lists studios only while they
are few."""

import re

import pytest

from core.filters import PICKER_DEPTH

from ..factories import StudioFactory, UnitFactory


@pytest.fixture
def deep(world):
    """plant A1 (depth 3) → workshop (4) → team (5), with a studio in the team."""
    workshop = UnitFactory(name="甲一厂一车间", parent=world.plant_a1)
    team = UnitFactory(name="甲一厂一车间一班", parent=workshop)
    studio = StudioFactory(name="深处工作室", unit=team)
    return workshop, team, studio


def options(page) -> set[int]:
    select = re.search(r'<select name="unit"[^>]*>(.*?)</select>', page.content.decode(), re.S)
    return {int(pk) for pk in re.findall(r'<option value="(\d+)"', select[1])}


def selected(page) -> set[int]:
    select = re.search(r'<select name="unit"[^>]*>(.*?)</select>', page.content.decode(), re.S)
    return {int(pk) for pk in re.findall(r'<option value="(\d+)"[^>]*selected', select[1])}


def test_hq_picker_lists_the_top_levels_only(world, deep, client_as):
    workshop, team, _studio = deep
    assert PICKER_DEPTH == 2
    page = client_as(world.hq).get("/studios/")
    shown = options(page)
    assert {world.root.pk, world.branch_a.pk, world.plant_a1.pk, world.plant_b1.pk} <= shown
    assert workshop.pk not in shown and team.pk not in shown


def test_a_deeper_unit_is_still_accepted_and_shown_as_chosen(world, deep, client_as):
    _workshop, team, studio = deep
    page = client_as(world.hq).get(f"/studios/?unit={team.pk}")
    assert page.status_code == 200
    assert team.pk in options(page)
    assert selected(page) == {team.pk}
    assert studio.name in page.content.decode()
    assert "乙厂工作室" not in page.content.decode()  # the filter applied


def test_a_unit_cadre_picker_starts_at_its_own_unit(world, deep, client_as):
    workshop, _team, _studio = deep
    page = client_as(world.unit_cadre).get("/studios/")
    shown = options(page)
    # Branch A is at depth 2: its picker goes down to depth 4 (the workshop), not the team.
    assert {world.branch_a.pk, world.plant_a1.pk, workshop.pk} == shown
    assert client_as(world.unit_cadre).get(f"/studios/?unit={world.plant_b1.pk}").status_code == 200
    assert world.plant_b1.pk not in options(client_as(world.unit_cadre).get(f"/studios/?unit={world.plant_b1.pk}"))


def studio_options(page, name="studio") -> set[int]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page.content.decode(), re.S)
    return {int(pk) for pk in re.findall(r'<option value="(\d+)"', select[1])}


def test_a_studio_picker_lists_studios_only_while_they_are_few(world, client_as, monkeypatch):
    """At most PICKER_LIMIT studios are listed (120,000 at national scale made an 8 MB page);
    beyond that only the chosen one, and any studio of the scope is still accepted."""
    from core.filters import BoundedChoiceField

    mine = world.studio(status="named", name="甲一厂工作室")
    others = [StudioFactory(unit=world.plant_a1, name=f"甲一厂工作室{n}") for n in range(3)]
    monkeypatch.setattr(BoundedChoiceField, "limit", 2)
    hq = client_as(world.hq)
    assert studio_options(hq.get("/achievements/")) == set()
    chosen = hq.get(f"/achievements/?studio={others[1].pk}")
    assert chosen.status_code == 200 and studio_options(chosen) == {others[1].pk}
    # A studio lead sees one studio: it is listed.
    assert studio_options(client_as(world.studio_lead).get("/achievements/")) == {mine.pk}
    monkeypatch.setattr(BoundedChoiceField, "limit", 200)
    assert studio_options(client_as(world.hq).get("/achievements/projects/")) >= {mine.pk, *(s.pk for s in others)}
