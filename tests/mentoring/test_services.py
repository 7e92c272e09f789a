"""Pairing rules: the lifecycle with every refusal, the graduation assessment once, ending early,
progress and placement dates, who may be paired in a studio and across units in an alliance,
duplicates, skill grades recorded once through the people registry, and the reward rule."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import translation

from core.exceptions import TransitionNotAllowed
from core.models import AuditEvent, Notification
from mentoring import services
from mentoring.models import GraduationAssessment, Pairing, Placement, ProgressLog, RewardRule
from studios.models import Membership
from talent.models import SkillGradeChange

from ..alliances.fixtures import add_member
from ..bad_input import today
from ..conftest import skip_or_fail
from ..factories import PersonFactory, StudioFactory, UnitFactory, UserFactory
from .fixtures import AGREED, alliance_setup, log, make_pairing, member, named_studio, placement

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def tomorrow():
    """Tomorrow, worked out when the test runs (a full run may cross midnight)."""
    return today() + DAY


def events(pairing, action):
    return AuditEvent.objects.filter(object_id=str(pairing.pk), action=action).count()


def create(world, actor=None, studio=None, **fields):
    studio = studio or named_studio(world)
    values = {
        "mentor": fields.pop("mentor", None) or member(studio, grade="technician"),
        "apprentice": fields.pop("apprentice", None) or member(studio, grade="senior"),
        "agreement_on": AGREED,
        "term_months": 12,
        "goals": "掌握桥壳加工工艺",
        **fields,
    }
    return services.pairing_create(actor=actor or world.studio_lead, studio=studio, **values)


def field_error(excinfo):
    return set(excinfo.value.message_dict)


# Setting up ---------------------------------------------------------------------------------------


def test_the_lead_sets_up_a_pairing_in_its_studio(world):
    studio = named_studio(world)
    mentor_login = UserFactory(unit=world.plant_a1)
    mentor = member(studio, grade="technician", user=mentor_login)
    pairing = create(world, studio=studio, mentor=mentor, agreement_on=datetime.date(2025, 1, 31), term_months=1)
    assert (pairing.status, pairing.unit, pairing.recorded_by) == ("active", world.plant_a1, world.studio_lead)
    assert pairing.term_ends_on == datetime.date(2025, 2, 27)  # 31 Jan + 1 month → 28 Feb, last day the 27th
    assert events(pairing, "pairing_create") == 1
    assert Notification.objects.filter(recipient=mentor_login, url=pairing.get_absolute_url()).exists()


@pytest.mark.parametrize("actor", ["hq", "unit_cadre", "studio_lead"])
def test_managers_of_the_studio_set_up_pairings(world, actor):
    assert create(world, actor=getattr(world, actor)).pk


@pytest.mark.parametrize("actor", ["viewer", "expert", "unit_cadre_other", "other_lead", "target_lead"])
def test_others_may_not_set_up_a_pairing_in_the_studio(world, actor):
    studio = named_studio(world)
    with pytest.raises(PermissionDenied):
        create(world, actor=getattr(world, actor), studio=studio)
    assert not Pairing.objects.exists()


def test_both_people_are_current_team_members_of_the_studio(world):
    studio = named_studio(world)
    outsider = PersonFactory(unit=world.plant_a1)  # same unit, not in the team
    with pytest.raises(ValidationError) as excinfo:
        create(world, studio=studio, apprentice=outsider)
    assert field_error(excinfo) == {"apprentice"}
    left = member(studio)
    Membership.objects.filter(person=left).update(left_on=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        create(world, studio=studio, mentor=left)
    assert field_error(excinfo) == {"mentor"}
    other_team = member(world.other_studio)  # in a team, but of another studio
    with pytest.raises(ValidationError):
        create(world, actor=world.hq, studio=studio, apprentice=other_team)
    assert not Pairing.objects.exists()


def test_mentor_and_apprentice_are_two_people(world):
    studio = named_studio(world)
    person = member(studio)
    with pytest.raises(ValidationError) as excinfo:
        create(world, studio=studio, mentor=person, apprentice=person)
    assert field_error(excinfo) == {"apprentice"}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"agreement_on": tomorrow}, "agreement_on"),  # a parameter worked out when the test runs
        ({"agreement_on": datetime.date(1989, 12, 31)}, "agreement_on"),
        ({"agreement_on": None}, "agreement_on"),
        ({"term_months": 0}, "term_months"),
        ({"term_months": 61}, "term_months"),
        ({"term_months": None}, "term_months"),
        ({"goals": "   "}, "goals"),
    ],
)
def test_agreement_terms_are_checked(world, fields, field):
    fields = {key: value() if callable(value) else value for key, value in fields.items()}
    with pytest.raises(ValidationError) as excinfo:
        create(world, **fields)
    assert field in field_error(excinfo)
    assert not Pairing.objects.exists()


def test_a_closed_studio_takes_no_new_pairing(world):
    studio = world.studio(status="revoked")
    with pytest.raises(ValidationError):
        create(world, actor=world.hq, studio=studio)


def test_studio_or_alliance_exactly_one(world):
    studio = named_studio(world)
    alliance, _a, mentor, apprentice = alliance_setup(world)
    common = {"mentor": mentor, "apprentice": apprentice, "agreement_on": AGREED, "term_months": 6, "goals": "x"}
    with pytest.raises(ValidationError):
        services.pairing_create(actor=world.hq, studio=studio, alliance=alliance, **common)
    with pytest.raises(ValidationError):
        services.pairing_create(actor=world.hq, **common)


def test_no_second_pairing_of_the_same_two_under_way(world):
    first = create(world)
    with pytest.raises(ValidationError) as excinfo:
        create(world, studio=first.studio, mentor=first.mentor, apprentice=first.apprentice)
    assert field_error(excinfo) == {"apprentice"}
    # Once the first has closed, the two may agree again (a new term).
    services.pairing_end(actor=world.hq, pairing=first, ended_on=today(), reason="other", comment="重签")
    again = create(world, studio=first.studio, mentor=first.mentor, apprentice=first.apprentice)
    assert again.status == "active"
    # The reverse pair is two other people's roles: allowed.
    assert create(world, studio=first.studio, mentor=first.apprentice, apprentice=first.mentor).pk


def test_the_database_refuses_a_duplicate_under_way_too(world):
    from django.db import IntegrityError, transaction

    pairing = make_pairing(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Pairing.objects.create(
            studio=pairing.studio,
            unit=pairing.unit,
            mentor=pairing.mentor,
            apprentice=pairing.apprentice,
            agreement_on=AGREED,
            term_months=6,
            term_ends_on=AGREED + 180 * DAY,
            goals="x",
        )


# Alliance pairings across units -------------------------------------------------------------------


def test_an_alliance_pairing_crosses_units(world):
    alliance, _studio, mentor, apprentice = alliance_setup(world)
    pairing = services.pairing_create(
        actor=world.hq,
        alliance=alliance,
        mentor=mentor,
        apprentice=apprentice,
        agreement_on=AGREED,
        term_months=24,
        goals="跨单位传授热处理工艺",
    )
    assert (pairing.alliance, pairing.studio, pairing.unit) == (alliance, None, mentor.unit)
    assert events(pairing, "pairing_create") == 1
    # HQ as well; branch B's cadre does not manage this alliance, a lead never does.
    for actor in (world.unit_cadre_other, world.studio_lead, world.viewer):
        with pytest.raises(PermissionDenied):
            services.pairing_create(
                actor=actor,
                alliance=alliance,
                mentor=apprentice,
                apprentice=mentor,
                agreement_on=AGREED,
                term_months=6,
                goals="x",
            )


def test_an_alliance_pairing_within_one_unit_is_refused(world):
    alliance, studio_a, mentor, _apprentice = alliance_setup(world)
    same_unit = member(studio_a)
    with pytest.raises(ValidationError) as excinfo, translation.override("en"):
        services.pairing_create(
            actor=world.hq,
            alliance=alliance,
            mentor=mentor,
            apprentice=same_unit,
            agreement_on=AGREED,
            term_months=12,
            goals="x",
        )
    assert field_error(excinfo) == {"apprentice"}
    assert "crosses units" in excinfo.value.message_dict["apprentice"][0]


def test_the_lead_units_cadre_pairs_members_across_companies(world):
    """A cadre of the alliance's lead unit (branch A) manages the alliance: it pairs team members of
    its member studios even in units it does not oversee (branch B), which is what cross-unit
    pairing is for; a person in no member studio's team stays refused."""
    from mentoring import selectors

    alliance, studio_a, mentor, apprentice_b = alliance_setup(world)
    plant_a2 = UnitFactory(name="甲二厂", code="A2", parent=world.branch_a)
    studio_a2 = StudioFactory(unit=plant_a2, status="named", level="company")
    add_member(alliance, studio_a2)
    apprentice_a2 = member(studio_a2, grade="senior")
    common = {"agreement_on": AGREED, "term_months": 12, "goals": "x"}
    assert {apprentice_b, apprentice_a2, mentor} <= set(selectors.alliance_team_choices(world.unit_cadre, alliance))
    stranger = PersonFactory(unit=world.plant_b1)
    with pytest.raises(ValidationError) as excinfo:
        services.pairing_create(actor=world.unit_cadre, alliance=alliance, mentor=mentor, apprentice=stranger, **common)
    assert field_error(excinfo) == {"apprentice"}
    across = services.pairing_create(
        actor=world.unit_cadre, alliance=alliance, mentor=mentor, apprentice=apprentice_b, **common
    )
    assert across.unit == world.plant_a1 and across.apprentice.unit == world.plant_b1
    mentor.refresh_from_db()
    second_mentor = member(studio_a, grade="technician")
    pairing = services.pairing_create(
        actor=world.unit_cadre, alliance=alliance, mentor=second_mentor, apprentice=apprentice_a2, **common
    )
    assert pairing.unit == world.plant_a1 and studio_a.unit != studio_a2.unit
    # Branch B's cadre does not manage the alliance: it only sees its own side.
    assert apprentice_b in set(selectors.alliance_team_choices(world.unit_cadre_other, alliance))
    assert mentor not in set(selectors.alliance_team_choices(world.unit_cadre_other, alliance))


