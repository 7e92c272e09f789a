"""Services: validation before writing, one audit event per change, atomic."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import services
from accounts.choices import Role, UnitKind
from accounts.models import Unit, User
from core.exceptions import TransitionNotAllowed
from core.models import AuditEvent, Notification

from ..factories import UnitFactory


def events(obj, action=None):
    qs = AuditEvent.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
    return qs.filter(action=action) if action else qs


def test_unit_create_writes_the_unit_and_one_audit_event(world):
    unit = services.unit_create(
        actor=world.hq, parent=world.branch_a, name="甲二厂", code="A2", kind=UnitKind.PLANT, union_name="甲二厂工会"
    )
    assert Unit.objects.get_parent(unit) == world.branch_a
    assert unit.path.startswith(world.branch_a.path)
    event = events(unit).get()
    assert event.action == "create" and event.actor == world.hq
    assert event.changes["name"] == [None, "甲二厂"]


def test_unit_codes_are_unique_case_insensitively(world):
    with pytest.raises(ValidationError) as error:
        services.unit_create(actor=world.hq, parent=world.root, name="重复", code="a1", kind=UnitKind.PLANT)
    assert "code" in error.value.error_dict
    assert not Unit.objects.filter(name="重复").exists()


def test_only_one_top_unit(world):
    with pytest.raises(ValidationError):
        services.unit_create(actor=world.hq, parent=None, name="第二总部", code="HQ2", kind=UnitKind.HQ)


def test_unit_cadre_may_not_create_units(world):
    with pytest.raises(PermissionDenied):
        services.unit_create(actor=world.unit_cadre, parent=world.branch_a, name="x", code="X", kind=UnitKind.PLANT)


def test_unit_update_records_only_changed_fields(world):
    services.unit_update(actor=world.hq, unit=world.plant_a1, name="甲一厂（新）", code="A1")
    event = events(world.plant_a1, "update").get()
    assert event.changes == {"name": ["甲一厂", "甲一厂（新）"]}
    services.unit_update(actor=world.hq, unit=world.plant_a1, name="甲一厂（新）")
    assert events(world.plant_a1, "update").count() == 1


def test_move_takes_the_subtree_along_and_scope_follows(world):
    workshop = UnitFactory(code="A1W", parent=world.plant_a1)
    services.unit_move(actor=world.hq, unit=world.plant_a1, new_parent=world.branch_b)
    workshop.refresh_from_db()
    assert workshop.path.startswith(Unit.objects.get(code="B").path)
    assert "A1W" in {u.code for u in Unit.objects.visible_to(world.unit_cadre_other)}
    assert "A1W" not in {u.code for u in Unit.objects.visible_to(world.unit_cadre)}
    assert events(world.plant_a1, "move").count() == 1


@pytest.mark.parametrize("target", ["plant_a1", "branch_a"])
def test_a_unit_cannot_move_below_itself(world, target):
    child = UnitFactory(code="A1W", parent=world.plant_a1)
    new_parent = child if target == "plant_a1" else world.plant_a1
    with pytest.raises(ValidationError):
        services.unit_move(
            actor=world.hq, unit=world.branch_a if target == "branch_a" else world.plant_a1, new_parent=new_parent
        )


def test_user_create_gives_a_temporary_password_that_must_be_changed(world):
    user, password = services.user_create(
        actor=world.unit_cadre, username="newlead", name="新牵头人", role=Role.STUDIO_LEAD, unit=world.plant_a1
    )
    assert user.check_password(password) and len(password) >= 12
    assert user.must_change_password
    assert events(user, "create").count() == 1


@pytest.mark.parametrize(
    ("role", "unit", "field"),
    [
        (Role.UNIT_CADRE, "plant_a1", "role"),
        (Role.STUDIO_LEAD, "plant_b1", "role"),
        (Role.HQ_CADRE, "branch_a", "role"),
    ],
)
def test_unit_cadre_may_only_open_lead_accounts_in_its_subtree(world, role, unit, field):
    with pytest.raises(ValidationError) as error:
        services.user_create(actor=world.unit_cadre, username="x1", name="某人", role=role, unit=getattr(world, unit))
    assert field in error.value.error_dict
    assert not User.objects.filter(username="x1").exists()


def test_usernames_are_unique_case_insensitively(world):
    with pytest.raises(ValidationError):
        services.user_create(actor=world.hq, username="LEAD", name="某人", role=Role.STUDIO_LEAD, unit=world.plant_a1)


def test_unit_cadre_cannot_promote_a_lead(world):
    with pytest.raises(ValidationError):
        services.user_update(actor=world.unit_cadre, user=world.target_lead, role=Role.HQ_CADRE)
    world.target_lead.refresh_from_db()
    assert world.target_lead.role == Role.STUDIO_LEAD


def test_deactivate_then_again_is_refused_with_a_message(world):
    services.user_deactivate(actor=world.hq, user=world.target_lead, comment="调离")
    with pytest.raises(TransitionNotAllowed):
        services.user_deactivate(actor=world.hq, user=world.target_lead, comment="再次")
    assert events(world.target_lead, "deactivate").count() == 1
    services.user_activate(actor=world.hq, user=world.target_lead)
    world.target_lead.refresh_from_db()
    assert world.target_lead.is_active


def test_password_reset_notifies_in_app_and_by_mail(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        password = services.user_password_reset(actor=world.hq, user=world.target_lead)
    world.target_lead.refresh_from_db()
    assert world.target_lead.check_password(password)
    assert world.target_lead.must_change_password
    notification = Notification.objects.get(recipient=world.target_lead)
    assert notification.emailed_at is not None
    assert mail.outbox[0].to == [world.target_lead.email]
    assert events(world.target_lead, "password_reset").count() == 1


def test_email_is_sent_once_even_if_the_task_runs_twice(world, django_capture_on_commit_callbacks):
    from core.services import notification_email_deliver

    with django_capture_on_commit_callbacks(execute=True):
        services.user_password_reset(actor=world.hq, user=world.target_lead)
    notification = Notification.objects.get(recipient=world.target_lead)
    assert notification_email_deliver(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_bootstrap_refuses_a_second_organisation(world):
    with pytest.raises(ValidationError):
        services.organisation_bootstrap(
            unit_name="x", unit_code="X", username="x", name="x", password="long-enough-pw-2026"
        )


def test_bootstrap_checks_the_password(db):
    with pytest.raises(ValidationError):
        services.organisation_bootstrap(
            unit_name="总部", unit_code="HQ", username="admin", name="管理员", password="short"
        )
    assert not Unit.objects.exists()


def test_seed_demo_is_idempotent_and_gives_every_role_a_login(db):
    from django.core.management import call_command

    call_command("seed_demo")
    counts = (Unit.objects.count(), User.objects.count(), AuditEvent.objects.count())
    call_command("seed_demo")
    assert (Unit.objects.count(), User.objects.count(), AuditEvent.objects.count()) == counts
    assert Unit.objects.filter(kind=UnitKind.SUBSIDIARY).count() == 3
    for role in Role.values:
        user = User.objects.get(username=role)
        assert user.role == role and user.check_password("demo-pass-2026") and not user.must_change_password


def test_the_demo_fills_this_years_dashboard(db):
    """`make run` opens the dashboard on this year: the demo gives it verified results with benefit,
    a patent, training and a pairing, not only last year's."""
    from django.core.management import call_command
    from django.utils import timezone

    from reports.dashboard import dashboard_data

    call_command("seed_demo", verbosity=0)
    root = Unit.objects.get_first_root_node()
    kpis = {k["code"]: k["value"] for k in dashboard_data(timezone.localdate().year, root)["kpis"]}
    assert all(kpis[code] for code in ("named_studios", "verified_results", "economic_benefit", "patents")), kpis
    assert kpis["training_person_times"] and kpis["pairings"], kpis


