"""Two people acting on the same thing at the same moment: one wins, the other is told why, and
the history shows one event (PostgreSQL: row locks; skipped on SQLite, failed in CI without it).

- Services: the studio's recommendation and the result's verification, twice at once and against
  a return, each on its own database connection, started together by a barrier.
- Pages: every confirm-and-act page (TransitionView) the permission matrix shows succeeding, or
  asking for input, is posted by two signed-in clients at once: with a comment, or with the valid
  input of its form (INPUT: the bad-input battery's GOOD payload where it fits the matrix's object,
  else a small builder here). Exactly one answer is the success redirect; the other is a 409 page
  with the reason in Chinese (or a 404 when the first one deleted the thing); never a 500. The
  audit trail grows by exactly what one request writes (measured first on a twin object, in a
  transaction rolled back). No page is left out: NOT_RACED (empty) would list one with its reason.
"""

from __future__ import annotations

import contextlib
import re
import threading

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from achievements import services as result_services
from core.exceptions import TransitionNotAllowed
from core.models import AuditEvent
from core.views import TransitionView
from studios import services as studio_services

from . import bad_input as bi
from .achievements import test_forms_bad_input as achievement_forms
from .alliances import test_forms_bad_input as alliance_forms
from .conftest import skip_or_fail
from .mentoring import test_forms_bad_input as mentoring_forms
from .studios import test_forms_bad_input as studio_forms
from .talent import test_campaign_forms_bad_input as campaign_forms
from .test_permission_matrix import MATRIX, all_url_names

CJK = re.compile(r"[\u4e00-\u9fff]")
COMMENT = "并发测试：同时提交"
# Pages where two people may both succeed, with the reason.
BOTH_MAY_WIN = {
    "accounts:user_reset_password": "each reset hands out a new temporary password; the later one is the one in force",
    "talent:nomination_score": "an expert may revise its own scorecard while the campaign is in scoring; the "
    "later one is in force (the campaign's row lock puts them in turn: one submission, one revision)",
}

# Pages where both chose the same new value: the second is told on its form, next to the field,
# that the value is already in force (a 400, the form again), with the reason.
TOLD_ON_THE_FORM = {
    "alliances:member_tier": "both chose the same new tier: the later one is told that the studio is already at it",
    "studios:studio_change_lead": "both chose the same new lead: the later one is told that this person already "
    "leads the studio",
}

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        skip_or_fail("row locks need PostgreSQL (set DATABASE_URL)")


def race(*actions):
    """Run the callables at once, each in its own thread (so on its own connection)."""
    barrier = threading.Barrier(len(actions))
    outcomes: list = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", action())
        except BaseException as error:
            outcomes[index] = ("error", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(outcome is not None for outcome in outcomes), "a racer did not finish"
    return outcomes


def chinese_or_pending(message: str) -> bool:
    """In Chinese — or an English msgid the compiled catalogue does not hold yet (a new message
    waits for the translators; one the catalogue knows must come out in Chinese)."""
    from django.utils.translation import trans_real

    if CJK.search(message):
        return True
    return message not in trans_real.translation("zh-hans")._catalog


def events_after(mark):
    return AuditEvent.objects.filter(pk__gt=mark)


def last_event_id():
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# Services ----------------------------------------------------------------------------------------


def _submitted_result(world):
    from achievements.models import Result

    return Result.objects.create(
        studio=world.studio(status="named", level="company"),
        title="并发成果",
        category="technical_innovation",
        achieved_on="2025-06-01",
        status="submitted",
    )


def _recommend(studio, actor):
    return studio_services.studio_recommend(actor=actor, studio=studio, comment="同意")


def _verify(result, actor):
    return result_services.result_verify(actor=actor, result=result)


def _return(result, actor):
    return result_services.result_return(actor=actor, result=result, reason="材料不全")


# case → (builder, first racer's service, second racer's service, audit actions either may write)
SERVICE_RACES = {
    "studio recommend × 2": (
        lambda world: world.studio(status="submitted"),
        _recommend,
        _recommend,
        {"studio_recommend"},
    ),
    "result verify × 2": (_submitted_result, _verify, _verify, {"result_verify"}),
    "result return × 2": (_submitted_result, _return, _return, {"result_return"}),
}


@pytest.mark.parametrize("case", sorted(SERVICE_RACES))
def test_two_reviewers_through_the_services_one_wins(case, world):
    build, first, second, actions = SERVICE_RACES[case]
    obj = build(world)
    mark = last_event_id()
    outcomes = race(lambda: first(obj, world.unit_cadre), lambda: second(obj, world.hq))
    kinds = sorted(kind for kind, _value in outcomes)
    assert kinds == ["error", "ok"], outcomes
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, TransitionNotAllowed), repr(error)
    assert chinese_or_pending(error.messages[0]), error.messages
    events = events_after(mark).filter(object_id=str(obj.pk), action__in=actions)
    assert events.count() == 1, list(events.values_list("action", "actor__username"))


