"""Demo people and studios in every state, written through the services (used by seed_demo)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import Unit, User
from talent import services as talent_services
from talent.choices import Gender, HonourKind, HonourLevel, SkillGrade
from talent.models import Person

from . import services
from .choices import AssessmentGrade, FundingDirection, FundingSource, FundingUse, MemberRole, RevocationReason
from .models import AssessmentRound, Studio, StudioKind

# (employee no, name, gender, unit code, 班组, post, grade, honour (kind, level, title, year) or None, login)
PEOPLE = [
    (
        "E10001",
        "张卫东",
        Gender.MALE,
        "JH-CV-AX",
        "机加一班",
        "数控车工",
        SkillGrade.MASTER_TECHNICIAN,
        (HonourKind.CRAFTSMAN, HonourLevel.PROVINCIAL, "荆楚工匠", 2023),
        "studio_lead",
    ),
    ("E10002", "王海军", Gender.MALE, "JH-CV-AX", "机加二班", "数控铣工", SkillGrade.TECHNICIAN, None, None),
    ("E10003", "刘芳", Gender.FEMALE, "JH-CV-AX", "热处理班", "热处理工", SkillGrade.SENIOR, None, None),
    ("E10004", "陈刚", Gender.MALE, "JH-CV-AX", "机加一班", "工艺员", SkillGrade.SENIOR_TECHNICIAN, None, None),
    (
        "E10005",
        "周强",
        Gender.MALE,
        "JH-CV-EN",
        "装配一班",
        "装配钳工",
        SkillGrade.SENIOR_TECHNICIAN,
        (HonourKind.MODEL_WORKER, HonourLevel.COMPANY, "公司劳动模范", 2022),
        None,
    ),
    ("E10006", "吴敏", Gender.FEMALE, "JH-CV-EN", "装配二班", "质检员", SkillGrade.SENIOR, None, None),
    (
        "E10007",
        "郑磊",
        Gender.MALE,
        "JH-CV-CA",
        "焊装一班",
        "焊工",
        SkillGrade.CHIEF_TECHNICIAN,
        (HonourKind.MAY_DAY_MEDAL, HonourLevel.PROVINCIAL, "湖北省五一劳动奖章", 2021),
        None,
    ),
    ("E10008", "冯丽", Gender.FEMALE, "JH-CV-CA", "焊装二班", "焊工", SkillGrade.TECHNICIAN, None, None),
    (
        "E10009",
        "孙建平",
        Gender.MALE,
        "JH-PC-AS",
        "总装一班",
        "装调工",
        SkillGrade.SENIOR_TECHNICIAN,
        (HonourKind.CRAFTSMAN, HonourLevel.COMPANY, "信赖工匠", 2024),
        "studio_lead_pc",
    ),
    ("E10010", "何静", Gender.FEMALE, "JH-PC-AS", "总装二班", "电气调试", SkillGrade.TECHNICIAN, None, None),
    (
        "E10011",
        "马超",
        Gender.MALE,
        "JH-PC-ST",
        "冲压一班",
        "模具钳工",
        SkillGrade.MASTER_TECHNICIAN,
        (HonourKind.MODEL_WORKER, HonourLevel.NATIONAL, "全国劳动模范", 2020),
        None,
    ),
    ("E10012", "朱红", Gender.FEMALE, "JH-PC-ST", "冲压二班", "冲压工", SkillGrade.SENIOR, None, None),
    ("E10013", "胡斌", Gender.MALE, "JH-PC-PA", "涂装一班", "涂装工", SkillGrade.TECHNICIAN, None, None),
    (
        "E10014",
        "林涛",
        Gender.MALE,
        "JH-PT-CS",
        "造型班",
        "铸造工",
        SkillGrade.SENIOR_TECHNICIAN,
        (HonourKind.TECHNICAL_EXPERT, HonourLevel.CITY, "十堰市技术能手", 2022),
        None,
    ),
    ("E10015", "高洁", Gender.FEMALE, "JH-PT-EL", "电控班", "电工", SkillGrade.TECHNICIAN, None, None),
    ("E10016", "罗勇", Gender.MALE, "JH-CV-AX", "热处理班", "热处理工", SkillGrade.INTERMEDIATE, None, None),
]


def _person(hq, employee_no, name, gender, unit, team_group, post, grade, honour, login):
    person = Person.objects.filter(employee_no=employee_no).first()
    if person:
        return person
    person = talent_services.person_create(
        actor=hq,
        name=name,
        unit=unit,
        gender=gender,
        employee_no=employee_no,
        team_group=team_group,
        post=post,
        phone=f"1380000{employee_no[-4:]}",
    )
    talent_services.person_grade_change(
        actor=hq, person=person, grade=grade, changed_on=datetime.date(2020, 6, 1), note="职业技能等级认定"
    )
    if honour:
        kind, level, title, year = honour
        talent_services.honour_add(actor=hq, person=person, kind=kind, level=level, title=title, year=year, issuer="")
    if login:
        talent_services.person_link_user(actor=hq, person=person, user=User.objects.get(username=login))
    return person


def _team(actor, studio, people, joined):
    for person, role in people:
        services.membership_add(actor=actor, studio=studio, person=person, role=role, joined_on=joined)


def _fund(actor, studio, year, amount_in, amount_out):
    services.funding_add(
        actor=actor,
        studio=studio,
        direction=FundingDirection.IN,
        source=FundingSource.FOUNDING,
        amount=Decimal(amount_in),
        entry_date=datetime.date(year, 3, 1),
        description="创建经费拨付",
    )
    if Decimal(amount_out) > 0:
        services.funding_add(
            actor=actor,
            studio=studio,
            direction=FundingDirection.OUT,
            use=FundingUse.EQUIPMENT,
            amount=Decimal(amount_out),
            entry_date=datetime.date(year, 6, 15),
            description="购置检测设备",
        )


# The studios named in last year's batch, assessed in last year's round.
NAMED_A, NAMED_B, FAILING = "张卫东车桥工艺创新工作室", "马超模具劳模创新工作室", "周强装配职工创新工作室"
# The first of this year's applications: once it is there, they all are (seed_demo is one transaction).
FIRST_APPLICATION = "郑磊焊接技能大师工作室"


def _context():
    units = {u.code: u for u in Unit.objects.all()}
    kinds = {k.name: k for k in StudioKind.objects.all()}
    people = {p.employee_no: p for p in Person.objects.filter(employee_no__in=[row[0] for row in PEOPLE])}
    users = {name: User.objects.get(username=name) for name in ("hq_cadre", "unit_cadre", "unit_cadre_pc")}
    return units, kinds, people, users


def _register(actor, units, name, kind, unit, lead, **extra):
    fields = {
        "specialty": extra.pop("specialty", ""),
        "founded_on": extra.pop("founded_on", datetime.date(2021, 3, 1)),
        "venue_address": extra.pop("venue_address", f"{units[unit].name}创新活动室"),
        "venue_area": Decimal(extra.pop("venue_area", "60")),
        "planned_projects": extra.pop("planned_projects", 2),
        "description": extra.pop("description", ""),
        **extra,
    }
    return services.studio_create(actor=actor, name=name, kind=kind, unit=units[unit], lead=lead, **fields)


def _through_review(studio, actor_unit, hq, batch=None, stop="approve", approved_on=None):
    services.studio_submit(actor=actor_unit, studio=studio, explanation="")
    if stop == "submit":
        return
    services.studio_recommend(actor=actor_unit, studio=studio, comment="材料齐全，同意推荐")
    if stop == "recommend":
        return
    services.studio_approve(actor=hq, studio=studio, batch=batch, comment="同意公示", approved_on=approved_on)


def seed_studios(stdout=None) -> int:
    """The people and last year's studios, named in last year's batch (one revoked since). This
    year's applications and last year's assessment come later in seed_demo (seed_applications,
    seed_assessments): each is taken on the data as it stands when it happens."""
    if Studio.objects.exists():
        return 0
    hq = User.objects.get(username="hq_cadre")
    cadre_cv = User.objects.get(username="unit_cadre")
    cadre_pc = User.objects.get(username="unit_cadre_pc")
    units = {u.code: u for u in Unit.objects.all()}
    StudioKind.ensure_defaults()
    p = {row[0]: _person(hq, row[0], row[1], row[2], units[row[3]], *row[4:]) for row in PEOPLE}
    kinds = {k.name: k for k in StudioKind.objects.all()}
    model, craft, staff = (kinds[n] for n in ("劳模创新工作室", "工匠创新工作室", "职工创新工作室"))
    this_year = timezone.localdate().year

    def register(actor, name, kind, unit, lead, **extra):
        return _register(actor, units, name, kind, unit, lead, **extra)

    # A batch of the past year, named.
    old_batch = services.batch_create(
        actor=hq,
        year=this_year - 1,
        level="company",
        name="第一批",
        document_no=f"江汽工〔{this_year - 1}〕12号",
        publicity_start=datetime.date(this_year - 1, 5, 6),
        publicity_end=datetime.date(this_year - 1, 5, 12),
    )

    named_a = register(
        cadre_cv,
        NAMED_A,
        craft,
        "JH-CV-AX",
        p["E10001"],
        specialty="车桥机加与热处理工艺",
        venue_area="120",
        description="聚焦车桥壳体加工精度与热处理变形控制。",
    )
    _team(
        cadre_cv,
        named_a,
        [
            (p["E10002"], MemberRole.CORE),
            (p["E10003"], MemberRole.CORE),
            (p["E10004"], MemberRole.LIAISON),
            (p["E10016"], MemberRole.MEMBER),
        ],
        datetime.date(2021, 3, 1),
    )
    _fund(cadre_cv, named_a, this_year - 1, "50000", "18600")
    named_b = register(
        cadre_pc,
        NAMED_B,
        model,
        "JH-PC-ST",
        p["E10011"],
        specialty="冲压模具快速修复",
        founded_on=datetime.date(2018, 9, 1),
        venue_area="90",
        applying_demonstration=True,
    )
    _team(
        cadre_pc, named_b, [(p["E10012"], MemberRole.CORE), (p["E10013"], MemberRole.MEMBER)], datetime.date(2018, 9, 1)
    )
    _fund(cadre_pc, named_b, this_year - 1, "80000", "30500")
    failing = register(cadre_cv, FAILING, staff, "JH-CV-EN", p["E10005"], specialty="发动机装配防错")
    _team(
        cadre_cv, failing, [(p["E10006"], MemberRole.CORE), (p["E10004"], MemberRole.MEMBER)], datetime.date(2021, 3, 1)
    )
    _fund(cadre_cv, failing, this_year - 1, "20000", "0")
    revoked = register(cadre_pc, "胡斌涂装职工创新工作室", staff, "JH-PC-PA", p["E10013"], specialty="涂装节能")
    _team(
        cadre_pc,
        revoked,
        [(p["E10012"], MemberRole.MEMBER), (p["E10010"], MemberRole.MEMBER)],
        datetime.date(2021, 3, 1),
    )
    _fund(cadre_pc, revoked, this_year - 1, "10000", "0")
    # Two studios of the parts company (no unit cadre login there: HQ registers and reviews them).
    casting = register(
        hq, "林涛铸造工匠创新工作室", craft, "JH-PT-CS", p["E10014"], specialty="铸件缺陷控制", venue_area="80"
    )
    _team(hq, casting, [(p["E10004"], MemberRole.MEMBER), (p["E10016"], MemberRole.MEMBER)], datetime.date(2021, 3, 1))
    _fund(hq, casting, this_year - 1, "30000", "9000")
    electric = register(
        hq, "高洁电器职工创新工作室", staff, "JH-PT-EL", p["E10015"], specialty="线束与电控检测", venue_area="50"
    )
    _team(hq, electric, [(p["E10010"], MemberRole.MEMBER), (p["E10008"], MemberRole.MEMBER)], datetime.date(2021, 3, 1))
    _fund(hq, electric, this_year - 1, "20000", "0")
    reviewed = ((named_a, cadre_cv), (named_b, cadre_pc), (failing, cadre_cv), (revoked, cadre_pc))
    for studio, cadre in (*reviewed, (casting, hq), (electric, hq)):
        _through_review(studio, cadre, hq, old_batch, approved_on=old_batch.publicity_start)
    services.batch_name(actor=hq, batch=old_batch, named_on=datetime.date(this_year - 1, 5, 20))
    services.level_record_add(
        actor=hq,
        studio=named_b,
        level="provincial",
        demonstration=True,
        awarded_on=datetime.date(this_year - 1, 11, 8),
        document_no=f"鄂工〔{this_year - 1}〕45号",
        issuer="湖北省总工会",
    )
    services.studio_revoke(
        actor=hq, studio=revoked, reason_code=RevocationReason.LEAD_MOVED, comment="领衔人调离原岗位"
    )
    return Studio.objects.count()


def seed_assessments(stdout=None) -> int:
    """Last year's assessment: one excellent, one failing (sent to rectification). Seeded after the
    projects, results, pairings and training of the year, so its figures are the year's."""
    if AssessmentRound.objects.exists() or not Studio.objects.filter(name=FAILING).exists():
        return 0
    units, _kinds, _people, users = _context()
    hq, cadre_cv, cadre_pc = users["hq_cadre"], users["unit_cadre"], users["unit_cadre_pc"]
    today = timezone.localdate()
    failing = Studio.objects.get(name=FAILING)
    assessment_round = services.round_open(actor=hq, year=today.year - 1)
    for assessment in assessment_round.assessments.select_related("studio", "studio__lead__user", "studio__unit"):
        lead = assessment.studio.lead.user or hq
        actor_unit = next(
            (
                c
                for code, c in (("JH-CV", cadre_cv), ("JH-PC", cadre_pc))
                if assessment.studio.unit.path.startswith(units[code].path)
            ),
            hq,
        )
        services.assessment_self_submit(
            actor=lead if lead.is_active else hq,
            assessment=assessment,
            summary="全年开展课题攻关与师带徒活动，详见附表。",
        )
        failing_one = assessment.studio_id == failing.pk
        services.assessment_unit_score(
            actor=actor_unit, assessment=assessment, score=Decimal("55" if failing_one else "92"), comment=""
        )
        services.assessment_grade(
            actor=hq,
            assessment=assessment,
            grade=AssessmentGrade.FAIL if failing_one else AssessmentGrade.EXCELLENT,
            comment="全年无课题结题，活动开展不足" if failing_one else "",
            deadline=today + datetime.timedelta(days=90) if failing_one else None,
        )
    return assessment_round.assessments.count()


