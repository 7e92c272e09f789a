"""Declared conflicts of interest (回避).

An expert who is the nominee's mentor, colleague or relative declares it, with the reason, before
or after scoring; it no longer scores the nominee, the nominee's result is the mean of the other
experts' scorecards (as for the automatic recusal from its own unit), and HQ sees who declared and
why."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from accounts.choices import Role
from core.exceptions import TransitionNotAllowed
from core.models import AuditEvent, Notification
from talent import selectors, services
from talent.models import Campaign, Recusal, Scorecard, ScoreItem

from ..factories import UnitFactory, UserFactory
from .campaign_fixtures import make_campaign, nominate, score

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
REASON = "本人是被推荐人的师傅，2018年起带徒。"


def expert_in(unit):
    return UserFactory(role=Role.EXPERT, unit=unit)


def scores_for(campaign, values):
    return dict(zip(campaign.criteria.order_by("order", "id"), values, strict=True))


def recuse(nomination, expert=None, *, world, relation="mentor", reason=REASON):
    return services.nomination_recuse(
        actor=expert or world.expert, nomination=nomination, relation=relation, reason=reason
    )


def rows():
    return (Recusal.objects.count(), Scorecard.objects.count(), ScoreItem.objects.count(), AuditEvent.objects.count())


@pytest.fixture
def panel(world):
    """In scoring: the B1 expert, a sibling-plant expert (A2) and an HQ expert; the A1 nominee."""
    second, hq_expert = expert_in(UnitFactory(code="A2", parent=world.branch_a)), expert_in(world.root)
    campaign = make_campaign(world, status="scoring", experts=[world.expert, second, hq_expert])
    return campaign, nominate(campaign, world), second, hq_expert


# The service ---------------------------------------------------------------------------------------


def test_an_expert_declares_before_scoring_and_no_longer_scores(world, panel):
    campaign, nomination, _second, _hq_expert = panel
    assert selectors.nominations_waiting_for(world.expert) == 1
    recusal = recuse(nomination, world=world, reason=f"  {REASON}  ")
    assert (recusal.expert, recusal.relation, recusal.reason, recusal.withdrawn_total) == (
        world.expert,
        "mentor",
        REASON,
        None,
    )
    event = AuditEvent.objects.get(action="nomination_recuse")
    assert (event.actor, event.object_id, event.comment) == (world.expert, str(nomination.pk), REASON)
    assert event.changes == {"recusals.relation": "mentor"}
    told = Notification.objects.get(recipient=world.hq)
    assert "conflict of interest" in told.title and told.url == nomination.get_absolute_url()
    # It no longer scores the nominee: refused by the nominee's state (409), with the reason.
    before = rows()
    with pytest.raises(TransitionNotAllowed) as refused:
        services.scorecard_submit(actor=world.expert, nomination=nomination, scores=scores_for(campaign, [9, 9, 9]))
    assert "回避" in refused.value.messages[0]
    with pytest.raises(TransitionNotAllowed) as twice:
        recuse(nomination, world=world, relation="relative", reason="再次声明")
    assert "already declared" in twice.value.messages[0]
    assert rows() == before
    assert selectors.nominations_waiting_for(world.expert) == 0
    (row,) = selectors.scoring_queue(world.expert)
    assert (row.recused, row.own_unit, row.mine, row.declared_relation, row.declared_reason) == (
        True,
        False,
        False,
        "mentor",
        REASON,
    )


def test_a_declaration_after_scoring_withdraws_the_scorecard_and_the_mean_counts_the_others(world, panel):
    """Weights 40/40/20. The B1 expert's 90/80/70 (82.00) is withdrawn with its declaration; the
    A2 expert's 70/70/70 (70.00) remains; the HQ expert never scored. The mean is 70.00, exactly as
    if the B1 expert had been recused automatically; an automatic recusal beside it agrees."""
    campaign, nomination, second, _hq_expert = panel
    services.scorecard_submit(actor=world.expert, nomination=nomination, scores=scores_for(campaign, [90, 80, 70]))
    services.scorecard_submit(actor=second, nomination=nomination, scores=scores_for(campaign, [70, 70, 70]))
    (row,) = selectors.ranking(campaign)
    assert row.mean == Decimal("76.00")
    recusal = recuse(nomination, world=world, relation="colleague", reason="同一班组共事十年")
    assert recusal.withdrawn_total == Decimal("82.00")
    assert list(Scorecard.objects.values_list("expert", flat=True)) == [second.pk]
    assert ScoreItem.objects.count() == 3, "the withdrawn scorecard's items go with it"
    event = AuditEvent.objects.get(action="nomination_recuse")
    assert event.changes == {"recusals.relation": "colleague", "recusals.withdrawn_total": "82.00"}
    (row,) = selectors.ranking(campaign)
    assert (row.mean, row.rank) == (Decimal("70.00"), 1)
    assert selectors.expert_totals(campaign) == {(nomination.pk, second.pk): Decimal("70.00")}
    # The same figures with an automatic recusal: a nominee of B1, scored by A2 only.
    own_unit = nominate(campaign, world, unit=world.plant_b1)
    services.scorecard_submit(actor=second, nomination=own_unit, scores=scores_for(campaign, [70, 70, 70]))
    means = {r.pk: r.mean for r in selectors.ranking(campaign)}
    assert means[own_unit.pk] == means[nomination.pk] == Decimal("70.00")
    # HQ may still put the nominee to public notice: the remaining expert scored it.
    services.campaign_publicise(
        actor=world.hq,
        campaign=campaign,
        selected=[nomination],
        publicity_from=campaign.nominations_close_on,
        publicity_until=campaign.scoring_until,
    )


def test_who_may_declare_and_when(world, panel):
    campaign, nomination, _second, _hq_expert = panel
    before = rows()
    outsider = expert_in(world.plant_a1)  # not on the panel (and of the nominee's own unit)
    stranger = expert_in(UnitFactory(code="B2", parent=world.branch_b))  # not on the panel
    for actor in (outsider, stranger, world.hq, world.unit_cadre, world.viewer, world.studio_lead):
        with pytest.raises(PermissionDenied):
            recuse(nomination, actor, world=world)
    own_unit = nominate(campaign, world, unit=world.plant_b1)
    with pytest.raises(PermissionDenied):  # recused already, automatically
        recuse(own_unit, world=world)
    for relation, reason, field in (
        ("", REASON, "relation"),
        ("boss", REASON, "relation"),
        ("mentor", "", "reason"),
        ("mentor", " \n\u3000 ", "reason"),
        ("mentor", "长" * 2001, "reason"),
    ):
        with pytest.raises(ValidationError) as invalid:
            recuse(nomination, world=world, relation=relation, reason=reason)
        assert field in invalid.value.message_dict, (relation, reason)
    Campaign.objects.filter(pk=campaign.pk).update(
        status="publicised", publicity_from=campaign.scoring_until, publicity_until=campaign.scoring_until
    )
    with pytest.raises(TransitionNotAllowed) as refused:
        recuse(nomination, world=world)
    assert "can no longer be declared" in refused.value.messages[0]
    assert rows() == before, "nothing written, nothing audited"


def test_a_withdrawn_nomination_takes_no_declaration(world):
    campaign = make_campaign(world)
    nomination = nominate(campaign, world, status="withdrawn")
    with pytest.raises(PermissionDenied):
        recuse(nomination, world=world)
    assert not Recusal.objects.exists()


def test_a_declaration_while_open_counts_when_scoring_starts(world):
    """Declared before scoring starts: a nominee whom every other expert may not score stops the
    start like an automatic recusal does, until HQ assigns another expert."""
    campaign = make_campaign(world, experts=[world.expert])
    nomination = nominate(campaign, world)
    assert services.scoring_problems(campaign) == []
    recuse(nomination, world=world, relation="relative", reason="被推荐人是本人的表弟")
    (problem,) = services.scoring_problems(campaign)
    assert str(nomination.nominee) in problem and "declared a conflict of interest" in problem
    with pytest.raises(TransitionNotAllowed):
        services.campaign_start_scoring(actor=world.hq, campaign=campaign)
    services.panel_add(actor=world.hq, campaign=campaign, expert=expert_in(world.root))
    services.campaign_start_scoring(actor=world.hq, campaign=campaign)


def test_hq_is_told_when_nobody_of_the_panel_may_score_the_nominee_any_more(world):
    campaign = make_campaign(world, status="scoring", experts=[world.expert, expert_in(world.plant_a1)])
    nomination = nominate(campaign, world)  # A1: the second expert is of the nominee's own unit
    recuse(nomination, world=world)
    told = Notification.objects.get(recipient=world.hq)
    assert "assign another expert" in told.title and str(nomination.nominee) in told.title


# Pages ----------------------------------------------------------------------------------------------


def test_the_expert_declares_on_the_scoring_page_and_the_queue_shows_it(world, client_as, panel):
    campaign, nomination, _second, _hq_expert = panel
    client = client_as(world.expert)
    score_url = reverse("talent:nomination_score", args=[nomination.pk])
    recuse_url = reverse("talent:nomination_recuse", args=[nomination.pk])
    page = client.get(score_url).content.decode()
    assert 'data-testid="declare-recusal"' in page and f'action="{recuse_url}"' in page
    response = client.post(recuse_url, {"relation": "mentor", "reason": REASON})
    assert response.status_code == 302 and response["Location"] == reverse("talent:scoring_queue")
    queue = client.get(reverse("talent:scoring_queue"))
    assert [n.pk for n in queue.context["recused"]] == [nomination.pk] and not queue.context["to_score"]
    assert f'data-testid="declared-{nomination.pk}"' in queue.content.decode()
    assert score_url not in queue.content.decode(), "no scorecard is offered any more"
    scoring = client.get(score_url)
    assert scoring.context["my_recusal"] is not None and scoring.context["recusal_form"] is None
    assert 'data-testid="scorecard"' not in scoring.content.decode()
    data = {f"criterion_{c.pk}": "80" for c in campaign.criteria.all()}
    refused = client.post(score_url, data)
    assert refused.status_code == 409 and not Scorecard.objects.exists()
    again = client.post(recuse_url, {"relation": "colleague", "reason": "再次"})
    assert again.status_code == 409 and Recusal.objects.get().relation == "mentor"
    detail = client.get(nomination.get_absolute_url())
    assert not detail.context["can_score"] and not detail.context["can_recuse"]
    assert 'data-testid="my-recusal"' in detail.content.decode()
    campaign_page = client.get(campaign.get_absolute_url()).content.decode()
    assert score_url not in campaign_page


def test_bad_declarations_are_refused_next_to_the_field(world, client_as, panel):
    _campaign, nomination, _second, _hq_expert = panel
    client = client_as(world.expert)
    url = reverse("talent:nomination_recuse", args=[nomination.pk])
    for data, field in (
        ({"relation": "mentor", "reason": ""}, "reason"),
        ({"relation": "mentor", "reason": "\u3000"}, "reason"),
        ({"relation": "", "reason": REASON}, "relation"),
        ({"relation": "boss", "reason": REASON}, "relation"),
    ):
        response = client.post(url, data)
        assert response.status_code == 400 and field in response.context["form"].errors, data
    assert not Recusal.objects.exists()


def test_a_declaration_after_scoring_is_announced_and_hq_sees_who_and_why(world, client_as, panel):
    campaign, nomination, second, _hq_expert = panel
    score(nomination, world.expert, [90, 80, 70])
    score(nomination, second, [70, 70, 70])
    client = client_as(world.expert)
    url = reverse("talent:nomination_recuse", args=[nomination.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="withdraws-scorecard"' in page and "82.00" in page
    assert client.post(url, {"relation": "relative", "reason": "被推荐人是本人的外甥"}).status_code == 302
    hq = client_as(world.hq).get(nomination.get_absolute_url())
    (shown,) = hq.context["recusals"]
    assert (shown.expert, shown.reason) == (world.expert, "被推荐人是本人的外甥")
    text = hq.content.decode()
    assert 'data-testid="recusals"' in text and world.expert.display_name in text and "82.00" in text
    assert [c.expert for c in hq.context["scorecards"]] == [second]
    assert "nomination_recuse" in [e.action for e in hq.context["history"]]
    ranking = client_as(world.hq).get(reverse("talent:campaign_ranking", args=[campaign.pk]))
    (row,) = ranking.context["rows"]
    assert row.cells == [(None, "declared"), (Decimal("70.00"), None), (None, None)]
    assert 'data-testid="declared-cell"' in ranking.content.decode()
    export = client_as(world.hq).get(reverse("talent:campaign_ranking_export", args=[campaign.pk]))
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [cell.value for cell in sheet[2]][3:7] == ["Recused (回避)", 70, None, 70]
    # Leadership sees the declaration (it sees the panel) but no individual scores.
    viewer = client_as(world.viewer).get(nomination.get_absolute_url())
    assert len(viewer.context["recusals"]) == 1 and "82.00" not in viewer.content.decode()
    # The nominating cadre sees neither the declaration nor who made it, not even in the history.
    cadre = client_as(world.unit_cadre).get(nomination.get_absolute_url())
    assert cadre.context["recusals"] is None
    assert "nomination_recuse" not in [e.action for e in cadre.context["history"]]
    assert world.expert.display_name not in cadre.content.decode()
