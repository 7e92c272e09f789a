"""Bad input on every mentoring form: a message next to the field (or above the form), 400,
nothing written. Each form has its table of hand-written cases and a hypothesis test."""

import datetime

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentoring import services
from talent.choices import SkillGrade

from .. import bad_input as bi
from ..alliances.fixtures import make_alliance
from ..core.test_uploads import png_bytes
from .fixtures import AGREED, alliance_setup, log, make_pairing, member, named_studio

pytestmark = pytest.mark.django_db
# Payload values worked out when a test runs, not at import (a run may cross midnight): bi.day.
TODAY = bi.day()
FUTURE = bi.day(30)
TOMORROW = bi.day(1)
NUL = "讲解\x00图纸"
SCRIPT = "<script>alert(1)</script>"


def state():
    return [
        list(model._default_manager.order_by("pk").values_list())
        for label in ("accounts", "core", "talent", "studios", "alliances", "mentoring")
        for model in apps.get_app_config(label).get_models()
    ]


def upload(kind):
    return {
        "html": lambda: SimpleUploadedFile(
            "agreement.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
        ),
        "svg": lambda: SimpleUploadedFile("a.pdf", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "application/pdf"),
        "exe": lambda: SimpleUploadedFile("agreement.docx", b"MZ\x90\x00binary", "application/msword"),
        "png": lambda: SimpleUploadedFile("scan.pdf", png_bytes(), "application/pdf"),
        "empty": lambda: SimpleUploadedFile("empty.pdf", b"", "application/pdf"),
        "zip": lambda: SimpleUploadedFile("a.docx", b"PK\x03\x04 not really a zip", "application/zip"),
    }[kind]()


# Targets: each returns (url, context) for a fresh object of the form's page.


def new_in_studio(world):
    studio = named_studio(world)
    ctx = {
        "studio": studio,
        "mentor": member(studio, grade="technician"),
        "apprentice": member(studio, grade="senior"),
        "other_team": member(world.other_studio),
    }
    return reverse("mentoring:pairing_create") + f"?studio={studio.pk}", ctx


def new_in_alliance(world):
    alliance, _studio, mentor, apprentice = alliance_setup(world)
    same_unit = member(_studio)
    ctx = {"alliance": alliance, "mentor": mentor, "apprentice": apprentice, "same_unit": same_unit}
    return reverse("mentoring:pairing_create") + f"?alliance={alliance.pk}", ctx


def existing(world, **fields):
    pairing = make_pairing(world, **fields)
    log(pairing, datetime.date(2024, 6, 1))
    return pairing, {"pairing": pairing, "mentor": pairing.mentor, "apprentice": pairing.apprentice}


def on(url_name, **fields):
    def build(world):
        pairing, ctx = existing(world, **fields)
        return reverse(url_name, args=[pairing.pk]), ctx

    return build


def pk(name):
    return lambda ctx: ctx[name].pk


def good_pairing(ctx, **changes):
    data = {
        "mentor": ctx["mentor"].pk,
        "apprentice": ctx["apprentice"].pk,
        "agreement_on": "2024-03-01",
        "term_months": "12",
        "goals": "掌握数控编程",
    }
    data.update(changes)
    return data


def duplicate_of(world, ctx):
    services.pairing_create(
        actor=world.hq,
        studio=ctx["studio"],
        mentor=ctx["mentor"],
        apprentice=ctx["apprentice"],
        agreement_on=AGREED,
        term_months=12,
        goals="先签的协议",
    )


PAIRING_CASES = [
    (new_in_studio, lambda c: {}, "everything empty"),
    (new_in_studio, lambda c: good_pairing(c, mentor=""), "no mentor"),
    (new_in_studio, lambda c: good_pairing(c, apprentice=""), "no apprentice"),
    (new_in_studio, lambda c: good_pairing(c, apprentice=c["mentor"].pk), "mentor is the apprentice"),
    (new_in_studio, lambda c: good_pairing(c, mentor="abc"), "mentor not a number"),
    (new_in_studio, lambda c: good_pairing(c, mentor=SCRIPT), "mentor is a script"),
    (new_in_studio, lambda c: good_pairing(c, apprentice=c["other_team"].pk), "apprentice of another studio"),
    (new_in_studio, lambda c: good_pairing(c, apprentice="999999"), "unknown apprentice"),
    (new_in_studio, lambda c: good_pairing(c, agreement_on=FUTURE), "agreement in the future"),
    (new_in_studio, lambda c: good_pairing(c, agreement_on="2024-13-45"), "impossible date"),
    (new_in_studio, lambda c: good_pairing(c, agreement_on="明天"), "date in words"),
    (new_in_studio, lambda c: good_pairing(c, agreement_on="1989-12-31"), "agreement far in the past"),
    (new_in_studio, lambda c: good_pairing(c, term_months="0"), "term of no months"),
    (new_in_studio, lambda c: good_pairing(c, term_months="61"), "term over five years"),
    (new_in_studio, lambda c: good_pairing(c, term_months="-3"), "negative term"),
    (new_in_studio, lambda c: good_pairing(c, term_months="1.5"), "fractional term"),
    (new_in_studio, lambda c: good_pairing(c, term_months="十二"), "term in words"),
    (new_in_studio, lambda c: good_pairing(c, goals=""), "no goals"),
    (new_in_studio, lambda c: good_pairing(c, goals="   \n "), "blank goals"),
    (new_in_studio, lambda c: good_pairing(c, goals="目" * 2001), "goals too long"),
    (new_in_studio, lambda c: good_pairing(c, goals="🎯" * 2001), "emoji goals too long"),
    (new_in_studio, lambda c: good_pairing(c, goals=NUL), "NUL in goals"),
    (new_in_studio, lambda c: good_pairing(c, agreement="html"), "HTML as the agreement"),
    (new_in_studio, lambda c: good_pairing(c, agreement="exe"), "program as the agreement"),
    (new_in_studio, lambda c: good_pairing(c, agreement="svg"), "SVG as the agreement"),
    (new_in_studio, lambda c: good_pairing(c, agreement="empty"), "empty agreement file"),
    (new_in_studio, lambda c: good_pairing(c, agreement="zip"), "broken Office file"),
    (new_in_studio, lambda c: good_pairing(c, duplicate=True), "these two are already paired"),
    (new_in_alliance, lambda c: good_pairing(c, apprentice=c["same_unit"].pk), "alliance pairing within one unit"),
    (new_in_alliance, lambda c: good_pairing(c, agreement_on="2023-12-31"), "before the alliance was founded"),
    (on("mentoring:pairing_update"), lambda c: good_pairing(c, goals=" "), "edit: blank goals"),
    (on("mentoring:pairing_update"), lambda c: good_pairing(c, term_months="2"), "edit: term before the progress"),
    (
        on("mentoring:pairing_update"),
        lambda c: good_pairing(c, agreement_on="2024-07-01"),
        "edit: agreement after the progress",
    ),
]

