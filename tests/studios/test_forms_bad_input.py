"""Bad input on every remaining studio and talent form: a message next to the field, 400, nothing written."""

import datetime

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .. import bad_input as bi
from ..core.test_uploads import png_header_only
from ..factories import PersonFactory

FUTURE = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
PAST = "2024-01-01"


def state():
    return [
        list(model._default_manager.order_by("pk").values_list())
        for label in ("accounts", "core", "talent", "studios")
        for model in apps.get_app_config(label).get_models()
    ]


def draft(world):
    return world.studio()


def named(world):
    return world.studio(status="named", level="company")


def recommended(world):
    return world.studio(status="recommended")


def member(world):
    from studios.models import Membership

    return Membership.objects.create(
        studio=world.studio(), person=PersonFactory(unit=world.plant_a1), role="member", joined_on="2024-03-01"
    )


def pending_assessment(world, status="pending"):
    from studios.models import Assessment, AssessmentRound

    assessment_round = AssessmentRound.objects.create(year=2025)
    return Assessment.objects.create(round=assessment_round, studio=named(world), status=status)


def self_submitted(world):
    return pending_assessment(world, "self_submitted")


def unit_scored(world):
    return pending_assessment(world, "unit_scored")


def kind(world):
    from studios.models import StudioKind

    return StudioKind.objects.first()


def person(world):
    from studios.models import Membership

    someone = PersonFactory(unit=world.plant_a1)
    Membership.objects.create(studio=world.studio(), person=someone, role="core", joined_on="2024-01-01")
    return someone


def project_in_progress(world):
    from achievements.models import Project, ProjectKind

    return Project.objects.create(
        studio=named(world),
        title="课题",
        kind=ProjectKind.objects.first(),
        leader=world.lead_person,
        started_on="2025-01-01",
        planned_end_on="2025-12-31",
        status="in_progress",
    )


CASES = [
    (
        "achievements:project_close",
        project_in_progress,
        "studio_lead",
        {"comment": "", "closed_on": PAST},
        "no summary",
    ),
    (
        "achievements:project_close",
        project_in_progress,
        "studio_lead",
        {"comment": "完成", "closed_on": "2000-01-01"},
        "closed before start",
    ),
    (
        "achievements:project_close",
        project_in_progress,
        "studio_lead",
        {"comment": "完成", "closed_on": "昨天"},
        "closing date not a date",
    ),
    ("accounts:profile", None, "studio_lead", {"name": "", "email": "", "phone": ""}, "profile without name"),
    ("accounts:profile", None, "studio_lead", {"name": "张三", "email": "not-mail", "phone": ""}, "profile bad email"),
    ("accounts:profile", None, "studio_lead", {"name": "张三", "email": "", "phone": "call me"}, "profile bad phone"),
    ("accounts:unit_move", lambda w: w.branch_a, "hq", {"new_parent": "plant_a1"}, "move below itself"),
    ("accounts:unit_move", lambda w: w.plant_a1, "hq", {"new_parent": "branch_a"}, "move to its own parent"),
    # (url name, target, actor, payload, label)
    ("studios:membership_create", draft, "studio_lead", {}, "empty"),
    (
        "studios:membership_create",
        draft,
        "studio_lead",
        {"person": "999999", "role": "core", "joined_on": PAST},
        "ghost",
    ),
    (
        "studios:membership_create",
        draft,
        "studio_lead",
        {"person": "lead_person", "role": "core", "joined_on": PAST},
        "already in",
    ),
    (
        "studios:membership_create",
        draft,
        "studio_lead",
        {"person": "fresh", "role": "lead", "joined_on": PAST},
        "as lead",
    ),
    (
        "studios:membership_create",
        draft,
        "studio_lead",
        {"person": "fresh", "role": "core", "joined_on": FUTURE},
        "future",
    ),
    (
        "studios:membership_create",
        draft,
        "studio_lead",
        {"person": "outsider", "role": "core", "joined_on": PAST},
        "outsider",
    ),
    ("studios:membership_end", member, "studio_lead", {"left_on": "2020-01-01"}, "before joining"),
    ("studios:membership_end", member, "studio_lead", {"left_on": FUTURE}, "future leave"),
    ("studios:membership_end", member, "studio_lead", {"left_on": "soon"}, "not a date"),
    ("studios:level_create", named, "hq", {"level": "galactic", "awarded_on": PAST}, "bad level"),
    ("studios:level_create", named, "hq", {"level": "city", "awarded_on": FUTURE}, "future award"),
    ("studios:level_create", named, "hq", {"level": "city", "awarded_on": PAST, "document_no": "号" * 61}, "long doc"),
    ("studios:photo_create", draft, "studio_lead", {}, "no file"),
    ("studios:photo_create", draft, "studio_lead", {"image": "html"}, "html as jpg"),
    ("studios:photo_create", draft, "studio_lead", {"image": "bomb"}, "pixel bomb"),
    ("studios:studio_approve", recommended, "hq", {"batch": "999999"}, "ghost batch"),
    ("studios:studio_rectify", named, "hq", {"deadline": PAST, "comment": "x"}, "past deadline"),
    ("studios:studio_rectify", named, "hq", {"deadline": FUTURE, "comment": ""}, "no reason"),
    ("studios:studio_revoke", named, "hq", {"reason_code": "because"}, "bad reason"),
    ("studios:studio_change_lead", draft, "unit_cadre", {"new_lead": "lead_person", "changed_on": PAST}, "same lead"),
    ("studios:studio_change_lead", draft, "unit_cadre", {"new_lead": "outsider", "changed_on": PAST}, "outsider lead"),
    ("studios:studio_return", lambda w: w.studio(status="submitted"), "unit_cadre", {"comment": "   "}, "blank reason"),
    ("studios:rules_update", None, "hq", {"min_team_size": "-1"}, "negative team"),
    ("studios:rules_update", None, "hq", {"min_venue_area": "-10"}, "negative area"),
    ("studios:rules_update", None, "hq", {"lead_min_honour_level": "cosmic"}, "bad level"),
    ("studios:rules_update", None, "hq", {"min_funding": "a lot"}, "bad money"),
    ("studios:kind_create", None, "hq", {"name": "", "order": "1"}, "empty kind"),
    ("studios:kind_create", None, "hq", {"name": "劳模创新工作室", "order": "1"}, "duplicate kind"),
    ("studios:kind_update", kind, "hq", {"name": "工匠创新工作室", "order": "1", "is_active": "on"}, "rename clash"),
    ("studios:round_create", None, "hq", {"year": "1999"}, "old year"),
    ("studios:round_create", None, "hq", {"year": str(datetime.date.today().year + 1)}, "future year"),
    ("studios:assessment_self", pending_assessment, "studio_lead", {"self_summary": "  "}, "blank summary"),
    ("studios:assessment_score", self_submitted, "unit_cadre", {"unit_score": "101"}, "score over"),
    ("studios:assessment_score", self_submitted, "unit_cadre", {"unit_score": "-1"}, "score under"),
    ("studios:assessment_score", self_submitted, "unit_cadre", {"unit_score": "九十"}, "score text"),
    ("studios:assessment_grade", unit_scored, "hq", {"grade": "fail"}, "fail without deadline"),
    ("studios:assessment_grade", unit_scored, "hq", {"grade": "superb"}, "bad grade"),
    (
        "talent:honour_create",
        person,
        "unit_cadre",
        {"kind": "craftsman", "level": "company", "title": "", "year": "2024"},
        "no title",
    ),
    (
        "talent:honour_create",
        person,
        "unit_cadre",
        {"kind": "craftsman", "level": "company", "title": "信赖工匠", "year": "2999"},
        "future year",
    ),
    (
        "talent:honour_create",
        person,
        "unit_cadre",
        {"kind": "wizard", "level": "company", "title": "x", "year": "2020"},
        "bad kind",
    ),
    ("talent:person_grade_create", person, "unit_cadre", {"grade": "technician", "changed_on": FUTURE}, "future grade"),
    (
        "talent:person_grade_create",
        person,
        "unit_cadre",
        {"grade": "technician", "changed_on": PAST, "proof": "html"},
        "proof not a document",
    ),
    ("talent:person_link", person, "unit_cadre", {"user": "999999"}, "ghost login"),
    ("talent:person_link", person, "unit_cadre", {"user": "taken"}, "login of another"),
]

