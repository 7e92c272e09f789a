"""Demo selection campaigns, written through the services (used by seed_demo).

- 第一届信赖工匠评选 (2025): closed; its two winners now hold the 信赖工匠 honour.
- 2025年度优秀创新成果评选: a result selection, closed; its winners carry the award on their results.
- 第二届信赖工匠评选 (2026): in expert scoring. The demo expert `expert` (江汉零部件有限公司) has
  scored one nominee, has two to score, and must recuse itself from the nominee of its own
  company (林涛, 零部件铸造厂); a second expert at HQ level, `expert_hq`, scores the others but
  has declared a conflict of interest (回避: it was the mentor of one nominee).

Past campaigns run through the same services as a live one, today; their dates are then set to
when they happened (the services refuse a nomination deadline in the past).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.choices import Role
from accounts.models import Unit, User

from . import services
from .choices import CampaignKind, HonourKind, HonourLevel, RecusalRelation
from .models import Campaign, Nomination, Person

FIRST = "第一届信赖工匠评选"
SECOND = "第二届信赖工匠评选"
RESULTS = "2025年度优秀创新成果评选"
CRAFTSMAN_CRITERIA = [
    ("技能水平与绝技绝活", 30, "技能等级、解决现场难题的绝招"),
    ("创新成果与创效", 30, "经认定的创新成果及其经济效益"),
    ("传帮带与团队贡献", 20, "带徒成效、班组和工作室贡献"),
    ("职业素养与示范作用", 20, "工匠精神、安全质量表现"),
]
RESULT_CRITERIA = [
    ("创新性", 30, "技术路线和方法的新颖程度"),
    ("经济与社会效益", 40, "经确认的效益和推广应用情况"),
    ("推广价值", 30, "在其他单位复制推广的可能"),
]
# scores per expert username: {employee no or result title: [score per criterion]}
FIRST_SCORES = {
    "expert": {
        "E10002": [82, 80, 78, 85],
        "E10007": [93, 90, 88, 92],
        "E10010": [88, 86, 90, 87],
        "E10012": [80, 76, 82, 79],
    },
    "expert_hq": {
        "E10002": [84, 79, 80, 83],
        "E10007": [95, 92, 86, 90],
        "E10010": [86, 88, 91, 89],
        "E10012": [78, 80, 79, 81],
    },
}
SECOND_SCORES = {
    "expert": {"E10005": [90, 87, 85, 88]},
    "expert_hq": {"E10005": [88, 90, 86, 87], "E10014": [91, 89, 84, 86]},
}
RESULT_SCORES = {
    "expert": {
        "桥壳反变形焊接工装": [90, 92, 88],
        "模具刃口激光熔覆修复工艺": [92, 95, 90],
        "冲压模具刃口修复作业标准": [80, 75, 82],
    },
    "expert_hq": {
        "桥壳反变形焊接工装": [88, 90, 91],
        "模具刃口激光熔覆修复工艺": [93, 94, 88],
        "冲压模具刃口修复作业标准": [82, 78, 80],
    },
}
STATEMENT = "扎根生产一线，攻克多项关键工艺难题，技术精湛，带徒传技成效突出，群众公认。"


def _expert_hq(hq) -> User:
    """A review expert at HQ level: conflicted with no nominee of the subsidiaries."""
    user = User.objects.filter(username="expert_hq").first()
    if user is None:
        from accounts.management.commands.seed_demo import DEMO_PASSWORD
        from accounts.services import user_create, user_password_change

        user, _password = user_create(
            actor=hq, username="expert_hq", name="黄志明", role=Role.EXPERT, unit=Unit.objects.get(code="JH")
        )
        user_password_change(user=user, new_password=DEMO_PASSWORD)
    return user


def _open(hq, *, criteria, experts, **fields) -> Campaign:
    today = timezone.localdate()
    campaign = services.campaign_create(
        actor=hq, nominations_close_on=today, scoring_until=today + datetime.timedelta(days=30), **fields
    )
    for order, (name, weight, description) in enumerate(criteria):
        services.criterion_add(
            actor=hq, campaign=campaign, name=name, weight=weight, description=description, order=order
        )
    for expert in experts:
        services.panel_add(actor=hq, campaign=campaign, expert=expert)
    return campaign


def _score(campaign, experts, table, key):
    criteria = list(campaign.criteria.order_by("order", "id"))
    nominations = {key(n): n for n in Nomination.objects.filter(campaign=campaign).select_related("person", "result")}
    for expert in experts:
        for nominee, values in table.get(expert.username, {}).items():
            services.scorecard_submit(
                actor=expert,
                nomination=nominations[nominee],
                scores={c.pk: v for c, v in zip(criteria, values, strict=True)},
                comment="材料翔实，事迹突出。" if max(values) >= 90 else "",
            )


def _finish(hq, campaign, *, winners: int, dates: dict) -> None:
    """Publicise the best `winners`, close today, then put the campaign's dates where they belong."""
    from .selectors import ranking

    today = timezone.localdate()
    chosen = [row for row in ranking(campaign) if row.rank][:winners]
    services.campaign_publicise(
        actor=hq,
        campaign=campaign,
        selected=chosen,
        publicity_from=today,
        publicity_until=today,
        comment="公示期内无异议",
    )
    services.campaign_close(actor=hq, campaign=campaign)
    Campaign.objects.filter(pk=campaign.pk).update(**dates)
    _backdate(campaign, dates)