def test_alliance_pairing_people_come_from_current_member_studios(world):
    from alliances.models import AllianceMember

    alliance, _studio_a, mentor, apprentice = alliance_setup(world)
    stranger = PersonFactory(unit=world.plant_b1)  # in no member studio's team
    common = {"agreement_on": AGREED, "term_months": 12, "goals": "x"}
    with pytest.raises(ValidationError) as excinfo:
        services.pairing_create(actor=world.hq, alliance=alliance, mentor=mentor, apprentice=stranger, **common)
    assert field_error(excinfo) == {"apprentice"}
    AllianceMember.objects.filter(alliance=alliance, studio=world.other_studio).update(
        status="exited", exited_on=datetime.date(2024, 6, 1)
    )
    with pytest.raises(ValidationError):
        services.pairing_create(actor=world.hq, alliance=alliance, mentor=mentor, apprentice=apprentice, **common)


def test_no_alliance_pairing_before_founding_or_after_dissolving(world):
    alliance, _studio_a, mentor, apprentice = alliance_setup(world)
    common = {"mentor": mentor, "apprentice": apprentice, "term_months": 12, "goals": "x"}
    with pytest.raises(ValidationError) as excinfo:
        services.pairing_create(actor=world.hq, alliance=alliance, agreement_on=alliance.founded_on - DAY, **common)
    assert field_error(excinfo) == {"agreement_on"}
    alliance.status = "dissolved"
    alliance.save()
    with pytest.raises(ValidationError):
        services.pairing_create(actor=world.hq, alliance=alliance, agreement_on=AGREED, **common)


