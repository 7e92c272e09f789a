"""Bad input on every alliance form: a message next to the field, 400, nothing written."""

import datetime

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .. import bad_input as bi
from ..core.test_uploads import png_header_only
from .fixtures import add_member, alliance_with_member, batch, make_alliance

pytestmark = pytest.mark.django_db
FUTURE = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
TODAY = datetime.date.today().isoformat()
LONG = "长" * 201


def state():
    return [
        list(model._default_manager.order_by("pk").values_list())
        for label in ("accounts", "core", "talent", "studios", "achievements", "alliances")
        for model in apps.get_app_config(label).get_models()
    ]


def alliance(world):
    return alliance_with_member(world)[0]


def requested(world):
    return add_member(make_alliance(world), world.studio(status="named", level="company"), status="requested")


def active(world):
    return alliance_with_member(world)[1]


def exit_requested(world):
    return add_member(make_alliance(world), world.studio(status="named", level="company"), status="exit_requested")


def activity(world):
    from .fixtures import activity as build

    return build(world)


def draft_batch(world):
    return batch("draft")


def upload(kind):
    return {
        "html": lambda: SimpleUploadedFile("x.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg"),
        "svg": lambda: SimpleUploadedFile("x.pdf", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "application/pdf"),
        "bomb": lambda: SimpleUploadedFile("../../x.png", png_header_only(20000, 20000), "image/png"),
        "exe": lambda: SimpleUploadedFile("charter.pdf", b"MZ\x90\x00binary", "application/pdf"),
    }[kind]()


GOOD_ALLIANCE = {"name": "联盟甲", "theme": "工艺", "founded_on": "2024-01-01", "members_log_activities": "on"}
GOOD_ACTIVITY = {
    "kind": "exchange",
    "title": "交流",
    "held_on": TODAY,
    "place": "会议室",
    "outsider_count": "0",
    "pairs_formed": "0",
}

