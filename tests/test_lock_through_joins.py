"""A step that waits for a row lock while another transaction changes the row's foreign key (an
alliance's lead unit, a class's organiser, a studio's lead) still finds the row when the lock is
released. Locked through a join, PostgreSQL re-checks the joined row it read first and finds
nothing: a 500 for the waiting step (found for studios by racing two lead changes)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from alliances.models import Alliance
from alliances.services import alliance_launch
from training.models import TrainingClass
from training.services import class_open_enrolment

from .alliances.fixtures import make_alliance
from .conftest import skip_or_fail
from .training.fixtures import add_session, make_class

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        skip_or_fail("row locks need PostgreSQL (set DATABASE_URL)")


def while_another_changes(model, pk, field, value, step):
    """Run `step` while another transaction holds the row's lock and has changed `field`; the step
    starts waiting before that transaction commits."""
    holding = threading.Event()
    outcome = {}

    def edit():
        try:
            with transaction.atomic():
                model.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True).get()
                model.objects.filter(pk=pk).update(**{field: value})
                holding.set()
                time.sleep(1.0)  # the step is now waiting for this lock
        finally:
            connections.close_all()

    def act():
        try:
            assert holding.wait(timeout=10)
            outcome["result"] = step()
        except BaseException as error:
            outcome["error"] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit), threading.Thread(target=act)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert "error" not in outcome, f"the waiting step failed: {outcome.get('error')!r}"
    return outcome["result"]


def test_an_alliance_step_waiting_on_a_lead_unit_change(world):
    alliance = make_alliance(world, status="preparing", lead_unit=world.branch_a)
    launched = while_another_changes(
        Alliance, alliance.pk, "lead_unit", world.branch_b, lambda: alliance_launch(actor=world.hq, alliance=alliance)
    )
    assert launched.status == "running" and launched.lead_unit == world.branch_b


def test_a_class_step_waiting_on_an_organiser_change(world):
    training_class = make_class(world, status="preparing", organiser=world.branch_a)
    add_session(training_class)
    opened = while_another_changes(
        TrainingClass,
        training_class.pk,
        "organiser",
        world.branch_b,
        lambda: class_open_enrolment(actor=world.hq, training_class=training_class),
    )
    assert opened.status == "enrolling" and opened.organiser == world.branch_b
