"""The statistics generation (core.services): every audited write moves it when its transaction
commits, so cached figures (the dashboards) are never older than the data."""

import pytest
from django.core.cache import cache
from django.db import transaction

from core.services import STATISTICS_GENERATION_KEY, audit_log, statistics_changed, statistics_generation


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_generation_moves_on_each_change():
    first = statistics_generation()
    assert statistics_generation() == first
    statistics_changed()
    statistics_changed()
    assert statistics_generation() == first + 2


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
    assert statistics_changed in callbacks
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