LEGACY = bi.legacy(CASES)


def resolve(value, world):
    mapping = {
        "lead_person": lambda: world.lead_person.pk,
        "plant_a1": lambda: world.plant_a1.pk,
        "branch_a": lambda: world.branch_a.pk,
        "fresh": lambda: PersonFactory(unit=world.plant_a1).pk,
        "outsider": lambda: PersonFactory(unit=world.plant_b1).pk,
        "taken": lambda: world.studio_lead.pk,
        "html": lambda: SimpleUploadedFile("x.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg"),
        "bomb": lambda: SimpleUploadedFile("x.png", png_header_only(20000, 20000), "image/png"),
    }
    return mapping[value]() if isinstance(value, str) and value in mapping else value


@pytest.mark.parametrize(("url_name", "target", "actor", "payload", "label"), CASES, ids=[c[4] for c in CASES])
def test_bad_input_is_refused_next_to_the_field(world, client_as, url_name, target, actor, payload, label):
    obj = target(world) if target else None
    if url_name == "studios:rules_update":
        from studios.models import EligibilityRules

        rules = EligibilityRules.current()
        payload = {
            **{
                f: getattr(rules, f)
                for f in (
                    "min_team_size",
                    "lead_min_honour_level",
                    "lead_min_skill_grade",
                    "min_venue_area",
                    "min_funding",
                    "min_projects_per_year",
                    "demonstration_min_years",
                )
            },
            **payload,
        }
    data = {key: resolve(value, world) for key, value in payload.items()}
    url = reverse(url_name, args=[obj.pk]) if obj is not None else reverse(url_name)
    client = client_as(getattr(world, actor))  # signing in stamps last_login: take the snapshot after
    before = state()
    response = client.post(url, data)
    assert response.status_code == 400, f"{label}: {response.status_code}"
    form = response.context["form"]
    assert form.errors, label
    assert state() == before, label


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    amount=st.text(max_size=20),
    date=st.text(max_size=12),
    source=st.text(max_size=12),
    description=st.text(max_size=220),
)
def test_funding_form_never_fails_badly(world, client_as, amount, date, source, description):
    from studios.models import Studio

    studio = Studio.objects.filter(name="经费测试").first() or world.studio(name="经费测试")
    client = client_as(world.studio_lead)
    before = state()
    response = client.post(
        reverse("studios:funding_create", args=[studio.pk]),
        {"direction": "in", "source": source, "amount": amount, "entry_date": date, "description": description},
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert state() == before


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(team=st.text(max_size=6), area=st.text(max_size=10), years=st.text(max_size=6))
def test_rules_form_never_fails_badly(world, client_as, team, area, years):
    client = client_as(world.hq)
    before = state()
    response = client.post(
        reverse("studios:rules_update"),
        {
            "min_team_size": team,
            "lead_min_honour_level": "company",
            "lead_min_skill_grade": "technician",
            "min_venue_area": area,
            "min_funding": "0",
            "min_projects_per_year": "1",
            "demonstration_min_years": years,
        },
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert state() == before
