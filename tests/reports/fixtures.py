"""A hand-built year of data with known figures for the indicator tests.

The year is 2025. Every kind of item comes in three flavours: inside the year and the subtree
(counts), just outside the year (31 Dec 2024 / 1 Jan 2026, must not count), and in the other
branch (counts for the root and branch B, not for branch A). Unverified results never count.
The expected figures, worked out by hand, are in EXPECTED at the bottom, per scope.
"""

import datetime
from decimal import Decimal

from achievements.models import Adoption, Project, ProjectKind, Result
from alliances.models import AllianceFundingEntry, Designation, DesignationBatch
from mentoring.choices import PairingStatus
from studios.models import FundingEntry, LevelRecord, Membership, StudioKind
from talent.models import Honour, SkillGradeChange

from ..alliances.fixtures import make_alliance
from ..factories import PersonFactory, StudioFactory
from ..mentoring.fixtures import make_pairing
from ..training.fixtures import add_session, attend, enrol, make_class, trainee

YEAR = 2025
D = datetime.date


def studio(world, unit, *, status="named", level="", kind=0, **fields):
    kinds = list(StudioKind.objects.order_by("pk"))
    return StudioFactory(
        unit=unit,
        lead=PersonFactory(unit=unit),
        status=status,
        level=level,
        kind=kinds[kind],
        **fields,
    )


def build_year(world, *, copies: int = 1) -> dict:
    """The year's data; `copies` > 1 repeats the whole set (for the query-count test)."""
    made = {}
    for _ in range(copies):
        made = _build_once(world, DesignationBatch.objects.count())
    return made


