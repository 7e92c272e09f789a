"""Pairing pages: what each shows and to whom, pinned query counts that do not grow with the data,
the studio page's pairings tab, the alliance page's button and figure, the create flow, the
graduation assessment once, the skill-grade change recorded once from the pairing page, the home
to-do, the self-assessment figures and the person page's selector."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring import selectors, services
from mentoring.models import GraduationAssessment, Pairing
from talent.models import SkillGradeChange

from ..bad_input import today
from ..conftest import drawn_each_time
from ..factories import PersonFactory
from .fixtures import AGREED, alliance_pairing, alliance_setup, log, make_pairing, member, named_studio, placement

pytestmark = pytest.mark.django_db


def counts(client, urls):
    numbers = []
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            assert response.status_code == 200, url
        numbers.append(len(ctx))
    return numbers


def grow(world, studio, pairing, n):
    """n more pairings in the studio (and one in an alliance), and more on the pairing's page."""
    for i in range(n):
        other = make_pairing(world, studio=studio, status=["active", "graduated", "failed", "ended"][i % 4])
        log(other, AGREED)
        log(pairing, AGREED + datetime.timedelta(days=i + 1), content=f"第{i}次指导")
        placement(pairing, AGREED + datetime.timedelta(days=i + 1), competition=f"比赛{i}")
        SkillGradeChange.objects.create(
            person=pairing.apprentice, grade="technician", changed_on=AGREED + datetime.timedelta(days=i + 1)
        )
        services.progress_add(
            actor=world.hq, pairing=pairing, logged_on=AGREED + datetime.timedelta(days=40 + i), content="审计"
        )
    alliance_pairing(world)


# The edit page's two person pickers each ask first how many people there are, bounded, then list
# them (core.pickers): two queries each.
@pytest.mark.parametrize(("role", "expected"), [("hq", [7, 8, 7]), ("studio_lead", [7, 9, 8])])
def test_pairing_query_counts_are_pinned_and_do_not_grow(world, client_as, role, expected):
    studio = named_studio(world)
    pairing = make_pairing(world, studio=studio, with_file=True)
    log(pairing, AGREED)
    placement(pairing, AGREED)
    client = drawn_each_time(client_as(getattr(world, role)))
    urls = [
        reverse("mentoring:pairing_list"),
        pairing.get_absolute_url(),
        reverse("mentoring:pairing_update", args=[pairing.pk]),
    ]
    counts(client, urls)  # warm caches (content types, session)
    before = counts(client, urls)
    grow(world, studio, pairing, 6)
    assert counts(client, urls) == before == expected


# The rewards page: the totals (one aggregate), a page of lines, the page's mentors' grade histories;
# on PostgreSQL one more, the SET LOCAL that turns JIT compilation off for them.
REWARD_JIT = 1 if connection.vendor == "postgresql" else 0


# The unit picker: how many units (bounded), then the units (core.pickers).
@pytest.mark.parametrize(("role", "expected"), [("hq", [8 + REWARD_JIT, 3]), ("unit_cadre", [8 + REWARD_JIT, 3])])
def test_reward_query_counts_are_pinned_and_do_not_grow(world, client_as, role, expected):
    from mentoring.models import RewardRule

    services.reward_rule_update(actor=world.hq, allowance_technician=200, allowance_senior_technician=300)
    studio = named_studio(world)
    make_pairing(world, studio=studio)
    client = client_as(getattr(world, role))
    urls = [reverse("mentoring:reward_list") + "?year=2024", reverse("mentoring:reward_rule")]
    counts(client, urls)
    before = counts(client, urls)
    for i in range(8):
        mentor = member(studio, grade=["technician", "senior_technician"][i % 2])
        pairing = make_pairing(world, studio=studio, mentor=mentor)
        SkillGradeChange.objects.create(
            person=pairing.apprentice, grade="technician", changed_on=datetime.date(2024, 9, 1)
        )
    alliance_pairing(world)
    assert RewardRule.objects.count() == 1
    assert counts(client, urls) == before == expected