def _backdate(campaign, dates: dict) -> None:
    """Date the past campaign's history (audit events and scorecards) to when it happened."""
    from django.contrib.contenttypes.models import ContentType

    from achievements.models import Result
    from core.models import AuditEvent

    from .models import Scorecard

    def at(day, hour=10):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    opened = dates["nominations_close_on"] - datetime.timedelta(days=30)
    steps = {
        "campaign_create": opened,
        "criterion_add": opened,
        "panel_add": opened,
        "campaign_start_scoring": dates["nominations_close_on"] + datetime.timedelta(days=1),
        "campaign_publicise": dates["publicity_from"],
        "campaign_close": dates["closed_on"],
    }
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Campaign), object_id=str(campaign.pk)
    )
    for event in events:
        event.created_at = at(steps.get(event.action, opened))
        for field in ("publicity_from", "publicity_until", "closed_on", "nominations_close_on"):
            if field in event.changes and isinstance(event.changes[field], list):
                event.changes[field][1] = dates[field].isoformat()
        event.save(update_fields=["created_at", "changes"])
    nominations = [str(pk) for pk in campaign.nominations.values_list("pk", flat=True)]
    nomination_type = ContentType.objects.get_for_model(Nomination)
    nomination_events = AuditEvent.objects.filter(content_type=nomination_type, object_id__in=nominations)
    nomination_events.filter(action="nomination_create").update(created_at=at(opened + datetime.timedelta(days=10)))
    nomination_events.exclude(action="nomination_create").update(created_at=at(dates["closed_on"]))
    # The honour or award written on each winner's own record when the campaign closed.
    winners = campaign.nominations.filter(status="selected")
    for model, ids, action in (
        (Person, winners.exclude(person=None).values_list("person_id", flat=True), "honour_add"),
        (Result, winners.exclude(result=None).values_list("result_id", flat=True), "award_add"),
    ):
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in ids],
            action=action,
            comment__startswith=campaign.honour_title,
        ).update(created_at=at(dates["closed_on"]))
    cards = Scorecard.objects.filter(nomination__campaign=campaign)
    AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Scorecard),
        object_id__in=[str(pk) for pk in cards.values_list("pk", flat=True)],
    ).update(created_at=at(dates["scoring_until"] - datetime.timedelta(days=7)))
    cards.update(submitted_at=at(dates["scoring_until"] - datetime.timedelta(days=7)))
    Nomination.objects.filter(campaign=campaign).update(created_at=at(opened + datetime.timedelta(days=10)))