CASES = [
    # New alliance (HQ)
    ("alliances:alliance_create", None, "hq", {**GOOD_ALLIANCE, "name": ""}, "no name"),
    ("alliances:alliance_create", None, "hq", {**GOOD_ALLIANCE, "name": LONG}, "name too long"),
    ("alliances:alliance_create", None, "hq", {**GOOD_ALLIANCE, "lead_unit": "abc"}, "lead unit not a number"),
    ("alliances:alliance_create", None, "hq", {**GOOD_ALLIANCE, "lead_unit": "999999"}, "unknown lead unit"),
    (
        "alliances:alliance_create",
        None,
        "hq",
        {**GOOD_ALLIANCE, "founded_on": FUTURE, "lead_unit": "root"},
        "founded in the future",
    ),
    (
        "alliances:alliance_create",
        None,
        "hq",
        {**GOOD_ALLIANCE, "founded_on": "2024-13-45", "lead_unit": "root"},
        "impossible date",
    ),
    ("alliances:alliance_create", None, "hq", {**GOOD_ALLIANCE, "theme": "", "lead_unit": "root"}, "no theme"),
    (
        "alliances:alliance_create",
        None,
        "hq",
        {**GOOD_ALLIANCE, "secretariat_phone": "1" * 30, "lead_unit": "root"},
        "phone too long",
    ),
    ("alliances:alliance_create", None, "hq", {**GOOD_ALLIANCE, "lead_unit": "root", "logo": "html"}, "html as a logo"),
    (
        "alliances:alliance_create",
        None,
        "hq",
        {**GOOD_ALLIANCE, "lead_unit": "root", "logo": "bomb"},
        "pixel bomb logo",
    ),
    (
        "alliances:alliance_create",
        None,
        "hq",
        {**GOOD_ALLIANCE, "lead_unit": "root", "charter": "svg"},
        "svg as a charter",
    ),
    (
        "alliances:alliance_create",
        None,
        "hq",
        {**GOOD_ALLIANCE, "lead_unit": "root", "agreement": "exe"},
        "program as an agreement",
    ),
    (
        "alliances:alliance_create",
        None,
        "hq",
        {**GOOD_ALLIANCE, "lead_unit": "root", "name": "existing"},
        "duplicate name",
    ),
    ("alliances:alliance_update", alliance, "unit_cadre", {**GOOD_ALLIANCE, "name": "  "}, "blank name on edit"),
    (
        "alliances:alliance_update",
        alliance,
        "unit_cadre",
        {**GOOD_ALLIANCE, "founded_on": "明天"},
        "founding date as words",
    ),
    ("alliances:alliance_dissolve", alliance, "hq", {"comment": ""}, "dissolve without a reason"),
    # Membership
    ("alliances:join_request", alliance, "other_lead", {"studio": "", "note": "x"}, "no studio"),
    ("alliances:join_request", alliance, "studio_lead", {"studio": "other_studio"}, "a studio not led"),
    ("alliances:join_request", alliance, "studio_lead", {"studio": "1 OR 1=1"}, "sql text as studio"),
    (
        "alliances:join_request",
        alliance,
        "other_lead",
        {"studio": "other_studio", "note": "长" * 2001},
        "note too long",
    ),
    (
        "alliances:member_add",
        alliance,
        "unit_cadre",
        {"studio": "other_studio", "tier": "member", "joined_on": TODAY},
        "studio not seen",
    ),
    (
        "alliances:member_add",
        alliance,
        "hq",
        {"studio": "other_studio", "tier": "king", "joined_on": TODAY},
        "unknown tier",
    ),
    (
        "alliances:member_add",
        alliance,
        "hq",
        {"studio": "other_studio", "tier": "member", "joined_on": "2000-01-01"},
        "joined before founding",
    ),
    (
        "alliances:member_add",
        alliance,
        "hq",
        {"studio": "other_studio", "tier": "member", "joined_on": FUTURE},
        "joined in the future",
    ),
    ("alliances:member_admit", requested, "unit_cadre", {"tier": "member", "joined_on": ""}, "admit without a date"),
    (
        "alliances:member_admit",
        requested,
        "unit_cadre",
        {"tier": "<script>", "joined_on": TODAY},
        "admit with a script tier",
    ),
    ("alliances:member_refuse", requested, "unit_cadre", {"comment": "   "}, "refuse without a reason"),
    ("alliances:member_exit_request", active, "studio_lead", {"comment": ""}, "leave without a reason"),
    ("alliances:member_exit_approve", exit_requested, "unit_cadre", {"exited_on": "2000-01-01"}, "left before joining"),
    ("alliances:member_exit_approve", exit_requested, "unit_cadre", {"exited_on": FUTURE}, "left in the future"),
    ("alliances:member_remove", active, "unit_cadre", {"reason": "", "exited_on": TODAY}, "remove without a reason"),
    ("alliances:member_remove", active, "unit_cadre", {"reason": "弱", "exited_on": "xx"}, "remove with a bad date"),
    ("alliances:member_tier", active, "unit_cadre", {"tier": ""}, "no tier"),
    # Activities
    ("alliances:activity_create", alliance, "studio_lead", {**GOOD_ACTIVITY, "title": ""}, "activity without a title"),
    (
        "alliances:activity_create",
        alliance,
        "studio_lead",
        {**GOOD_ACTIVITY, "held_on": FUTURE},
        "activity in the future",
    ),
    (
        "alliances:activity_create",
        alliance,
        "studio_lead",
        {**GOOD_ACTIVITY, "studios": "other_studio"},
        "invisible studio",
    ),
    (
        "alliances:activity_create",
        alliance,
        "studio_lead",
        {**GOOD_ACTIVITY, "outsider_count": "-5"},
        "negative head count",
    ),
    (
        "alliances:activity_create",
        alliance,
        "studio_lead",
        {**GOOD_ACTIVITY, "outsider_count": "99999999"},
        "huge head count",
    ),
    (
        "alliances:activity_create",
        alliance,
        "studio_lead",
        {**GOOD_ACTIVITY, "pairs_formed": "2"},
        "pairs at an exchange",
    ),
    (
        "alliances:activity_create",
        alliance,
        "studio_lead",
        {**GOOD_ACTIVITY, "kind": "joint_tackling"},
        "tackling without a project",
    ),
    ("alliances:activity_create", alliance, "studio_lead", {**GOOD_ACTIVITY, "kind": "party"}, "unknown kind"),
    ("alliances:activity_create", alliance, "studio_lead", {**GOOD_ACTIVITY, "place": "地" * 201}, "place too long"),
    (
        "alliances:activity_update",
        activity,
        "hq",
        {**GOOD_ACTIVITY, "held_on": "2020-01-01"},
        "activity before founding",
    ),
    ("alliances:activity_photo_create", activity, "hq", {"image": "html", "caption": "x"}, "html as a photo"),
    ("alliances:activity_photo_create", activity, "hq", {"image": "bomb", "caption": "x"}, "pixel bomb photo"),
    ("alliances:activity_photo_create", activity, "hq", {"caption": "no file"}, "no photo"),
    ("alliances:activity_document_create", activity, "hq", {"title": "纪要", "file": "exe"}, "program as a document"),
    ("alliances:activity_document_create", activity, "hq", {"title": "", "file": "svg"}, "no title, svg document"),
    # Funding
    (
        "alliances:funding_create",
        alliance,
        "unit_cadre",
        {"direction": "in", "source": "special", "amount": "-50000", "entry_date": TODAY},
        "negative grant",
    ),
    (
        "alliances:funding_create",
        alliance,
        "unit_cadre",
        {"direction": "in", "source": "", "amount": "50000", "entry_date": TODAY},
        "grant without source",
    ),
    (
        "alliances:funding_create",
        alliance,
        "unit_cadre",
        {"direction": "out", "use": "", "amount": "100", "entry_date": TODAY},
        "spending without use",
    ),
    (
        "alliances:funding_create",
        alliance,
        "unit_cadre",
        {"direction": "in", "source": "special", "amount": "1e99", "entry_date": TODAY},
        "absurd amount",
    ),
    (
        "alliances:funding_create",
        alliance,
        "unit_cadre",
        {"direction": "in", "source": "special", "amount": "100", "entry_date": FUTURE},
        "dated in the future",
    ),
    (
        "alliances:funding_create",
        alliance,
        "unit_cadre",
        {"direction": "sideways", "amount": "100", "entry_date": TODAY},
        "unknown direction",
    ),
    # Designation batches
    ("alliances:batch_create", None, "hq", {"name": "", "designated_on": TODAY}, "batch without a name"),
    ("alliances:batch_create", None, "hq", {"name": "首批", "designated_on": "2024/02/30"}, "impossible batch date"),
    ("alliances:batch_create", None, "hq", {"name": "existing batch", "designated_on": TODAY}, "duplicate batch name"),
    ("alliances:batch_update", draft_batch, "hq", {"name": "批" * 61, "designated_on": TODAY}, "batch name too long"),
    ("alliances:designation_add", draft_batch, "hq", {"kind": "pilot"}, "designation without a target"),
    (
        "alliances:designation_add",
        draft_batch,
        "hq",
        {"kind": "pilot", "alliance": "existing alliance", "studio": "other_studio"},
        "two targets",
    ),
    (
        "alliances:designation_add",
        draft_batch,
        "hq",
        {"kind": "god", "alliance": "existing alliance"},
        "unknown designation",
    ),
    ("alliances:designation_add", draft_batch, "hq", {"kind": "pilot", "studio": "draft studio"}, "unnamed studio"),
]

