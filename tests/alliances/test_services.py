"""Alliance rules: join, exit and removal paths and who decides; designations in batches;
activities with participants only from visible member studios; the funding ledger; figures."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from achievements.models import Project, ProjectKind, Result
from alliances import selectors, services
from alliances.models import Activity, AllianceMember, Designation
from core.exceptions import TransitionNotAllowed
from core.models import AuditEvent, Notification

from ..bad_input import today
from ..factories import PersonFactory
from .fixtures import add_member, alliance_with_member, batch, make_alliance

pytestmark = pytest.mark.django_db


def tomorrow():
    """Tomorrow, worked out when the test runs (a full run may cross midnight)."""
    return today() + datetime.timedelta(days=1)


def named_a1(world, **fields):
    return world.studio(status="named", level="company", **fields)


def events(alliance, action):
    return AuditEvent.objects.filter(object_id=str(alliance.pk), action=action).count()


# Joining ------------------------------------------------------------------------------------------


def test_lead_asks_and_the_lead_units_cadre_admits(world):
    alliance = make_alliance(world)
    studio = named_a1(world)
    member = services.member_request(actor=world.studio_lead, alliance=alliance, studio=studio, note="想加入")
    assert member.status == "requested" and member.requested_on == today()
    assert Notification.objects.filter(recipient=world.unit_cadre).exists()
    with pytest.raises(PermissionDenied):  # branch B's cadre does not run this alliance
        services.member_admit(actor=world.unit_cadre_other, member=member, tier="member", joined_on=today())
    with pytest.raises(PermissionDenied):  # the lead cannot admit its own request
        services.member_admit(actor=world.studio_lead, member=member, tier="member", joined_on=today())
    services.member_admit(actor=world.unit_cadre, member=member, tier="pilot", joined_on=today())
    member.refresh_from_db()
    assert (member.status, member.tier, member.joined_on, member.decided_by) == (
        "active",
        "pilot",
        today(),
        world.unit_cadre,
    )
    assert events(alliance, "alliance_join_request") == 1 and events(alliance, "alliance_member_admit") == 1
    with pytest.raises(TransitionNotAllowed):  # admitted once only
        services.member_admit(actor=world.hq, member=member, tier="member", joined_on=today())


def test_hq_decides_too_and_may_refuse_with_a_reason(world):
    alliance = make_alliance(world)
    member = services.member_request(actor=world.studio_lead, alliance=alliance, studio=named_a1(world))
    with pytest.raises(ValidationError):
        services.member_refuse(actor=world.hq, member=member, reason="  ")
    services.member_refuse(actor=world.hq, member=member, reason="方向不符")
    member.refresh_from_db()
    assert member.status == "declined"
    # A declined studio may ask again later.
    again = services.member_request(actor=world.studio_lead, alliance=alliance, studio=member.studio)
    assert again.pk != member.pk and again.status == "requested"


@pytest.mark.parametrize(
    ("who", "status", "field"),
    [
        ("other", "named", "studio"),  # a studio the user does not lead
        ("own", "draft", "studio"),  # not named yet
    ],
)
def test_join_request_refusals(world, who, status, field):
    alliance = make_alliance(world)
    studio = world.other_studio if who == "other" else world.studio(status=status)
    with pytest.raises(ValidationError) as error:
        services.member_request(actor=world.studio_lead, alliance=alliance, studio=studio)
    assert field in error.value.message_dict
    assert not AllianceMember.objects.exists()


def test_no_second_open_request_and_no_request_to_a_dissolved_alliance(world):
    alliance, member = alliance_with_member(world)
    with pytest.raises(ValidationError):
        services.member_request(actor=world.studio_lead, alliance=alliance, studio=member.studio)
    dissolved = make_alliance(world, status="dissolved")
    with pytest.raises(PermissionDenied):
        services.member_request(actor=world.studio_lead, alliance=dissolved, studio=member.studio)


def test_a_cadre_outside_the_lead_unit_and_leadership_cannot_add_members(world):
    alliance = make_alliance(world)
    for actor in (world.unit_cadre_other, world.viewer, world.studio_lead, world.expert):
        with pytest.raises(PermissionDenied):
            services.member_add(
                actor=actor, alliance=alliance, studio=named_a1(world), tier="member", joined_on=today()
            )


def test_managers_add_only_studios_they_see_and_not_before_founding(world):
    alliance = make_alliance(world)
    with pytest.raises(ValidationError) as error:  # branch A's cadre cannot see B1's studio
        services.member_add(
            actor=world.unit_cadre, alliance=alliance, studio=world.other_studio, tier="member", joined_on=today()
        )
    assert "studio" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.member_add(
            actor=world.hq,
            alliance=alliance,
            studio=world.other_studio,
            tier="member",
            joined_on=datetime.date(2020, 1, 1),
        )
    assert "joined_on" in error.value.message_dict
    member = services.member_add(
        actor=world.hq, alliance=alliance, studio=world.other_studio, tier="member", joined_on=today()
    )
    assert member.status == "active"


# Leaving and removal ------------------------------------------------------------------------------


def test_exit_request_refused_then_approved(world):
    _alliance, member = alliance_with_member(world)
    with pytest.raises(PermissionDenied):  # only the studio's lead asks to leave
        services.member_exit_request(actor=world.other_lead, member=member, reason="不再参加")
    services.member_exit_request(actor=world.studio_lead, member=member, reason="工作调整")
    member.refresh_from_db()
    assert member.status == "exit_requested"
    services.member_refuse(actor=world.unit_cadre, member=member, reason="请坚持到年底")
    member.refresh_from_db()
    assert member.status == "active" and member.exit_requested_on is None
    services.member_exit_request(actor=world.studio_lead, member=member, reason="工作调整")
    with pytest.raises(ValidationError) as error:
        services.member_exit_approve(actor=world.unit_cadre, member=member, exited_on=datetime.date(2023, 1, 1))
    assert "exited_on" in error.value.message_dict
    services.member_exit_approve(actor=world.unit_cadre, member=member, exited_on=today())
    member.refresh_from_db()
    assert (member.status, member.exited_on) == ("exited", today())
    with pytest.raises(TransitionNotAllowed):
        services.member_exit_request(actor=world.studio_lead, member=member, reason="再次")


def test_weak_member_removed_with_a_reason_by_managers_only(world):
    alliance, member = alliance_with_member(world)
    for actor in (world.studio_lead, world.unit_cadre_other, world.viewer):
        with pytest.raises(PermissionDenied):
            services.member_remove(actor=actor, member=member, reason="活动不足", exited_on=today())
    with pytest.raises(ValidationError) as error:
        services.member_remove(actor=world.unit_cadre, member=member, reason="", exited_on=today())
    assert "reason" in error.value.message_dict
    services.member_remove(actor=world.unit_cadre, member=member, reason="全年未参加联盟活动", exited_on=today())
    member.refresh_from_db()
    assert (member.status, member.exit_reason) == ("removed", "全年未参加联盟活动")
    assert Notification.objects.filter(recipient=world.studio_lead, url__contains=str(alliance.pk)).exists()
    assert events(alliance, "alliance_member_remove") == 1


def test_a_studio_may_belong_to_several_alliances(world):
    studio = named_a1(world)
    first, second = make_alliance(world), make_alliance(world)
    add_member(first, studio)
    services.member_request(actor=world.studio_lead, alliance=second, studio=studio)
    assert set(selectors.studio_alliances(studio).values_list("alliance", flat=True)) == {first.pk, second.pk}


def test_dissolving_ends_every_open_membership(world):
    alliance, member = alliance_with_member(world)
    pending = add_member(alliance, world.other_studio, status="requested")
    with pytest.raises(PermissionDenied):  # only HQ dissolves
        services.alliance_dissolve(actor=world.unit_cadre, alliance=alliance, reason="合并")
    services.alliance_dissolve(actor=world.hq, alliance=alliance, reason="并入其他联盟")
    member.refresh_from_db()
    pending.refresh_from_db()
    assert (member.status, member.exited_on, pending.status) == ("exited", today(), "declined")
    with pytest.raises(TransitionNotAllowed):
        services.alliance_update(actor=world.hq, alliance=alliance, name="新名字")


def test_launch_once_from_preparation(world):
    alliance = make_alliance(world, status="preparing")
    with pytest.raises(PermissionDenied):
        services.alliance_launch(actor=world.unit_cadre_other, alliance=alliance)
    services.alliance_launch(actor=world.unit_cadre, alliance=alliance)
    alliance.refresh_from_db()
    assert alliance.status == "running"
    with pytest.raises(TransitionNotAllowed):
        services.alliance_launch(actor=world.hq, alliance=alliance)


def test_only_hq_creates_and_names_are_unique(world):
    fields = {"name": "测试联盟", "theme": "工艺", "lead_unit": world.branch_a, "founded_on": today()}
    with pytest.raises(PermissionDenied):
        services.alliance_create(actor=world.unit_cadre, **fields)
    alliance = services.alliance_create(actor=world.hq, **fields)
    assert alliance.status == "preparing"
    with pytest.raises(ValidationError) as error:
        services.alliance_create(actor=world.hq, **{**fields, "name": " 测试联盟 "})
    assert "name" in error.value.message_dict
    with pytest.raises(ValidationError) as error:  # the lead unit's cadre may edit, not move the lead unit
        services.alliance_update(actor=world.unit_cadre, alliance=alliance, lead_unit=world.branch_b)
    assert "lead_unit" in error.value.message_dict


def test_each_manager_is_told_of_a_new_or_dissolved_alliance_in_its_own_words(world):
    """Only the lead unit's own cadres read "your unit": a cadre above it, and HQ deciding for a lead
    unit with no cadre, are told which unit leads (HQ was told "with your unit as its lead unit")."""
    from django.utils import translation

    def titles(user):  # as the user reads them, in the active language
        return [n.shown_title for n in Notification.objects.filter(recipient=user).order_by("id")]

    fields = {"theme": "工艺", "founded_on": today()}
    with translation.override("en"):
        services.alliance_create(actor=world.hq, name="甲公司联盟", lead_unit=world.branch_a, **fields)
        assert titles(world.unit_cadre) == ["A studio alliance was set up with your unit as its lead unit"]
        assert titles(world.hq) == [] and titles(world.unit_cadre_other) == []
        services.alliance_create(actor=world.hq, name="甲一厂联盟", lead_unit=world.plant_a1, **fields)
        assert titles(world.unit_cadre)[-1] == "A studio alliance was set up with 甲一厂 as its lead unit"
        headquarters = services.alliance_create(actor=world.hq, name="总部联盟", lead_unit=world.root, **fields)
        assert titles(world.hq) == ["A studio alliance was set up with 集团总部 as its lead unit"]
        services.alliance_dissolve(actor=world.hq, alliance=headquarters, reason="合并")
        assert titles(world.hq)[-1] == "An alliance led by 集团总部 was dissolved"
        alliance, _member = alliance_with_member(world)  # led by branch A, with a studio of plant A1
        services.alliance_dissolve(actor=world.hq, alliance=alliance, reason="合并")
        assert titles(world.unit_cadre)[-1] == "An alliance your unit led was dissolved"
        assert titles(world.studio_lead)[-1] == "An alliance your studio belonged to was dissolved"
        assert not any("your unit" in title for title in titles(world.hq))
    # Read in Chinese; kept in the site's language too, though the actor worked in English.
    newest = Notification.objects.filter(recipient=world.unit_cadre).order_by("id").last()
    assert titles(world.unit_cadre)[-1] == "贵单位牵头的联盟已撤销" == newest.title


# Designations -------------------------------------------------------------------------------------


def test_designations_in_a_batch_published_once_raise_tiers(world):
    alliance, member = alliance_with_member(world)
    draft = services.designation_batch_create(actor=world.hq, name="首批", designated_on=today(), document_no="30号")
    services.designation_add(actor=world.hq, batch=draft, kind="pilot", alliance=alliance)
    services.designation_add(actor=world.hq, batch=draft, kind="demonstration", studio=member.studio)
    with pytest.raises(ValidationError):  # twice the same designation
        services.designation_add(actor=world.hq, batch=draft, kind="pilot", alliance=alliance)
    with pytest.raises(ValidationError):  # both or neither target
        services.designation_add(actor=world.hq, batch=draft, kind="pilot", alliance=alliance, studio=member.studio)
    with pytest.raises(ValidationError):  # a studio must be named
        services.designation_add(actor=world.hq, batch=draft, kind="pilot", studio=world.studio(status="draft"))
    with pytest.raises(PermissionDenied):
        services.designation_add(actor=world.unit_cadre, batch=draft, kind="pilot", alliance=make_alliance(world))
    # A draft is HQ's alone.
    assert not selectors.designations_of(alliance).exists()
    assert not type(draft).objects.visible_to(world.unit_cadre).filter(pk=draft.pk).exists()
    services.designation_batch_publish(actor=world.hq, batch=draft)
    member.refresh_from_db()
    assert member.tier == "demonstration"
    assert [d.kind for d in selectors.designations_of(alliance)] == ["pilot"]
    assert type(draft).objects.visible_to(world.studio_lead).filter(pk=draft.pk).exists()
    with pytest.raises(TransitionNotAllowed):
        services.designation_batch_publish(actor=world.hq, batch=draft)
    with pytest.raises(TransitionNotAllowed):  # published: frozen
        services.designation_add(actor=world.hq, batch=draft, kind="pilot", alliance=make_alliance(world))


def test_publishing_never_lowers_a_tier_and_needs_a_designation(world):
    _alliance, member = alliance_with_member(world)
    member.tier = "demonstration"
    member.save()
    empty = batch("draft")
    with pytest.raises(TransitionNotAllowed):
        services.designation_batch_publish(actor=world.hq, batch=empty)
    services.designation_add(actor=world.hq, batch=empty, kind="pilot", studio=member.studio)
    services.designation_batch_publish(actor=world.hq, batch=empty)
    member.refresh_from_db()
    assert member.tier == "demonstration"


def test_a_tier_is_changed_once_and_the_same_tier_again_is_refused(world):
    alliance, member = alliance_with_member(world)
    assert member.tier == "member"
    services.member_set_tier(actor=world.unit_cadre, member=member, tier="pilot")
    assert events(alliance, "alliance_member_tier") == 1
    with pytest.raises(ValidationError) as told:
        services.member_set_tier(actor=world.unit_cadre, member=member, tier="pilot")
    assert "tier" in told.value.message_dict
    member.refresh_from_db()
    assert member.tier == "pilot" and events(alliance, "alliance_member_tier") == 1


def test_a_dissolved_alliance_cannot_be_designated(world):
    with pytest.raises(ValidationError):
        services.designation_add(
            actor=world.hq, batch=batch("draft"), kind="pilot", alliance=make_alliance(world, status="dissolved")
        )
    assert not Designation.objects.exists()


# Activities ---------------------------------------------------------------------------------------


def activity_fields(**overrides):
    fields = {
        "kind": "exchange",
        "title": "技术交流会",
        "held_on": today(),
        "place": "会议室",
        "outsider_count": 5,
        "pairs_formed": 0,
    }
    fields.update(overrides)
    return fields


def test_a_member_lead_logs_activities_with_its_visible_studios_only(world):
    alliance, member = alliance_with_member(world)
    add_member(alliance, world.other_studio)  # a member the lead cannot see
    team = PersonFactory(unit=world.plant_a1)
    activity = services.activity_create(
        actor=world.studio_lead,
        alliance=alliance,
        studios=[member.studio],
        people=[world.lead_person, team],
        **activity_fields(),
    )
    assert list(activity.studios.all()) == [member.studio] and activity.recorded_by == world.studio_lead
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            actor=world.studio_lead, alliance=alliance, studios=[world.other_studio], **activity_fields()
        )
    assert "studios" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        stranger = PersonFactory(unit=world.plant_b1)
        services.activity_create(actor=world.studio_lead, alliance=alliance, people=[stranger], **activity_fields())
    assert "people" in error.value.message_dict
    assert Activity.objects.count() == 1


def test_participants_must_be_members_on_the_day(world):
    alliance, member = alliance_with_member(world)
    outsider = named_a1(world)
    with pytest.raises(ValidationError) as error:
        services.activity_create(actor=world.hq, alliance=alliance, studios=[outsider], **activity_fields())
    assert "studios" in error.value.message_dict
    with pytest.raises(ValidationError):  # before the member joined
        services.activity_create(
            actor=world.hq,
            alliance=alliance,
            studios=[member.studio],
            **activity_fields(held_on=datetime.date(2024, 1, 15)),
        )


def test_who_logs_activities_follows_the_alliance_rule(world):
    alliance, member = alliance_with_member(world, members_log_activities=False)
    with pytest.raises(PermissionDenied):
        services.activity_create(actor=world.studio_lead, alliance=alliance, **activity_fields())
    for actor in (world.other_lead, world.unit_cadre_other, world.viewer):  # never for non-members
        with pytest.raises(PermissionDenied):
            services.activity_create(actor=actor, alliance=make_alliance(world), **activity_fields())
    activity = services.activity_create(
        actor=world.unit_cadre, alliance=alliance, studios=[member.studio], **activity_fields()
    )
    with pytest.raises(PermissionDenied):  # the lead never edits somebody else's entry
        services.activity_update(actor=world.studio_lead, activity=activity, **activity_fields(title="改"))


def test_the_recorder_edits_its_own_activity_keeping_participants_it_cannot_see(world):
    alliance, member = alliance_with_member(world)
    add_member(alliance, world.other_studio)
    activity = services.activity_create(
        actor=world.studio_lead, alliance=alliance, studios=[member.studio], **activity_fields()
    )
    activity.studios.add(world.other_studio)  # added by HQ, say
    services.activity_update(
        actor=world.studio_lead, activity=activity, studios=[member.studio], **activity_fields(title="改名")
    )
    activity.refresh_from_db()
    assert activity.title == "改名" and set(activity.studios.all()) == {member.studio, world.other_studio}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"held_on": tomorrow}, "held_on"),  # a parameter worked out when the test runs
        ({"held_on": datetime.date(2023, 12, 31)}, "held_on"),  # before founding
        ({"kind": "joint_tackling"}, "project"),  # no project
        ({"pairs_formed": 3}, "pairs_formed"),  # not a pairing event
    ],
)
def test_activity_refusals(world, overrides, field):
    overrides = {key: value() if callable(value) else value for key, value in overrides.items()}
    alliance, _member = alliance_with_member(world)
    with pytest.raises(ValidationError) as error:
        services.activity_create(actor=world.hq, alliance=alliance, **activity_fields(**overrides))
    assert field in error.value.message_dict
    assert not Activity.objects.exists()


def joint_project(world, studio, partners):
    project = Project.objects.create(
        studio=studio,
        title="联合攻关",
        kind=ProjectKind.objects.first(),
        leader=world.lead_person,
        started_on=datetime.date(2024, 3, 1),
        planned_end_on=datetime.date(2025, 3, 1),
    )
    project.partner_studios.set(partners)
    return project


def test_joint_tackling_links_a_project_of_several_studios(world):
    alliance, member = alliance_with_member(world)
    add_member(alliance, world.other_studio)
    solo = joint_project(world, member.studio, [])
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            actor=world.hq, alliance=alliance, project=solo, **activity_fields(kind="joint_tackling")
        )
    assert "project" in error.value.message_dict
    joint = joint_project(world, member.studio, [world.other_studio])
    with pytest.raises(ValidationError):  # only joint problem-tackling links a project
        services.activity_create(actor=world.hq, alliance=alliance, project=joint, **activity_fields())
    activity = services.activity_create(
        actor=world.hq,
        alliance=alliance,
        project=joint,
        studios=[member.studio, world.other_studio],
        **activity_fields(kind="joint_tackling"),
    )
    assert list(selectors.joint_projects(alliance)) == [joint] and activity.project == joint


# Funding and figures ------------------------------------------------------------------------------


def test_alliance_ledger_with_a_grant_and_spending(world):
    alliance, _member = alliance_with_member(world)
    with pytest.raises(PermissionDenied):
        services.funding_add(
            actor=world.studio_lead,
            alliance=alliance,
            direction="in",
            source="special",
            amount=Decimal("50000"),
            entry_date=today(),
        )
    with pytest.raises(ValidationError) as error:
        services.funding_add(
            actor=world.unit_cadre, alliance=alliance, direction="out", amount=Decimal("-1"), entry_date=today()
        )
    assert {"amount", "use"} <= set(error.value.message_dict)
    services.funding_add(
        actor=world.unit_cadre,
        alliance=alliance,
        direction="in",
        source="special",
        amount=Decimal("50000"),
        entry_date=datetime.date(2024, 3, 1),
    )
    services.funding_add(
        actor=world.unit_cadre,
        alliance=alliance,
        direction="out",
        use="training",
        amount=Decimal("12000"),
        entry_date=datetime.date(2024, 6, 1),
    )
    assert [e.balance for e in selectors.alliance_ledger(alliance)] == [Decimal("50000"), Decimal("38000")]
    assert selectors.alliance_funding_totals(alliance)["balance"] == Decimal("38000")
    assert selectors.year_figures(alliance, 2024)["funding"]["spending"] == Decimal("12000")


def test_year_figures_and_member_results_since_joining(world):
    alliance, member = alliance_with_member(world)
    people = [PersonFactory(unit=world.plant_a1) for _ in range(3)]
    first = services.activity_create(
        actor=world.hq,
        alliance=alliance,
        studios=[member.studio],
        people=people[:2],
        **activity_fields(held_on=datetime.date(2024, 5, 1), outsider_count=10),
    )
    services.activity_create(
        actor=world.hq,
        alliance=alliance,
        people=people[1:],
        **activity_fields(kind="pairing", pairs_formed=2, held_on=datetime.date(2024, 9, 1), outsider_count=0),
    )
    services.activity_create(actor=world.hq, alliance=alliance, **activity_fields(held_on=datetime.date(2025, 2, 1)))
    # Pairings formed across units are the alliance's mentor pairings agreed in the year (not pairs_formed).
    from ..mentoring.fixtures import make_pairing

    for agreed in (datetime.date(2024, 3, 1), datetime.date(2024, 11, 30), datetime.date(2024, 12, 31), today()):
        mentor, apprentice = PersonFactory(unit=world.plant_a1), PersonFactory(unit=world.plant_b1)
        make_pairing(world, alliance=alliance, mentor=mentor, apprentice=apprentice, agreement_on=agreed)
    figures = selectors.year_figures(alliance, 2024)
    assert (figures["activities"], figures["people"], figures["participants"], figures["pairings"]) == (2, 3, 14, 3)
    assert first.pk in selectors.activities_in(alliance, 2024).values_list("pk", flat=True)

    def result(achieved_on, status="verified", benefit="1000"):
        return Result.objects.create(
            studio=member.studio,
            title="成果",
            category="technical_innovation",
            achieved_on=achieved_on,
            status=status,
            benefit=Decimal(benefit),
        )

    result(datetime.date(2024, 3, 1))
    result(datetime.date(2024, 1, 1))  # before joining (2024-02-01)
    result(datetime.date(2024, 4, 1), status="submitted")  # not verified
    totals, _top = selectors.member_results(alliance)
    assert (totals["count"], totals["benefit"]) == (1, Decimal("1000"))


def test_requests_waiting_for_the_lead_units_cadre(world):
    alliance = make_alliance(world)
    services.member_request(actor=world.studio_lead, alliance=alliance, studio=named_a1(world))
    assert selectors.requests_waiting_for(world.unit_cadre).count() == 1
    assert selectors.requests_waiting_for(world.hq).count() == 1
    assert selectors.requests_waiting_for(world.unit_cadre_other).count() == 0
