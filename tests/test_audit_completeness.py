"""Audit completeness (issue #8): every create, update, delete and transition, through every route
(pages, admin, import, commands, tasks), leaves exactly one audit event with the actor and what
changed; bulk paths that would skip it are not used on audited models.

- Pages: every URL of the permission matrix that takes a POST is posted, by the first role (HQ
  first) that may, with its page's own form filled in as a careful user would (read from the HTML,
  tests/audit_support; FORM_CASES gives the few objects and choices a form cannot guess). Each
  success (a redirect) must add exactly one event — or the number written down in EVENTS with its
  reason — by that user, with the changed fields (an edited text must be named) or a comment. The
  matrix's own successful empty POSTs are checked too, for every role that may make them.
- Services: every public function of `<app>/services.py` that writes calls `audit_log` (directly
  or through the helper or service it calls); the exceptions are listed with their reason.
- Bulk paths: a scan of the project's source finds every bulk write (`bulk_create`, `bulk_update`,
  queryset `update`/`delete`) and every write outside the services; each is listed with the reason
  it needs no audit event of its own. A new one fails the build until it is reviewed.
- Admin: read-only (no add, change or delete for anyone, not even a superuser).
- Imports, management commands and Celery tasks: each audited with its actor, or a documented
  system actor (None: the event's actor is empty).
"""

from __future__ import annotations

import ast
import datetime
import io
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse

from core.audit import field_label
from core.models import AuditEvent

from .audit_support import ServiceCalls, autofill, page_form, service_functions
from .factories import PersonFactory, UserFactory
from .test_permission_matrix import MATRIX
from .xss_support import PORTAL_APPS

ROOT = Path(__file__).resolve().parent.parent
ROLE_ORDER = ("hq", "unit_cadre", "studio_lead", "expert", "unit_cadre_other", "other_lead", "viewer", "anonymous")

# POSTs that answer 302 but write no audited record.
NOT_A_WRITE = {
    "login": "a signed-in user is sent home; a failed login is django-axes' record (and a lockout is audited)",
    "logout": "ends the session; no record changes",
    "set_language": "a cookie",
    "core:notification_read_all": "read flags of the user's own notifications: messages, not audited records",
}

# More (or fewer) than one event for one request, and why.
EVENTS = {
    "talent:campaign_close": (
        3,
        "one for the campaign, and for each winner one on the nomination and one on the person's (or the "
        "result's) honours — one winner here",
    ),
    "studios:batch_name": (2, "one for the batch, and one in the history of each studio it names (one here)"),
    "mentoring:pairing_grade": (
        2,
        "two records change: the apprentice's skill grade (in the person's history) and the pairing it "
        "was earned in (in the pairing's history)",
    ),
}

# Empty POSTs of the matrix that succeed without changing anything record nothing.
EMPTY_POST_EVENTS = {"talent:person_link": (0, "an empty link changes nothing, so nothing is recorded")}

# Routes where nobody is signed in: the event has no actor (the trainee has no account).
ANONYMOUS_ROUTES = {"training:sign_in", "training:trainee"}

# Events that say what happened by their action alone (no field changed that may be shown).
ACTION_ONLY = {
    "password_changed": "the password itself is never written to the trail",
    "password_reset": "likewise (the reason is optional)",
    "photo_add": "a picture without a caption: the action says it, the picture is on the page",
    "image_add": "likewise",
    "activity_photo_add": "likewise",
    "feedback_submit": "feedback is anonymous: the event says that a trainee gave it, not who or what",
}


# Routes whose form needs a particular object, extra data or a choice a form cannot guess.
def _named_studio(world):
    return world.studio(status="named", level="company")


def _result_with_contributor(world):
    from achievements.models import Contributor, Result

    result = Result.objects.create(
        studio=_named_studio(world), title="成果", category="technical_innovation", achieved_on="2025-06-01"
    )
    Contributor.objects.create(result=result, person=world.lead_person, rank=1)
    return {"pk": result.pk}


def _approved_case(world):
    from .test_permission_matrix import case_of_a1

    return case_of_a1(world)


def _assessment(status):
    def build(world):
        from .test_permission_matrix import assessment_of_named

        return assessment_of_named(world, status=status)

    return build


def _open_batch(world):
    from .test_permission_matrix import open_batch

    return open_batch(world)