PROGRESS = on("mentoring:progress_create")
PROGRESS_CASES = [
    (PROGRESS, lambda c: {}, "everything empty"),
    (PROGRESS, lambda c: {"logged_on": "2024-05-01"}, "no content"),
    (PROGRESS, lambda c: {"logged_on": "2024-05-01", "content": "  \t "}, "blank content"),
    (PROGRESS, lambda c: {"logged_on": "2024-05-01", "content": "记" * 2001}, "content too long"),
    (PROGRESS, lambda c: {"logged_on": "2024-05-01", "content": NUL}, "NUL in the content"),
    (PROGRESS, lambda c: {"content": "讲解"}, "no date"),
    (PROGRESS, lambda c: {"logged_on": FUTURE, "content": "讲解"}, "in the future"),
    (PROGRESS, lambda c: {"logged_on": "2024-02-29", "content": "讲解"}, "before the agreement"),
    (PROGRESS, lambda c: {"logged_on": "2025-03-01", "content": "讲解"}, "after the term"),
    (PROGRESS, lambda c: {"logged_on": "2024-02-30", "content": "讲解"}, "impossible date"),
    (PROGRESS, lambda c: {"logged_on": "yesterday", "content": "讲解"}, "date in words"),
    (PROGRESS, lambda c: {"logged_on": "0001-01-01", "content": "讲解"}, "year one"),
    (PROGRESS, lambda c: {"logged_on": "99999-01-01", "content": "讲解"}, "five-digit year"),
    (PROGRESS, lambda c: {"logged_on": SCRIPT, "content": "讲解"}, "script as the date"),
    (PROGRESS, lambda c: {"logged_on": "📅", "content": "讲解"}, "emoji as the date"),
    (
        on("mentoring:progress_create", status="graduated"),
        lambda c: {"logged_on": "2024-05-01", "content": "讲解"},
        "closed pairing",
    ),
]

PLACEMENT = on("mentoring:placement_create")
GOOD_PLACEMENT = {
    "competition": "公司职业技能大赛",
    "level": "company",
    "placement": "一等奖",
    "placed_on": "2024-10-18",
}


def placement_with(**changes):
    return lambda c: {**GOOD_PLACEMENT, **changes}


PLACEMENT_CASES = [
    (PLACEMENT, lambda c: {}, "everything empty"),
    (PLACEMENT, placement_with(competition=""), "no competition"),
    (PLACEMENT, placement_with(competition=" "), "blank competition"),
    (PLACEMENT, placement_with(competition="赛" * 201), "competition too long"),
    (PLACEMENT, placement_with(competition="𠀀" * 201), "rare CJK competition too long"),
    (PLACEMENT, placement_with(competition=NUL), "NUL in the competition"),
    (PLACEMENT, placement_with(level=""), "no level"),
    (PLACEMENT, placement_with(level="galactic"), "unknown level"),
    (PLACEMENT, placement_with(level=SCRIPT), "script as the level"),
    (PLACEMENT, placement_with(placement=""), "no placement"),
    (PLACEMENT, placement_with(placement="🥇" * 51), "emoji placement too long"),
    (PLACEMENT, placement_with(placed_on=""), "no date"),
    (PLACEMENT, placement_with(placed_on=FUTURE), "in the future"),
    (PLACEMENT, placement_with(placed_on="2024-01-01"), "before the agreement"),
    (PLACEMENT, placement_with(placed_on="2025-03-01"), "after the term"),
    (PLACEMENT, placement_with(placed_on="2024/10/18x"), "garbled date"),
    (PLACEMENT, placement_with(duplicate=True), "recorded twice"),
]