def _build_once(world, copy):
    a, a1, b1 = world.branch_a, world.plant_a1, world.plant_b1
    s = {}
    # The world's B1 studio was named (no date kept) when the record was made: pin it to 2026.
    type(world.other_studio).objects.filter(pk=world.other_studio.pk).update(named_on=D(2026, 1, 1))
    # Studios ------------------------------------------------------------------------------
    # At the end of 2025: s1 (A1, company then, provincial now), s2 (A1, rectifying, city),
    # s3 (branch A itself, revoked only in 2026, unit level), s6 (B1, named on 31 Dec, national).
    s["s1"] = studio(world, a1, level="provincial", kind=0, named_on=D(2025, 3, 1))
    LevelRecord.objects.create(studio=s["s1"], level="company", awarded_on=D(2025, 3, 1))
    LevelRecord.objects.create(studio=s["s1"], level="provincial", awarded_on=D(2026, 2, 1))
    s["s2"] = studio(world, a1, status="rectifying", level="city", kind=1, named_on=D(2023, 5, 1))
    s["s3"] = studio(world, a, status="revoked", level="unit", kind=0, named_on=D(2022, 1, 1), revoked_on=D(2026, 3, 1))
    # Revoked in 2025: counts as revoked, not at the year's end.
    s["s4"] = studio(
        world, a1, status="revoked", level="company", kind=0, named_on=D(2021, 1, 1), revoked_on=D(2025, 6, 1)
    )
    s["s5"] = studio(world, a1, level="company", named_on=D(2026, 1, 10))  # named just after the year
    s["s6"] = studio(world, b1, level="national", kind=1, named_on=D(2025, 12, 31))
    s["s7"] = studio(world, a1, status="draft")
    s["s8"] = studio(world, b1, status="revoked", level="company", named_on=D(2020, 1, 1), revoked_on=D(2024, 12, 31))
    # Team: each studio has its lead (joined 2024); s1 gets one joiner in the year, one after it,
    # one who left in the year and one who left after it.
    for joined, left in ((D(2025, 6, 1), None), (D(2026, 1, 2), None), (D(2024, 1, 1), D(2025, 5, 1))):
        Membership.objects.create(studio=s["s1"], person=PersonFactory(unit=a1), joined_on=joined, left_on=left)
    Membership.objects.create(
        studio=s["s1"], person=PersonFactory(unit=a1), joined_on=D(2024, 1, 1), left_on=D(2026, 2, 1)
    )
    Membership.objects.create(studio=s["s4"], person=PersonFactory(unit=a1), joined_on=D(2024, 1, 1))

    # Alliances and pilot units -----------------------------------------------------------------
    al1 = make_alliance(world, lead_unit=a)
    al2 = make_alliance(world, lead_unit=world.branch_b)
    type(al2).objects.filter(pk=al2.pk).update(founded_on=D(2026, 1, 5))
    al3 = make_alliance(world, status="dissolved", lead_unit=world.branch_b, dissolved_on=D(2026, 3, 1))
    make_alliance(world, status="dissolved", lead_unit=a, dissolved_on=D(2025, 5, 1))
    make_alliance(world, status="preparing", lead_unit=a)
    batch = DesignationBatch.objects.create(
        name=f"首批{copy}", designated_on=D(2025, 3, 20), status="published", published_on=D(2025, 4, 1)
    )
    Designation.objects.create(batch=batch, kind="pilot", alliance=al1)
    Designation.objects.create(batch=batch, kind="pilot", studio=s["s6"])
    Designation.objects.create(batch=batch, kind="demonstration", studio=s["s1"])
    # Designated in 2024, entered and published in January 2025: it counts in 2024 (the document's
    # date), as a studio counts by its naming date.
    old = DesignationBatch.objects.create(
        name=f"旧批{copy}", designated_on=D(2024, 11, 1), status="published", published_on=D(2025, 1, 10)
    )
    Designation.objects.create(batch=old, kind="pilot", studio=s["s2"])
    draft = DesignationBatch.objects.create(name=f"草稿{copy}", designated_on=D(2025, 6, 1))
    Designation.objects.create(batch=draft, kind="pilot", studio=s["s1"])

    # Projects ----------------------------------------------------------------------------------
    kind = ProjectKind.objects.first()

    def project(owner, started, status="in_progress", closed=None):
        return Project.objects.create(
            studio=owner,
            title=f"课题{Project.objects.count() + 1}",
            kind=kind,
            leader=owner.lead,
            started_on=started,
            planned_end_on=started + datetime.timedelta(days=400),
            status=status,
            closed_on=closed,
        )

    project(s["s1"], D(2025, 2, 1), "closed", D(2025, 11, 1))
    project(s["s6"], D(2024, 6, 1), "closed", D(2025, 3, 1))
    project(s["s2"], D(2025, 12, 31))
    project(s["s1"], D(2024, 12, 31), "terminated", D(2025, 2, 1))
    project(s["s1"], D(2026, 1, 1))

    # Results -----------------------------------------------------------------------------------
    def result(owner, category, achieved, status="verified", benefit=None, benefit_year=None):
        return Result.objects.create(
            studio=owner,
            title=f"成果{Result.objects.count() + 1}",
            category=category,
            achieved_on=achieved,
            status=status,
            benefit=benefit,
            benefit_year=benefit_year,
        )

    r1 = result(s["s1"], "invention_patent", D(2025, 3, 1), benefit=Decimal("100000"), benefit_year=2025)
    result(s["s1"], "utility_model", D(2025, 7, 1), benefit=Decimal("50000.50"), benefit_year=2024)
    r3 = result(s["s2"], "technical_innovation", D(2025, 12, 31), benefit=Decimal("20000"), benefit_year=2025)
    r4 = result(s["s6"], "utility_model", D(2025, 1, 1), benefit=Decimal("30000"), benefit_year=2025)
    r5 = result(s["s1"], "invention_patent", D(2025, 5, 1), "submitted", Decimal("999999"), 2025)
    result(s["s1"], "technical_innovation", D(2024, 12, 31), benefit=Decimal("7000"), benefit_year=2025)
    result(s["s4"], "qc_result", D(2025, 2, 2))
    result(s["s1"], "paper", D(2026, 1, 1))
    result(s["s6"], "design_patent", D(2025, 4, 4), "returned")

    Adoption.objects.create(result=r1, unit=b1, adopted_on=D(2025, 4, 1), yearly_benefit=Decimal("10000"))
    Adoption.objects.create(result=r1, organisation="某汽车零部件公司", adopted_on=D(2025, 8, 1), yearly_benefit=5000)
    Adoption.objects.create(result=r4, unit=a1, adopted_on=D(2025, 9, 1), yearly_benefit=Decimal("2000"))
    Adoption.objects.create(result=r5, unit=a1, adopted_on=D(2025, 9, 1), yearly_benefit=Decimal("800"))
    Adoption.objects.create(result=r3, organisation="某研究院", adopted_on=D(2026, 1, 1), yearly_benefit=900)

    # Training ----------------------------------------------------------------------------------
    c1 = make_class(world, status="finished", organiser=a, starts_on=D(2025, 5, 1), ends_on=D(2025, 5, 2))
    se1, se2 = add_session(c1, hours="2"), add_session(c1, hours="3.5")
    t1, t2, _never_attends = (enrol(c1, trainee(world), world) for _ in range(3))
    attend(se1, t1)
    attend(se2, t1)
    attend(se1, t2)
    c2 = make_class(world, status="running", organiser=b1, starts_on=D(2025, 12, 30), ends_on=D(2026, 1, 2))
    attend(add_session(c2, hours="4"), enrol(c2, trainee(world, b1), world))
    c3 = make_class(world, status="enrolling", organiser=a, starts_on=D(2025, 6, 1), ends_on=D(2025, 6, 2))
    attend(add_session(c3), enrol(c3, trainee(world), world))
    c4 = make_class(world, status="finished", organiser=a, starts_on=D(2024, 12, 31), ends_on=D(2025, 1, 2))
    attend(add_session(c4), enrol(c4, trainee(world), world))

    # Mentoring: pairings in draft studios (which count nowhere else) -----------------------------
    pa = studio(world, a1, status="draft")
    pb = studio(world, b1, status="draft")
    make_pairing(world, studio=pa, agreement_on=D(2025, 3, 1))
    make_pairing(world, studio=pa, agreement_on=D(2024, 3, 1), status=PairingStatus.GRADUATED)  # ends 2025-03-01
    make_pairing(world, studio=pb, agreement_on=D(2024, 6, 1), status=PairingStatus.GRADUATED)  # ends 2025-06-01
    make_pairing(world, studio=pa, agreement_on=D(2024, 1, 15), term_months=6, status=PairingStatus.FAILED)
    make_pairing(world, studio=pa, agreement_on=D(2025, 2, 1), term_months=6, status=PairingStatus.FAILED)
    make_pairing(world, studio=pa, agreement_on=D(2023, 12, 1), status=PairingStatus.GRADUATED)  # ends 2024-12-01

    # Skill grades ------------------------------------------------------------------------------
    def person_with(unit, *changes):
        person = PersonFactory(unit=unit)
        for grade, on in changes:
            SkillGradeChange.objects.create(person=person, grade=grade, changed_on=on)
        return person

    q1 = person_with(a1, ("senior", D(2020, 1, 1)), ("technician", D(2025, 4, 1)))  # up
    person_with(a1, ("technician", D(2019, 1, 1)), ("senior", D(2025, 5, 1)))  # down
    q3 = person_with(b1, ("junior", D(2025, 2, 1)))  # first grade: up from none
    person_with(a1, ("intermediate", D(2025, 1, 10)), ("senior", D(2025, 10, 1)))  # up twice
    person_with(a1, ("senior", D(2024, 12, 31)))  # before the year
    person_with(a1, ("technician", D(2022, 1, 1)), ("technician", D(2025, 6, 1)))  # same grade again

    # Honours -------------------------------------------------------------------------------------
    Honour.objects.create(person=q1, kind="craftsman", level="company", title=f"信赖工匠{copy}", year=2025)
    Honour.objects.create(person=q3, kind="technical_expert", level="provincial", title=f"技术能手{copy}", year=2025)
    Honour.objects.create(person=q1, kind="model_worker", level="national", title=f"劳动模范{copy}", year=2024)
    Honour.objects.create(
        person=PersonFactory(unit=a1), kind="other", level="company", title=f"先进个人{copy}", year=2025
    )

    # Funding -------------------------------------------------------------------------------------
    FundingEntry.objects.create(
        studio=s["s1"], direction="in", source="special", amount=50000, entry_date=D(2025, 1, 1)
    )
    FundingEntry.objects.create(
        studio=s["s6"], direction="in", source="special", amount=20000, entry_date=D(2025, 6, 1)
    )
    AllianceFundingEntry.objects.create(
        alliance=al1, direction="in", source="union_grant", amount=30000, entry_date=D(2025, 12, 31)
    )
    FundingEntry.objects.create(
        studio=s["s1"], direction="in", source="founding", amount=1000, entry_date=D(2024, 12, 31)
    )
    FundingEntry.objects.create(
        studio=s["s1"], direction="out", use="equipment", amount=Decimal("12000.50"), entry_date=D(2025, 3, 3)
    )
    AllianceFundingEntry.objects.create(
        alliance=al3, direction="out", use="training", amount=8000, entry_date=D(2025, 4, 4)
    )
    AllianceFundingEntry.objects.create(
        alliance=al1, direction="out", use="equipment", amount=3000, entry_date=D(2026, 1, 1)
    )
    # Wrong lines cancelled by their reversing lines (冲销): counted nowhere, neither amount nor line.
    wrong = FundingEntry.objects.create(
        studio=s["s6"], direction="in", source="special", amount=9999, entry_date=D(2025, 7, 1)
    )
    FundingEntry.objects.create(
        studio=s["s6"], direction="in", source="special", amount=-9999, entry_date=D(2025, 7, 1), reverses=wrong
    )
    wrong = AllianceFundingEntry.objects.create(
        alliance=al1, direction="out", use="equipment", amount=500, entry_date=D(2025, 5, 5)
    )
    AllianceFundingEntry.objects.create(
        alliance=al1, direction="out", use="equipment", amount=-500, entry_date=D(2025, 5, 5), reverses=wrong
    )
    return s