@transaction.atomic
def seed_campaigns() -> int:
    """The demo campaigns; 0 when they are already there."""
    if Campaign.objects.filter(name=FIRST).exists():
        return 0
    hq = User.objects.get(username="hq_cadre")
    cadre_cv = User.objects.get(username="unit_cadre")
    cadre_pc = User.objects.get(username="unit_cadre_pc")
    experts = [User.objects.get(username="expert"), _expert_hq(hq)]
    people = {p.employee_no: p for p in Person.objects.filter(employee_no__isnull=False)}
    created = 0

    # 1. The first 信赖工匠 selection, 2025: closed, two winners.
    first = _open(
        hq,
        criteria=CRAFTSMAN_CRITERIA,
        experts=experts,
        kind=CampaignKind.CRAFTSMAN,
        name=FIRST,
        year=2025,
        honour_title="信赖工匠",
        honour_kind=HonourKind.CRAFTSMAN,
        honour_level=HonourLevel.COMPANY,
        quota=2,
        description="面向集团一线技能人才，选树技艺精湛、创新创效突出、传帮带作用明显的“信赖工匠”。",
    )
    for employee_no, cadre in (("E10002", cadre_cv), ("E10007", cadre_cv), ("E10010", cadre_pc), ("E10012", cadre_pc)):
        services.nomination_create(actor=cadre, campaign=first, person=people[employee_no], statement=STATEMENT)
    services.campaign_start_scoring(actor=hq, campaign=first)
    _score(first, experts, FIRST_SCORES, lambda n: n.person.employee_no)
    _finish(
        hq,
        first,
        winners=2,
        dates={
            "nominations_close_on": datetime.date(2025, 6, 30),
            "scoring_until": datetime.date(2025, 7, 31),
            "publicity_from": datetime.date(2025, 8, 5),
            "publicity_until": datetime.date(2025, 8, 11),
            "closed_on": datetime.date(2025, 8, 15),
        },
    )
    created += 1

    # 2. The 2025 result selection: closed, awards on the two best results.
    from achievements.choices import ResultStatus
    from achievements.models import Result

    titles = list(RESULT_SCORES["expert"])
    results = {r.title: r for r in Result.objects.filter(title__in=titles, status=ResultStatus.VERIFIED)}
    if len(results) == len(titles):
        selection = _open(
            hq,
            criteria=RESULT_CRITERIA,
            experts=experts,
            kind=CampaignKind.RESULT,
            name=RESULTS,
            year=2025,
            honour_title="集团优秀创新成果",
            honour_level=HonourLevel.COMPANY,
            award_grade="一等奖",
            quota=2,
            description="评选年度经认定、已产生效益并具备推广价值的职工创新成果。",
        )
        for title in titles:
            result = results[title]
            cadre = cadre_cv if result.studio.unit.is_within(cadre_cv.unit) else cadre_pc
            services.nomination_create(
                actor=cadre, campaign=selection, result=result, statement="成果经认定并已推广应用，效益显著。"
            )
        services.campaign_start_scoring(actor=hq, campaign=selection)
        _score(selection, experts, RESULT_SCORES, lambda n: n.result.title)
        _finish(
            hq,
            selection,
            winners=2,
            dates={
                "nominations_close_on": datetime.date(2025, 10, 31),
                "scoring_until": datetime.date(2025, 11, 20),
                "publicity_from": datetime.date(2025, 11, 25),
                "publicity_until": datetime.date(2025, 12, 1),
                "closed_on": datetime.date(2025, 12, 5),
            },
        )
        created += 1

    # 3. The second 信赖工匠 selection, 2026: in expert scoring.
    second = _open(
        hq,
        criteria=CRAFTSMAN_CRITERIA,
        experts=experts,
        kind=CampaignKind.CRAFTSMAN,
        name=SECOND,
        year=2026,
        honour_title="信赖工匠",
        honour_kind=HonourKind.CRAFTSMAN,
        honour_level=HonourLevel.COMPANY,
        quota=2,
        description="第二届“信赖工匠”评选：各单位推荐，专家按权重打分，公示后由集团工会命名。",
    )
    for employee_no, cadre in (("E10005", cadre_cv), ("E10008", cadre_cv), ("E10013", cadre_pc), ("E10014", hq)):
        services.nomination_create(actor=cadre, campaign=second, person=people[employee_no], statement=STATEMENT)
    services.campaign_start_scoring(actor=hq, campaign=second)
    _score(second, experts, SECOND_SCORES, lambda n: n.person.employee_no)
    # expert_hq was one nominee's mentor: it declares the conflict of interest instead of scoring
    # (HQ is told; the nominee's result will be the other experts' mean).
    services.nomination_recuse(
        actor=experts[1],
        nomination=Nomination.objects.get(campaign=second, person=people["E10008"]),
        relation=RecusalRelation.MENTOR,
        reason="2019年至2021年与该同志师徒结对，本人为其师傅。",
    )
    today = timezone.localdate()
    Campaign.objects.filter(pk=second.pk).update(
        nominations_close_on=today - datetime.timedelta(days=14),
        scoring_until=today + datetime.timedelta(days=21),
    )
    created += 1
    return created