def _pairing_studio(world):
    from .mentoring import fixtures as mf

    studio = _named_studio(world)
    mentor = mf.member(studio, grade="technician")
    apprentice = mf.member(studio, grade="senior")
    return {"query": f"?studio={studio.pk}", "data": {"mentor": str(mentor.pk), "apprentice": str(apprentice.pk)}}


def _campaign_with_room(world):
    from .talent.campaign_fixtures import make_campaign

    return {"pk": make_campaign(world, criteria=(("技能水平", 60),)).pk}


def _running_session(world):
    from .training import fixtures as tf

    _class, session, _enrolment = tf.running_class_with_trainee(world)
    return {"pk": session.pk}


def _sign_in(world):
    from training.tokens import sign_in_token

    from .training import fixtures as tf

    _class, session, enrolment = tf.running_class_with_trainee(world)
    person = enrolment.person
    return {
        "kwargs": {"token": sign_in_token(session)},
        "data": {"employee_no": person.employee_no, "name": person.name},
    }


def _publicise(world):
    from .talent import campaign_fixtures as cf

    campaign = cf.make_campaign(world, status="scoring")
    nomination = cf.nominate(campaign, world)
    cf.score(nomination, world.expert, [80, 80, 80])
    return {"kwargs": {"pk": campaign.pk}, "data": {"selected": [str(nomination.pk)]}}


def _alliance_to_designate(world):
    from .alliances.fixtures import make_alliance

    return {"data": {"kind": "pilot", "alliance": str(make_alliance(world, name="试点联盟").pk), "studio": ""}}


def _draft_batch(world):
    from .alliances import fixtures as af

    return af.batch_pk("draft")(world)["pk"]


def _deactivated_user(world):
    world.target_lead.is_active = False
    world.target_lead.save(update_fields=["is_active"])
    return {"pk": world.target_lead.pk}


def _proposed_case(world):
    from achievements.models import Result

    result = Result.objects.create(
        studio=_named_studio(world),
        title="成果",
        category="technical_innovation",
        achieved_on="2025-06-01",
        status="verified",
        case_status="proposed",
        case_story="案例",
    )
    return {"pk": result.pk}


def _preparing_alliance(world):
    from .alliances import fixtures as af

    return {"pk": af.alliance_with_member(world, status="preparing")[0].pk}


def _batch_past_notice(world):
    from studios.models import NamingBatch

    today = datetime.date.today()
    batch = NamingBatch.objects.create(
        year=today.year,
        level="company",
        name="已公示批",
        publicity_start=today - datetime.timedelta(days=14),
        publicity_end=today - datetime.timedelta(days=7),
    )
    world.studio(status="publicised", batch=batch)
    return {"pk": batch.pk}


def _graded_round(world):
    from studios.models import Assessment, AssessmentRound

    assessment_round = AssessmentRound.objects.create(year=2025)
    studio = _named_studio(world)
    Assessment.objects.create(round=assessment_round, studio=studio, status="graded", grade="good")
    return {"pk": assessment_round.pk}


def _campaign_past_notice(world):
    from .talent import campaign_fixtures as cf

    today = datetime.date.today()
    campaign = cf.make_campaign(
        world,
        status="publicised",
        publicity_from=today - datetime.timedelta(days=10),
        publicity_until=today - datetime.timedelta(days=3),
    )
    cf.nominate(campaign, world, proposed=True)
    return {"pk": campaign.pk}


def _class(status, trainee=False):
    def build(world):
        from .training import fixtures as tf

        training_class = tf.make_class(world, status=status)
        tf.add_session(training_class)
        if trainee:
            tf.enrol(training_class, tf.trainee(world), world)
        return {"pk": training_class.pk}

    return build