# Hand-computed figures, per scope: code → (total of the main figure, {row keys: main figure}).
K0, K1 = "k0", "k1"  # replaced by the kinds' ids in the tests
EXPECTED = {
    "root": {
        "studios_by_level": {("unit",): 1, ("company",): 1, ("city",): 1, ("national",): 1},
        "studios_by_kind": {(K0,): 2, (K1,): 2},
        "studios_by_unit": {("A",): 3, ("B",): 1},
        "studios_named": 2,
        "studios_revoked": 1,
        "team_size": 6,
        "alliances": 2,
        "pilot_units": 2,
        "projects_started": 2,
        "projects_closed": 2,
        "results_by_category": {
            ("invention_patent",): 1,
            ("utility_model",): 2,
            ("technical_innovation",): 1,
            ("qc_result",): 1,
        },
        "patents_by_type": {("invention_patent",): 1, ("utility_model",): 2},
        "results_applied": {("inside",): 2, ("outside",): 1},
        "economic_benefit": {("A",): Decimal("127000"), ("B",): Decimal("30000")},
        "training_classes": 2,
        "training_sessions": 3,
        "training_person_times": 3,
        "training_hours": Decimal("11.5"),
        "pairings_started": 2,
        "pairings_graduated": 2,
        "skill_upgrades": {("technician",): 1, ("junior",): 1, ("intermediate",): 1, ("senior",): 1},
        "honours_by_level": {("company",): 2, ("provincial",): 1},
        "funding_in": {("special",): Decimal("70000"), ("union_grant",): Decimal("30000")},
        "funding_out": {("equipment",): Decimal("12000.50"), ("training",): Decimal("8000")},
    },
    "branch_a": {
        "studios_by_level": {("unit",): 1, ("company",): 1, ("city",): 1},
        "studios_by_kind": {(K0,): 2, (K1,): 1},
        "studios_by_unit": {("A1",): 2, ("A",): 1},
        "studios_named": 1,
        "studios_revoked": 1,
        "team_size": 5,
        "alliances": 1,
        "pilot_units": 1,
        "projects_started": 2,
        "projects_closed": 1,
        "results_by_category": {
            ("invention_patent",): 1,
            ("utility_model",): 1,
            ("technical_innovation",): 1,
            ("qc_result",): 1,
        },
        "patents_by_type": {("invention_patent",): 1, ("utility_model",): 1},
        "results_applied": {("inside",): 1, ("outside",): 1},
        "economic_benefit": {("A1",): Decimal("127000")},
        "training_classes": 1,
        "training_sessions": 2,
        "training_person_times": 2,
        "training_hours": Decimal("7.5"),
        "pairings_started": 2,
        "pairings_graduated": 1,
        "skill_upgrades": {("technician",): 1, ("intermediate",): 1, ("senior",): 1},
        "honours_by_level": {("company",): 2},
        "funding_in": {("special",): Decimal("50000"), ("union_grant",): Decimal("30000")},
        "funding_out": {("equipment",): Decimal("12000.50")},
    },
    "branch_b": {
        "studios_by_level": {("national",): 1},
        "studios_by_kind": {(K1,): 1},
        "studios_by_unit": {("B1",): 1},
        "studios_named": 1,
        "studios_revoked": 0,
        "team_size": 1,
        "alliances": 1,
        "pilot_units": 1,
        "projects_started": 0,
        "projects_closed": 1,
        "results_by_category": {("utility_model",): 1},
        "patents_by_type": {("utility_model",): 1},
        "results_applied": {("inside",): 1},
        "economic_benefit": {("B1",): Decimal("30000")},
        "training_classes": 1,
        "training_sessions": 1,
        "training_person_times": 1,
        "training_hours": Decimal("4"),
        "pairings_started": 0,
        "pairings_graduated": 1,
        "skill_upgrades": {("junior",): 1},
        "honours_by_level": {("provincial",): 1},
        "funding_in": {("special",): Decimal("20000")},
        "funding_out": {("training",): Decimal("8000")},
    },
}