def test_pairing_page_shows_agreement_progress_grades_placements_and_history(world, client_as):
    studio = named_studio(world)
    pairing = services.pairing_create(
        actor=world.studio_lead,
        studio=studio,
        mentor=member(studio, grade="senior_technician", name="张师傅"),
        apprentice=member(studio, grade="senior", name="李徒弟"),
        agreement_on=datetime.date(2024, 3, 1),
        term_months=12,
        goals="<script>alert(1)</script>掌握数控编程",
    )
    services.progress_add(
        actor=world.studio_lead, pairing=pairing, logged_on=datetime.date(2024, 4, 2), content="讲解桥壳图纸"
    )
    services.placement_add(
        actor=world.studio_lead,
        pairing=pairing,
        competition="公司职业技能大赛",
        level="company",
        placement="一等奖",
        placed_on=datetime.date(2024, 10, 18),
    )
    SkillGradeChange.objects.create(
        person=pairing.apprentice, grade="technician", changed_on=datetime.date(2024, 12, 1)
    )
    SkillGradeChange.objects.create(
        person=pairing.apprentice, grade="intermediate", changed_on=datetime.date(2023, 1, 1)
    )
    response = client_as(world.studio_lead).get(pairing.get_absolute_url())
    page = response.content.decode()
    assert "讲解桥壳图纸" in page and "公司职业技能大赛" in page and "一等奖" in page
    assert [c.grade for c in response.context["grade_changes"]] == ["technician"]  # within the term only
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert 'data-testid="log-progress"' in page and 'data-testid="assess"' in page and 'data-testid="end"' in page
    # The lead may not change people's skill grades (the people registry's rule): no button.
    assert 'data-testid="record-grade"' not in page
    assert 'data-testid="record-grade"' in client_as(world.unit_cadre).get(pairing.get_absolute_url()).content.decode()
    # History in words, not field codes.
    assert "progress_logs.logged_on" not in page
    viewer_page = client_as(world.viewer).get(pairing.get_absolute_url()).content.decode()
    assert "讲解桥壳图纸" in viewer_page and 'data-testid="log-progress"' not in viewer_page


def test_a_closed_pairing_offers_no_action_but_late_placements(world, client_as):
    pairing = make_pairing(world, status="graduated")
    page = client_as(world.studio_lead).get(pairing.get_absolute_url()).content.decode()
    assert 'data-testid="assessment"' in page
    for action in ("log-progress", "assess", "end"):
        assert f'data-testid="{action}"' not in page
    assert 'data-testid="add-placement"' in page


def test_overdue_term_is_flagged_on_the_page_and_the_leads_home(world, client_as):
    pairing = make_pairing(world, agreement_on=datetime.date(2023, 1, 10), term_months=12)
    make_pairing(world, agreement_on=today() - datetime.timedelta(days=10), term_months=12)  # running
    page = client_as(world.studio_lead).get(pairing.get_absolute_url()).content.decode()
    assert 'data-testid="term-over"' in page
    home = client_as(world.studio_lead).get(reverse("home"))
    todo = [t for t in home.context["todos"] if "status=active&overdue=true" in t.url]
    assert len(todo) == 1 and todo[0].count == 1
    listed = client_as(world.studio_lead).get(todo[0].url)
    assert [p.pk for p in listed.context["table"].data] == [pairing.pk]
    assert listed.content.decode().count("badge bg-warning text-dark") == 1  # the term-over badge
    assert not [t for t in client_as(world.other_lead).get(reverse("home")).context["todos"] if "overdue" in t.url]

    # The unit's cadre runs the studio's pairings too: its home counts them; branch B's does not.
    todo = [t for t in client_as(world.unit_cadre).get(reverse("home")).context["todos"] if "overdue" in t.url]
    assert len(todo) == 1 and todo[0].count == 1
    listed = client_as(world.unit_cadre).get(todo[0].url)
    assert [p.pk for p in listed.context["table"].data] == [pairing.pk]
    other = client_as(world.unit_cadre_other).get(reverse("home")).context["todos"]
    assert not [t for t in other if "overdue" in t.url and t.count]


def test_create_from_the_list_asks_where_then_takes_the_team(world, client_as):
    studio = named_studio(world)
    mentor, apprentice = member(studio, grade="technician"), member(studio)
    PersonFactory(unit=world.plant_a1, name="不在团队的人")
    client = client_as(world.studio_lead)
    chooser = client.get(reverse("mentoring:pairing_create"))
    assert chooser.status_code == 200 and 'data-testid="choose-target"' in chooser.content.decode()
    assert list(chooser.context["form"].fields["studio"].queryset) == [studio]
    assert not chooser.context["form"].fields["alliance"].queryset.exists()  # a lead runs no alliance
    url = reverse("mentoring:pairing_create") + f"?studio={studio.pk}"
    form_page = client.get(url)
    offered = set(form_page.context["form"].fields["mentor"].queryset)
    assert offered == {world.lead_person, mentor, apprentice}
    response = client.post(
        url,
        {
            "mentor": mentor.pk,
            "apprentice": apprentice.pk,
            "agreement_on": "2024-03-01",
            "term_months": "12",
            "goals": "三年成长为技师",
        },
    )
    pairing = Pairing.objects.get()
    assert response.status_code == 302 and response["Location"] == pairing.get_absolute_url()
    assert (pairing.studio, pairing.mentor, pairing.apprentice) == (studio, mentor, apprentice)
    # Another lead's studio is not a choice: the page asks again (400), nothing is offered.
    other = client.get(reverse("mentoring:pairing_create") + f"?studio={world.other_studio.pk}")
    assert other.status_code == 400 and "mentor" not in other.context["form"].fields