FORM_CASES = {
    "accounts:user_activate": {"kwargs": _deactivated_user},
    "achievements:case_approve": {"kwargs": _proposed_case},
    "alliances:alliance_launch": {"kwargs": _preparing_alliance},
    "alliances:batch_publish": {"kwargs": lambda world: {"pk": _draft_batch(world)}},
    "studios:batch_name": {"kwargs": _batch_past_notice},
    "studios:round_close": {"kwargs": _graded_round},
    "talent:campaign_close": {"kwargs": _campaign_past_notice},
    "training:class_open": {"kwargs": _class("preparing")},
    "training:class_start": {"kwargs": _class("enrolling", trainee=True)},
    "training:class_finish": {"kwargs": _class("running", trainee=True)},
    "achievements:adoption_create": {"prepare": lambda world: {"data": {"unit": str(world.plant_b1.pk)}}},
    "achievements:result_submit": {"kwargs": _result_with_contributor},
    "achievements:case_withdraw": {"kwargs": _approved_case},
    "alliances:designation_add": {"prepare": _alliance_to_designate},
    "alliances:funding_create": {"data": {"source": "founding"}},
    "alliances:member_tier": {"data": {"tier": "pilot"}},  # the form starts at the tier in force
    # Contributors are searched for (core.pickers): the page lists only those already chosen.
    "achievements:result_create": {"prepare": lambda world: {"data": {"contributors": str(world.lead_person.pk)}}},
    "achievements:result_update": {"prepare": lambda world: {"data": {"contributors": str(world.lead_person.pk)}}},
    "studios:funding_create": {"data": {"source": "founding"}},
    "alliances:join_request": {"prepare": _named_studio},
    "mentoring:pairing_assess": {"data": {"score": "80", "grade": "pass"}},
    "mentoring:pairing_create": {"prepare": _pairing_studio},
    "mentoring:placement_create": {"data": {"placed_on": "2024-06-01"}},
    "mentoring:progress_create": {"data": {"logged_on": "2024-06-01"}},
    "password_change": {"data": {"old_password": "correct-horse-battery-2026"}},
    "studios:assessment_grade": {"kwargs": _assessment("unit_scored")},
    "studios:assessment_score": {"kwargs": _assessment("self_submitted"), "data": {"unit_score": "85"}},
    "studios:studio_approve": {"prepare": _open_batch},
    "studios:rules_update": {"data": {"min_team_size": "4"}},
    "studios:studio_submit": {"data": {"explanation": "场地正在扩建，年内达标。"}},
    "talent:campaign_create": {"data": {"honour_kind": "craftsman"}},
    "talent:campaign_publicise": {"prepare": _publicise},
    "talent:person_link": {"prepare": lambda world: {"data": {"user": str(world.target_lead.pk)}}},
    "talent:criterion_create": {"kwargs": _campaign_with_room},
    "talent:panel_add": {"prepare": lambda world: UserFactory(role="expert", unit=world.plant_b1)},
    "training:attendance_record": {"kwargs": _running_session},
    "training:enrol": {
        "prepare": lambda world: {"data": {"employee_numbers": PersonFactory(unit=world.plant_a1).employee_no}}
    },
    "training:sign_in": {"prepare": _sign_in},
}

# Routes a filled-in form does not reach, and why (each is audited through the test named).
NOT_REACHED = {
    "achievements:result_import": "an Excel upload: test_imports_audit_each_row",
    "studios:studio_import": "an Excel upload: test_imports_audit_each_row",
    "talent:person_import": "an Excel upload: test_imports_audit_each_row",
}


def _form_routes():
    """(url name, role): the first role (HQ first) that may open the form and post it."""
    for name, row in sorted(MATRIX.items()):
        if name in NOT_A_WRITE:
            continue
        # A state the matrix's object refuses (409) is reached with the object FORM_CASES builds.
        answers = (302, 400, 409) if "kwargs" in FORM_CASES.get(name, {}) else (302, 400)
        role = next((r for r in ROLE_ORDER if row.get.get(r) == 200 and row.post.get(r) in answers), None)
        if role is not None:
            yield name, role


def _events_since(count):
    return list(AuditEvent.objects.order_by("id")[count:])


def _check_events(name, events, user, *, edited=None, expected=1):
    problems = []
    if len(events) != expected:
        problems.append(f"{len(events)} events, expected {expected}: {[e.action for e in events]}")
    for event in events:
        want = None if name in ANONYMOUS_ROUTES else user.pk
        if event.actor_id != want:
            problems.append(f"{event.action}: actor {event.actor_id}, expected {want}")
        if not (event.changes or event.comment) and event.action not in ACTION_ONLY:
            problems.append(f"{event.action}: neither the changed fields nor a comment")
        # The audit log and the history panel name each change by its field's label.
        unnamed = [name for name in event.changes if field_label(event.content_type.model_class(), name) == name]
        if unnamed:
            problems.append(f"{event.action}: changes the audit log cannot name: {unnamed}")
    if edited and events:
        keys = {key for event in events for key in event.changes}
        if not any(key == edited or key.endswith(f".{edited}") for key in keys):
            problems.append(f"edited {edited!r} but the changes name only {sorted(keys)}")
    return problems


