"""Campaign pages: what each role sees, pinned query counts that do not grow with nominations and
scores, the expert's scoring queue, the ranking and its Excel export, the list's filters and
export, search and the home to-dos."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.choices import Role
from talent import services

from ..bad_input import today
from ..factories import UnitFactory, UserFactory
from .campaign_fixtures import make_campaign, nominate, score

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
DAY = datetime.timedelta(days=1)


def counts(client, urls):
    numbers = []
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            assert response.status_code == 200, url
        numbers.append(len(ctx))
    return numbers


def grow(world, campaign, experts, n):
    """n more nominations of A1 (so that the B1 expert may score them), each scored by every expert."""
    for i in range(n):
        nomination = nominate(campaign, world, material=i % 2 == 0)
        for expert in experts:
            score(nomination, expert, [60 + i, 70, 80])
    for i in range(3):
        make_campaign(world, name=f"其他评选{i}")


@pytest.fixture
def scoring(world):
    second = UserFactory(role=Role.EXPERT, unit=UnitFactory(code="A2", parent=world.branch_a))
    campaign = make_campaign(world, status="scoring", experts=[world.expert, second])
    first = nominate(campaign, world, material=True)
    score(first, world.expert, [80, 80, 80])
    recused = nominate(campaign, world, unit=world.plant_b1, by=world.unit_cadre_other)
    score(recused, second, [70, 70, 70])
    return campaign, first, [world.expert, second]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("hq", {"list": 4, "detail": 7, "nomination": 9, "ranking": 8}),
        ("unit_cadre", {"list": 4, "detail": 6, "nomination": 5}),
        ("expert", {"list": 4, "detail": 6, "nomination": 14, "queue": 3, "score": 12}),
    ],
)
def test_query_counts_are_pinned_and_do_not_grow(world, client_as, scoring, role, expected):
    campaign, first, experts = scoring
    pages = {
        "list": reverse("talent:campaign_list"),
        "detail": campaign.get_absolute_url(),
        "nomination": first.get_absolute_url(),
        "ranking": reverse("talent:campaign_ranking", args=[campaign.pk]),
        "queue": reverse("talent:scoring_queue"),
        "score": reverse("talent:nomination_score", args=[first.pk]),
    }
    urls = [pages[name] for name in expected]
    client = client_as(getattr(world, role))
    counts(client, urls)  # warm caches (content types, session)
    before = counts(client, urls)
    grow(world, campaign, experts, 6)
    after = counts(client, urls)
    assert after == before
    assert dict(zip(expected, after, strict=True)) == expected


def test_the_campaign_page_shows_each_role_its_share(world, client_as, scoring):
    campaign, first, _experts = scoring
    hq = client_as(world.hq).get(campaign.get_absolute_url())
    assert {n.pk for n in hq.context["nominations"]} == {n.pk for n in campaign.nominations.all()}
    assert hq.context["show_totals"] and hq.context["show_cards"] and hq.context["panel"] is not None
    page = hq.content.decode()
    assert 'data-testid="panel"' in page and world.expert.display_name in page
    assert reverse("talent:campaign_ranking", args=[campaign.pk]) in page
    cadre = client_as(world.unit_cadre).get(campaign.get_absolute_url())
    assert [n.pk for n in cadre.context["nominations"]] == [first.pk]
    assert not cadre.context["show_totals"] and cadre.context["panel"] is None
    cadre_page = cadre.content.decode()
    assert 'data-testid="panel"' not in cadre_page and world.expert.display_name not in cadre_page
    expert = client_as(world.expert).get(campaign.get_absolute_url())
    assert [n.pk for n in expert.context["nominations"]] == [first.pk], "never the nominee of its own unit"
    assert reverse("talent:nomination_score", args=[first.pk]) in expert.content.decode()


def test_the_panel_is_left_out_of_the_history_of_those_who_may_not_see_it(world, client_as):
    campaign = make_campaign(world, experts=[])
    services.panel_add(actor=world.hq, campaign=campaign, expert=world.expert)
    hq_history = client_as(world.hq).get(campaign.get_absolute_url()).context["history"]
    assert [e.action for e in hq_history] == ["panel_add"]
    assert client_as(world.unit_cadre).get(campaign.get_absolute_url()).context["history"] == []


def test_cadres_see_the_mean_once_the_public_notice_begins(world, client_as, scoring):
    campaign, first, _experts = scoring
    client = client_as(world.unit_cadre)
    assert client.get(first.get_absolute_url()).context["mean"] is None
    services.campaign_publicise(
        actor=world.hq,
        campaign=campaign,
        selected=[first],
        publicity_from=campaign.nominations_close_on,
        publicity_until=campaign.scoring_until,
    )
    response = client.get(first.get_absolute_url())
    assert str(response.context["mean"]) == "80.00"
    assert response.context["scorecards"] == [], "never each expert's own scores"
    lead = client_as(world.studio_lead).get(campaign.get_absolute_url())
    assert [n.pk for n in lead.context["nominations"]] == [first.pk], "the published selection"


def test_hq_sees_each_experts_scorecard_and_an_expert_only_its_own(world, client_as, scoring):
    _campaign, first, (expert, second) = scoring
    score(first, second, [90, 60, 30])
    hq = client_as(world.hq).get(first.get_absolute_url())
    assert [(c.expert, str(c.total)) for c in hq.context["scorecards"]] == [(expert, "80.00"), (second, "66.00")]
    own = client_as(expert).get(first.get_absolute_url())
    assert [c.expert for c in own.context["scorecards"]] == [expert]
    assert own.context["mean"] is None


def test_the_scoring_queue_lists_to_score_scored_and_recused(world, client_as):
    hq_expert = UserFactory(role=Role.EXPERT, unit=world.root)
    campaign = make_campaign(world, status="scoring", experts=[world.expert, hq_expert])
    to_score = nominate(campaign, world)
    scored = nominate(campaign, world)
    score(scored, world.expert, [70, 70, 70])
    recused = nominate(campaign, world, unit=world.plant_b1)
    nominate(campaign, world, status="withdrawn")
    open_one = make_campaign(world)  # not in scoring yet: not in the queue
    nominate(open_one, world)
    elsewhere = make_campaign(world, status="scoring", experts=[hq_expert])
    nominate(elsewhere, world)
    response = client_as(world.expert).get(reverse("talent:scoring_queue"))
    context = response.context
    assert [n.pk for n in context["to_score"]] == [to_score.pk]
    assert [n.pk for n in context["scored"]] == [scored.pk]
    assert [n.pk for n in context["recused"]] == [recused.pk]
    page = response.content.decode()
    assert f'data-testid="recused-{recused.pk}"' in page
    assert reverse("talent:nomination_score", args=[recused.pk]) not in page, "no form for a recusal"
    hq_queue = client_as(hq_expert).get(reverse("talent:scoring_queue")).context
    assert len(hq_queue["to_score"]) == 4 and not hq_queue["recused"]
    assert client_as(world.expert).get(reverse("talent:nomination_score", args=[recused.pk])).status_code == 404


def test_the_expert_scores_on_the_weighted_scorecard_and_revises(world, client_as, scoring):
    campaign, first, _experts = scoring
    client = client_as(world.expert)
    url = reverse("talent:nomination_score", args=[first.pk])
    criteria = list(campaign.criteria.order_by("order", "id"))
    form = client.get(url).context["form"]
    assert [form.initial[f"criterion_{c.pk}"] for c in criteria] == [80, 80, 80], "the current scores"
    data = {f"criterion_{c.pk}": v for c, v in zip(criteria, [100, 50, 0], strict=True)} | {"comment": "复核后调整"}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("talent:scoring_queue")
    card = first.scorecards.get(expert=world.expert)
    assert sorted(card.items.values_list("score", flat=True)) == [0, 50, 100] and card.revised_at
    page = client.get(url).content.decode()
    assert "60.00" in page, "the weighted total of the revision: 40 + 20 + 0"


def test_ranking_page_and_export_list_each_experts_total(world, client_as, scoring):
    campaign, first, (expert, second) = scoring
    score(first, second, [90, 60, 30])
    response = client_as(world.hq).get(reverse("talent:campaign_ranking", args=[campaign.pk]))
    top = response.context["rows"][0]
    assert (top.pk, [str(t) for t in top.totals], str(top.mean), top.rank) == (first.pk, ["80.00", "66.00"], "73.00", 1)
    export = client_as(world.hq).get(reverse("talent:campaign_ranking_export", args=[campaign.pk]))
    sheet = load_workbook(io.BytesIO(export.content)).active
    table = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert table[0][3:5] == [expert.display_name, second.display_name]
    assert table[1][:6] == [1, str(first.nominee), str(first.unit), 80, 66, 73]


def test_list_filters_and_exports(world, client_as):
    make_campaign(world, name="甲评选", year=2025)
    make_campaign(world, name="乙评选", kind="result", status="scoring")
    client = client_as(world.viewer)
    names = [c.name for c in client.get(reverse("talent:campaign_list") + "?kind=result").context["table"].data]
    assert names == ["乙评选"]
    names = [c.name for c in client.get(reverse("talent:campaign_list") + "?year=2025").context["table"].data]
    assert names == ["甲评选"]
    names = [c.name for c in client.get(reverse("talent:campaign_list") + "?status=open").context["table"].data]
    assert names == ["甲评选"]
    export = client.get(reverse("talent:campaign_list") + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sorted(row[0].value for row in list(sheet.iter_rows())[1:]) == ["乙评选", "甲评选"]
    assert client_as(world.studio_lead).get(reverse("talent:campaign_list") + "?export=xlsx").status_code == 403


def test_the_nominee_search_stays_bounded(world, client_as):
    from talent.selectors import CHOICE_LIMIT

    from ..factories import PersonFactory

    campaign = make_campaign(world)
    for i in range(CHOICE_LIMIT + 5):
        PersonFactory(unit=world.plant_a1, name=f"焊工{i:02d}")
    special = PersonFactory(unit=world.plant_a1, name="唯一的人", employee_no="ZX9001")
    PersonFactory(unit=world.plant_b1, name="乙厂焊工")
    client = client_as(world.unit_cadre)
    url = reverse("talent:nomination_create", args=[campaign.pk])
    field = client.get(url + "?find=焊工").context["offered"]
    assert field.offered == CHOICE_LIMIT and field.total == CHOICE_LIMIT + 5, "no B1 welder for A's cadre"
    field = client.get(url + "?find=ZX9001").context["offered"]
    assert [choice[0] for choice in field.widget.choices][1:] == [special.pk]
    response = client.post(url + "?find=ZX9001", {"person": special.pk, "statement": "技术骨干"})
    assert response.status_code == 302
    assert campaign.nominations.get().person == special


def test_search_and_home_todos(world, client_as):
    from core.search import search

    make_campaign(world, name="第二届信赖工匠评选", status="scoring", nominations_close_on=today() - DAY)
    make_campaign(world, name="第三届信赖工匠评选", nominations_close_on=today() + 5 * DAY)
    make_campaign(world, name="第四届信赖工匠评选", nominations_close_on=today() + 30 * DAY, experts=[])
    groups = {str(p.label): hits for p, hits, _more in search(world.expert, "信赖工匠")}
    assert sorted(h.title for h in groups["Selection campaigns"]) == ["第三届信赖工匠评选", "第二届信赖工匠评选"]
    cadre_todos = {t.title: t.count for t in client_as(world.unit_cadre).get("/").context["todos"]}
    assert cadre_todos.get("Selection campaigns closing for nominations soon") == 1
    running = make_campaign(world, status="scoring")
    nominate(running, world)
    score(nominate(running, world), world.expert, [1, 2, 3])
    nominate(running, world, unit=world.plant_b1)
    expert_todos = {t.title: t.count for t in client_as(world.expert).get("/").context["todos"]}
    assert expert_todos == {"Nominations waiting for your score": 1}