# Progress and placements --------------------------------------------------------------------------


def test_progress_is_logged_within_the_term_while_under_way(world):
    pairing = make_pairing(world, agreement_on=datetime.date(2024, 3, 1), term_months=6)  # to 2024-08-31
    entry = services.progress_add(
        actor=world.studio_lead, pairing=pairing, logged_on=datetime.date(2024, 3, 1), content=" 讲解图纸 "
    )
    assert entry.content == "讲解图纸" and entry.logged_by == world.studio_lead
    for day in (datetime.date(2024, 2, 29), datetime.date(2024, 9, 1)):
        with pytest.raises(ValidationError) as excinfo:
            services.progress_add(actor=world.hq, pairing=pairing, logged_on=day, content="x")
        assert field_error(excinfo) == {"logged_on"}
    with pytest.raises(ValidationError) as excinfo:
        services.progress_add(actor=world.hq, pairing=pairing, logged_on=datetime.date(2024, 4, 1), content="  ")
    assert field_error(excinfo) == {"content"}
    with pytest.raises(PermissionDenied):
        services.progress_add(actor=world.viewer, pairing=pairing, logged_on=datetime.date(2024, 4, 1), content="x")
    assert ProgressLog.objects.count() == 1 and events(pairing, "pairing_progress") == 1


