"""Builders of mentoring data for the mentoring tests and the permission matrix.

A studio pairing lives in a named studio of plant A1 led by `studio_lead`: HQ, branch A's cadre
and the lead manage it; leadership sees it; branch B's cadre, the other lead and the expert do not
see it. The apprentice works in A1, so HQ and branch A's cadre may record their skill grades.
An alliance pairing crosses units: an alliance led by branch A with the A1 studio and the B1 studio
(`world.other_studio`) as members, the mentor from A1 and the apprentice from B1.
"""

import datetime

from django.core.files.base import ContentFile

from mentoring.choices import EndReason, GraduationGrade, PairingStatus
from mentoring.models import GraduationAssessment, Pairing, Placement, ProgressLog
from mentoring.periods import term_end
from studios.models import Membership
from talent.models import SkillGradeChange

from ..alliances.fixtures import add_member, make_alliance
from ..factories import PersonFactory

AGREED = datetime.date(2024, 3, 1)
JOINED = datetime.date(2023, 1, 1)


def join(studio, person, *, role="member", joined_on=JOINED):
    Membership.objects.create(studio=studio, person=person, role=role, joined_on=joined_on)
    return person


def member(studio, *, unit=None, grade=None, graded_on=datetime.date(2020, 6, 1), **fields):
    """A new person in the studio's team (of the studio's unit unless told), with a skill grade."""
    person = PersonFactory(unit=unit or studio.unit, **fields)
    if grade:
        grade_person(person, grade, graded_on)
    return join(studio, person)


def grade_person(person, grade, on):
    SkillGradeChange.objects.create(person=person, grade=grade, changed_on=on)
    newest = SkillGradeChange.objects.filter(person=person).order_by("-changed_on", "-id").first()
    person.skill_grade = newest.grade
    person.save(update_fields=["skill_grade"])


def named_studio(world, **fields):
    return world.studio(status="named", level="company", **fields)


def make_pairing(
    world,
    *,
    status=PairingStatus.ACTIVE,
    studio=None,
    alliance=None,
    mentor=None,
    apprentice=None,
    agreement_on=AGREED,
    term_months=12,
    with_file=False,
    score=None,
    **fields,
):
    """A pairing written directly (the services are tested on their own): in a studio of A1 by
    default, closed as `status` says (graduated and failed ones with their assessment)."""
    if studio is None and alliance is None:
        studio = named_studio(world)
    if studio is not None:
        mentor = mentor or member(studio, grade="technician")
        apprentice = apprentice or member(studio, grade="senior")
    term_ends_on = term_end(agreement_on, term_months)
    closed_on = min(term_ends_on, datetime.date.today()) if status != PairingStatus.ACTIVE else None
    pairing = Pairing(
        studio=studio,
        alliance=alliance,
        unit=studio.unit if studio is not None else mentor.unit,
        mentor=mentor,
        apprentice=apprentice,
        agreement_on=agreement_on,
        term_months=term_months,
        term_ends_on=term_ends_on,
        goals="掌握数控车床编程与精度控制，独立完成桥壳加工。",
        status=status,
        ended_on=fields.pop("ended_on", closed_on),
        end_reason=EndReason.MENTOR_LEFT if status == PairingStatus.ENDED else "",
        recorded_by=world.hq,
        **fields,
    )
    if with_file:
        pairing.agreement.save("agreement.pdf", ContentFile(b"%PDF-1.4 agreement"), save=False)
    pairing.save()
    if status in (PairingStatus.GRADUATED, PairingStatus.FAILED):
        grade = GraduationGrade.PASS if status == PairingStatus.GRADUATED else GraduationGrade.FAIL
        GraduationAssessment.objects.create(
            pairing=pairing,
            assessed_on=pairing.ended_on,
            score=score if score is not None else (80 if grade == GraduationGrade.PASS else 50),
            grade=grade,
            assessors="车间主任、工会主席",
        )
    return pairing


def alliance_setup(world):
    """An alliance led by branch A with member studios in A1 and B1, and a person of each team."""
    alliance = make_alliance(world, name="跨单位联盟")
    studio_a = named_studio(world)
    add_member(alliance, studio_a)
    add_member(alliance, world.other_studio)
    mentor = member(studio_a, grade="senior_technician")
    apprentice = member(world.other_studio, grade="senior")
    return alliance, studio_a, mentor, apprentice


def alliance_pairing(world, **fields):
    alliance, _studio, mentor, apprentice = alliance_setup(world)
    return make_pairing(world, alliance=alliance, mentor=mentor, apprentice=apprentice, **fields)


def pairing_pk(**fields):
    def build(world):
        return {"pk": make_pairing(world, **fields).pk}

    return build


def log(pairing, on, content="讲解图纸"):
    return ProgressLog.objects.create(pairing=pairing, logged_on=on, content=content)


def placement(pairing, on, competition="公司职业技能大赛", level="company", place="一等奖"):
    return Placement.objects.create(
        pairing=pairing, competition=competition, level=level, placement=place, placed_on=on
    )