ASSESS = on("mentoring:pairing_assess")
GOOD_ASSESS = {"assessed_on": TODAY, "score": "80", "grade": "pass", "assessors": "评审小组"}


def assess_with(**changes):
    return lambda c: {**GOOD_ASSESS, **changes}


ASSESS_CASES = [
    (ASSESS, lambda c: {}, "everything empty"),
    (ASSESS, assess_with(score=""), "no score"),
    (ASSESS, assess_with(score="abc"), "score in letters"),
    (ASSESS, assess_with(score="101"), "score over 100"),
    (ASSESS, assess_with(score="-5"), "negative score"),
    (ASSESS, assess_with(score="80.55"), "two decimals"),
    (ASSESS, assess_with(score="1e5"), "score in exponent form"),
    (ASSESS, assess_with(score="NaN"), "not a number"),
    (ASSESS, assess_with(score="60", grade="fail"), "a 60 is not a fail"),
    (ASSESS, assess_with(score="59.5", grade="pass"), "below 60 is not a pass"),
    (ASSESS, assess_with(score="84.9", grade="excellent"), "excellent below 85"),
    (ASSESS, assess_with(grade="good"), "unknown grade"),
    (ASSESS, assess_with(grade=SCRIPT), "script as the grade"),
    (ASSESS, assess_with(assessed_on=FUTURE), "assessed in the future"),
    (ASSESS, assess_with(assessed_on="2024-02-01"), "before the agreement"),
    (ASSESS, assess_with(assessed_on="2024-05-31"), "before the recorded progress"),
    (ASSESS, assess_with(assessed_on="2024-99-01"), "impossible date"),
    (ASSESS, assess_with(assessors=""), "no assessors"),
    (ASSESS, assess_with(assessors="评" * 201), "assessors too long"),
    (ASSESS, assess_with(comment="评" * 2001), "comment too long"),
]

END = on("mentoring:pairing_end")
GOOD_END = {"ended_on": TODAY, "reason": "mentor_left", "comment": ""}


def end_with(**changes):
    return lambda c: {**GOOD_END, **changes}


END_CASES = [
    (END, lambda c: {}, "everything empty"),
    (END, end_with(reason=""), "no reason"),
    (END, end_with(reason="bored"), "unknown reason"),
    (END, end_with(reason=SCRIPT), "script as the reason"),
    (END, end_with(reason="other"), "other reason unexplained"),
    (END, end_with(reason="other", comment="   "), "other reason, blank comment"),
    (END, end_with(reason="other", comment=NUL), "NUL in the comment"),
    (END, end_with(comment="因" * 2001), "comment too long"),
    (END, end_with(ended_on=""), "no date"),
    (END, end_with(ended_on=FUTURE), "in the future"),
    (END, end_with(ended_on="2024-02-01"), "before the agreement"),
    (END, end_with(ended_on="2024-05-31"), "before the recorded progress"),
    (END, end_with(ended_on="0000-00-00"), "zero date"),
    (END, end_with(ended_on="2024-02-30"), "impossible date"),
    (END, end_with(ended_on="🗓"), "emoji as the date"),
]

GRADE = on("mentoring:pairing_grade")
GOOD_GRADE = {"grade": "technician", "changed_on": "2024-12-01", "note": "认定"}


def grade_with(**changes):
    return lambda c: {**GOOD_GRADE, **changes}


GRADE_CASES = [
    (GRADE, lambda c: {}, "everything empty"),
    (GRADE, grade_with(grade=""), "no grade"),
    (GRADE, grade_with(grade="wizard"), "unknown grade"),
    (GRADE, grade_with(grade=SCRIPT), "script as the grade"),
    (GRADE, grade_with(grade="🎓"), "emoji as the grade"),
    (GRADE, grade_with(changed_on=""), "no date"),
    (GRADE, grade_with(changed_on=TOMORROW), "tomorrow"),
    (GRADE, grade_with(changed_on="2024-02-30"), "impossible date"),
    (GRADE, grade_with(changed_on="去年"), "date in words"),
    (GRADE, grade_with(note="注" * 201), "note too long"),
    (GRADE, grade_with(note=NUL), "NUL in the note"),
    (GRADE, grade_with(proof="html"), "HTML as the proof"),
    (GRADE, grade_with(proof="exe"), "program as the proof"),
    (GRADE, grade_with(proof="svg"), "SVG as the proof"),
    (GRADE, grade_with(proof="empty"), "empty proof"),
    (GRADE, grade_with(duplicate=True), "recorded twice"),
]

RULE = lambda world: (reverse("mentoring:reward_rule_update"), {})  # noqa: E731
GOOD_RULE = {
    **{f"allowance_{grade}": "0" for grade in SkillGrade.values},
    "allowance_technician": "200",
    "bonus_grade": "technician",
    "bonus_years": "2",
    "bonus_amount": "5000",
}


def rule_with(**changes):
    return lambda c: {**GOOD_RULE, **changes}