def test_verify_and_return_at_once_are_serialised(world):
    """A verified result may itself be returned for correction, so both may win — but only one
    after the other: verified then returned (two events in that order), or returned first and the
    verification refused (one event)."""
    from achievements.models import Result

    result = _submitted_result(world)
    mark = last_event_id()
    outcomes = race(lambda: _verify(result, world.unit_cadre), lambda: _return(result, world.hq))
    events = list(
        events_after(mark)
        .filter(object_id=str(result.pk), action__in=("result_verify", "result_return"))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    verified, returned = outcomes
    assert returned[0] == "ok", outcomes
    assert Result.objects.get(pk=result.pk).status == "returned"
    if verified[0] == "ok":
        assert events == ["result_verify", "result_return"]
    else:
        assert isinstance(verified[1], TransitionNotAllowed) and chinese_or_pending(verified[1].messages[0])
        assert events == ["result_return"]


# Pages -------------------------------------------------------------------------------------------
# What each step that needs more than a comment is posted with, built for the object the matrix's
# row made (world, obj → form data; a builder may add what the step needs to the object's
# surroundings, such as a contributor or a scorecard). The same data serves both racers.


def _battery(spec):
    """The bad-input battery's GOOD payload of `spec` (tests/bad_input.py), for this object."""

    def build(world, obj):
        return bi.payload(spec, None, bi.Ctx(world=world, obj=obj))

    build.spec = spec
    return build


def _result_with_contributor(world, obj):
    """Submitting a result needs a contributor on it; the form itself is a bare confirmation."""
    from achievements.models import Contributor

    Contributor.objects.create(result=obj, person=world.lead_person, rank=1)
    return {"comment": COMMENT}


def _proposed_case(world, obj):
    """Declining a typical case needs a proposal to decline, and a reason."""
    obj.case_status = "proposed"
    obj.save(update_fields=["case_status"])
    return {"comment": COMMENT}


def _publicity(world, obj):
    """HQ's public notice: the nominee scored by the panel, chosen, the days after nominations close."""
    import datetime

    from .talent.campaign_fixtures import score

    nomination = obj.nominations.get()
    score(nomination, world.expert, [85, 80, 75])
    start = max(obj.nominations_close_on, datetime.date.today())
    return {
        "selected": [nomination.pk],
        "publicity_from": start.isoformat(),
        "publicity_until": (start + datetime.timedelta(days=6)).isoformat(),
        "comment": COMMENT,
    }


def _scorecard(world, obj):
    """The expert's whole scores of the campaign's criteria."""
    criteria = obj.campaign.criteria.order_by("order", "id")
    return {**{f"criterion_{criterion.pk}": "80" for criterion in criteria}, "comment": COMMENT}


INPUT = {
    **{
        spec.url: _battery(spec)
        for spec in (
            studio_forms.SUBMIT,
            studio_forms.APPROVE,
            studio_forms.RECTIFY,
            studio_forms.REVOKE,
            studio_forms.CHANGE_LEAD,
            studio_forms.MEMBERSHIP_END,
            achievement_forms.CLOSING,
            alliance_forms.ADMIT,
            alliance_forms.EXIT,
            alliance_forms.REMOVE,
            alliance_forms.TIER,
            mentoring_forms.ASSESS_SPEC,
            mentoring_forms.END_SPEC,
            campaign_forms.RECUSE,
        )
    },
    "achievements:result_submit": _result_with_contributor,
    "achievements:case_withdraw": _proposed_case,
    "talent:campaign_publicise": _publicity,
    "talent:nomination_score": _scorecard,
}
# Pages that cannot be raced, with the reason (none: every confirm-and-act page is raced).
NOT_RACED: dict[str, str] = {}


def _input(name, world, kwargs) -> dict:
    build = INPUT.get(name)
    if build is None:
        return {"comment": COMMENT}
    model = all_url_names()[name].callback.view_class.model
    return build(world, model._default_manager.get(pk=kwargs["pk"]))


def _racers(row):
    """Two roles that succeed on the page (the same one twice if only one may), and whether the
    matrix shows them succeeding with an empty form (302) or only asking for input (400: given a
    comment, the step may go through)."""
    for answer in (302, 400):
        winners = [role for role, cell in row.post.items() if cell == answer and role != "anonymous"]
        if winners:
            return winners[0], (winners[1] if len(winners) > 1 else winners[0]), answer == 302
    return None


def _transition_pages():
    for name in sorted(MATRIX):
        pattern = all_url_names().get(name)
        view_class = getattr(getattr(pattern, "callback", None), "view_class", None)
        if view_class is None or not issubclass(view_class, TransitionView):
            continue
        if _racers(MATRIX[name]):
            yield name


def _page_cases():
    return [name for name in _transition_pages() if name not in NOT_RACED]


def both_found_it(monkeypatch):
    """Hold each request just after its view found the object until the other has found it too:
    the worst moment, when both pages were read before either acted, happens on every run rather
    than now and then."""
    from core.views import ScopedObjectMixin

    found = threading.Barrier(2)
    original = ScopedObjectMixin.get_object

    def get_object(self, queryset=None):
        first_time = getattr(self, "_object", None) is None
        obj = original(self, queryset)
        if first_time:
            # If the other request never reaches its object (refused earlier), stop waiting.
            with contextlib.suppress(threading.BrokenBarrierError):
                found.wait(timeout=5)
        return obj

    monkeypatch.setattr(ScopedObjectMixin, "get_object", get_object)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", list(_page_cases()))
def test_two_people_on_the_same_page_at_once_one_wins(name, world, monkeypatch):
    row = MATRIX[name]
    first_role, second_role, _empty_form_wins = _racers(row)
    first, second = _client(world.user(first_role)), _client(world.user(second_role))
    # Calibrate: what one successful request writes to the audit trail, on a twin object, in a
    # transaction rolled back afterwards (so the twin cannot stand in the way of the race).
    with transaction.atomic():
        kwargs = row.kwargs(world)
        data = _input(name, world, kwargs)
        mark = last_event_id()
        response = first.post(reverse(name, kwargs=kwargs), data)
        calibration, errors = response.status_code, _form_errors(response)
        one_request = events_after(mark).count()
        transaction.set_rollback(True)
    assert calibration == 302, f"{name}: one POST of {sorted(data)} answered {calibration} {errors}"
    assert one_request >= 1, f"{name}: a successful POST wrote no audit event"

    kwargs = row.kwargs(world)
    data = _input(name, world, kwargs)
    url = reverse(name, kwargs=kwargs)
    both_found_it(monkeypatch)
    mark = last_event_id()
    outcomes = race(lambda: first.post(url, data), lambda: second.post(url, data))
    errors = [value for kind, value in outcomes if kind == "error"]
    assert not errors, f"{name}: a racer raised {errors!r}"
    statuses = sorted(response.status_code for _kind, response in outcomes)
    written = events_after(mark).count()
    if name in BOTH_MAY_WIN:
        assert statuses == [302, 302] and written == 2 * one_request, (statuses, written)
        return
    expected = [[302, 400]] if name in TOLD_ON_THE_FORM else [[302, 404], [302, 409]]
    loser = next((response for _kind, response in outcomes if response.status_code != 302), None)
    assert statuses in expected, f"{name}: answers {statuses} {_form_errors(loser) if loser else ''}"
    page = loser.content.decode()
    assert CJK.search(page), f"{name}: the loser's page is not in Chinese"
    if loser.status_code == 409:
        refused = [str(message) for message in loser.context.get("refused") or ()]
    elif loser.status_code == 400:
        refused = [str(message) for messages in _form_errors(loser).values() for message in messages]
    else:
        refused = []
    if loser.status_code != 404:
        assert refused and all(chinese_or_pending(message) for message in refused), refused
        assert all(escape(message) in page for message in refused), f"{name}: the reason is not on the page"
    assert written == one_request, f"{name}: {written} audit events for one success (one request writes {one_request})"


def _form_errors(response):
    form = (getattr(response, "context", None) or {}).get("form")
    return dict(form.errors) if form is not None and form.errors else {}


def test_every_confirm_and_act_page_is_raced_or_listed_with_its_reason():
    """Every confirm-and-act page that someone may use is raced (no skip at run time), or is in
    NOT_RACED with its reason; INPUT names only raced pages, each battery payload the page's own."""
    pages = set(_transition_pages())
    assert set(NOT_RACED) <= pages, set(NOT_RACED) - pages
    assert all(str(reason).strip() for reason in NOT_RACED.values()), NOT_RACED
    assert set(INPUT) <= set(_page_cases()), set(INPUT) - set(_page_cases())
    named = set(BOTH_MAY_WIN) | set(TOLD_ON_THE_FORM)
    assert named <= set(_page_cases()), named - set(_page_cases())
    for name, build in INPUT.items():
        spec = getattr(build, "spec", None)
        assert spec is None or spec.url == name, (name, spec.url)


def test_the_brief_cases_are_among_the_pages_raced():
    raced = set(_page_cases())
    assert {"studios:studio_recommend", "achievements:result_verify"} <= raced, raced