def test_studio_page_has_a_pairings_tab(world, client_as):
    studio = named_studio(world)
    pairing = make_pairing(world, studio=studio)
    closed = make_pairing(world, studio=studio, status="graduated")
    response = client_as(world.studio_lead).get(studio.get_absolute_url())
    page = response.content.decode()
    assert [p.pk for p in response.context["pairings"]] == [pairing.pk, closed.pk]  # under way first
    assert 'data-testid="tab-pairings"' in page and 'data-testid="add-pairing"' in page
    assert reverse("mentoring:pairing_create") + f"?studio={studio.pk}" in page
    viewer_page = client_as(world.viewer).get(studio.get_absolute_url()).content.decode()
    assert 'data-testid="tab-pairings"' in viewer_page and 'data-testid="add-pairing"' not in viewer_page


def test_alliance_page_offers_a_cross_unit_pairing_to_its_managers(world, client_as):
    alliance, _studio, mentor, apprentice = alliance_setup(world)
    url = alliance.get_absolute_url()
    assert 'data-testid="add-pairing"' in client_as(world.unit_cadre).get(url).content.decode()
    for role in ("studio_lead", "unit_cadre_other", "viewer"):
        assert 'data-testid="add-pairing"' not in client_as(getattr(world, role)).get(url).content.decode()
    client = client_as(world.hq)
    create_url = reverse("mentoring:pairing_create") + f"?alliance={alliance.pk}"
    offered = set(client.get(create_url).context["form"].fields["apprentice"].queryset)
    assert {mentor, apprentice} <= offered
    response = client.post(
        create_url,
        {
            "mentor": mentor.pk,
            "apprentice": apprentice.pk,
            "agreement_on": today().isoformat(),
            "term_months": "24",
            "goals": "跨单位带徒",
        },
    )
    assert response.status_code == 302
    pairing = Pairing.objects.get(alliance=alliance)
    assert client.get(url).context["figures"]["pairings"] == 1 and pairing.unit == mentor.unit


def test_alliance_pairing_seen_by_who_sees_alliances_and_run_by_its_managers(world, client_as):
    pairing = alliance_pairing(world)
    detail, update = pairing.get_absolute_url(), reverse("mentoring:pairing_update", args=[pairing.pk])
    expected = {
        "hq": (200, 200),
        "unit_cadre": (200, 200),  # branch A leads the alliance
        "unit_cadre_other": (200, 403),
        "studio_lead": (200, 403),
        "other_lead": (200, 403),
        "viewer": (200, 403),
        "expert": (404, 404),
    }
    for role, (see, manage) in expected.items():
        client = client_as(getattr(world, role))
        assert (client.get(detail).status_code, client.get(update).status_code) == (see, manage), role


def test_assessment_through_the_page_once_then_409(world, client_as):
    pairing = make_pairing(world)
    client = client_as(world.unit_cadre)
    url = reverse("mentoring:pairing_assess", args=[pairing.pk])
    data = {"assessed_on": today().isoformat(), "score": "88", "grade": "excellent", "assessors": "评审小组"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, {**data, "grade": "pass", "score": "70"})
    assert again.status_code == 409 and again.context["refused"]
    assert GraduationAssessment.objects.get().grade == "excellent"
    pairing.refresh_from_db()
    assert pairing.status == "graduated"
    end = client.post(
        reverse("mentoring:pairing_end", args=[pairing.pk]), {"ended_on": today().isoformat(), "reason": "mentor_left"}
    )
    assert end.status_code == 409


def test_skill_grade_change_recorded_once_through_the_pairing_page(world, client_as):
    pairing = make_pairing(world)
    client = client_as(world.unit_cadre)
    url = reverse("mentoring:pairing_grade", args=[pairing.pk])
    data = {"grade": "technician", "changed_on": "2024-12-01", "note": "技能等级认定"}
    first = client.post(url, data)
    assert first.status_code == 302 and first["Location"].endswith("#grades")
    second = client.post(url, data)
    assert second.status_code == 400 and second.context["form"].errors["grade"]
    assert SkillGradeChange.objects.filter(person=pairing.apprentice, grade="technician").count() == 1
    page = client.get(pairing.get_absolute_url())
    assert [c.grade for c in page.context["grade_changes"]] == ["technician"]
    assert client_as(world.studio_lead).post(url, {**data, "changed_on": "2024-12-02"}).status_code == 403


def test_agreement_downloads_through_the_rule_set(world, client_as):
    pairing = make_pairing(world, with_file=True)
    url = reverse("mentoring:pairing_agreement", args=[pairing.pk])
    response = client_as(world.viewer).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert client_as(world.other_lead).get(url).status_code == 404
    assert (
        client_as(world.hq).get(reverse("mentoring:pairing_agreement", args=[make_pairing(world).pk])).status_code
        == 404
    )