def test_every_form_that_writes_leaves_exactly_one_audit_event(world, client_as, monkeypatch, artifacts_dir):
    calls = ServiceCalls(monkeypatch)
    reached, unreached, problems, services = [], {}, {}, set()
    for name, role in _form_routes():
        case = FORM_CASES.get(name, {})
        user = world.user(role)
        with transaction.atomic():
            try:
                extra = case["prepare"](world) if "prepare" in case else None
                extra = extra if isinstance(extra, dict) else {}
                kwargs = extra.get("kwargs") or (
                    case["kwargs"](world) if "kwargs" in case else MATRIX[name].kwargs(world)
                )
                url = reverse(name, kwargs=kwargs) + extra.get("query", "")
                client = client_as(user)
                form = page_form(client.get(url).content.decode())
                overrides = {**case.get("data", {}), **extra.get("data", {})}
                data, edited = autofill(form, edit=True, overrides=overrides) if form else (overrides, None)
                before = AuditEvent.objects.count()
                calls.calls.clear()
                response = client.post(url, data)
                if response.status_code == 302:
                    reached.append(name)
                    services.update(calls.calls)
                    expected = EVENTS.get(name, (1, ""))[0]
                    if found := _check_events(name, _events_since(before), user, edited=edited, expected=expected):
                        problems[f"{name} as {role}"] = found
                else:
                    unreached[name] = response.status_code
            finally:
                transaction.set_rollback(True)

    (artifacts_dir / "audit_forms.txt").write_text(
        f"forms posted: {len(reached) + len(unreached)}; writes reached: {len(reached)}; "
        f"services reached: {len(services)}\nnot reached: {sorted(unreached.items())}\n"
        f"services: {sorted(services)}\n"
    )
    assert not problems, problems
    surprise = {name: status for name, status in unreached.items() if name not in NOT_REACHED}
    assert not surprise, (
        "forms a filled-in POST no longer reaches (give them a FORM_CASES entry, or say why in NOT_REACHED): "
        f"{surprise}"
    )
    stale = [name for name in NOT_REACHED if name in reached]
    assert not stale, f"reached now: remove from NOT_REACHED {stale}"
    unreached_services = (
        set(_writing_services()) - services - set(SERVICES_REACHED_ELSEWHERE) - set(NOT_AUDITED_SERVICES)
    )
    assert not unreached_services, (
        f"writing services no page reached here (reach them, or say where they are audited): {unreached_services}"
    )
    stale = sorted(set(SERVICES_REACHED_ELSEWHERE) & services)
    assert not stale, f"reached by a page now: remove from SERVICES_REACHED_ELSEWHERE {stale}"


@pytest.mark.parametrize(
    ("name", "role"),
    [
        pytest.param(name, role, id=f"{name}-{role}")
        for name, row in sorted(MATRIX.items())
        if name not in NOT_A_WRITE
        for role, expected in row.post.items()
        if expected == 302
    ],
)
def test_each_successful_post_of_the_matrix_is_audited_once(name, role, world, client_as):
    url = reverse(name, kwargs=MATRIX[name].kwargs(world))
    user = world.user(role)
    before = AuditEvent.objects.count()
    response = client_as(user).post(url)
    assert response.status_code == 302
    expected = EMPTY_POST_EVENTS.get(name, EVENTS.get(name, (1, "")))[0]
    assert not _check_events(name, _events_since(before), user, expected=expected)


# Services ------------------------------------------------------------------------------------------