RULE_CASES = [
    (RULE, lambda c: {}, "everything empty"),
    (RULE, rule_with(allowance_technician=""), "no allowance"),
    (RULE, rule_with(allowance_technician="-1"), "negative allowance"),
    (RULE, rule_with(allowance_technician="100000.01"), "allowance too large"),
    (RULE, rule_with(allowance_technician="abc"), "allowance in letters"),
    (RULE, rule_with(allowance_technician="1.234"), "three decimals"),
    (RULE, rule_with(allowance_technician="Infinity"), "infinite allowance"),
    (RULE, rule_with(allowance_technician="1e10"), "allowance in exponent form"),
    (RULE, rule_with(bonus_years="0"), "no years"),
    (RULE, rule_with(bonus_years="11"), "too many years"),
    (RULE, rule_with(bonus_years="二"), "years in words"),
    (RULE, rule_with(bonus_years="1.5"), "fractional years"),
    (RULE, rule_with(bonus_grade="wizard"), "unknown grade"),
    (RULE, rule_with(bonus_grade=SCRIPT), "script as the grade"),
    (RULE, rule_with(bonus_amount="-5000"), "negative bonus"),
    (RULE, rule_with(bonus_amount="1000000.01"), "bonus too large"),
    (RULE, rule_with(bonus_amount="💰"), "emoji bonus"),
]

POST_CASES = [
    *[("pairing", *case) for case in PAIRING_CASES],
    *[("progress", *case) for case in PROGRESS_CASES],
    *[("placement", *case) for case in PLACEMENT_CASES],
    *[("assess", *case) for case in ASSESS_CASES],
    *[("end", *case) for case in END_CASES],
    *[("grade", *case) for case in GRADE_CASES],
    *[("rule", *case) for case in RULE_CASES],
]
ACTORS = {"grade": "unit_cadre", "rule": "hq"}
FORM_CLASSES = {
    "pairing": "PairingForm",
    "progress": "ProgressForm",
    "placement": "PlacementForm",
    "assess": "AssessForm",
    "end": "EndForm",
    "grade": "GradeChangeForm",
    "rule": "RewardRuleForm",
}


def test_every_form_has_at_least_fifteen_cases():
    for name, cases in {
        "pairing": PAIRING_CASES,
        "progress": PROGRESS_CASES,
        "placement": PLACEMENT_CASES,
        "assess": ASSESS_CASES,
        "end": END_CASES,
        "grade": GRADE_CASES,
        "rule": RULE_CASES,
        "target": TARGET_CASES,
        "rewards": REWARD_YEAR_CASES,
    }.items():
        assert len(cases) >= 15, name


@pytest.mark.parametrize(
    ("form", "target", "payload", "label"), POST_CASES, ids=[f"{c[0]}: {c[3]}" for c in POST_CASES]
)
def test_bad_input_is_refused_next_to_the_field(world, client_as, form, target, payload, label):
    url, ctx = target(world)
    data = {key: value() if isinstance(value, bi.WhenRun) else value for key, value in payload(ctx).items()}
    if data.pop("duplicate", False):
        if form == "pairing":
            duplicate_of(world, ctx)
        elif form == "placement":
            services.placement_add(
                actor=world.hq, pairing=ctx["pairing"], **GOOD_PLACEMENT | {"placed_on": datetime.date(2024, 10, 18)}
            )
        elif form == "grade":
            services.pairing_grade_change(
                actor=world.hq, pairing=ctx["pairing"], grade="technician", changed_on=datetime.date(2024, 12, 1)
            )
    data = {key: upload(value) if key in ("agreement", "proof") else value for key, value in data.items()}
    actor = "hq" if target is new_in_alliance else ACTORS.get(form, "studio_lead")
    client = client_as(getattr(world, actor))  # signing in stamps last_login: take the snapshot after
    before = state()
    response = client.post(url, data)
    assert response.status_code == 400, f"{label}: {response.status_code}"
    assert type(response.context["form"]).__name__ == FORM_CLASSES[form], label  # the form itself, not a refusal
    assert response.context["form"].errors, label
    assert state() == before, label


# The GET forms: where a new pairing is set up, and the year of the rewards list.


TARGET_CASES = [
    ({"studio": "abc"}, "studio not a number"),
    ({"studio": "999999"}, "unknown studio"),
    ({"studio": "-1"}, "negative id"),
    ({"studio": "1.5"}, "fractional id"),
    ({"studio": SCRIPT}, "script as the studio"),
    ({"studio": "other"}, "another lead's studio"),
    ({"studio": "revoked"}, "a revoked studio"),
    ({"alliance": "abc"}, "alliance not a number"),
    ({"alliance": "mine"}, "an alliance the lead does not run"),
    ({"alliance": "999999"}, "unknown alliance"),
    ({"studio": "mine", "alliance": "mine"}, "both a studio and an alliance"),
    ({"studio": "🏭"}, "emoji as the studio"),
    ({"studio": "9" * 30}, "an id too large for the database"),
    ({"studio": " "}, "a space"),
    ({"studio": "mine'--"}, "SQL in the id"),
]


def resolve_target(world, value):
    if value == "other":
        return world.other_studio.pk
    if value == "revoked":
        return world.studio(status="revoked").pk
    if value == "mine":
        return named_studio(world).pk
    if value == "mine'--":
        return f"{named_studio(world).pk}'--"
    return value