def test_the_demo_leaves_unread_only_what_has_not_been_handled_since(db):
    """HQ was told of every studio recommended over two years and found all of them unread; what
    has been handled since (reviewed, named, closed) is read, what still waits is not."""
    from django.core.management import call_command

    from studios.models import Studio

    call_command("seed_demo", verbosity=0)
    hq = User.objects.get(username="hq_cadre")
    told = Notification.objects.filter(recipient=hq, url__startswith="/studios/")
    unread = told.filter(read_at__isnull=True)
    assert told.exclude(read_at__isnull=True).exists()
    for notification in unread:
        studio = Studio.objects.get(pk=notification.url.strip("/").split("/")[-1])
        assert studio.status in ("submitted", "recommended"), (notification.title, studio.status)
    assert unread.exists()
    expert = User.objects.get(username="expert")
    scoring = Notification.objects.filter(recipient=expert, url="/talent/scoring/")
    assert scoring.count() > 1 and scoring.filter(read_at__isnull=True).count() == 1  # the campaign in scoring
    lead = User.objects.get(username="studio_lead")
    assert not Notification.objects.filter(recipient=lead, url__startswith="/studios/assessments/", read_at=None)
    before = set(Notification.objects.filter(read_at__isnull=True).values_list("pk", flat=True))
    call_command("seed_demo", verbosity=0)
    assert set(Notification.objects.filter(read_at__isnull=True).values_list("pk", flat=True)) == before
