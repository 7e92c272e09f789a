"""Selection campaigns: every service step and refusal, the conflict-of-interest rule both ways,
the quota, the ranking against a hand computation, closing that awards exactly once, withdrawal,
and who sees what."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.choices import Role
from achievements.models import Award
from core.exceptions import TransitionNotAllowed
from core.models import AuditEvent, Notification
from talent import selectors, services
from talent.models import Campaign, Criterion, Honour, Nomination, PanelMember, Scorecard, ScoreItem
from talent.policies import conflict_q, units_conflict

from ..bad_input import today
from ..factories import PersonFactory, UnitFactory, UserFactory
from .campaign_fixtures import make_campaign, nominate, score, verified_result

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
DAY = datetime.timedelta(days=1)


def in_days(n):
    """A parameter: the date `n` days from today, worked out when the test runs (a full run may
    cross midnight, and the services read the date then)."""
    return lambda: today() + n * DAY


def in_years(n):
    """A parameter: this year plus `n`, worked out when the test runs."""
    return lambda: today().year + n


def new_campaign(world, actor=None, **fields):
    values = {
        "kind": "craftsman",
        "name": "第三届信赖工匠评选",
        "year": today().year,
        "honour_title": "信赖工匠",
        "honour_kind": "craftsman",
        "honour_level": "company",
        "quota": 2,
        "nominations_close_on": today() + 10 * DAY,
        "scoring_until": today() + 30 * DAY,
    }
    values.update(fields)
    return services.campaign_create(actor=actor or world.hq, **values)


def expert_in(unit, username=None):
    return UserFactory(role=Role.EXPERT, unit=unit, **({"username": username} if username else {}))


def scores_for(campaign, values):
    return dict(zip(campaign.criteria.order_by("order", "id"), values, strict=True))


def rows():
    return (
        Campaign.objects.count(),
        Nomination.objects.count(),
        Scorecard.objects.count(),
        ScoreItem.objects.count(),
        Honour.objects.count(),
        Award.objects.count(),
    )


# Opening and editing -------------------------------------------------------------------------------


def test_hq_opens_a_campaign_and_only_hq(world):
    campaign = new_campaign(world, name="  第三届信赖工匠评选 ")
    assert (campaign.name, campaign.status, campaign.created_by) == ("第三届信赖工匠评选", "open", world.hq)
    assert AuditEvent.objects.filter(object_id=str(campaign.pk), action="campaign_create").exists()
    for actor in (world.unit_cadre, world.viewer, world.expert, world.studio_lead):
        with pytest.raises(PermissionDenied):
            new_campaign(world, actor=actor, name="x")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "第三届信赖工匠评选"}, "name"),  # taken (created first below)
        ({"name": "  "}, "name"),
        ({"honour_title": ""}, "honour_title"),
        ({"honour_kind": ""}, "honour_kind"),
        ({"award_grade": "一等奖"}, "award_grade"),
        ({"kind": "result", "honour_kind": "craftsman"}, "honour_kind"),
        ({"kind": "lottery"}, "kind"),
        ({"year": 1949}, "year"),
        ({"year": in_years(2)}, "year"),
        ({"quota": 0}, "quota"),
        ({"quota": 1001}, "quota"),
        ({"scoring_until": in_days(5)}, "scoring_until"),
        ({"nominations_close_on": in_days(-1), "scoring_until": in_days(0)}, "nominations_close_on"),
        ({"publicity_from": in_days(40)}, "publicity_until"),
        ({"publicity_until": in_days(40)}, "publicity_from"),
        ({"publicity_from": in_days(40), "publicity_until": in_days(35)}, "publicity_until"),
        ({"publicity_from": in_days(20), "publicity_until": in_days(35)}, "publicity_from"),
    ],
)
def test_campaign_fields_are_checked(world, fields, field):
    fields = {key: value() if callable(value) else value for key, value in fields.items()}
    new_campaign(world)
    before = rows()
    with pytest.raises(ValidationError) as refused:
        new_campaign(world, **{"name": "另一届", **fields})
    assert field in refused.value.error_dict
    assert rows() == before


def test_a_campaign_is_edited_while_open_only_and_keeps_its_kind(world):
    campaign = new_campaign(world)
    services.campaign_update(actor=world.hq, campaign=campaign, kind="result", quota=3, name="改名")
    campaign.refresh_from_db()
    assert (campaign.kind, campaign.quota, campaign.name) == ("craftsman", 3, "改名")
    event = AuditEvent.objects.get(object_id=str(campaign.pk), action="campaign_update")
    assert event.changes["quota"] == [2, 3]
    with pytest.raises(PermissionDenied):
        services.campaign_update(actor=world.unit_cadre, campaign=campaign, quota=5)
    Campaign.objects.filter(pk=campaign.pk).update(status="scoring")
    with pytest.raises(TransitionNotAllowed):
        services.campaign_update(actor=world.hq, campaign=campaign, quota=5)


# Criteria ------------------------------------------------------------------------------------------


def test_criteria_weights_never_exceed_100_and_freeze_once_scoring(world):
    campaign = new_campaign(world)
    first = services.criterion_add(actor=world.hq, campaign=campaign, name="技能", weight=60)
    with pytest.raises(ValidationError) as refused:
        services.criterion_add(actor=world.hq, campaign=campaign, name="创新", weight=50)
    assert "110" in refused.value.message_dict["weight"][0]
    with pytest.raises(ValidationError):
        services.criterion_add(actor=world.hq, campaign=campaign, name=" 技能 ", weight=10)
    with pytest.raises(ValidationError):
        services.criterion_add(actor=world.hq, campaign=campaign, name="零", weight=0)
    second = services.criterion_add(actor=world.hq, campaign=campaign, name="创新", weight=40)
    assert selectors.weight_total(campaign) == 100
    services.criterion_update(actor=world.hq, criterion=first, weight=50)
    with pytest.raises(ValidationError):
        services.criterion_update(actor=world.hq, criterion=second, weight=51)
    with pytest.raises(ValidationError):
        services.criterion_update(actor=world.hq, criterion=second, name="技能")
    with pytest.raises(PermissionDenied):
        services.criterion_add(actor=world.unit_cadre, campaign=campaign, name="x", weight=1)
    services.criterion_delete(actor=world.hq, criterion=second)
    assert list(campaign.criteria.values_list("name", "weight")) == [("技能", 50)]
    Campaign.objects.filter(pk=campaign.pk).update(status="scoring")
    with pytest.raises(TransitionNotAllowed):
        services.criterion_add(actor=world.hq, campaign=campaign, name="新", weight=10)
    with pytest.raises(TransitionNotAllowed):
        services.criterion_update(actor=world.hq, criterion=first, weight=40)
    with pytest.raises(TransitionNotAllowed):
        services.criterion_delete(actor=world.hq, criterion=first)


# The panel -----------------------------------------------------------------------------------------


def test_hq_assigns_experts_who_are_told(world):
    campaign = new_campaign(world)
    member = services.panel_add(actor=world.hq, campaign=campaign, expert=world.expert)
    assert Notification.objects.filter(recipient=world.expert).exists()
    with pytest.raises(ValidationError):
        services.panel_add(actor=world.hq, campaign=campaign, expert=world.expert)
    with pytest.raises(ValidationError):
        services.panel_add(actor=world.hq, campaign=campaign, expert=world.unit_cadre)
    retired = expert_in(world.plant_a1)
    retired.is_active = False
    retired.save()
    with pytest.raises(ValidationError):
        services.panel_add(actor=world.hq, campaign=campaign, expert=retired)
    with pytest.raises(PermissionDenied):
        services.panel_add(actor=world.viewer, campaign=campaign, expert=expert_in(world.plant_a1))
    services.panel_remove(actor=world.hq, member=member)
    assert not PanelMember.objects.filter(campaign=campaign).exists()


def test_an_expert_who_has_scored_stays_on_the_panel(world):
    campaign = make_campaign(world, status="scoring")
    nomination = nominate(campaign, world)
    score(nomination, world.expert, [80, 80, 80])
    with pytest.raises(TransitionNotAllowed):
        services.panel_remove(actor=world.hq, member=campaign.panel.get())
    Campaign.objects.filter(pk=campaign.pk).update(
        status="publicised", publicity_from=campaign.nominations_close_on, publicity_until=campaign.scoring_until
    )
    with pytest.raises(TransitionNotAllowed):
        services.panel_add(actor=world.hq, campaign=campaign, expert=expert_in(world.plant_a1))


# Nominations ---------------------------------------------------------------------------------------


def test_a_cadre_nominates_people_of_its_subtree_once(world):
    campaign = make_campaign(world)
    person = PersonFactory(unit=world.plant_a1)
    nomination = services.nomination_create(
        actor=world.unit_cadre, campaign=campaign, person=person, statement="  事迹  "
    )
    assert (nomination.unit, nomination.nominated_by, nomination.statement) == (
        world.plant_a1,
        world.unit_cadre,
        "事迹",
    )
    with pytest.raises(ValidationError) as twice:
        services.nomination_create(actor=world.hq, campaign=campaign, person=person, statement="再推")
    assert "person" in twice.value.error_dict
    outsider = PersonFactory(unit=world.plant_b1)
    with pytest.raises(ValidationError):
        services.nomination_create(actor=world.unit_cadre, campaign=campaign, person=outsider, statement="x")
    assert services.nomination_create(actor=world.hq, campaign=campaign, person=outsider, statement="x").unit == (
        world.plant_b1
    )
    with pytest.raises(ValidationError):
        services.nomination_create(
            actor=world.unit_cadre, campaign=campaign, person=PersonFactory(unit=world.plant_a1), statement=" "
        )
    for actor in (world.viewer, world.expert, world.studio_lead):
        with pytest.raises(PermissionDenied):
            services.nomination_create(actor=actor, campaign=campaign, person=PersonFactory(), statement="x")


def test_nominations_close_on_their_date_for_cadres_but_hq_may_still_add(world):
    campaign = make_campaign(world, nominations_close_on=today() - DAY)
    with pytest.raises(TransitionNotAllowed):
        services.nomination_create(
            actor=world.unit_cadre, campaign=campaign, person=PersonFactory(unit=world.plant_a1), statement="迟到"
        )
    services.nomination_create(
        actor=world.hq, campaign=campaign, person=PersonFactory(unit=world.plant_a1), statement="补报"
    )
    Campaign.objects.filter(pk=campaign.pk).update(status="scoring")
    with pytest.raises(TransitionNotAllowed):
        services.nomination_create(actor=world.hq, campaign=campaign, person=PersonFactory(), statement="x")


def test_a_holder_of_the_honour_for_that_year_is_not_nominated(world):
    campaign = make_campaign(world)
    person = PersonFactory(unit=world.plant_a1)
    Honour.objects.create(person=person, kind="craftsman", level="company", title="信赖工匠", year=today().year)
    with pytest.raises(ValidationError):
        services.nomination_create(actor=world.unit_cadre, campaign=campaign, person=person, statement="x")


def test_a_result_selection_takes_verified_results_of_the_subtree(world):
    campaign = make_campaign(world, kind="result", award_grade="一等奖")
    result = verified_result(world)
    nomination = services.nomination_create(
        actor=world.unit_cadre, campaign=campaign, result=result, statement="效益好"
    )
    assert nomination.unit == world.plant_a1 and nomination.person is None
    with pytest.raises(ValidationError):
        services.nomination_create(actor=world.hq, campaign=campaign, result=result, statement="x")
    draft = verified_result(world, title="草稿成果")
    draft.status = "submitted"
    draft.save()
    with pytest.raises(ValidationError):
        services.nomination_create(actor=world.hq, campaign=campaign, result=draft, statement="x")
    with pytest.raises(ValidationError):
        services.nomination_create(
            actor=world.unit_cadre, campaign=campaign, result=verified_result(world, world.plant_b1), statement="x"
        )
    with pytest.raises(ValidationError) as wrong_kind:
        services.nomination_create(actor=world.hq, campaign=campaign, person=PersonFactory(), statement="x")
    assert "result" in wrong_kind.value.error_dict
    craftsman = make_campaign(world)
    with pytest.raises(ValidationError) as wrong_kind:
        services.nomination_create(actor=world.hq, campaign=craftsman, result=result, statement="x")
    assert "person" in wrong_kind.value.error_dict


def test_withdrawal_while_open_with_a_reason_and_renomination(world):
    campaign = make_campaign(world)
    person = PersonFactory(unit=world.plant_a1)
    nomination = services.nomination_create(actor=world.hq, campaign=campaign, person=person, statement="x")
    with pytest.raises(PermissionDenied):
        services.nomination_withdraw(actor=world.unit_cadre_other, nomination=nomination, reason="不是我的")
    with pytest.raises(ValidationError):
        services.nomination_withdraw(actor=world.unit_cadre, nomination=nomination, reason=" ")
    services.nomination_withdraw(actor=world.unit_cadre, nomination=nomination, reason="本人调岗")
    nomination.refresh_from_db()
    assert (nomination.status, nomination.withdrawn_reason) == ("withdrawn", "本人调岗")
    assert Notification.objects.filter(recipient=world.hq, url=nomination.get_absolute_url()).exists(), "told"
    with pytest.raises(TransitionNotAllowed):
        services.nomination_withdraw(actor=world.unit_cadre, nomination=nomination, reason="再撤")
    again = services.nomination_create(actor=world.unit_cadre, campaign=campaign, person=person, statement="重新推荐")
    Campaign.objects.filter(pk=campaign.pk).update(status="scoring")
    with pytest.raises(TransitionNotAllowed):
        services.nomination_withdraw(actor=world.unit_cadre, nomination=again, reason="晚了")


def test_the_database_keeps_one_live_nomination_per_nominee(world):
    campaign = make_campaign(world)
    person = PersonFactory(unit=world.plant_a1)
    nominate(campaign, world, person=person, status="withdrawn")
    nominate(campaign, world, person=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        nominate(campaign, world, person=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(
            campaign=campaign, person=person, result=verified_result(world), unit=world.plant_a1, statement="x"
        )


# Starting the scoring ------------------------------------------------------------------------------


def test_scoring_starts_once_everything_is_ready(world):
    campaign = make_campaign(world, criteria=(("技能", 60),), experts=[])
    with pytest.raises(TransitionNotAllowed) as refused:
        services.campaign_start_scoring(actor=world.hq, campaign=campaign)
    assert len(refused.value.messages) == 3  # no nomination, weights 60, no expert
    nominate(campaign, world, unit=world.plant_b1)
    Criterion.objects.create(campaign=campaign, name="创新", weight=40)
    services.panel_add(actor=world.hq, campaign=campaign, expert=world.expert)
    with pytest.raises(TransitionNotAllowed) as refused:
        services.campaign_start_scoring(actor=world.hq, campaign=campaign)
    (message,) = refused.value.messages
    assert str(Nomination.objects.get().nominee) in message and "Assign an expert of another unit" in message
    services.panel_add(actor=world.hq, campaign=campaign, expert=expert_in(world.plant_a1))
    with pytest.raises(PermissionDenied):
        services.campaign_start_scoring(actor=world.unit_cadre, campaign=campaign)
    services.campaign_start_scoring(actor=world.hq, campaign=campaign, comment="按期开始")
    campaign.refresh_from_db()
    assert campaign.status == "scoring"
    assert campaign.nominations_close_on == today(), "starting early closes the nominations today"
    assert Notification.objects.filter(recipient=world.expert, url="/talent/scoring/").exists()
    with pytest.raises(TransitionNotAllowed):
        services.campaign_start_scoring(actor=world.hq, campaign=campaign)


# Conflict of interest ------------------------------------------------------------------------------


def test_units_conflict_both_ways_and_never_through_the_top_unit(world):
    b1, branch_b, a1, root = world.plant_b1, world.branch_b, world.plant_a1, world.root
    assert units_conflict(b1, b1)
    assert units_conflict(branch_b, b1), "an expert of the subsidiary is conflicted with its plants"
    assert units_conflict(b1, branch_b), "an expert of a plant is conflicted with its subsidiary's own nominees"
    assert not units_conflict(b1, a1) and not units_conflict(a1, b1)
    sibling = UnitFactory(code="B2", parent=branch_b)
    assert not units_conflict(b1, sibling), "two plants of one subsidiary are not conflicted"
    assert not units_conflict(root, b1) and not units_conflict(b1, root), "HQ is no one's conflict"
    assert units_conflict(root, root)


def test_conflict_q_matches_units_conflict_for_every_pair(world):
    """The database form of the rule (used for scopes and the queue) agrees with the Python one
    for every expert unit × nominee unit of a tree with four levels."""
    from accounts.models import Unit

    UnitFactory(code="B1W", parent=world.plant_b1)
    UnitFactory(code="A2", parent=world.branch_a)
    units = list(Unit.objects.all())
    campaign = make_campaign(world)
    nominations = {unit.pk: nominate(campaign, world, unit=unit) for unit in units}
    for expert_unit in units:
        user = UserFactory(role=Role.EXPERT, unit=expert_unit)
        matched = set(Nomination.objects.filter(conflict_q(user, "unit")).values_list("pk", flat=True))
        expected = {nominations[u.pk].pk for u in units if units_conflict(expert_unit, u)}
        assert matched == expected, expert_unit


def test_an_expert_never_scores_a_nominee_of_its_own_unit(world):
    hq_expert = expert_in(world.root)
    campaign = make_campaign(world, status="scoring", experts=[world.expert, hq_expert])
    own_plant = nominate(campaign, world, unit=world.plant_b1)
    own_company = nominate(campaign, world, unit=world.branch_b)
    other = nominate(campaign, world, unit=world.plant_a1)
    for nomination in (own_plant, own_company):
        with pytest.raises(PermissionDenied) as refused:
            services.scorecard_submit(
                actor=world.expert, nomination=nomination, scores=scores_for(campaign, [90, 90, 90])
            )
        assert "回避" in str(refused.value)
    assert not Scorecard.objects.exists()
    services.scorecard_submit(actor=world.expert, nomination=other, scores=scores_for(campaign, [90, 90, 90]))
    services.scorecard_submit(actor=hq_expert, nomination=own_plant, scores=scores_for(campaign, [70, 70, 70]))
    assert Scorecard.objects.count() == 2


def test_only_the_panel_scores_while_scoring_and_revisions_are_audited(world):
    campaign = make_campaign(world, status="scoring")
    nomination = nominate(campaign, world)
    outsider = expert_in(world.plant_a1)
    with pytest.raises(PermissionDenied):
        services.scorecard_submit(actor=outsider, nomination=nomination, scores=scores_for(campaign, [1, 1, 1]))
    with pytest.raises(PermissionDenied):
        services.scorecard_submit(actor=world.hq, nomination=nomination, scores=scores_for(campaign, [1, 1, 1]))
    for bad in ([101, 50, 50], [-1, 50, 50], [50, 50, None], [50.5, 50, 50], [True, 50, 50]):
        with pytest.raises(ValidationError):
            services.scorecard_submit(actor=world.expert, nomination=nomination, scores=scores_for(campaign, bad))
    with pytest.raises(ValidationError):
        services.scorecard_submit(actor=world.expert, nomination=nomination, scores={})
    card = services.scorecard_submit(
        actor=world.expert, nomination=nomination, scores=scores_for(campaign, [90, 80, 70]), comment="好"
    )
    revised = services.scorecard_submit(
        actor=world.expert, nomination=nomination, scores=scores_for(campaign, [60, 60, 60]), comment="复核"
    )
    assert revised.pk == card.pk and Scorecard.objects.count() == 1 and ScoreItem.objects.count() == 3
    assert sorted(ScoreItem.objects.values_list("score", flat=True)) == [60, 60, 60]
    event = AuditEvent.objects.get(action="scorecard_revise")
    assert event.changes["total"] == ["82", "60"]
    Campaign.objects.filter(pk=campaign.pk).update(
        status="publicised", publicity_from=campaign.scoring_until, publicity_until=campaign.scoring_until
    )
    with pytest.raises(TransitionNotAllowed):
        services.scorecard_submit(actor=world.expert, nomination=nomination, scores=scores_for(campaign, [1, 1, 1]))


# Ranking -------------------------------------------------------------------------------------------


def test_ranking_is_the_weighted_sum_by_hand_with_several_experts(world):
    """Weights 40/40/20. By hand:
    A: e1 90,80,70 → 82.00; e2 85,95,60 → 84.00; e3 70,75,88 → 75.60; mean 241.60/3 = 80.53
    B: e1 100,60,50 → 74.00; e2 80,80,80 → 80.00;                      mean 154.00/2 = 77.00
    C: e1 81,80,75 → 79.40; e2 80,82,77 → 80.20; e3 75,85,81 → 80.20;  mean 239.80/3 = 79.93
    D: not scored → no mean, no rank.
    """
    sibling = UnitFactory(code="A2", parent=world.branch_a)  # not conflicted with A1
    e1, e2, e3 = world.expert, expert_in(sibling), expert_in(world.root)
    campaign = make_campaign(world, status="scoring", experts=[e1, e2, e3], quota=2)
    a, b, c, d = (nominate(campaign, world, unit=world.plant_a1) for _ in range(4))
    for nomination, cards in (
        (a, {e1: [90, 80, 70], e2: [85, 95, 60], e3: [70, 75, 88]}),
        (b, {e1: [100, 60, 50], e2: [80, 80, 80]}),
        (c, {e1: [81, 80, 75], e2: [80, 82, 77], e3: [75, 85, 81]}),
    ):
        for expert, values in cards.items():
            services.scorecard_submit(actor=expert, nomination=nomination, scores=scores_for(campaign, values))
    ranked = selectors.ranking(campaign)
    assert [(r.pk, r.mean, r.rank) for r in ranked] == [
        (a.pk, Decimal("80.53"), 1),
        (c.pk, Decimal("79.93"), 2),
        (b.pk, Decimal("77.00"), 3),
        (d.pk, None, None),
    ]
    totals = selectors.expert_totals(campaign)
    assert totals[(a.pk, e3.pk)] == Decimal("75.60")
    assert totals[(c.pk, e2.pk)] == totals[(c.pk, e3.pk)] == Decimal("80.20")
    assert (b.pk, e3.pk) not in totals


def test_equal_means_share_a_rank(world):
    e1, e2 = world.expert, expert_in(world.plant_a1)
    campaign = make_campaign(world, status="scoring", experts=[e1, e2])
    x, y, z = (nominate(campaign, world) for _ in range(3))
    score(x, e1, [80, 80, 80])  # 80.00
    score(y, e1, [90, 70, 80])  # 36 + 28 + 16 = 80.00
    score(z, e1, [100, 100, 100])
    assert [(r.pk, r.rank) for r in selectors.ranking(campaign)] == [(z.pk, 1), (x.pk, 2), (y.pk, 2)]


def test_ranking_query_count_does_not_grow(world, django_assert_num_queries):
    campaign = make_campaign(world, status="scoring")
    for _ in range(2):
        score(nominate(campaign, world), world.expert, [50, 60, 70])
    with django_assert_num_queries(1):
        selectors.ranking(campaign)
    for _ in range(5):
        score(nominate(campaign, world), world.expert, [90, 60, 70])
    with django_assert_num_queries(1):
        assert len(selectors.ranking(campaign)) == 7
    with django_assert_num_queries(1):
        selectors.expert_totals(campaign)


# Public notice -------------------------------------------------------------------------------------


def scored_campaign(world, quota=2, count=3):
    campaign = make_campaign(world, status="scoring", quota=quota, nominations_close_on=today() - 5 * DAY)
    nominations = [nominate(campaign, world) for _ in range(count)]
    for index, nomination in enumerate(nominations):
        score(nomination, world.expert, [90 - index, 80, 70])
    return campaign, nominations


def test_publicity_takes_at_most_the_quota_of_scored_nominees(world):
    campaign, (a, b, c) = scored_campaign(world, quota=2)
    unscored = nominate(campaign, world)
    start, end = today(), today() + 6 * DAY

    def publicise(selected, **dates):
        return services.campaign_publicise(
            actor=world.hq,
            campaign=campaign,
            selected=selected,
            publicity_from=dates.get("start", start),
            publicity_until=dates.get("end", end),
        )

    for selected, dates, field in (
        ([a, b, c], {}, "selected"),
        ([], {}, "selected"),
        ([a, unscored], {}, "selected"),
        ([a], {"start": today() - 30 * DAY}, "publicity_from"),
        ([a], {"end": start - DAY}, "publicity_until"),
        ([a], {"start": None}, "publicity_from"),
    ):
        with pytest.raises(ValidationError) as refused:
            publicise(selected, **dates)
        assert field in refused.value.error_dict, (selected, dates)
    other = make_campaign(world, status="scoring")
    with pytest.raises(ValidationError):
        publicise([nominate(other, world)])
    with pytest.raises(PermissionDenied):
        services.campaign_publicise(
            actor=world.viewer, campaign=campaign, selected=[a], publicity_from=start, publicity_until=end
        )
    publicise([a, b])
    campaign.refresh_from_db()
    assert (campaign.status, campaign.publicity_from, campaign.publicity_until) == ("publicised", start, end)
    assert set(Nomination.objects.filter(proposed=True).values_list("pk", flat=True)) == {a.pk, b.pk}
    assert Notification.objects.filter(recipient=world.unit_cadre, url=campaign.get_absolute_url()).exists()
    with pytest.raises(TransitionNotAllowed):
        publicise([a])


# Closing -------------------------------------------------------------------------------------------


def publicised(world, **kwargs):
    campaign, nominations = scored_campaign(world, **kwargs)
    services.campaign_publicise(
        actor=world.hq, campaign=campaign, selected=nominations[:2], publicity_from=today(), publicity_until=today()
    )
    return campaign, nominations


def test_closing_before_the_public_notice_ends_is_refused(world):
    campaign, _nominations = scored_campaign(world)
    with pytest.raises(TransitionNotAllowed):
        services.campaign_close(actor=world.hq, campaign=campaign)  # still in scoring
    services.campaign_publicise(
        actor=world.hq,
        campaign=campaign,
        selected=_nominations[:1],
        publicity_from=today(),
        publicity_until=today() + DAY,
    )
    before = rows()
    with pytest.raises(TransitionNotAllowed):
        services.campaign_close(actor=world.hq, campaign=campaign)
    with pytest.raises(PermissionDenied):
        services.campaign_close(actor=world.unit_cadre, campaign=campaign)
    assert rows() == before


def test_closing_awards_exactly_the_selected_honours_once(world):
    campaign, (a, b, c) = publicised(world)
    a.person.user = world.target_lead
    a.person.save()
    services.campaign_close(actor=world.hq, campaign=campaign, comment="公示无异议")
    campaign.refresh_from_db()
    assert (campaign.status, campaign.closed_on) == ("closed", today())
    assert {n.pk: n.status for n in Nomination.objects.all()} == {
        a.pk: "selected",
        b.pk: "selected",
        c.pk: "not_selected",
    }
    honours = Honour.objects.filter(campaign=campaign)
    assert sorted(honours.values_list("person", flat=True)) == sorted([a.person_id, b.person_id])
    honour = honours.get(person=a.person)
    assert (honour.title, honour.kind, honour.level, honour.year) == ("信赖工匠", "craftsman", "company", today().year)
    assert honour.issuer == (world.root.union_name or world.root.name)
    assert AuditEvent.objects.filter(object_id=str(a.person_id), action="honour_add").exists()
    assert Notification.objects.filter(recipient=world.target_lead, title__contains="信赖工匠").exists()
    before = rows()
    with pytest.raises(TransitionNotAllowed):
        services.campaign_close(actor=world.hq, campaign=campaign)
    assert rows() == before
    assert Honour.objects.filter(campaign=campaign).count() == 2
    # The database refuses a second award of the same campaign to the same person.
    with pytest.raises(IntegrityError), transaction.atomic():
        Honour.objects.create(
            person=a.person, campaign=campaign, kind="craftsman", level="company", title="别名", year=2020
        )


def test_closing_links_an_honour_already_recorded_by_hand(world):
    campaign, (a, _b, _c) = publicised(world)
    manual = Honour.objects.create(
        person=a.person, kind="craftsman", level="company", title="信赖工匠", year=today().year
    )
    services.campaign_close(actor=world.hq, campaign=campaign)
    manual.refresh_from_db()
    assert manual.campaign == campaign
    assert Honour.objects.filter(person=a.person).count() == 1


def test_two_campaigns_giving_the_same_title_in_a_year_award_it_once_and_both_close(world):
    first, (a, _b, _c) = publicised(world)
    second = make_campaign(world, status="scoring", quota=1, nominations_close_on=today() - 5 * DAY)
    again = nominate(second, world, person=a.person)
    score(again, world.expert, [90, 90, 90])
    services.campaign_publicise(
        actor=world.hq, campaign=second, selected=[again], publicity_from=today(), publicity_until=today()
    )
    services.campaign_close(actor=world.hq, campaign=first)
    services.campaign_close(actor=world.hq, campaign=second)
    second.refresh_from_db()
    assert second.status == "closed"
    assert Honour.objects.filter(person=a.person, title="信赖工匠", year=today().year).count() == 1


def test_a_result_selection_awards_its_results_once(world):
    campaign = make_campaign(
        world, kind="result", status="scoring", award_grade="一等奖", quota=1, nominations_close_on=today() - DAY
    )
    won, lost = (nominate(campaign, world, result=verified_result(world, title=t)) for t in ("甲成果", "乙成果"))
    score(won, world.expert, [95, 95, 95])
    score(lost, world.expert, [60, 60, 60])
    services.campaign_publicise(
        actor=world.hq, campaign=campaign, selected=[won], publicity_from=today(), publicity_until=today()
    )
    services.campaign_close(actor=world.hq, campaign=campaign)
    award = Award.objects.get(campaign=campaign)
    assert (award.result_id, award.name, award.grade, award.level, award.year) == (
        won.result_id,
        "优秀创新成果",
        "一等奖",
        "company",
        today().year,
    )
    with pytest.raises(TransitionNotAllowed):
        services.campaign_close(actor=world.hq, campaign=campaign)
    assert Award.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.create(result=won.result, campaign=campaign, name="别名", level="company", year=2020)


def test_an_awarded_honour_is_not_removed_by_hand(world):
    campaign, (a, _b, _c) = publicised(world)
    services.campaign_close(actor=world.hq, campaign=campaign)
    honour = Honour.objects.get(campaign=campaign, person=a.person)
    with pytest.raises(ValidationError):
        services.honour_remove(actor=world.hq, honour=honour)
    assert Honour.objects.filter(pk=honour.pk).exists()


# Who sees what --------------------------------------------------------------------------------------


def test_nominations_are_scoped_by_role(world):
    campaign = make_campaign(world, status="scoring")
    a1 = nominate(campaign, world, unit=world.plant_a1)
    b1 = nominate(campaign, world, unit=world.plant_b1, by=world.unit_cadre_other)
    gone = nominate(campaign, world, unit=world.plant_a1, status="withdrawn")

    def seen(user):
        return set(Nomination.objects.visible_to(user).values_list("pk", flat=True))

    assert seen(world.hq) == seen(world.viewer) == {a1.pk, b1.pk, gone.pk}
    assert seen(world.unit_cadre) == {a1.pk, gone.pk}
    assert seen(world.unit_cadre_other) == {b1.pk}
    assert seen(world.studio_lead) == set()
    assert seen(world.expert) == {a1.pk}, "not its own unit's nominee, not the withdrawn one"
    assert seen(expert_in(world.plant_a1)) == set(), "not on the panel"
    Campaign.objects.filter(pk=campaign.pk).update(
        status="publicised", publicity_from=campaign.scoring_until, publicity_until=campaign.scoring_until
    )
    Nomination.objects.filter(pk=a1.pk).update(proposed=True)
    assert seen(world.unit_cadre_other) == {a1.pk, b1.pk}, "the published selection"
    assert seen(world.studio_lead) == {a1.pk}


def test_totals_and_individual_scores_are_seen_by_the_right_roles(world):
    from core.permissions import can

    campaign = make_campaign(world, status="scoring")
    assert can(world.hq, "view_scores", campaign) and not can(world.viewer, "view_scores", campaign)
    assert can(world.viewer, "view_totals", campaign)
    assert not can(world.unit_cadre, "view_totals", campaign) and not can(world.expert, "view_totals", campaign)
    campaign.status = "publicised"
    assert can(world.unit_cadre, "view_totals", campaign) and can(world.studio_lead, "view_totals", campaign)
    assert not can(world.expert, "view_totals", campaign)
    assert set(Campaign.objects.visible_to(world.expert)) == {campaign}
    make_campaign(world, experts=[])
    assert Campaign.objects.visible_to(world.expert).count() == 1
    assert Campaign.objects.visible_to(world.studio_lead).count() == 2
    card = score(nominate(campaign, world), world.expert, [1, 2, 3])
    assert set(Scorecard.objects.visible_to(world.expert)) == {card}
    assert not Scorecard.objects.visible_to(world.viewer).exists()
    assert not Scorecard.objects.visible_to(expert_in(world.plant_a1)).exists()