@pytest.mark.parametrize(("params", "label"), TARGET_CASES, ids=[c[1] for c in TARGET_CASES])
def test_bad_target_is_refused(world, client_as, params, label):
    if params.get("alliance") == "mine":
        params = {**params, "alliance": make_alliance(world).pk}
    query = {key: resolve_target(world, value) if key == "studio" else value for key, value in params.items()}
    client = client_as(world.studio_lead)
    before = state()
    response = client.get(reverse("mentoring:pairing_create"), query)
    assert response.status_code == 400, f"{label}: {response.status_code}"
    assert response.context["form"].errors and "mentor" not in response.context["form"].fields, label
    post = client.post(reverse("mentoring:pairing_create") + "?" + response.wsgi_request.META["QUERY_STRING"], {})
    assert post.status_code == 400, label
    assert state() == before, label


REWARD_YEAR_CASES = [
    ({"year": "abc"}, "year in letters"),
    ({"year": "1999"}, "before 2000"),
    ({"year": "next"}, "a word"),
    ({"year": bi.year(1)}, "next year"),
    ({"year": "2024.5"}, "fractional year"),
    ({"year": "-2024"}, "negative year"),
    ({"year": "二〇二四"}, "year in Chinese numerals"),
    ({"year": "📆"}, "emoji as the year"),
    ({"year": SCRIPT}, "script as the year"),
    ({"year": "9" * 30}, "a huge year"),
    ({"year": ""}, "no year"),
    ({"year": "2024", "unit": "abc"}, "unit not a number"),
    ({"year": "2024", "unit": "999999"}, "unknown unit"),
    ({"year": "2024", "unit": "branch_b"}, "a unit outside the cadre's subtree"),
    ({"year": "2024", "unit": "-1"}, "negative unit"),
    ({"year": "", "unit": "branch_a"}, "a unit with the year cleared"),  # no year at all: this year
]


@pytest.mark.parametrize(("params", "label"), REWARD_YEAR_CASES, ids=[c[1] for c in REWARD_YEAR_CASES])
def test_bad_reward_year_is_refused(world, client_as, params, label):
    units = {"branch_a": world.branch_a.pk, "branch_b": world.branch_b.pk}
    query = {
        key: value() if isinstance(value, bi.WhenRun) else units.get(value, value) for key, value in params.items()
    }
    make_pairing(world)
    client = client_as(world.unit_cadre)
    for extra in ({}, {"export": "xlsx"}):
        response = client.get(reverse("mentoring:reward_list"), {**query, **extra})
        assert response.status_code == 400, f"{label}: {response.status_code}"
        assert response.context["form"].errors and response.context["lines"] is None, label


LEGACY = [
    *(
        bi.Legacy(None, label, bi.infer_categories(label, {}), f"mentoring.forms.{FORM_CLASSES[form]}")
        for form, _target, _payload, label in POST_CASES
    ),
    *(
        bi.Legacy("mentoring:pairing_create", label, bi.infer_categories(label, p), "mentoring.forms.PairingTargetForm")
        for p, label in TARGET_CASES
    ),
    *(
        bi.Legacy("mentoring:reward_list", label, bi.infer_categories(label, p), "mentoring.forms.RewardYearForm")
        for p, label in REWARD_YEAR_CASES
    ),
]


# Hypothesis: whatever is typed, the answer is a success or a 400 that writes nothing. ------------


def dates_up_to_today(since):
    """Dates from `since` to today, today worked out when the test draws its first example
    (st.deferred), not when the module is imported: a full run may cross midnight."""
    return st.deferred(lambda: st.dates(min_value=since, max_value=bi.today()))


