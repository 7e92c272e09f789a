"""The statistics generation (core.services): every audited write moves it when its transaction
commits, so cached figures (the dashboards) are never older than the data."""

import datetime

import pytest
from django.core.cache import cache
from django.db import transaction

from core.services import (
    STATISTICS_GENERATION_KEY,
    ancestor_paths,
    audit_log,
    statistics_changed,
    statistics_generation,
    statistics_stamp,
    subtree_generation_key,
)
from reports.models import TallyMark


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db  # every global change also marks the dashboards' tallies (reports.tallies)
def test_the_generation_moves_on_each_change():
    first = statistics_generation()
    assert statistics_generation() == first
    statistics_changed()
    statistics_changed()
    assert statistics_generation() == first + 2


@pytest.mark.django_db
def test_a_lost_counter_restarts_above_the_old_one():
    """An evicted counter must not come back at a number older cached figures were stored under."""
    statistics_changed()
    old = statistics_generation()
    cache.delete(STATISTICS_GENERATION_KEY)
    statistics_changed()  # no counter: starts one
    assert statistics_generation() > old


def test_an_audited_write_moves_it_on_commit(world, django_capture_on_commit_callbacks):
    before = statistics_generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        audit_log(actor=world.hq, obj=world.branch_a, action="update")
        assert statistics_generation() == before  # not before the commit
        # A unit written: every tally is marked, in the write's own transaction.
        assert TallyMark.objects.filter(unit=None).exists()
    assert len(callbacks) == 1
    assert statistics_generation() > before


def test_a_rolled_back_write_does_not_move_it(world, django_capture_on_commit_callbacks):
    before = statistics_generation()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        audit_log(actor=world.hq, obj=world.branch_a, action="update")
        raise RuntimeError("roll back")
    assert callbacks == []
    assert statistics_generation() == before


# The subtree generations: a write to a row that declares `statistics_scope` moves the counters of
# its unit's subtrees only.


def test_a_subtree_write_moves_its_unit_and_every_ancestor_and_nothing_else(world):
    units = (world.root, world.branch_a, world.plant_a1, world.branch_b, world.plant_b1)
    stamps = {unit.pk: statistics_stamp(unit.path) for unit in units}
    statistics_changed([world.plant_a1.path])
    after = {unit.pk: statistics_stamp(unit.path) for unit in units}
    for unit in (world.root, world.branch_a, world.plant_a1):
        assert after[unit.pk] == (stamps[unit.pk][0], stamps[unit.pk][1] + 1), unit
    for unit in (world.branch_b, world.plant_b1):
        assert after[unit.pk] == stamps[unit.pk], unit
    assert ancestor_paths(world.plant_a1.path) == [world.root.path, world.branch_a.path, world.plant_a1.path]


def test_a_lost_subtree_counter_restarts_above_the_old_one(world):
    statistics_changed([world.branch_a.path])
    old = statistics_stamp(world.branch_a.path)[1]
    cache.delete(subtree_generation_key(world.branch_a.path))
    statistics_changed([world.branch_a.path])
    assert statistics_stamp(world.branch_a.path)[1] > old


def _committed(world, obj, changes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        audit_log(actor=world.hq, obj=obj, action="update", changes=changes)


def _studio_in_a1(world):
    from tests.factories import StudioFactory

    return StudioFactory(
        name="甲厂工作室", unit=world.plant_a1, lead=world.lead_person, status="named", level="company"
    )


def _result(studio):
    from achievements.models import Result

    return Result.objects.create(
        studio=studio,
        title="成果",
        category="invention_patent",
        achieved_on=datetime.date(2025, 3, 1),
        status="submitted",
    )


def test_an_audited_write_to_a_studio_moves_its_units_subtrees_only(world, django_capture_on_commit_callbacks):
    studio = world.other_studio  # in plant B1
    mine, theirs, root = (statistics_stamp(u.path) for u in (world.plant_b1, world.plant_a1, world.root))
    _committed(world, studio, {"name": ["旧", "新"]}, django_capture_on_commit_callbacks)
    assert statistics_stamp(world.plant_b1.path) == (mine[0], mine[1] + 1)
    assert statistics_stamp(world.root.path) == (root[0], root[1] + 1)
    assert statistics_stamp(world.plant_a1.path) == theirs


def test_a_result_counts_under_its_studios_unit(world, django_capture_on_commit_callbacks):
    result = _result(_studio_in_a1(world))
    before, other = statistics_stamp(world.branch_a.path), statistics_stamp(world.branch_b.path)
    _committed(world, result, {"status": ["submitted", "verified"]}, django_capture_on_commit_callbacks)
    assert statistics_stamp(world.branch_a.path) == (before[0], before[1] + 1)
    assert statistics_stamp(world.branch_b.path) == other


def test_a_training_class_counts_under_its_organiser(world, django_capture_on_commit_callbacks):
    from training.models import TrainingClass

    training_class = TrainingClass.objects.create(
        title="班",
        organiser=world.plant_b1,
        created_by=world.hq,
        capacity=30,
        starts_on=datetime.date(2025, 5, 1),
        ends_on=datetime.date(2025, 5, 2),
    )
    before, other = statistics_stamp(world.branch_b.path), statistics_stamp(world.branch_a.path)
    _committed(world, training_class, {"status": ["enrolling", "running"]}, django_capture_on_commit_callbacks)
    assert statistics_stamp(world.branch_b.path) == (before[0], before[1] + 1)
    assert statistics_stamp(world.branch_a.path) == other


def test_a_studio_moved_to_another_unit_moves_every_figure(world, django_capture_on_commit_callbacks):
    """The old unit's subtrees are not known from the row any more: the global counter moves."""
    before = statistics_generation()
    _committed(world, world.other_studio, {"unit": ["甲一厂", "乙一厂"]}, django_capture_on_commit_callbacks)
    assert statistics_generation() == before + 1


def test_a_pairing_counts_under_its_unit_but_a_grade_change_under_the_apprentices(
    world, django_capture_on_commit_callbacks
):
    from tests.mentoring.fixtures import make_pairing

    pairing = make_pairing(world)  # in a studio of plant A1
    before, other = statistics_stamp(world.plant_a1.path), statistics_stamp(world.plant_b1.path)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        audit_log(actor=world.hq, obj=pairing, action="pairing_progress", comment="第三周")
    assert statistics_stamp(world.plant_a1.path) == (before[0], before[1] + 1)
    assert statistics_stamp(world.plant_b1.path) == other
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        audit_log(actor=world.hq, obj=pairing, action="pairing_grade_change", comment="高级工")
    assert statistics_generation() == before[0] + 1
    _committed(world, pairing, {"mentor": ["甲", "乙"]}, django_capture_on_commit_callbacks)
    assert statistics_generation() == before[0] + 2


def test_unscoped_and_deleted_rows_move_every_figure(world, django_capture_on_commit_callbacks):
    before = statistics_generation()
    _committed(world, world.hq, {"role": ["hq", "viewer"]}, django_capture_on_commit_callbacks)  # a user
    assert statistics_generation() == before + 1
    result = _result(world.other_studio)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        audit_log(actor=world.hq, obj=result, action="delete")
        type(result).objects.filter(pk=result.pk).delete()
    assert statistics_generation() == before + 2  # the row is gone: its unit is not known