def test_progress_is_not_dated_in_the_future(world):
    pairing = make_pairing(world, agreement_on=today() - 30 * DAY, term_months=12)
    with pytest.raises(ValidationError) as excinfo:
        services.progress_add(actor=world.hq, pairing=pairing, logged_on=today() + DAY, content="x")
    assert field_error(excinfo) == {"logged_on"}


@pytest.mark.parametrize("status", ["graduated", "failed", "ended"])
def test_no_progress_once_closed(world, status):
    pairing = make_pairing(world, status=status)
    with pytest.raises(TransitionNotAllowed):
        services.progress_add(actor=world.hq, pairing=pairing, logged_on=pairing.ended_on, content="x")


def test_placements_are_dated_within_the_term_and_recorded_once(world):
    pairing = make_pairing(world, agreement_on=datetime.date(2024, 3, 1), term_months=12)
    row = services.placement_add(
        actor=world.unit_cadre,
        pairing=pairing,
        competition="公司职业技能大赛",
        level="company",
        placement="一等奖",
        placed_on=datetime.date(2024, 10, 18),
    )
    assert row.recorded_by == world.unit_cadre
    with pytest.raises(ValidationError) as excinfo:
        services.placement_add(
            actor=world.hq,
            pairing=pairing,
            competition="公司职业技能大赛",
            level="company",
            placement="二等奖",
            placed_on=datetime.date(2024, 10, 18),
        )
    assert field_error(excinfo) == {"competition"}
    for day in (datetime.date(2024, 2, 1), datetime.date(2025, 3, 1)):
        with pytest.raises(ValidationError) as excinfo:
            services.placement_add(
                actor=world.hq, pairing=pairing, competition="市赛", level="city", placement="三等奖", placed_on=day
            )
        assert field_error(excinfo) == {"placed_on"}
    with pytest.raises(ValidationError) as excinfo:
        services.placement_add(
            actor=world.hq, pairing=pairing, competition="市赛", level="galactic", placement="", placed_on=None
        )
    assert field_error(excinfo) == {"level", "placement"}
    assert Placement.objects.count() == 1


def test_a_late_placement_of_a_closed_pairing_is_dated_before_it_closed(world):
    pairing = make_pairing(
        world, status="ended", agreement_on=datetime.date(2024, 3, 1), ended_on=datetime.date(2024, 8, 1)
    )
    services.placement_add(
        actor=world.hq,
        pairing=pairing,
        competition="省赛",
        level="provincial",
        placement="第二名",
        placed_on=datetime.date(2024, 7, 20),
    )
    with pytest.raises(ValidationError):
        services.placement_add(
            actor=world.hq,
            pairing=pairing,
            competition="市赛",
            level="city",
            placement="第一名",
            placed_on=datetime.date(2024, 8, 2),
        )


# Graduation assessment ----------------------------------------------------------------------------


