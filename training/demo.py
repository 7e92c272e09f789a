"""Demo training classes (used by seed_demo): the group's exchange class for studio leads, finished,
with its three courses, sign-ins, feedback and certificates; a topical class of the commercial-vehicle
company open for enrolment with a waiting list; a results showcase in preparation."""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import Unit, User
from talent.models import Person

from . import services
from .models import TrainingClass

EXCHANGE_TITLE = "江汉汽车集团2026年创新工作室领衔人交流培训班"
COURSES = [
    ("《生产现场创新的思路与方法》", "刘建华", "全国劳动模范、集团首席技师", 9, Decimal("3")),
    ("《创新工作室联盟的组织与实施》", "王建国", "集团工会副主席", 14, Decimal("2.5")),
    ("《创新成果的总结、申报与推广应用》", "陈刚", "高级技师", 9, Decimal("3")),
]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def seed_training() -> int:
    if TrainingClass.objects.filter(title=EXCHANGE_TITLE).exists():
        return 0
    hq = User.objects.get(username="hq_cadre")
    cadre_cv = User.objects.get(username="unit_cadre")
    cadre_pc = User.objects.get(username="unit_cadre_pc")
    units = {u.code: u for u in Unit.objects.filter(code__in=["JH", "JH-CV", "JH-PC"])}
    people = {p.employee_no: p for p in Person.objects.filter(employee_no__startswith="E100")}

    # 1. The group's exchange class, held in October and finished.
    first_day = datetime.date(timezone.localdate().year, 10, 20)
    if first_day >= timezone.localdate():
        first_day = timezone.localdate() - datetime.timedelta(days=30)
    exchange = services.class_create(
        actor=hq,
        title=EXCHANGE_TITLE,
        kind="exchange",
        organiser=units["JH"],
        starts_on=first_day,
        ends_on=first_day + datetime.timedelta(days=1),
        place="集团职工培训中心二楼报告厅",
        capacity=40,
        waitlist_limit=10,
        audience="各单位创新工作室领衔人、联络员及工会干部",
        description="交流创新工作室建设经验，学习生产现场创新方法，部署创新工作室联盟试点工作。",
        contact="李晓燕",
        contact_phone="027-84280001",
    )
    sessions = []
    for index, (title, speaker, post, hour, hours) in enumerate(COURSES):
        day = first_day + datetime.timedelta(days=1 if index == 2 else 0)
        sessions.append(
            services.session_create(
                actor=hq,
                training_class=exchange,
                title=title,
                speaker=speaker,
                speaker_title=post,
                starts_at=_at(day, hour),
                ends_at=_at(day, hour) + datetime.timedelta(hours=float(hours)),
                hours=hours,
                room="二楼报告厅",
            )
        )
    services.class_open_enrolment(actor=hq, training_class=exchange)
    cv_people = [people[n] for n in ("E10001", "E10002", "E10004", "E10005", "E10007", "E10008") if n in people]
    pc_people = [people[n] for n in ("E10009", "E10011", "E10012", "E10010") if n in people]
    services.enrol(actor=cadre_cv, training_class=exchange, people=cv_people)
    services.enrol(actor=cadre_pc, training_class=exchange, people=pc_people)
    services.class_start(actor=hq, training_class=exchange)
    enrolled = list(exchange.enrolments.select_related("person").order_by("pk"))
    comments = [
        "现场案例贴近一线，回去就能用在班组QC活动里。",
        "联盟的组织方式讲得很清楚，希望多组织跨单位交流。",
        "",
        "建议增加成果申报材料的实操辅导。",
    ]
    for number, enrolment in enumerate(enrolled):
        for index, session in enumerate(sessions):
            if (number + index) % 7 == 6:  # a few absences
                continue
            services.sign_in(
                session=session,
                employee_no=enrolment.person.employee_no,
                name=enrolment.person.name,
                now=session.starts_at + datetime.timedelta(minutes=5 + number),
            )
        if number < len(comments):
            services.feedback_submit(
                enrolment=enrolment,
                content_rating=5 - number % 2,
                speaker_rating=5,
                organisation_rating=4 + (number % 2),
                comment=comments[number],
                suggestion="希望每年举办一次。" if number == 0 else "",
            )
    services.class_finish(actor=hq, training_class=exchange)

    # 2. A topical class of the commercial-vehicle company, open for enrolment: full, one waiting.
    start = timezone.localdate() + datetime.timedelta(days=16)
    topical = services.class_create(
        actor=cadre_cv,
        title="商用车公司QC小组活动与成果发布专题培训",
        kind="topical",
        organiser=units["JH-CV"],
        starts_on=start,
        ends_on=start,
        place="商用车公司三楼会议室",
        capacity=3,
        waitlist_limit=2,
        audience="各厂QC小组组长、工作室骨干",
        contact="周丽",
    )
    services.session_create(
        actor=cadre_cv,
        training_class=topical,
        title="《QC小组活动的程序与常用工具》",
        speaker="陈刚",
        speaker_title="高级技师",
        starts_at=_at(start, 9),
        ends_at=_at(start, 12),
        hours=Decimal("3"),
    )
    services.class_open_enrolment(actor=cadre_cv, training_class=topical)
    services.enrol(
        actor=cadre_cv,
        training_class=topical,
        people=[people[n] for n in ("E10003", "E10006", "E10016", "E10002") if n in people],
    )

    # 3. A results showcase of the passenger-car company, still being prepared.
    showcase_day = timezone.localdate() + datetime.timedelta(days=40)
    services.class_create(
        actor=cadre_pc,
        title="乘用车公司职工创新成果展示交流会",
        kind="showcase",
        organiser=units["JH-PC"],
        starts_on=showcase_day,
        ends_on=showcase_day,
        place="乘用车公司职工之家",
        capacity=120,
        waitlist_limit=0,
        audience="乘用车公司各工作室及班组代表",
    )
    return TrainingClass.objects.count()