def seed_applications(stdout=None) -> int:
    """This year's applications at every step, with this year's batch in its public notice. Seeded
    after the pairings, whose skill-grade changes (刘芳 became a technician last year) come before
    these submissions: the eligibility check stored with each is taken on the lead's record then."""
    if Studio.objects.filter(name=FIRST_APPLICATION).exists() or not Studio.objects.exists():
        return 0
    units, kinds, p, users = _context()
    hq, cadre_cv, cadre_pc = users["hq_cadre"], users["unit_cadre"], users["unit_cadre_pc"]
    craft, staff, master = (kinds[n] for n in ("工匠创新工作室", "职工创新工作室", "技能大师工作室"))
    today = timezone.localdate()
    this_year = today.year
    before = Studio.objects.count()

    def register(actor, name, kind, unit, lead, **extra):
        return _register(actor, units, name, kind, unit, lead, **extra)

    new_batch = services.batch_create(
        actor=hq,
        year=this_year,
        level="company",
        name="第一批",
        document_no=f"江汽工〔{this_year}〕8号",
        publicity_start=today,
        publicity_end=today + datetime.timedelta(days=7),
    )
    publicised = register(cadre_cv, FIRST_APPLICATION, master, "JH-CV-CA", p["E10007"], specialty="车身焊接")
    _team(
        cadre_cv,
        publicised,
        [(p["E10008"], MemberRole.CORE), (p["E10002"], MemberRole.MEMBER)],
        datetime.date(2022, 4, 1),
    )
    _fund(cadre_cv, publicised, this_year, "30000", "0")
    _through_review(publicised, cadre_cv, hq, new_batch)

    recommended = register(
        cadre_pc, "孙建平总装调试创新工作室", craft, "JH-PC-AS", p["E10009"], specialty="整车电气调试"
    )
    _team(
        cadre_pc,
        recommended,
        [(p["E10010"], MemberRole.CORE), (p["E10012"], MemberRole.MEMBER)],
        datetime.date(2022, 4, 1),
    )
    _fund(cadre_pc, recommended, this_year, "25000", "0")
    _through_review(recommended, cadre_pc, hq, stop="recommend")

    submitted = register(
        cadre_cv,
        "刘芳热处理职工创新工作室",
        staff,
        "JH-CV-AX",
        p["E10003"],
        specialty="热处理变形控制",
        venue_area="25",
        planned_projects=1,
    )
    _team(cadre_cv, submitted, [(p["E10016"], MemberRole.MEMBER)], datetime.date(2023, 2, 1))
    services.studio_submit(actor=cadre_cv, studio=submitted, explanation="场地正在扩建，年底可达 40 平方米。")

    returned = register(cadre_cv, "吴敏质检职工创新工作室", staff, "JH-CV-EN", p["E10006"], specialty="在线质检")
    _team(
        cadre_cv,
        returned,
        [(p["E10005"], MemberRole.MEMBER), (p["E10004"], MemberRole.MEMBER)],
        datetime.date(2023, 2, 1),
    )
    _fund(cadre_cv, returned, this_year, "8000", "0")
    services.studio_submit(actor=cadre_cv, studio=returned, explanation="领衔人已报考技师，预计年内取得证书。")
    services.studio_return(actor=cadre_cv, studio=returned, reason="请补充活动场所照片和年度课题计划。")

    rejected = register(
        cadre_pc, "朱红冲压职工创新工作室", staff, "JH-PC-ST", p["E10012"], specialty="冲压", planned_projects=0
    )
    services.studio_submit(actor=cadre_pc, studio=rejected, explanation="团队正在组建中。")
    services.studio_recommend(actor=cadre_pc, studio=rejected, comment="")
    services.studio_reject(actor=hq, studio=rejected, reason="与马超模具劳模创新工作室方向重复，建议并入。")

    register(cadre_cv, "王海军数控创新工作室", staff, "JH-CV-AX", p["E10002"], specialty="数控编程")
    return Studio.objects.count() - before