def test_lifecycle_active_then_graduated_once(world):
    pairing = make_pairing(world, agreement_on=datetime.date(2024, 3, 1), term_months=12)
    log(pairing, datetime.date(2024, 5, 1))
    apprentice_login = UserFactory(unit=world.plant_a1)
    pairing.apprentice.user = apprentice_login
    pairing.apprentice.save()
    assessment = services.pairing_assess(
        actor=world.studio_lead,
        pairing=pairing,
        assessed_on=datetime.date(2025, 2, 20),
        score=Decimal("91.5"),
        grade="excellent",
        assessors="车间主任、工会主席、技术专家",
        comment="独立完成桥壳加工",
    )
    pairing.refresh_from_db()
    assert (pairing.status, pairing.ended_on) == ("graduated", datetime.date(2025, 2, 20))
    assert assessment.recorded_by == world.studio_lead
    assert events(pairing, "pairing_assess") == 1
    assert Notification.objects.filter(recipient=apprentice_login).exists()
    with pytest.raises(TransitionNotAllowed):  # once
        services.pairing_assess(
            actor=world.hq, pairing=pairing, assessed_on=today(), score=Decimal("70"), grade="pass", assessors="x"
        )
    for step in (
        lambda: services.pairing_end(actor=world.hq, pairing=pairing, ended_on=today(), reason="mentor_left"),
        lambda: services.pairing_update(actor=world.hq, pairing=pairing, goals="新目标"),
        lambda: services.progress_add(
            actor=world.hq, pairing=pairing, logged_on=datetime.date(2025, 2, 1), content="x"
        ),
    ):
        with pytest.raises(TransitionNotAllowed):
            step()
    assert GraduationAssessment.objects.count() == 1 and events(pairing, "pairing_assess") == 1


def test_a_fail_closes_the_pairing_as_not_graduated(world):
    pairing = make_pairing(world)
    services.pairing_assess(
        actor=world.unit_cadre,
        pairing=pairing,
        assessed_on=today(),
        score=Decimal("52"),
        grade="fail",
        assessors="小组",
    )
    pairing.refresh_from_db()
    assert (pairing.status, pairing.ended_on) == ("failed", today())


@pytest.mark.parametrize(
    ("score", "grade", "field"),
    [
        ("60", "fail", "grade"),
        ("59.9", "pass", "grade"),
        ("84.9", "excellent", "grade"),
        ("100.5", "pass", "score"),
        ("-1", "fail", "score"),
        ("70", "good", "grade"),
    ],
)
def test_score_and_grade_agree(world, score, grade, field):
    pairing = make_pairing(world)
    with pytest.raises(ValidationError) as excinfo:
        services.pairing_assess(
            actor=world.hq, pairing=pairing, assessed_on=today(), score=Decimal(score), grade=grade, assessors="x"
        )
    assert field in field_error(excinfo)
    pairing.refresh_from_db()
    assert pairing.status == "active" and not GraduationAssessment.objects.exists()


def test_score_bounds_pass(world):
    for score, grade, status in (
        ("85", "excellent", "graduated"),
        ("60", "pass", "graduated"),
        ("0", "fail", "failed"),
    ):
        pairing = make_pairing(world)
        services.pairing_assess(
            actor=world.hq, pairing=pairing, assessed_on=today(), score=Decimal(score), grade=grade, assessors="x"
        )
        pairing.refresh_from_db()
        assert pairing.status == status


def test_assessment_date_and_assessors(world):
    pairing = make_pairing(world, agreement_on=datetime.date(2024, 3, 1))
    log(pairing, datetime.date(2024, 9, 1))
    common = {"actor": world.hq, "pairing": pairing, "score": Decimal("80"), "grade": "pass"}
    for day in (today() + DAY, datetime.date(2024, 2, 1), datetime.date(2024, 8, 31)):
        with pytest.raises(ValidationError) as excinfo:
            services.pairing_assess(assessed_on=day, assessors="x", **common)
        assert field_error(excinfo) == {"assessed_on"}
    with pytest.raises(ValidationError) as excinfo:
        services.pairing_assess(assessed_on=today(), assessors="  ", **common)
    assert field_error(excinfo) == {"assessors"}


def test_only_managers_assess(world):
    pairing = make_pairing(world)
    for actor in (world.viewer, world.unit_cadre_other, world.other_lead, world.expert):
        with pytest.raises(PermissionDenied):
            services.pairing_assess(
                actor=actor, pairing=pairing, assessed_on=today(), score=Decimal("80"), grade="pass", assessors="x"
            )


