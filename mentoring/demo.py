"""Demo mentor pairings (used by seed_demo, after the studios and the alliances): pairings in every
state in the demo company, written through the services so the history is real.

In 张卫东车桥工艺创新工作室 (the demo lead's studio): one under way with progress, a placement, a
skill-grade change and the signed agreement; one graduated (优秀) whose apprentice then became a
technician (a bonus in last year's rewards); one whose term is over without an assessment (on the
lead's to-do list). One failed (不合格) in 周强装配职工创新工作室, one ended early and one under way in
马超模具劳模创新工作室, and one across units in 车桥与底盘工艺创新工作室联盟 (铸造厂 → 车桥厂).
HQ's reward rule: monthly allowances by the mentor's grade, ¥3,000 when the apprentice becomes a
technician within two years.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from alliances.models import Alliance
from core.uploads import clean_document
from studios.models import Studio
from talent.models import Person

from . import services
from .models import Pairing

RULE = {
    "allowance_junior": Decimal("0"),
    "allowance_intermediate": Decimal("0"),
    "allowance_senior": Decimal("100"),
    "allowance_technician": Decimal("200"),
    "allowance_senior_technician": Decimal("300"),
    "allowance_master_technician": Decimal("400"),
    "allowance_chief_technician": Decimal("500"),
    "bonus_grade": "technician",
    "bonus_years": 2,
    "bonus_amount": Decimal("3000"),
}


def _agreement_pdf(title: str):
    """A small valid one-page PDF standing in for the scanned agreement (the demo ships no files)."""
    text = title.encode("latin-1", "replace")
    stream = b"BT /F1 18 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return clean_document(SimpleUploadedFile("agreement.pdf", bytes(out), content_type="application/pdf"))


def seed_pairings() -> int:
    if Pairing.objects.exists():
        return 0
    hq = User.objects.get(username="hq_cadre")
    cadre_cv = User.objects.get(username="unit_cadre")
    cadre_pc = User.objects.get(username="unit_cadre_pc")
    lead = User.objects.get(username="studio_lead")
    people = {p.employee_no: p for p in Person.objects.filter(employee_no__startswith="E100")}
    studios = {s.name: s for s in Studio.objects.all()}
    axle, die = studios["张卫东车桥工艺创新工作室"], studios["马超模具劳模创新工作室"]
    assembly = studios["周强装配职工创新工作室"]
    today = timezone.localdate()
    last, two = today.year - 1, today.year - 2

    def this_year(month, day):
        return min(datetime.date(today.year, month, day), today)

    def pair(actor, mentor, apprentice, agreed, months, goals, **target):
        return services.pairing_create(
            actor=actor,
            mentor=people[mentor],
            apprentice=people[apprentice],
            agreement_on=agreed,
            term_months=months,
            goals=goals,
            **target,
        )

    def progress(actor, pairing, entries):
        for day, content in entries:
            services.progress_add(actor=actor, pairing=pairing, logged_on=day, content=content)

    services.reward_rule_update(actor=hq, **RULE)

    # Under way, with everything on its page: 张卫东 teaches 罗勇 CNC turning.
    under_way = pair(
        lead,
        "E10001",
        "E10016",
        datetime.date(last, 3, 1),
        24,
        "两年内掌握桥壳数控车削编程与精度控制，独立完成差速器壳体加工；考取高级工，力争技师。",
        studio=axle,
        agreement=_agreement_pdf("Mentoring agreement E10001 - E10016"),
    )
    progress(
        lead,
        under_way,
        [
            (datetime.date(last, 3, 20), "讲解桥壳零件图和工艺卡，熟悉 FANUC 系统操作面板。"),
            (datetime.date(last, 6, 15), "完成外圆、端面车削练习，尺寸合格率由 82% 提高到 95%。"),
            (datetime.date(last, 11, 5), "开始独立编制差速器壳体加工程序，师傅审核后试切合格。"),
            (this_year(3, 10), "参与桥壳加工余量优化攻关，负责试切数据记录。"),
        ],
    )
    services.placement_add(
        actor=lead,
        pairing=under_way,
        competition="公司第十届职业技能大赛（数控车工）",
        level="company",
        placement="三等奖",
        placed_on=datetime.date(last, 10, 18),
    )
    services.pairing_grade_change(
        actor=hq, pairing=under_way, grade="senior", changed_on=datetime.date(last, 12, 1), note="职业技能等级认定"
    )

    # Graduated with 优秀; the apprentice became a technician within two years of the agreement.
    graduated = pair(
        lead,
        "E10004",
        "E10003",
        datetime.date(two, 3, 1),
        12,
        "掌握渗碳淬火工艺参数调整和变形控制方法，能独立处理常见热处理缺陷。",
        studio=axle,
    )
    progress(
        lead,
        graduated,
        [
            (datetime.date(two, 4, 10), "学习渗碳淬火工艺文件，跟班记录炉温曲线。"),
            (datetime.date(two, 9, 1), "独立完成一批半轴热处理，变形量全部在公差内。"),
        ],
    )
    services.placement_add(
        actor=lead,
        pairing=graduated,
        competition="商用车公司热处理工技能比武",
        level="unit",
        placement="第二名",
        placed_on=datetime.date(two, 11, 20),
    )
    services.pairing_assess(
        actor=lead,
        pairing=graduated,
        assessed_on=datetime.date(last, 2, 20),
        score=Decimal("92"),
        grade="excellent",
        assessors="车桥厂工会主席、热处理车间主任、张卫东",
        comment="理论与实操均优秀，准予出师。",
    )
    services.pairing_grade_change(
        actor=hq, pairing=graduated, grade="technician", changed_on=datetime.date(last, 6, 18), note="技师资格认定"
    )

    # The term is over and nobody has assessed it yet: on the lead's to-do list.
    pair(
        lead,
        "E10004",
        "E10002",
        datetime.date(two, 9, 1),
        12,
        "掌握工艺文件编制和工装设计基础。",
        studio=axle,
    )

    # Failed the graduation assessment (不合格) in the assembly studio.
    failed = pair(
        cadre_cv,
        "E10005",
        "E10006",
        datetime.date(two, 6, 1),
        12,
        "掌握发动机装配防错技术和在线检测设备的使用。",
        studio=assembly,
    )
    progress(cadre_cv, failed, [(datetime.date(two, 8, 1), "学习装配防错清单，参加班前会质量讲评。")])
    services.pairing_assess(
        actor=cadre_cv,
        pairing=failed,
        assessed_on=datetime.date(last, 6, 10),
        score=Decimal("52"),
        grade="fail",
        assessors="发动机厂工会、装配车间主任",
        comment="实操考核未达标，建议延期后重新结对。",
    )

    # Ended early: the apprentice was transferred; and one under way in the die studio.
    ended = pair(
        cadre_pc,
        "E10011",
        "E10013",
        datetime.date(last, 4, 1),
        24,
        "掌握模具刃口修复和冲压件质量分析。",
        studio=die,
    )
    progress(cadre_pc, ended, [(datetime.date(last, 5, 10), "学习模具结构，参与两次模具刃口修复。")])
    services.pairing_end(
        actor=cadre_pc,
        pairing=ended,
        ended_on=datetime.date(last, 10, 8),
        reason="apprentice_transferred",
        comment="徒弟调往涂装车间其他岗位。",
    )
    die_pairing = pair(
        cadre_pc,
        "E10011",
        "E10012",
        datetime.date(last, 9, 1),
        24,
        "掌握激光熔覆修复工艺，能独立完成常见模具缺陷修复。",
        studio=die,
    )
    progress(cadre_pc, die_pairing, [(datetime.date(last, 12, 2), "完成激光熔覆设备操作培训并通过考核。")])

    # Across units in the alliance, agreed at its pairing ceremony: 林涛 (铸造厂) and 王海军 (车桥厂).
    alliance = Alliance.objects.filter(name="车桥与底盘工艺创新工作室联盟").first()
    if alliance is not None:
        crossing = pair(
            hq,
            "E10014",
            "E10002",
            datetime.date(last, 10, 20),
            18,
            "掌握桥壳铸件缺陷识别和加工余量控制，打通铸造与机加工艺衔接。",
            alliance=alliance,
        )
        progress(
            hq,
            crossing,
            [
                (datetime.date(last, 11, 15), "到铸造厂跟班一周，学习铸件缺陷识别。"),
                (this_year(4, 2), "共同完成桥壳铸件加工余量试验，余量由 4mm 降到 3mm。"),
            ],
        )

    # Paired again this year, as the failed assessment advised (重新结对).
    again = pair(
        cadre_cv,
        "E10005",
        "E10006",
        this_year(3, 1),
        12,
        "补齐发动机装配防错和在线检测短板，年底前通过实操考核。",
        studio=assembly,
    )
    progress(cadre_cv, again, [(this_year(4, 15), "复盘上期考核问题，制定每周实操训练计划。")])
    return Pairing.objects.count()
