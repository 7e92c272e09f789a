"""Demo projects and results over two years, with adoptions and typical cases (used by seed_demo)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import Unit, User
from studios.models import Studio
from talent.models import Person

from . import services
from .models import Project, ProjectKind, Result

KINDS = {"technical": "技术攻关", "process": "工艺改进", "qc": "QC 课题", "research": "科研项目"}

# (studio name, project title, kind, started (years ago, month), closed?, results:
#   [(title, category, month, benefit, status, adopted at unit codes, case story or None)])
PLAN = [
    (
        "张卫东车桥工艺创新工作室",
        "桥壳焊接变形控制攻关",
        "technical",
        (1, 3),
        True,
        [
            (
                "桥壳反变形焊接工装",
                "technical_innovation",
                9,
                "186000",
                "verified",
                ["JH-CV-EN", "JH-PT-CS"],
                "车桥壳体焊后变形曾导致大量返修。工作室设计反变形焊接工装，并优化焊接顺序，"
                "使壳体直线度合格率由 86% 提升到 99%，每年减少返修工时约 2000 小时。",
            ),
            ("一种桥壳焊接夹具", "utility_model", 11, None, "verified", [], None),
        ],
    ),
    (
        "张卫东车桥工艺创新工作室",
        "差速器壳体加工效率提升",
        "process",
        (0, 2),
        False,
        [
            ("差速器壳体快速装夹法", "operating_method", 6, "52000", "submitted", [], None),
        ],
    ),
    (
        "马超模具劳模创新工作室",
        "冲压模具快速修复",
        "technical",
        (1, 1),
        True,
        [
            (
                "模具刃口激光熔覆修复工艺",
                "process_improvement",
                8,
                "320000",
                "verified",
                ["JH-PC-AS"],
                "模具刃口崩损过去只能外委修复，周期长。工作室引入激光熔覆修复工艺，修复周期由 15 天缩短到 2 天，"
                "全年节约外委费用 32 万元，并已在总装厂推广。",
            ),
            ("冲压模具刃口修复作业标准", "standard", 12, None, "verified", [], None),
        ],
    ),
    (
        "马超模具劳模创新工作室",
        "QC：降低冲压件毛刺率",
        "qc",
        (0, 3),
        False,
        [
            ("降低侧围冲压件毛刺率 QC 成果", "qc_result", 7, "45000", "draft", [], None),
        ],
    ),
    ("周强装配职工创新工作室", "缸盖装配防错", "qc", (1, 5), False, []),
    (
        "周强装配职工创新工作室",
        "缸盖螺栓拧紧防错改进",
        "process",
        (0, 1),
        False,
        [
            ("缸盖螺栓拧紧防错工装", "technical_innovation", 4, "98000", "verified", ["JH-PC-AS"], None),
            ("一种螺栓拧紧顺序防错装置", "utility_model", 5, None, "verified", [], None),
        ],
    ),
]


def seed_achievements() -> int:
    if Result.objects.exists():
        return 0
    hq = User.objects.get(username="hq_cadre")
    today = timezone.localdate()
    this_year = today.year

    def on(year, month, day):  # this year's dates are clamped to today: nothing in the future
        return min(datetime.date(year, month, day), today)

    units = {u.code: u for u in Unit.objects.all()}
    ProjectKind.ensure_defaults()
    kinds = {code: ProjectKind.objects.get(name=name) for code, name in KINDS.items()}
    cadres = {"JH-CV": User.objects.get(username="unit_cadre"), "JH-PC": User.objects.get(username="unit_cadre_pc")}
    for studio_name, title, kind, (years_ago, month), closed, results in PLAN:
        studio = Studio.objects.select_related("lead", "unit").get(name=studio_name)
        cadre = next(c for code, c in cadres.items() if studio.unit.path.startswith(units[code].path))
        year = this_year - years_ago
        team = list(Person.objects.filter(memberships__studio=studio, memberships__left_on__isnull=True)[:4])
        project = services.project_create(
            actor=hq,
            studio=studio,
            title=title,
            kind=kinds[kind],
            leader=studio.lead,
            team=team,
            started_on=on(year, month, 1),
            planned_end_on=datetime.date(year, 12, 31),
            goals="明确攻关目标、技术路线和考核指标。",
            budget=Decimal("50000"),
        )
        services.project_start(actor=hq, project=project)
        for r_title, category, r_month, benefit, status, adopted_at, story in results:
            result = services.result_create(
                actor=hq,
                studio=studio,
                project=project,
                title=r_title,
                category=category,
                achieved_on=max(on(year, month, 1), on(year, r_month, 15)),
                contributors=team[:3] or [studio.lead],
                summary=f"{r_title}：来源于生产现场难题，经小批量验证后固化。",
                benefit=Decimal(benefit) if benefit else None,
                benefit_year=year if benefit else None,
                benefit_basis="按年节约返修工时、外委费用和废品损失测算，经财务部门确认。" if benefit else "",
                patent_no=f"ZL{year} 2 01234{len(title) % 10}{r_month % 10}.7" if category == "utility_model" else "",
                patent_granted_on=on(year, 12, 1) if category == "utility_model" else None,
            )
            if status in ("submitted", "verified"):
                services.result_submit(actor=hq, result=result)
            if status == "verified":
                services.result_verify(actor=cadre, result=result, comment="效益测算依据充分")
                for code in adopted_at:
                    services.adoption_add(
                        actor=hq,
                        result=result,
                        unit=units[code],
                        adopted_on=on(year, 12, 20),
                        scope="两条生产线",
                        yearly_benefit=Decimal(benefit or "0") / 3,
                    )
                if story:
                    services.result_case_propose(actor=hq, result=result, story=story)
                    services.result_case_approve(actor=hq, result=result)
        if closed:
            services.project_close(
                actor=hq,
                project=project,
                summary="攻关目标全部达成，成果已固化推广。",
                closed_on=on(year, 12, 28),
            )
    return Project.objects.count()