SETTINGS = {"max_examples": 30, "deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture]}


def _post_never_fails_badly(world, client_as, actor, url, data):
    client = client_as(getattr(world, actor))
    before = state()
    response = client.post(url, data)
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert state() == before
    return response


def _one_pairing(world, **fields):
    from mentoring.models import Pairing

    return Pairing.objects.filter(status="active").first() or make_pairing(world, **fields)


@settings(**SETTINGS)
@given(goals=st.text(max_size=2100), agreed=st.text(max_size=12), term=st.text(max_size=4), same=st.booleans())
def test_pairing_form_never_fails_badly(world, client_as, goals, agreed, term, same):
    from mentoring.models import Pairing

    Pairing.objects.all().delete()
    studio = named_studio(world)
    mentor, apprentice = member(studio), member(studio)
    url = reverse("mentoring:pairing_create") + f"?studio={studio.pk}"
    data = {"mentor": mentor.pk, "apprentice": (mentor if same else apprentice).pk, "agreement_on": agreed}
    _post_never_fails_badly(world, client_as, "studio_lead", url, {**data, "term_months": term, "goals": goals})


@settings(**SETTINGS)
@given(logged_on=st.one_of(st.dates().map(str), st.text(max_size=12)), content=st.text(max_size=2100))
def test_progress_form_never_fails_badly(world, client_as, logged_on, content):
    pairing = _one_pairing(world)
    url = reverse("mentoring:progress_create", args=[pairing.pk])
    _post_never_fails_badly(world, client_as, "studio_lead", url, {"logged_on": logged_on, "content": content})


@settings(**SETTINGS)
@given(
    competition=st.text(max_size=210),
    level=st.sampled_from(["unit", "company", "city", "provincial", "national", "x", ""]),
    placement=st.text(max_size=60),
    placed_on=st.one_of(
        st.dates(min_value=datetime.date(2023, 1, 1), max_value=datetime.date(2026, 1, 1)).map(str),
        st.text(max_size=12),
    ),
)
def test_placement_form_never_fails_badly(world, client_as, competition, level, placement, placed_on):
    pairing = _one_pairing(world)
    url = reverse("mentoring:placement_create", args=[pairing.pk])
    data = {"competition": competition, "level": level, "placement": placement, "placed_on": placed_on}
    _post_never_fails_badly(world, client_as, "unit_cadre", url, data)


@settings(**SETTINGS)
@given(
    score=st.one_of(st.decimals(min_value=-10, max_value=110, places=1).map(str), st.text(max_size=8)),
    grade=st.sampled_from(["excellent", "pass", "fail", "good", ""]),
    assessors=st.text(max_size=210),
    assessed_on=st.one_of(dates_up_to_today(datetime.date(2023, 1, 1)).map(str), st.text(max_size=12)),
)
def test_assess_form_never_fails_badly(world, client_as, score, grade, assessors, assessed_on):
    pairing = _one_pairing(world)
    url = reverse("mentoring:pairing_assess", args=[pairing.pk])
    data = {"score": score, "grade": grade, "assessors": assessors, "assessed_on": assessed_on}
    _post_never_fails_badly(world, client_as, "unit_cadre", url, data)


@settings(**SETTINGS)
@given(
    ended_on=st.one_of(dates_up_to_today(datetime.date(2023, 1, 1)).map(str), st.text(max_size=12)),
    reason=st.sampled_from(["mentor_left", "mentor_retired", "apprentice_transferred", "other", "x", ""]),
    comment=st.text(max_size=2100),
)
def test_end_form_never_fails_badly(world, client_as, ended_on, reason, comment):
    pairing = _one_pairing(world)
    url = reverse("mentoring:pairing_end", args=[pairing.pk])
    _post_never_fails_badly(world, client_as, "hq", url, {"ended_on": ended_on, "reason": reason, "comment": comment})


@settings(**SETTINGS)
@given(
    grade=st.sampled_from([*SkillGrade.values, "x", ""]),
    changed_on=st.one_of(dates_up_to_today(datetime.date(2000, 1, 1)).map(str), st.text(max_size=12)),
    note=st.text(max_size=210),
)
def test_grade_form_never_fails_badly(world, client_as, grade, changed_on, note):
    pairing = _one_pairing(world)
    url = reverse("mentoring:pairing_grade", args=[pairing.pk])
    _post_never_fails_badly(
        world, client_as, "unit_cadre", url, {"grade": grade, "changed_on": changed_on, "note": note}
    )


@settings(**SETTINGS)
@given(
    allowance=st.one_of(st.decimals(min_value=-100, max_value=200000, places=2).map(str), st.text(max_size=10)),
    years=st.text(max_size=3),
    amount=st.text(max_size=12),
    grade=st.sampled_from([*SkillGrade.values, "x"]),
)
def test_rule_form_never_fails_badly(world, client_as, allowance, years, amount, grade):
    data = {
        **GOOD_RULE,
        "allowance_senior": allowance,
        "bonus_years": years,
        "bonus_amount": amount,
        "bonus_grade": grade,
    }
    _post_never_fails_badly(world, client_as, "hq", reverse("mentoring:reward_rule_update"), data)


@settings(**SETTINGS)
@given(studio=st.text(max_size=12), alliance=st.text(max_size=12))
def test_target_form_never_fails_badly(world, client_as, studio, alliance):
    response = client_as(world.unit_cadre).get(
        reverse("mentoring:pairing_create"), {"studio": studio, "alliance": alliance}
    )
    assert response.status_code in (200, 400)


@settings(**SETTINGS)
@given(year=st.text(max_size=8), unit=st.text(max_size=8))
def test_reward_year_form_never_fails_badly(world, client_as, year, unit):
    response = client_as(world.hq).get(reverse("mentoring:reward_list"), {"year": year, "unit": unit})
    assert response.status_code in (200, 400)


# The battery of issue #8 (tests/bad_input.py): per form, its page and GOOD payload, hand-written
# bad inputs on top of the tables above, and 200 hypothesis examples on the form itself. -----------

from ..bad_input import (  # noqa: E402
    CHOICE,
    DATE_ORDER,
    DUPLICATE,
    EMPTY,
    HTML,
    HUGE,
    IMG,
    MARKUP,
    MONEY,
    NUL_TEXT,
    SQL,
    SQL_OR,
    SQL_TEXT,
    TOO_LONG,
    UNICODE,
    UNICODE_TEXT,
    WHITESPACE,
    WRONG_TYPE,
    any_,
    bad,
    ok,
)


def _good_pairing(ctx):
    return good_pairing(ctx)


PAIRING = bi.FormSpec(
    url="mentoring:pairing_create",
    actor="studio_lead",
    target=new_in_studio,
    good=_good_pairing,
    cases=[
        bad("mentor as SQL", SQL, mentor=SQL_OR),
        bad("mentor id out of range", WRONG_TYPE, mentor=HUGE),
        bad("term NaN", WRONG_TYPE, term_months="NaN"),
        bad("term of 1e309", WRONG_TYPE, term_months="1e309"),
        bad("goals of ten thousand", TOO_LONG, goals="目" * 10_000),
        bad(
            "mentor twice, the last of another studio", DUPLICATE, mentor=lambda c: [c["mentor"].pk, c["other_team"].pk]
        ),
        bad("agreement date as emoji", UNICODE, agreement_on="📅"),
        ok("script in the goals", HTML, goals=MARKUP),
        ok("SQL in the goals", SQL, goals=SQL_TEXT),
        ok("rare CJK and emoji in the goals", UNICODE, goals=UNICODE_TEXT),
    ],
)

PAIRING_UPDATE = bi.FormSpec(
    url="mentoring:pairing_update",
    actor="studio_lead",
    target=on("mentoring:pairing_update"),
    good=_good_pairing,
    fuzz=False,
    cases=[
        bad("edit: the apprentice as mentor", DUPLICATE, mentor=lambda c: c["apprentice"].pk, at="apprentice"),
        ok("edit: script in the goals", HTML, goals=IMG),
    ],
)

GOOD_PROGRESS = {"logged_on": "2024-05-01", "content": "讲解图纸"}
PROGRESS_SPEC = bi.FormSpec(
    url="mentoring:progress_create",
    actor="studio_lead",
    target=PROGRESS,
    good=GOOD_PROGRESS,
    cases=[
        bad("content of ten thousand", TOO_LONG, content="记" * 10_000),
        bad("date as SQL", SQL, logged_on=SQL_TEXT),
        bad("content twice, the last blank", DUPLICATE, content=["讲解", " "]),
        bad("date in rare CJK", UNICODE, logged_on="𠮷"),
        ok("script in the content", HTML, content=MARKUP),
        ok("SQL in the content", SQL, content=SQL_TEXT),
        ok("rare CJK and emoji in the content", UNICODE, content=UNICODE_TEXT),
        bad("an image tag as the date", HTML, logged_on=IMG),
        bad("date as 1e309", WRONG_TYPE, logged_on="1e309"),
    ],
)

PLACEMENT_SPEC = bi.FormSpec(
    url="mentoring:placement_create",
    actor="unit_cadre",
    target=PLACEMENT,
    good=GOOD_PLACEMENT,
    cases=[
        bad("competition of ten thousand", TOO_LONG, competition="赛" * 10_000),
        bad("level as SQL", SQL, level=SQL_TEXT),
        bad("level as emoji", UNICODE, level="🥇"),
        bad("placement as NUL", UNICODE, placement=NUL_TEXT),
        bad("level twice, the last unknown", DUPLICATE, level=["company", "galactic"]),
        bad("date in words", WRONG_TYPE, placed_on="上个月"),
        ok("script in the competition", HTML, competition=MARKUP),
        ok("SQL in the placement", SQL, placement=SQL_TEXT[:50]),
        ok("rare CJK and emoji in the competition", UNICODE, competition=UNICODE_TEXT),
    ],
)

GRADE_SPEC = bi.FormSpec(
    url="mentoring:pairing_grade",
    actor="unit_cadre",
    target=GRADE,
    good=GOOD_GRADE,
    cases=[
        bad("grade as SQL", SQL, grade=SQL_TEXT),
        bad("grade in rare CJK", UNICODE, grade="𠮷"),
        bad("note of ten thousand", TOO_LONG, note="注" * 10_000),
        bad("grade twice, the last unknown", DUPLICATE, grade=["technician", "wizard"]),
        bad("date as SQL", SQL, changed_on=SQL_OR),
        ok("script in the note", HTML, note=MARKUP),
        ok("SQL in the note", SQL, note=SQL_TEXT),
        ok("rare CJK and emoji in the note", UNICODE, note=UNICODE_TEXT),
        bad("an image tag as the grade", HTML, grade=IMG),
    ],
)

ASSESS_SPEC = bi.FormSpec(
    url="mentoring:pairing_assess",
    actor="unit_cadre",
    target=ASSESS,
    good=GOOD_ASSESS,
    cases=[
        bad("score as SQL", SQL, score=SQL_OR),
        bad("score as emoji", UNICODE, score="💯"),
        bad("score twice, the last over 100", DUPLICATE, score=["80", "101"]),
        bad("assessors of ten thousand", TOO_LONG, assessors="评" * 10_000),
        bad("NUL in the assessors", UNICODE, assessors=NUL_TEXT),
        bad("score infinite", WRONG_TYPE, score="Infinity"),
        ok("script in the comment", HTML, comment=MARKUP),
        ok("SQL in the assessors", SQL, assessors=SQL_TEXT),
        ok("rare CJK and emoji in the comment", UNICODE, comment=UNICODE_TEXT),
    ],
)

END_SPEC = bi.FormSpec(
    url="mentoring:pairing_end",
    actor="hq",
    target=END,
    good=GOOD_END,
    cases=[
        bad("reason as SQL", SQL, reason=SQL_TEXT),
        bad("reason as emoji", UNICODE, reason="🚪"),
        bad("reason twice, the last unknown", DUPLICATE, reason=["mentor_left", "bored"]),
        bad("date as SQL", SQL, ended_on=SQL_OR),
        bad("comment of ten thousand", TOO_LONG, comment="因" * 10_000),
        bad("an image tag as the date", HTML, ended_on=IMG),
        bad("reason as a number", WRONG_TYPE, reason="1"),
        bad("date with NUL", UNICODE, ended_on=TODAY + "\x00"),
        ok("script in the comment", HTML, comment=MARKUP),
        ok("SQL in the comment", SQL, comment=SQL_TEXT),
        ok("rare CJK and emoji in the comment", UNICODE, reason="other", comment=UNICODE_TEXT),
    ],
)

RULE_SPEC = bi.FormSpec(
    url="mentoring:reward_rule_update",
    actor="hq",
    good=GOOD_RULE,
    cases=[
        bad("allowance NaN", WRONG_TYPE, allowance_technician="NaN"),
        bad("allowance as SQL", SQL, allowance_technician=SQL_OR),
        bad("bonus as a script", HTML, bonus_amount=MARKUP),
        bad("allowance of 1e15", MONEY, allowance_technician="1e15"),
        bad("a cent below zero", MONEY, allowance_senior="-0.01"),
        bad("bonus of 1e309", WRONG_TYPE, bonus_amount="1e309"),
        bad("bonus twice, the last negative", DUPLICATE, bonus_amount=["5000", "-5000"]),
        bad("years with NUL", UNICODE, bonus_years="2\x00"),
        bad("a date as the years", DATE_ORDER, bonus_years="2024-01-01"),
        bad("allowance of ten thousand digits", TOO_LONG, allowance_technician="9" * 10_000),
        any_("allowance minus zero", MONEY, allowance_technician="-0"),
        any_("allowance in full-width digits", WRONG_TYPE, allowance_technician="２００"),
    ],
)


def _studio_choice(ctx):
    return named_studio(ctx.world).pk


TARGET_SPEC = bi.FormSpec(
    url="mentoring:pairing_create",
    form="mentoring.forms.PairingTargetForm",
    method="get",
    actor="studio_lead",
    good={"studio": _studio_choice},
    good_status=200,
    cases=[
        bad("a studio of ten thousand digits", TOO_LONG, studio="1" * 10_000),
        bad("a studio with NUL", UNICODE, studio=lambda c: f"{_studio_choice(c)}\x00"),
        bad(
            "studio twice, the last another lead's",
            DUPLICATE,
            studio=lambda c: [_studio_choice(c), c.world.other_studio.pk],
        ),
        bad("a date as the studio", DATE_ORDER, studio="2024-01-01"),
        bad("an image tag as the alliance", HTML, studio=bi.DROP, alliance=IMG),
        bad("SQL as the alliance", SQL, studio=bi.DROP, alliance=SQL_OR),
        bad("an unknown choice-like value", CHOICE, studio="all"),
        bad("1e309", WRONG_TYPE, studio="1e309"),
        bad("blank", EMPTY, studio=WHITESPACE),
        bad("a studio NaN", WRONG_TYPE, studio="NaN"),
        bad("an alliance in rare CJK", UNICODE, studio=bi.DROP, alliance="𠮷"),
    ],
)

REWARD_YEAR_SPEC = bi.FormSpec(
    url="mentoring:reward_list",
    form="mentoring.forms.RewardYearForm",
    method="get",
    actor="unit_cadre",
    good={"year": "2024"},
    good_status=200,
    cases=[
        bad("year NaN", WRONG_TYPE, year="NaN"),
        bad("year of 1e309", WRONG_TYPE, year="1e309"),
        bad("year as SQL", SQL, year=SQL_OR),
        bad("year with NUL", UNICODE, year="2024\x00"),
        bad("year twice, the last next year", DUPLICATE, year=["2024", bi.year(1)]),
        bad("a unit as SQL", SQL, unit=SQL_TEXT),
        bad("a unit as an image tag", HTML, unit=IMG),
        bad("a unit in rare CJK", UNICODE, unit="𠮷"),
        bad("a year of ten thousand digits", TOO_LONG, year="2" * 10_000),
        bad("unit twice, the last of branch B", DUPLICATE, unit=lambda c: [c.world.branch_a.pk, c.world.branch_b.pk]),
        bad("a unit choice not offered", CHOICE, unit="all"),
    ],
)

SPECS = [
    PAIRING,
    PAIRING_UPDATE,
    PROGRESS_SPEC,
    PLACEMENT_SPEC,
    GRADE_SPEC,
    ASSESS_SPEC,
    END_SPEC,
    RULE_SPEC,
    TARGET_SPEC,
    REWARD_YEAR_SPEC,
]


class TestForms(bi.Battery):
    """The battery of tests/bad_input.py over this module's forms."""

    specs = SPECS


def test_a_photo_of_the_signed_agreement_is_accepted(world, client_as):
    """A signed agreement photographed with a phone is kept as a picture (core.uploads)."""
    from mentoring.models import Pairing

    url, context = new_in_studio(world)
    data = good_pairing(context)
    data["agreement"] = upload("png")
    response = client_as(world.studio_lead).post(url, data)
    assert response.status_code == 302, response.content.decode()[:1500]
    assert Pairing.objects.order_by("-pk").first().agreement.name.endswith(".png")