def test_list_filters_and_export(world, client_as):
    import io

    from openpyxl import load_workbook

    studio = named_studio(world)
    mine = make_pairing(world, studio=studio, mentor=member(studio, name="王师傅"))
    make_pairing(world, studio=studio, status="graduated", agreement_on=datetime.date(2023, 5, 1))
    other = alliance_pairing(world)
    client = client_as(world.unit_cadre)

    def pks(**params):
        return {p.pk for p in client.get(reverse("mentoring:pairing_list"), params).context["table"].data}

    assert pks(status="active") == {mine.pk, other.pk}
    assert pks(q="王师傅") == {mine.pk}
    assert pks(studio=studio.pk, year=2023) == {Pairing.objects.get(status="graduated").pk}
    assert pks(alliance=other.alliance_id) == {other.pk}
    assert pks(unit=world.plant_a1.pk) == {mine.pk, other.pk, Pairing.objects.get(status="graduated").pk}
    export = client.get(reverse("mentoring:pairing_list"), {"status": "active", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3 and "王师傅" in {r[0] for r in rows}
    assert client_as(world.studio_lead).get(reverse("mentoring:pairing_list"), {"export": "xlsx"}).status_code == 403


def test_cadres_and_leads_see_only_their_studios_pairings(world, client_as):
    mine = make_pairing(world)
    theirs = make_pairing(world, studio=world.other_studio)
    crossing = alliance_pairing(world)
    for role, expected in (
        ("unit_cadre", {mine.pk, crossing.pk}),
        ("unit_cadre_other", {theirs.pk, crossing.pk}),
        ("studio_lead", {mine.pk, crossing.pk}),
        ("viewer", {mine.pk, theirs.pk, crossing.pk}),
    ):
        listed = client_as(getattr(world, role)).get(reverse("mentoring:pairing_list"))
        assert {p.pk for p in listed.context["table"].data} == expected, role
    assert client_as(world.expert).get(reverse("mentoring:pairing_list")).status_code == 403


def test_an_alliance_pairing_is_hidden_from_cadres_and_leads_it_does_not_concern(world, client_as):
    from accounts.choices import Role

    from ..factories import PersonFactory, StudioFactory, UnitFactory, UserFactory

    crossing = alliance_pairing(world)
    branch_c = UnitFactory(name="丙公司", code="C", parent=world.root)
    cadre_c = UserFactory(username="cadre_c", role=Role.UNIT_CADRE, unit=branch_c)
    lead_c = UserFactory(username="lead_c", role=Role.STUDIO_LEAD, unit=branch_c)
    StudioFactory(unit=branch_c, lead=PersonFactory(unit=branch_c, user=lead_c), status="named", level="company")
    for user in (cadre_c, lead_c):
        client = client_as(user)
        assert crossing.pk not in {p.pk for p in client.get(reverse("mentoring:pairing_list")).context["table"].data}
        assert client.get(crossing.get_absolute_url()).status_code == 404
        assert client.get(reverse("mentoring:pairing_agreement", args=[crossing.pk])).status_code == 404


def test_person_page_selector_lists_visible_pairings_of_the_person(world):
    studio = named_studio(world)
    person = member(studio)
    as_mentor = make_pairing(world, studio=studio, mentor=person)
    as_apprentice = make_pairing(world, studio=studio, apprentice=person, status="ended")
    make_pairing(world, studio=studio)  # someone else's
    with CaptureQueriesContext(connection) as ctx:
        rows = list(selectors.pairings_of_person(world.unit_cadre, person))
        labels = [(str(p.target), p.mentor.unit.name, p.apprentice.name) for p in rows]
    assert {p.pk for p in rows} == {as_mentor.pk, as_apprentice.pk} and len(labels) == 2
    assert len(ctx) == 1  # select_related for display
    assert not selectors.pairings_of_person(world.unit_cadre_other, person).exists()


def test_self_assessment_takes_pairing_figures(world):
    from studios.assessment import FIGURE_LABELS, assessment_figures

    studio = named_studio(world)
    make_pairing(world, studio=studio, agreement_on=datetime.date(2024, 3, 1))  # started 2024, active
    make_pairing(world, studio=studio, agreement_on=datetime.date(2023, 6, 1), term_months=12, status="graduated")
    make_pairing(world, studio=studio, agreement_on=datetime.date(2022, 1, 1), term_months=12)  # over before 2024
    make_pairing(
        world, studio=studio, agreement_on=datetime.date(2023, 3, 1), status="ended", ended_on=datetime.date(2024, 1, 1)
    )
    figures = assessment_figures(studio, 2024)
    assert (figures["pairings_started"], figures["pairings_active"], figures["pairings_graduated"]) == (1, 2, 1)
    assert "pairings_graduated" in FIGURE_LABELS
