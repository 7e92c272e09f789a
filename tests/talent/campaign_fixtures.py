"""Builders of selection-campaign data for the campaign tests and the permission matrix.

The campaign is HQ's. Its nominee is a person of plant A1 (branch A's cadre nominated it); the
panel's expert works in plant B1, so it is not conflicted with an A1 nominee and must recuse
itself from a B1 (or branch B) nominee.
"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from talent.models import Campaign, Criterion, Nomination, PanelMember, Scorecard, ScoreItem

from ..factories import PersonFactory

CRITERIA = (("技能水平", 40), ("创新成果", 40), ("传帮带作用", 20))


def make_campaign(world, *, status="open", kind="craftsman", criteria=CRITERIA, experts=None, **fields):
    """A campaign in `status` with its criteria and panel (by default `world.expert`), written
    directly (the services are tested on their own)."""
    published = status in ("publicised", "closed")
    today = timezone.localdate()  # when the test runs: a full run may cross midnight
    values = {
        "name": f"第{Campaign.objects.count() + 1}届评选",
        "year": today.year,
        "honour_title": "信赖工匠" if kind == "craftsman" else "优秀创新成果",
        "honour_kind": "craftsman" if kind == "craftsman" else "",
        "honour_level": "company",
        "quota": 2,
        "description": "评选条件",
        "nominations_close_on": today + datetime.timedelta(days=10),
        "scoring_until": today + datetime.timedelta(days=30),
        "publicity_from": today - datetime.timedelta(days=1) if published else None,
        "publicity_until": today + datetime.timedelta(days=5) if published else None,
        "created_by": world.hq,
    }
    if published:
        values["nominations_close_on"] = today - datetime.timedelta(days=20)
        values["scoring_until"] = today - datetime.timedelta(days=2)
    values.update(fields)
    campaign = Campaign.objects.create(kind=kind, status=status, **values)
    for order, (name, weight) in enumerate(criteria):
        Criterion.objects.create(campaign=campaign, name=name, weight=weight, order=order)
    for expert in [world.expert] if experts is None else experts:
        PanelMember.objects.create(campaign=campaign, expert=expert, added_by=world.hq)
    return campaign


def nominate(campaign, world, *, person=None, result=None, unit=None, by=None, material=False, **fields):
    """A nomination of a person (of `unit`, plant A1 by default) or of a result."""
    if result is None and person is None:
        person = PersonFactory(unit=unit or world.plant_a1)
    nomination = Nomination(
        campaign=campaign,
        person=person,
        result=result,
        unit=person.unit if person is not None else result.studio.unit,
        nominated_by=by or world.unit_cadre,
        statement="扎根一线二十年，攻克多项工艺难题。",
        **fields,
    )
    if material:
        nomination.material.save("m.pdf", ContentFile(b"%PDF-1.4 nomination"), save=False)
    nomination.save()
    return nomination


def score(nomination, expert, values, comment=""):
    """A scorecard written directly: `values` in the campaign's criteria order."""
    card = Scorecard.objects.create(nomination=nomination, expert=expert, comment=comment)
    criteria = list(nomination.campaign.criteria.order_by("order", "id"))
    ScoreItem.objects.bulk_create(
        [ScoreItem(scorecard=card, criterion=c, score=v) for c, v in zip(criteria, values, strict=True)]
    )
    return card


def verified_result(world, unit=None, title="桥壳焊接工装"):
    from achievements.models import Result

    from ..factories import StudioFactory

    studio = StudioFactory(unit=unit or world.plant_a1, status="named", level="company")
    return Result.objects.create(
        studio=studio, title=title, category="technical_innovation", achieved_on="2025-06-01", status="verified"
    )


# Matrix kwargs (world → {"pk": …}) ------------------------------------------------------------------


def open_campaign(world):
    campaign = make_campaign(world)
    nominate(campaign, world)
    return {"pk": campaign.pk}


def scoring_campaign(world):
    campaign = make_campaign(world, status="scoring")
    nominate(campaign, world)
    return {"pk": campaign.pk}


def publicised_campaign(world):
    campaign = make_campaign(world, status="publicised")
    nominate(campaign, world, proposed=True)
    return {"pk": campaign.pk}


def criterion_of_open(world):
    return {"pk": Criterion.objects.get(pk=make_campaign(world).criteria.first().pk).pk}


def panel_member_of_open(world):
    return {"pk": make_campaign(world).panel.get().pk}


def nomination_in(status="open", material=False):
    def build(world):
        campaign = make_campaign(world, status=status)
        return {"pk": nominate(campaign, world, material=material).pk}

    return build