@pytest.mark.django_db(transaction=True)
def test_two_assessments_at_once_one_wins(world):
    if connection.vendor != "postgresql":
        skip_or_fail("row locks need PostgreSQL (set DATABASE_URL)")
    pairing = make_pairing(world)
    barrier = threading.Barrier(2)
    outcomes = []

    def assess(actor, grade, score):
        try:
            barrier.wait()
            services.pairing_assess(
                actor=actor, pairing=pairing, assessed_on=today(), score=Decimal(score), grade=grade, assessors="x"
            )
            outcomes.append("won")
        except TransitionNotAllowed as error:
            outcomes.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=assess, args=(world.hq, "pass", "80")),
        threading.Thread(target=assess, args=(world.unit_cadre, "fail", "40")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(o == "won" for o in outcomes) == [False, True], outcomes
    assert GraduationAssessment.objects.count() == 1
    assert AuditEvent.objects.filter(object_id=str(pairing.pk), action="pairing_assess").count() == 1


# Ending early -------------------------------------------------------------------------------------


def test_ending_early_with_a_reason(world):
    pairing = make_pairing(world, agreement_on=datetime.date(2024, 3, 1))
    placement(pairing, datetime.date(2024, 6, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.pairing_end(actor=world.hq, pairing=pairing, ended_on=today(), reason="other", comment=" ")
    assert field_error(excinfo) == {"comment"}
    with pytest.raises(ValidationError) as excinfo:
        services.pairing_end(actor=world.hq, pairing=pairing, ended_on=today(), reason="bored")
    assert field_error(excinfo) == {"reason"}
    for day in (today() + DAY, datetime.date(2024, 5, 31)):  # future; before the recorded placement
        with pytest.raises(ValidationError) as excinfo:
            services.pairing_end(actor=world.hq, pairing=pairing, ended_on=day, reason="mentor_left")
        assert field_error(excinfo) == {"ended_on"}
    with pytest.raises(PermissionDenied):
        services.pairing_end(actor=world.viewer, pairing=pairing, ended_on=today(), reason="mentor_left")
    services.pairing_end(
        actor=world.studio_lead, pairing=pairing, ended_on=datetime.date(2024, 7, 1), reason="apprentice_transferred"
    )
    pairing.refresh_from_db()
    assert (pairing.status, pairing.ended_on, pairing.end_reason) == (
        "ended",
        datetime.date(2024, 7, 1),
        "apprentice_transferred",
    )
    with pytest.raises(TransitionNotAllowed):
        services.pairing_end(actor=world.hq, pairing=pairing, ended_on=today(), reason="mentor_left")
    with pytest.raises(TransitionNotAllowed):
        services.pairing_assess(
            actor=world.hq, pairing=pairing, assessed_on=today(), score=Decimal("80"), grade="pass", assessors="x"
        )
    assert events(pairing, "pairing_end") == 1


# Editing ------------------------------------------------------------------------------------------


def test_editing_keeps_records_within_the_term(world):
    pairing = make_pairing(world, agreement_on=datetime.date(2024, 3, 1), term_months=12)
    log(pairing, datetime.date(2024, 4, 10))
    placement(pairing, datetime.date(2025, 1, 10))
    with pytest.raises(ValidationError) as excinfo:
        services.pairing_update(actor=world.hq, pairing=pairing, agreement_on=datetime.date(2024, 5, 1))
    assert field_error(excinfo) == {"agreement_on"}
    with pytest.raises(ValidationError) as excinfo:
        services.pairing_update(actor=world.hq, pairing=pairing, term_months=6)
    assert field_error(excinfo) == {"term_months"}
    updated = services.pairing_update(actor=world.studio_lead, pairing=pairing, term_months=24, goals="  新目标 ")
    assert (updated.term_ends_on, updated.goals) == (datetime.date(2026, 2, 28), "新目标")
    event = AuditEvent.objects.get(object_id=str(pairing.pk), action="pairing_update")
    assert event.changes["term_months"] == [12, 24] and event.changes["term_ends_on"] == ["2025-02-28", "2026-02-28"]


def test_editing_the_people_rechecks_only_who_changed(world):
    pairing = make_pairing(world)
    Membership.objects.filter(person=pairing.mentor).update(left_on=datetime.date(2024, 6, 1))
    # The mentor has left the team since: the pairing is still editable with the same mentor.
    services.pairing_update(actor=world.hq, pairing=pairing, goals="继续")
    outsider = PersonFactory(unit=world.plant_a1)
    with pytest.raises(ValidationError) as excinfo:
        services.pairing_update(actor=world.hq, pairing=pairing, apprentice=outsider)
    assert field_error(excinfo) == {"apprentice"}
    newcomer = member(pairing.studio)
    services.pairing_update(actor=world.hq, pairing=pairing, apprentice=newcomer)
    pairing.refresh_from_db()
    assert pairing.apprentice == newcomer


def test_only_managers_edit(world):
    pairing = make_pairing(world)
    for actor in (world.viewer, world.unit_cadre_other, world.other_lead):
        with pytest.raises(PermissionDenied):
            services.pairing_update(actor=actor, pairing=pairing, goals="x")


# Skill grades through the people registry ---------------------------------------------------------


def test_the_apprentices_grade_change_is_recorded_once(world):
    pairing = make_pairing(world)
    change = services.pairing_grade_change(
        actor=world.unit_cadre, pairing=pairing, grade="technician", changed_on=datetime.date(2024, 12, 1), note="认定"
    )
    pairing.apprentice.refresh_from_db()
    assert pairing.apprentice.skill_grade == "technician" and change.person == pairing.apprentice
    with pytest.raises(ValidationError) as excinfo:
        services.pairing_grade_change(
            actor=world.hq, pairing=pairing, grade="technician", changed_on=datetime.date(2024, 12, 1)
        )
    assert field_error(excinfo) == {"grade"}
    assert SkillGradeChange.objects.filter(person=pairing.apprentice, grade="technician").count() == 1
    assert events(pairing, "pairing_grade_change") == 1
    assert AuditEvent.objects.filter(object_id=str(pairing.apprentice.pk), action="grade_change").count() == 1


def test_only_who_may_change_the_apprentice_records_grades(world):
    pairing = make_pairing(world)
    for actor in (world.studio_lead, world.viewer, world.unit_cadre_other, world.other_lead):
        with pytest.raises(PermissionDenied):
            services.pairing_grade_change(
                actor=actor, pairing=pairing, grade="technician", changed_on=datetime.date(2024, 12, 1)
            )
    assert not SkillGradeChange.objects.filter(grade="technician", person=pairing.apprentice).exists()


# Reward rule --------------------------------------------------------------------------------------


def test_hq_configures_the_reward_rule(world):
    assert RewardRule.current().pk == 1 and not RewardRule.objects.exists()  # reading writes nothing
    rule = services.reward_rule_update(
        actor=world.hq,
        allowance_technician=Decimal("200"),
        bonus_grade="senior_technician",
        bonus_amount=Decimal("3000"),
    )
    assert (rule.allowance_technician, rule.bonus_amount) == (Decimal("200.00"), Decimal("3000.00"))
    services.reward_rule_update(actor=world.hq, allowance_technician=Decimal("200.00"))  # no change
    assert AuditEvent.objects.filter(action="reward_rule_update").count() == 1
    for actor in (world.unit_cadre, world.viewer, world.studio_lead):
        with pytest.raises(PermissionDenied):
            services.reward_rule_update(actor=actor, allowance_technician=Decimal("1"))
    for fields in (
        {"allowance_junior": Decimal("-1")},
        {"bonus_amount": Decimal("1000001")},
        {"bonus_years": 0},
        {"bonus_grade": "wizard"},
    ):
        with pytest.raises(ValidationError):
            services.reward_rule_update(actor=world.hq, **fields)
    assert RewardRule.current().allowance_technician == Decimal("200.00")


def test_an_alliance_pairing_stays_editable_after_its_studio_left_the_alliance(world):
    from alliances.models import AllianceMember

    alliance, studio_a, mentor, apprentice = alliance_setup(world)
    pairing = services.pairing_create(
        actor=world.hq,
        alliance=alliance,
        mentor=mentor,
        apprentice=apprentice,
        agreement_on=AGREED,
        term_months=24,
        goals="x",
    )
    AllianceMember.objects.filter(alliance=alliance, studio=world.other_studio).update(
        status="exited", exited_on=datetime.date(2024, 6, 1)
    )
    services.pairing_update(actor=world.hq, pairing=pairing, goals="继续跨单位带徒")
    same_unit = member(studio_a)
    with pytest.raises(ValidationError) as excinfo:  # a new apprentice is checked again
        services.pairing_update(actor=world.hq, pairing=pairing, apprentice=same_unit)
    assert field_error(excinfo) == {"apprentice"}