WRITES = {"save", "create", "update", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
WRITES |= {"add_root", "add_child", "move", "set_password"}

# Public service functions that write but record no event of their own, and why.
NOT_AUDITED_SERVICES = {
    "core.audit_log": "writes the trail itself",
    "core.notify": "notifications are messages to a user, not records; the change that sends one is audited",
    "core.notification_mark_read": "read flags of the user's own notifications",
    "core.notifications_settle": "read flags of the notifications asking for a step, once it is taken (audited)",
    "core.notification_email_deliver": "stamps when a notification was emailed (idempotent delivery)",
    "core.picture_store": "a helper: every caller (photo_add, result_image_add, activity_photo_add) audits",
    "core.picture_delete": "a helper: every caller (photo_delete, result_image_delete, …) audits",
    "studios.funding_line_create": "a helper: studios.funding_add and alliances.funding_add audit",
    "studios.funding_line_reverse": "a helper: studios.funding_reverse and alliances.funding_reverse audit",
}

# Writing services no page reaches in the form test, and where their audit is checked.
SERVICES_REACHED_ELSEWHERE = {
    "accounts.organisation_bootstrap": "the bootstrap_portal command: test_commands_are_audited",
    "accounts.user_lockout_record": "django-axes' lockout signal: tests/accounts/test_login (one event each)",
    "accounts.user_unlock": "needs a lockout: tests/accounts/test_login (one event)",
    "reports.enqueue_build": "sends the Celery task after the request's commit: test_tasks_are_audited",
    "reports.report_build": "the Celery task: test_tasks_are_audited",
    "reports.report_fail": "the Celery task's last failure: test_tasks_are_audited",
    "reports.report_for_past_year": "Celery beat's yearly report: test_tasks_are_audited",
    "reports.report_sweep": "Celery beat's sweep of lost builds: test_tasks_are_audited",
}


def _service_tree(app):
    path = ROOT / app / "services.py"
    return ast.parse(path.read_text()) if path.exists() else None


def _call_names(node):
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            func = call.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def _service_graph():
    """'app.function' → the names it calls, for every function of every services module."""
    from .audit_support import SERVICE_APPS

    graph = {}
    for app in SERVICE_APPS:
        tree = _service_tree(app)
        if tree is None:
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                graph[f"{app}.{node.name}"] = _call_names(node)
    return graph


def _reaches(graph, start, targets):
    """Whether `start` calls one of `targets`, itself or through the service functions it calls
    (same module first, then any module)."""
    by_name = {}
    for qualified in graph:
        by_name.setdefault(qualified.split(".")[1], []).append(qualified)
    seen, stack = set(), [start]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        names = graph[current]
        if names & targets:
            return True
        app = current.split(".")[0]
        for name in names:
            candidates = by_name.get(name, [])
            same = [c for c in candidates if c.startswith(f"{app}.")]
            stack.extend(same or candidates)
    return False


def _writing_services():
    graph = _service_graph()
    public = service_functions()
    return sorted(q for q in public if q in graph and _reaches(graph, q, WRITES))


def test_every_writing_service_records_an_audit_event():
    graph = _service_graph()
    writing = _writing_services()
    assert len(writing) >= 100
    silent = [q for q in writing if not _reaches(graph, q, {"audit_log"}) and q not in NOT_AUDITED_SERVICES]
    assert not silent, f"services that write without audit_log: {silent}"
    stale = [q for q in NOT_AUDITED_SERVICES if q not in graph]
    assert not stale, f"no such service any more: {stale}"


# Imports, commands, tasks ------------------------------------------------------------------------

# Per imported row: the column values to use (by header position), and the events one row makes.
IMPORTS = {
    "studios:studio_import": {
        "template": "studios:studio_import_template",
        "row": lambda world, n: {0: f"导入工作室{n}", 2: "A1", 3: world.lead_person.employee_no},
        "events": (1, "studio_create"),
    },
    "talent:person_import": {
        "template": "talent:person_import_template",
        "row": lambda world, n: {0: f"导入人员{n}", 2: f"E9900{n}", 3: "A1"},
        "events": (
            2,
            "person_create, and person_grade_change for the skill grade the row gives (dated, in the history)",
        ),
    },
    "achievements:result_import": {
        "template": "achievements:result_import_template",
        "row": lambda world, n: {0: f"导入成果{n}", 1: _named_studio(world).name, 4: world.lead_person.employee_no},
        "events": (1, "result_create"),
    },
}


@pytest.mark.parametrize("name", sorted(IMPORTS))
def test_imports_audit_each_row(name, world, client_as):
    from openpyxl import load_workbook

    spec = IMPORTS[name]
    client = client_as(world.unit_cadre)
    template = client.get(reverse(spec["template"]))
    workbook = load_workbook(io.BytesIO(template.content))
    sheet = workbook.worksheets[0]
    example = [cell.value for cell in sheet[2]]
    for n in (1, 2):
        row = list(example)
        for index, value in spec["row"](world, n).items():
            row[index] = value
        if n == 1:
            for index, value in enumerate(row, start=1):
                sheet.cell(row=2, column=index, value=value)
        else:
            sheet.append(row)
    upload = io.BytesIO()
    workbook.save(upload)
    upload.name = "import.xlsx"
    upload.seek(0)
    before = AuditEvent.objects.count()
    response = client.post(reverse(name), {"file": upload})
    assert response.status_code == 302, response.content.decode()[-2000:]
    events = _events_since(before)
    assert len(events) == 2 * spec["events"][0], [e.action for e in events]
    assert {e.actor_id for e in events} == {world.unit_cadre.pk}
    assert all(e.changes for e in events)


# The project's management commands: audited with their actor, or why they need not be.
COMMANDS = {
    "bootstrap_portal": "audited: test_bootstrap_portal_is_audited (the system actor: nobody is signed in yet)",
    "seed_demo": "writes demo data into a demo database and says so; nobody's records",
    "seed_scale": "writes generated data for load tests into a scale database and says so",
    "makemessages": "writes the translation catalogue, not the database",
    "count_tallies": "counts the dashboards' tallies again from audited rows; no record of anyone's changes",
}


def test_every_management_command_is_audited_or_says_why():
    from django.core.management import get_commands

    ours = {name for name, app in get_commands().items() if app.split(".")[0] in PORTAL_APPS}
    assert ours == set(COMMANDS), f"commands without an entry: {ours - set(COMMANDS)}; stale: {set(COMMANDS) - ours}"


def test_bootstrap_portal_is_audited(db, monkeypatch):
    from django.core.management import call_command

    from accounts.models import Unit, User

    monkeypatch.setenv("PORTAL_BOOTSTRAP_PASSWORD", "Quartz-lantern-2026!")
    call_command(
        "bootstrap_portal", unit_name="某某集团", unit_code="HQ", username="admin", name="张三", stdout=io.StringIO()
    )
    events = list(AuditEvent.objects.order_by("id"))
    # Two records made, one event each; the system is the actor (nobody can sign in yet).
    assert [(e.action, e.object_id) for e in events] == [
        ("create", str(Unit.objects.get().pk)),
        ("create", str(User.objects.get().pk)),
    ]
    assert all(e.actor_id is None and e.comment == "bootstrap" for e in events)


# The project's Celery tasks: audited with their actor, or why they need not be.
TASKS = {
    "core.tasks.notification_email_send": "stamps when a notification was emailed: a message, not a record",
    "reports.tasks.report_build_task": "audited: test_tasks_are_audited (the system actor)",
    "reports.tasks.annual_company_report": "audited: test_tasks_are_audited (the system actor)",
    "reports.tasks.report_sweep": "audited: test_tasks_are_audited (the system actor)",
    "reports.tasks.dashboard_refresh_task": "recomputes cached dashboard figures: writes no record",
    "reports.tasks.tallies_rebuild_task": "counts the tallies from scratch from audited rows: writes no record",
    "reports.tasks.tallies_sweep_task": "counts marked units' tallies again from audited rows: no record of anyone's",
}


def _project_tasks():
    import importlib

    from config.celery import app

    for label in PORTAL_APPS:
        try:
            importlib.import_module(f"{label}.tasks")
        except ModuleNotFoundError:
            continue
    return {name for name in app.tasks if name.split(".")[0] in PORTAL_APPS}


def test_every_task_is_audited_or_says_why():
    tasks = _project_tasks()
    assert tasks == set(TASKS), f"tasks without an entry: {tasks - set(TASKS)}; stale: {set(TASKS) - tasks}"


def test_tasks_are_audited(world, django_capture_on_commit_callbacks, monkeypatch):
    from reports import documents
    from reports.models import AnnualReport
    from reports.services import report_request
    from reports.tasks import annual_company_report

    # A cadre asks: one event by the cadre; the build (the task, sent on commit) one by the system.
    with django_capture_on_commit_callbacks(execute=True):
        report, _created = report_request(actor=world.unit_cadre, year=2025, unit=world.branch_a)
    events = list(AuditEvent.objects.filter(object_id=str(report.pk)).order_by("id"))
    assert [(e.action, e.actor_id) for e in events] == [
        ("report_request", world.unit_cadre.pk),
        ("report_done", None),
    ]

    # Celery beat's yearly report: asked and built by the system, one event each.
    with django_capture_on_commit_callbacks(execute=True):
        yearly = annual_company_report.delay().get()
    events = list(AuditEvent.objects.filter(object_id=str(yearly)).order_by("id"))
    assert [(e.action, e.actor_id) for e in events] == [("report_request", None), ("report_done", None)]

    # A build that fails for good: one event saying why.
    monkeypatch.setattr(documents, "report_pdf", lambda snapshot: (_ for _ in ()).throw(ValueError("no font")))
    with django_capture_on_commit_callbacks(execute=True):
        failing, _created = report_request(actor=world.hq, year=2024, unit=world.root)
    assert AnnualReport.objects.get(pk=failing.pk).status == "failed"
    events = list(AuditEvent.objects.filter(object_id=str(failing.pk)).order_by("id"))
    assert [(e.action, e.actor_id) for e in events] == [("report_request", world.hq.pk), ("report_failed", None)]

    # The sweep sends a lost build again: what it changes is recorded by the system.
    monkeypatch.undo()
    if "reports.tasks.report_sweep" in _project_tasks():
        from django.utils import timezone

        from reports.tasks import report_sweep

        lost = AnnualReport.objects.create(year=2023, unit=world.branch_b, requested_by=world.hq, task_id="lost")
        AnnualReport.objects.filter(pk=lost.pk).update(updated_at=timezone.now() - datetime.timedelta(days=1))
        before = AuditEvent.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            assert report_sweep.delay().get() == [lost.pk]
        events = _events_since(before)
        assert events and all(e.actor_id is None and e.changes and e.object_id == str(lost.pk) for e in events)


# Admin -----------------------------------------------------------------------------------------


def test_the_admin_is_read_only_for_every_model(rf):
    from django.contrib import admin

    from accounts.models import User

    superuser = User(username="root", is_superuser=True, is_staff=True, is_active=True)
    request = rf.get("/admin/")
    request.user = superuser
    assert admin.site._registry, "nothing registered"
    writable = {}
    for model, model_admin in admin.site._registry.items():
        rights = {
            "add": model_admin.has_add_permission(request),
            "change": model_admin.has_change_permission(request),
            "delete": model_admin.has_delete_permission(request),
        }
        if any(rights.values()) or model_admin.get_actions(request):
            writable[model._meta.label] = rights
    assert not writable, f"the admin could write (and bypass the services' audit): {writable}"


# Bulk paths ------------------------------------------------------------------------------------

SCANNED_APPS = PORTAL_APPS
NOT_SCANNED = {
    "migrations": "schema and data migrations run once, before anyone acts",
    "demo.py": "each app's demo data, written by seed_demo, which says it writes demo data",
    "scale": "seed_scale's generator and reset: load-test data in a scale database",
    "seed_demo.py": "the demo seed command",
    "seed_scale.py": "the load-test seed command",
}
BULK = {"bulk_create", "bulk_update"}
QUERYSET_WRITES = {"update", "delete"}
INSTANCE_WRITES = {"save", "create", "get_or_create", "update_or_create", "delete"}
QUERYSET_HINTS = ("objects", ".filter(", ".exclude(", ".all(", ".select_for_update(", "_set")

# Every bulk write, and every write outside a services module, with the reason it is not a path
# around the audit. (path, function, method).
ALLOWED_WRITES = {
    (
        "reports/dashboard.py",
        "dashboard_entry",
        "delete",
    ): "releases the dashboard's refresh lock in the cache, not a row",
    (
        "reports/dashboard.py",
        "dashboard_refresh",
        "delete",
    ): "releases the dashboard's refresh lock in the cache, not a row",
    ("core/services.py", "notify", "bulk_create"): "notifications: messages, not audited records",
    ("core/services.py", "notification_mark_read", "update"): "read flags of the user's own notifications",
    ("core/services.py", "notifications_settle", "update"): "read flags of notifications asking for a step once taken",
    ("core/models.py", "ensure_defaults", "get_or_create"): "the default kinds a data migration installs",
    ("studios/models.py", "current", "get_or_create"): "the one rules row, created with its defaults on first read",
    ("core/imports.py", "run_import", "create"): "ImportSpec.create: each row through the app's audited service",
    ("studios/services.py", "studio_change_lead", "update"): (
        "ends the old lead's membership as part of the lead change, which is audited (lead: old → new)"
    ),
    ("studios/services.py", "round_open", "bulk_create"): (
        "one assessment per named studio, made by opening the round: one event on the round counts them"
    ),
    ("talent/services.py", "scorecard_submit", "bulk_create"): "the scorecard's items: its event records the total",
    ("talent/services.py", "nomination_recuse", "delete"): (
        "the expert's own scorecard, withdrawn with its declared recusal: the declaration's one event records its total"
    ),
    ("talent/services.py", "campaign_publicise", "update"): (
        "marks the chosen nominations (and unmarks the rest) as the campaign is publicised: its one event names them"
    ),
    ("achievements/services.py", "_set_contributors", "bulk_create"): (
        "a result's ranked contributors, written by result_create/result_update, which audit the result"
    ),
    ("achievements/services.py", "_set_contributors", "delete"): "the contributors replaced by the same audited write",
    ("training/services.py", "class_finish", "update"): (
        "waiting places lapse as the class finishes: the class's finish event says so"
    ),
    ("training/services.py", "class_finish", "bulk_update"): "certificate numbers issued by the audited finish",
    ("reports/services.py", "_checkpoint", "update"): "a build's progress counter, not the report's content",
    # The dashboards' tallies: counts derived from audited rows (whose own events record the change).
    ("reports/tallies.py", "mark_unit", "create"): "a tally mark, written in the audited write's own transaction",
    ("reports/tallies.py", "refresh_units", "delete"): "a unit's tallies and marks, counted again from audited rows",
    ("reports/tallies.py", "refresh_units", "bulk_create"): "a unit's tallies, counted again from audited rows",
    ("reports/tallies.py", "rebuild", "delete"): "every tally and mark, counted from scratch from audited rows",
    ("reports/tallies.py", "rebuild", "create"): "the tally book: which years were counted, and when",
    ("reports/tallies.py", "_ask", "delete"): "releases a tally task's lock in the cache, not a row",
    ("reports/tallies.py", "rebuild_task_body", "delete"): "releases the rebuild's lock in the cache, not a row",
    ("reports/tallies.py", "sweep_task_body", "delete"): "releases the sweep's lock in the cache, not a row",
}


def _scanned_files():
    for app in SCANNED_APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if any(part in NOT_SCANNED for part in relative.parts):
                continue
            yield relative, path


def _writes_in(relative, tree):
    """(function, method, line) of the writes in one module that could skip an audit event."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def enclosing(node):
        while node in parents:
            node = parents[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                return node
        return None

    def querysetlike(expression, function):
        text = ast.unparse(expression)
        if any(hint in text for hint in QUERYSET_HINTS):
            return True
        if isinstance(expression, ast.Name) and function is not None:
            # A name bound in the function to a queryset.
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == expression.id for t in node.targets)
                    and any(hint in ast.unparse(node.value) for hint in QUERYSET_HINTS)
                ):
                    return True
        return False

    in_services = relative.name == "services.py"
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method, receiver = node.func.attr, node.func.value
        function = enclosing(node)
        if method in BULK or (method in QUERYSET_WRITES and querysetlike(receiver, function)):
            pass
        elif not in_services and method in INSTANCE_WRITES and method != "update":
            # Outside the services nothing writes a record; file and workbook objects do "save".
            text = ast.unparse(receiver)
            if method == "save" and any(word in text for word in ("workbook", "image", "thumbnail", "buffer")):
                continue
        else:
            continue
        yield (function.name if function else "<module>"), method, node.lineno


def test_no_bulk_or_stray_write_goes_around_the_audit():
    found = {}
    for relative, path in _scanned_files():
        for function, method, line in _writes_in(relative, ast.parse(path.read_text())):
            found.setdefault((relative.as_posix(), function, method), []).append(line)
    unexplained = {key for key, lines in found.items() if key not in ALLOWED_WRITES}
    assert not unexplained, (
        "writes that may skip the audit trail (call a service, or add the path to ALLOWED_WRITES with the reason): "
        + "; ".join(f"{p}:{found[(p, f, m)][0]} {f}() .{m}(" for p, f, m in sorted(unexplained))
    )
    stale = sorted(set(ALLOWED_WRITES) - set(found))
    assert not stale, f"no such write any more: remove from ALLOWED_WRITES {stale}"
