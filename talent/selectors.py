"""Scoped and aggregated reads of the people registry and the selection campaigns.

Scores are aggregated by the database: a scorecard's weighted total is Σ(weight × score) / 100
over its items, and a nominee's result is the mean of its scorecards' totals, which (every
scorecard scoring every criterion) equals Σ(weight × score) over all its items / (100 × cards).
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, Exists, F, FloatField, IntegerField, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone

from .choices import LIVE_NOMINATION_STATES, CampaignStatus, NominationStatus
from .models import (
    Campaign,
    Criterion,
    Honour,
    Nomination,
    PanelMember,
    Person,
    Recusal,
    Scorecard,
    ScoreItem,
    SkillGradeChange,
)
from .policies import conflict_q, panel_campaigns, units_conflict

CENT = Decimal("0.01")
CHOICE_LIMIT = 20  # people or results offered at once on a nomination form


def person_list(user):
    return Person.objects.visible_to(user).select_related("unit")


def person_choices(user):
    return Person.objects.visible_to(user).select_related("unit").order_by("name")


# Campaigns ----------------------------------------------------------------------------------------


def _subquery_count(queryset, key: str):
    """A correlated COUNT(*) (no row multiplication from joins)."""
    return Coalesce(
        Subquery(queryset.order_by().values(key).annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def campaign_list(user):
    live = Nomination.objects.filter(campaign=OuterRef("pk"), status__in=LIVE_NOMINATION_STATES)
    return (
        Campaign.objects.visible_to(user)
        .annotate(nomination_count=_subquery_count(live, "campaign"))
        .order_by("-year", "-id")
    )


def weight_total(campaign) -> int:
    return Criterion.objects.filter(campaign=campaign).aggregate(total=Coalesce(Sum("weight"), 0))["total"]


def criteria_of(campaign) -> list[Criterion]:
    return list(Criterion.objects.filter(campaign=campaign).order_by("order", "id"))


def panel_of(campaign):
    return PanelMember.objects.filter(campaign=campaign).select_related("expert", "expert__unit").order_by("id")


def with_scores(queryset):
    """Nominations annotated with `card_count` (scorecards), `score_sum` (Σ weight × score over
    their items) and `mean_order` (the exact mean, for ordering; NULL before any scorecard)."""
    cards = Scorecard.objects.filter(nomination=OuterRef("pk"))
    items = (
        ScoreItem.objects.filter(scorecard__nomination=OuterRef("pk"))
        .order_by()
        .values("scorecard__nomination")
        .annotate(total=Sum(F("score") * F("criterion__weight")))
        .values("total")[:1]
    )
    return queryset.annotate(
        card_count=_subquery_count(cards, "nomination"),
        score_sum=Coalesce(Subquery(items), Value(0), output_field=IntegerField()),
    ).annotate(
        mean_order=Cast("score_sum", FloatField()) / NullIf(Cast(F("card_count") * 100, FloatField()), Value(0.0))
    )


def mean_score(nomination) -> Decimal | None:
    """A nominee's result from the annotations of `with_scores`: the mean of the scorecards'
    weighted totals, to two places."""
    count = getattr(nomination, "card_count", 0)
    if not count:
        return None
    return (Decimal(nomination.score_sum) / Decimal(100 * count)).quantize(CENT, rounding=ROUND_HALF_UP)


def campaign_nominations(user, campaign, *, declared_by=None):
    """The nominations of a campaign that `user` may see, with their scores' aggregates; with
    `declared_by` (an expert), each marked `declared` when that expert declared a recusal."""
    rows = with_scores(
        Nomination.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("person", "result", "result__studio", "unit", "nominated_by")
    ).order_by("unit__path", "id")
    if declared_by is not None and declared_by.is_expert:
        rows = rows.annotate(declared=Exists(Recusal.objects.filter(nomination=OuterRef("pk"), expert=declared_by)))
    return rows


def ranking(campaign) -> list[Nomination]:
    """The live nominations, best mean first (the unscored last), each with `.mean` and `.rank`
    (equal means share a rank: 1, 2, 2, 4)."""
    rows = list(
        with_scores(
            Nomination.objects.filter(campaign=campaign, status__in=LIVE_NOMINATION_STATES).select_related(
                "person", "result", "result__studio", "unit"
            )
        ).order_by(F("mean_order").desc(nulls_last=True), "id")
    )
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        row.mean = mean_score(row)
        if row.mean is None:
            row.rank = None
            continue
        if row.mean != previous:
            rank, previous = position, row.mean
        row.rank = rank
    return rows


def expert_totals(campaign) -> dict[tuple[int, int], Decimal]:
    """{(nomination id, expert id): that expert's weighted total} for the whole campaign (one query)."""
    rows = (
        ScoreItem.objects.filter(scorecard__nomination__campaign=campaign)
        .order_by()
        .values("scorecard__nomination_id", "scorecard__expert_id")
        .annotate(weighted=Sum(F("score") * F("criterion__weight")))
    )
    return {
        (row["scorecard__nomination_id"], row["scorecard__expert_id"]): (Decimal(row["weighted"]) / 100).quantize(CENT)
        for row in rows
    }


def scorecards_of(nomination):
    """A nomination's scorecards with their items and weighted totals (HQ's view)."""
    weighted = (
        ScoreItem.objects.filter(scorecard=OuterRef("pk"))
        .order_by()
        .values("scorecard")
        .annotate(total=Sum(F("score") * F("criterion__weight")))
        .values("total")[:1]
    )
    return (
        Scorecard.objects.filter(nomination=nomination)
        .select_related("expert")
        .prefetch_related("items")
        .annotate(weighted=Coalesce(Subquery(weighted), Value(0), output_field=IntegerField()))
        .order_by("submitted_at", "id")
    )


def items_total(items, criteria) -> Decimal:
    """The weighted total of a scorecard's (prefetched) items: Σ(weight × score) / 100."""
    weights = {c.pk: c.weight for c in criteria}
    return (Decimal(sum(weights.get(i.criterion_id, 0) * i.score for i in items)) / 100).quantize(CENT)


def scorecard_total(scorecard) -> Decimal:
    return (Decimal(scorecard.weighted) / 100).quantize(CENT)


def live_nominations(campaign):
    return Nomination.objects.filter(campaign=campaign, status__in=LIVE_NOMINATION_STATES)


def nominating_users(campaign):
    """Who put the campaign's live nominations forward (to tell them how it goes)."""
    from accounts.models import User

    return User.objects.filter(
        pk__in=live_nominations(campaign).exclude(nominated_by=None).values("nominated_by"), is_active=True
    )


# The expert's scoring queue -----------------------------------------------------------------------


def _assigned_in_scoring(user):
    return Nomination.objects.filter(
        campaign__in=panel_campaigns(user),
        campaign__status=CampaignStatus.SCORING,
        status=NominationStatus.NOMINATED,
    )


def scoring_queue(user):
    """The nominations of the scoring campaigns the expert is assigned to, each marked `mine`
    (already scored by the expert), `own_unit` (automatic conflict of interest), `declared_on`,
    `declared_relation` and `declared_reason` (the expert's declared recusal, else None) and
    `recused` (either)."""
    if not user.is_expert:
        return Nomination.objects.none()
    mine = Scorecard.objects.filter(nomination=OuterRef("pk"), expert=user)
    declared = Recusal.objects.filter(nomination=OuterRef("pk"), expert=user)
    return (
        _assigned_in_scoring(user)
        .select_related("campaign", "person", "result", "result__studio", "unit")
        .annotate(
            mine=Exists(mine),
            own_unit=Case(When(conflict_q(user), then=Value(True)), default=Value(False)),
            declared_on=Subquery(declared.values("declared_at")[:1]),
            declared_relation=Subquery(declared.values("relation")[:1]),
            declared_reason=Subquery(declared.values("reason")[:1]),
        )
        .annotate(
            recused=Case(
                When(own_unit=True, then=Value(True)),
                When(declared_on__isnull=False, then=Value(True)),
                default=Value(False),
            )
        )
        .order_by("campaign__nominations_close_on", "campaign_id", "unit__path", "id")
    )


def nominations_waiting_for(user) -> int:
    """How many nominations wait for this expert's score (its conflicted and declared ones excluded)."""
    if not user.is_expert:
        return 0
    return (
        _assigned_in_scoring(user)
        .exclude(conflict_q(user))
        .exclude(scorecards__expert=user)
        .exclude(recusals__expert=user)
        .count()
    )


def recusal_of(nomination, user) -> Recusal | None:
    """The user's declared recusal from the nomination, if any."""
    if not user.is_expert:
        return None
    return Recusal.objects.filter(nomination=nomination, expert=user).first()


def recusals_of(nomination):
    """A nomination's declared recusals with their experts (what HQ reads on the nomination)."""
    return Recusal.objects.filter(nomination=nomination).select_related("expert").order_by("declared_at", "id")


def recusal_marks(campaign, experts, rows) -> dict[tuple[int, int], str]:
    """{(nomination id, expert id): "unit" or "declared"} for the ranking's cells without a
    scorecard: the expert recused itself, from its own unit or by declaration (one query)."""
    marks = {(row.pk, expert.pk): "unit" for row in rows for expert in experts if units_conflict(expert.unit, row.unit)}
    declared = Recusal.objects.filter(nomination__campaign=campaign).values_list("nomination_id", "expert_id")
    marks.update(dict.fromkeys(declared, "declared"))
    return marks


def nominee_record(nomination) -> dict | None:
    """What the criteria refer to, for the panel: the nominated person's verified results (title,
    category, date, benefit, its rank among the contributors), honours, skill-grade history and
    studio teams — nothing else of the person (no ID number, phone, …). Four queries; None for a
    nominated result (its own facts are on the nomination)."""
    if not nomination.person_id:
        return None
    from achievements.choices import ResultStatus
    from achievements.models import Contributor
    from studios.models import Membership

    person = nomination.person_id
    return {
        "results": list(
            Contributor.objects.filter(person_id=person, result__status=ResultStatus.VERIFIED)
            .select_related("result")
            .only(
                "rank",
                "result__title",
                "result__category",
                "result__achieved_on",
                "result__benefit",
                "result__benefit_year",
                "result__patent_no",
            )
            .order_by("-result__achieved_on", "-result_id")
        ),
        "honours": list(
            Honour.objects.filter(person_id=person)
            .only("title", "kind", "level", "year", "issuer")
            .order_by("-year", "-id")
        ),
        "grades": list(
            SkillGradeChange.objects.filter(person_id=person).only("grade", "changed_on").order_by("-changed_on", "-id")
        ),
        "studios": list(
            Membership.objects.filter(person_id=person)
            .select_related("studio")
            .only(
                "role",
                "joined_on",
                "left_on",
                "studio__name",
                "studio__level",
                "studio__is_demonstration",
                "studio__status",
            )
            .order_by(F("left_on").desc(nulls_first=True), "-joined_on", "id")
        ),
    }


def campaigns_closing_soon(user, *, days: int = 14):
    """Open campaigns whose nominations close within `days` (today included)."""
    today = timezone.localdate()
    return Campaign.objects.visible_to(user).filter(
        status=CampaignStatus.OPEN,
        nominations_close_on__gte=today,
        nominations_close_on__lte=today + datetime.timedelta(days=days),
    )


# Nomination forms ---------------------------------------------------------------------------------


def nominable_people(user, campaign):
    """People `user` may nominate to `campaign`: of its own subtree (anyone for HQ), not yet
    nominated (a withdrawn nomination does not count)."""
    taken = Nomination.objects.filter(campaign=campaign, person__isnull=False, status__in=LIVE_NOMINATION_STATES)
    people = Person.objects.visible_to(user)
    if not user.is_hq:
        from core.permissions import unit_subtree_q

        people = people.filter(unit_subtree_q(user, "unit"))
    return people.exclude(pk__in=taken.values("person"))


def nominable_results(user, campaign):
    """Verified results `user` may nominate to `campaign` (of its own subtree's studios), not yet nominated."""
    from achievements.choices import ResultStatus
    from achievements.models import Result

    taken = Nomination.objects.filter(campaign=campaign, result__isnull=False, status__in=LIVE_NOMINATION_STATES)
    results = Result.objects.visible_to(user).filter(status=ResultStatus.VERIFIED)
    if not user.is_hq:
        from core.permissions import unit_subtree_q

        results = results.filter(unit_subtree_q(user, "studio__unit"))
    return results.exclude(pk__in=taken.values("result"))