LEGACY = bi.legacy(CASES)


def resolve(value, world):
    if value == "root":
        return world.root.pk
    if value == "other_studio":
        return world.other_studio.pk
    if value == "draft studio":
        return world.studio().pk
    if value == "existing alliance":
        return make_alliance(world, name="已有联盟").pk
    if value in ("html", "svg", "bomb", "exe"):
        return upload(value)
    return value


@pytest.mark.parametrize(("url_name", "target", "actor", "payload", "label"), CASES, ids=[c[4] for c in CASES])
def test_bad_input_is_refused_next_to_the_field(world, client_as, url_name, target, actor, payload, label):
    obj = target(world) if target else None
    if payload.get("name") == "existing":
        payload = {**payload, "name": make_alliance(world, name="已有联盟").name}
    if payload.get("name") == "existing batch":
        payload = {**payload, "name": batch("draft").name}
    data = {key: resolve(value, world) for key, value in payload.items()}
    url = reverse(url_name, args=[obj.pk]) if obj is not None else reverse(url_name)
    client = client_as(getattr(world, actor))  # signing in stamps last_login: take the snapshot after
    before = state()
    response = client.post(url, data)
    assert response.status_code == 400, f"{label}: {response.status_code}"
    assert response.context["form"].errors, label
    assert state() == before, label


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=st.text(max_size=210),
    held_on=st.text(max_size=12),
    outsiders=st.text(max_size=10),
    pairs=st.text(max_size=6),
    kind=st.sampled_from(["exchange", "joint_tackling", "site_visit", "pairing", "training", "x"]),
)
def test_activity_form_never_fails_badly(world, client_as, title, held_on, outsiders, pairs, kind):
    from alliances.models import Alliance

    target = Alliance.objects.filter(name="活动测试").first() or alliance_with_member(world, name="活动测试")[0]
    client = client_as(world.studio_lead)
    before = state()
    response = client.post(
        reverse("alliances:activity_create", args=[target.pk]),
        {
            "kind": kind,
            "title": title,
            "held_on": held_on,
            "place": "会议室",
            "outsider_count": outsiders,
            "pairs_formed": pairs,
        },
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert state() == before


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.text(max_size=110), theme=st.text(max_size=110), founded=st.text(max_size=12), phone=st.text(max_size=25)
)
def test_alliance_form_never_fails_badly(world, client_as, name, theme, founded, phone):
    client = client_as(world.hq)
    before = state()
    response = client.post(
        reverse("alliances:alliance_create"),
        {
            "name": name,
            "theme": theme,
            "lead_unit": world.branch_a.pk,
            "founded_on": founded,
            "secretariat_phone": phone,
        },
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert state() == before
