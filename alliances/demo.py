"""Demo alliances (used by seed_demo): two running alliances and one in preparation, the first
batch of pilot units, activities over two years with photos, a joint project and a funding ledger."""

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Unit, User
from achievements import services as achievement_services
from achievements.models import ProjectKind
from core.uploads import clean_image
from studios.choices import FundingDirection, FundingSource, FundingUse
from studios.models import Studio
from talent.models import Person

from . import services
from .choices import ActivityKind, DesignationKind, MemberTier
from .models import Alliance


def _picture(name: str, colour: tuple[int, int, int]):
    """A plain generated photo (the demo ships no pictures)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (960, 640), colour)
    draw = ImageDraw.Draw(image)
    for i in range(0, 960, 60):
        draw.rectangle([i, 420 - i // 6, i + 40, 640], fill=tuple(min(255, c + 40) for c in colour))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return clean_image(SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg"))


def seed_alliances() -> int:
    if Alliance.objects.exists():
        return 0
    hq = User.objects.get(username="hq_cadre")
    cadre_cv = User.objects.get(username="unit_cadre")
    lead = User.objects.get(username="studio_lead")
    units = {u.code: u for u in Unit.objects.all()}
    studios = {s.name: s for s in Studio.objects.all()}
    axle, die = studios["张卫东车桥工艺创新工作室"], studios["马超模具劳模创新工作室"]
    assembly, casting = studios["周强装配职工创新工作室"], studios["林涛铸造工匠创新工作室"]
    electric = studios["高洁电器职工创新工作室"]
    today = timezone.localdate()
    last = today.year - 1

    axle_alliance = services.alliance_create(
        actor=hq,
        name="车桥与底盘工艺创新工作室联盟",
        theme="车桥、底盘加工与热处理工艺",
        lead_unit=units["JH-CV"],
        founded_on=datetime.date(last, 3, 1),
        description="由商用车公司牵头，联合乘用车、零部件公司的创新工作室，围绕车桥和底盘关键工序开展师徒结对、课题攻关和技术交流。",
        secretariat_contact="李晓燕",
        secretariat_phone="0719-8220001",
        members_log_activities=True,
    )
    for studio, joined in ((axle, 3), (assembly, 3), (casting, 4), (die, 5)):
        services.member_add(
            actor=hq,
            alliance=axle_alliance,
            studio=studio,
            tier=MemberTier.MEMBER,
            joined_on=datetime.date(last, joined, 10),
        )
    services.alliance_launch(actor=cadre_cv, alliance=axle_alliance, comment="章程已审议通过")

    die_alliance = services.alliance_create(
        actor=hq,
        name="冲压与模具技术创新工作室联盟",
        theme="冲压模具设计、修复与维护",
        lead_unit=units["JH-PC"],
        founded_on=datetime.date(last, 6, 1),
        description="以马超模具劳模创新工作室为核心，推广模具快速修复和冲压质量控制经验。",
        secretariat_contact="赵丽华",
        members_log_activities=False,
    )
    for studio in (die, casting, electric):
        services.member_add(
            actor=hq, alliance=die_alliance, studio=studio, tier=MemberTier.MEMBER, joined_on=datetime.date(last, 6, 15)
        )
    services.alliance_launch(actor=hq, alliance=die_alliance)

    services.alliance_create(
        actor=hq,
        name="新能源电气创新工作室联盟",
        theme="新能源车电气与线束检测",
        lead_unit=units["JH-PT"],
        founded_on=datetime.date(today.year, 9, 1) if today >= datetime.date(today.year, 9, 1) else today,
        description="筹建中：拟联合电器、总装调试方向的创新工作室。",
    )

    # The first batch of alliance pilot units (首批联盟试点单位) and a demonstration unit.
    batch = services.designation_batch_create(
        actor=hq,
        name="首批",
        designated_on=datetime.date(last, 9, 10),
        document_no=f"江汽工〔{last}〕30号",
        description="依据《推进员工(劳模)创新工作室联盟活动的实施意见》命名。",
    )
    services.designation_add(
        actor=hq, batch=batch, kind=DesignationKind.PILOT, alliance=axle_alliance, citation="联盟组织健全，活动扎实"
    )
    services.designation_add(actor=hq, batch=batch, kind=DesignationKind.PILOT, alliance=die_alliance, citation="")
    services.designation_add(
        actor=hq, batch=batch, kind=DesignationKind.DEMONSTRATION, studio=die, citation="模具修复经验在全公司推广"
    )
    services.designation_batch_publish(actor=hq, batch=batch)

    # A joint project of the axle and casting studios, tackled within the alliance.
    ProjectKind.ensure_defaults()
    team = list(Person.objects.filter(employee_no__in=["E10002", "E10004", "E10014"]))
    project = achievement_services.project_create(
        actor=hq,
        studio=axle,
        title="桥壳铸件加工余量优化联合攻关",
        kind=ProjectKind.objects.get(name="技术攻关"),
        leader=axle.lead,
        team=team,
        partner_studios=[casting],
        started_on=datetime.date(last, 6, 1),
        planned_end_on=datetime.date(today.year, 6, 30),
        goals="铸件加工余量由 4mm 降到 2.5mm，机加工时降低 15%。",
        budget=Decimal("80000"),
    )
    achievement_services.project_start(actor=hq, project=project)

    people = {p.employee_no: p for p in Person.objects.all()}
    plan = [
        (
            hq,
            axle_alliance,
            ActivityKind.EXCHANGE,
            "车桥壳体焊接变形控制技术交流会",
            datetime.date(last, 4, 18),
            "商用车车桥厂培训室",
            axle,
            [axle, assembly, casting],
            ["E10001", "E10002", "E10005", "E10014"],
            12,
            0,
            None,
            (38, 90, 160),
        ),
        (
            hq,
            axle_alliance,
            ActivityKind.JOINT_TACKLING,
            "桥壳铸件加工余量联合攻关启动会",
            datetime.date(last, 6, 12),
            "零部件铸造厂技术室",
            casting,
            [axle, casting],
            ["E10001", "E10004", "E10014"],
            3,
            0,
            project,
            (120, 80, 40),
        ),
        (
            hq,
            axle_alliance,
            ActivityKind.PAIRING,
            "跨单位师徒结对仪式",
            datetime.date(last, 10, 20),
            "商用车公司工会活动中心",
            None,
            [axle, assembly, casting, die],
            ["E10001", "E10011", "E10016", "E10003"],
            20,
            3,
            None,
            (150, 40, 40),
        ),
        (
            lead,
            axle_alliance,
            ActivityKind.SITE_VISIT,
            "车桥热处理生产线现场观摩",
            datetime.date(today.year, 3, 22),
            "商用车车桥厂热处理车间",
            axle,
            [axle],
            ["E10001", "E10003", "E10016"],
            25,
            0,
            None,
            (60, 120, 60),
        ),
        (
            hq,
            axle_alliance,
            ActivityKind.TRAINING,
            "《创新工作室联盟的组织与实施》专题培训",
            datetime.date(today.year, 5, 16),
            "公司工会培训中心",
            None,
            [axle, assembly, casting, die],
            ["E10001", "E10005", "E10011", "E10014"],
            40,
            0,
            None,
            (90, 60, 140),
        ),
        (
            hq,
            die_alliance,
            ActivityKind.EXCHANGE,
            "模具刃口激光熔覆修复经验交流",
            datetime.date(last, 8, 26),
            "乘用车冲压厂模修车间",
            die,
            [die, casting],
            ["E10011", "E10012", "E10014"],
            15,
            0,
            None,
            (40, 110, 130),
        ),
        (
            hq,
            die_alliance,
            ActivityKind.SITE_VISIT,
            "冲压线快速换模现场观摩",
            datetime.date(today.year, 4, 9),
            "乘用车冲压厂",
            die,
            [die, electric],
            ["E10011", "E10015"],
            18,
            0,
            None,
            (130, 110, 40),
        ),
    ]
    for index, (
        actor,
        alliance,
        kind,
        title,
        held_on,
        place,
        organiser,
        taking_part,
        who,
        outsiders,
        pairs,
        joint,
        colour,
    ) in enumerate(plan):
        activity = services.activity_create(
            actor=actor,
            alliance=alliance,
            kind=kind,
            title=title,
            held_on=held_on,
            place=place,
            organiser=organiser,
            studios=taking_part,
            people=[people[n] for n in who],
            outsider_count=outsiders,
            pairs_formed=pairs,
            project=joint,
            summary=f"{title}：各成员工作室交流做法、现场答疑，形成问题清单和下一步计划。",
        )
        if index % 2 == 0:
            services.activity_photo_add(
                actor=actor, activity=activity, image=_picture(f"activity{index}.jpg", colour), caption="活动现场"
            )

    # The alliance's funding ledger: a ¥50,000 grant and what it was spent on.
    for direction, source, use, amount, on, description in (
        (
            FundingDirection.IN,
            FundingSource.SPECIAL,
            "",
            "50000",
            datetime.date(last, 3, 15),
            "公司工会联盟活动专项资金",
        ),
        (FundingDirection.OUT, "", FundingUse.TRAINING, "12000", datetime.date(last, 10, 20), "师徒结对仪式及培训资料"),
        (
            FundingDirection.OUT,
            "",
            FundingUse.EQUIPMENT,
            "18500",
            datetime.date(today.year, 3, 1),
            "热处理变形检测量具",
        ),
    ):
        services.funding_add(
            actor=cadre_cv,
            alliance=axle_alliance,
            direction=direction,
            source=source,
            use=use,
            amount=Decimal(amount),
            entry_date=on,
            description=description,
        )

    # A pending request: the axle studio asks to join the die alliance (decided by the JH-PC cadre).
    services.member_request(
        actor=lead, alliance=die_alliance, studio=axle, note="希望学习模具快速修复经验，开展跨单位交流。"
    )
    return Alliance.objects.count()
