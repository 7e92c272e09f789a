"""Stale-while-recomputing: a dashboard that was slow to compute is served with its time after a
write while one worker task recomputes it; a quick one is recomputed in the request."""

import pytest
from django.core.cache import cache
from kombu.exceptions import OperationalError

from achievements.models import Result
from core.services import statistics_changed, statistics_generation
from reports import dashboard
from reports.dashboard import cache_key, dashboard_entry, dashboard_refresh

from .fixtures import YEAR, build_year

URL = "/dashboard/"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def year_data(world):
    return build_year(world)


@pytest.fixture
def sent(monkeypatch):
    """The refresh tasks sent to the broker (recorded, not run)."""
    from reports.tasks import dashboard_refresh_task

    calls = []
    monkeypatch.setattr(dashboard_refresh_task, "delay", lambda *args: calls.append(args))
    return calls


@pytest.fixture
def slow(settings):
    """Every computation counts as slow, and tasks go to a broker (as in production)."""
    settings.DASHBOARD_INLINE_SECONDS = 0
    settings.CELERY_TASK_ALWAYS_EAGER = False


def verified(response) -> int:
    return {k["code"]: k["value"] for k in response.context["data"]["kpis"]}["verified_results"]


def unverify_one(year_data):
    result = Result.objects.filter(studio=year_data["s1"], status="verified", achieved_on__year=YEAR).first()
    Result.objects.filter(pk=result.pk).update(status="submitted")
    statistics_changed()  # what the audited service does on commit


def test_a_slow_dashboard_is_served_stale_while_one_task_recomputes_it(world, year_data, client_as, slow, sent):
    client = client_as(world.hq)
    first = client.get(URL, {"year": YEAR})
    assert "dashboard-stale" not in first.content.decode()
    before = verified(first)
    unverify_one(year_data)

    second = client.get(URL, {"year": YEAR})
    assert verified(second) == before  # the last figures, at once
    assert second.context["stale_since"] is not None
    assert 'data-testid="dashboard-stale"' in second.content.decode()
    assert sent == [(YEAR, world.root.pk, "zh-hans")]

    third = client.get(URL, {"year": YEAR})  # others opening it meanwhile send nothing more
    assert verified(third) == before and len(sent) == 1

    assert dashboard_refresh(year=YEAR, unit_id=world.root.pk, language="zh-hans") is True
    fourth = client.get(URL, {"year": YEAR})
    assert verified(fourth) == before - 1
    assert fourth.context["stale_since"] is None
    assert "dashboard-stale" not in fourth.content.decode()

    unverify_one(year_data)  # the lock went with the refresh: the next change sends a new task
    client.get(URL, {"year": YEAR})
    assert len(sent) == 2


def test_a_quick_dashboard_is_recomputed_in_the_request(world, year_data, client_as, settings, sent):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # DASHBOARD_INLINE_SECONDS stays 1 s: this world is small
    client = client_as(world.hq)
    before = verified(client.get(URL, {"year": YEAR}))
    unverify_one(year_data)
    response = client.get(URL, {"year": YEAR})
    assert verified(response) == before - 1 and response.context["stale_since"] is None
    assert sent == []


def test_without_a_broker_stale_figures_are_recomputed_in_the_request(world, year_data, settings, sent):
    settings.DASHBOARD_INLINE_SECONDS = 0  # slow, but tasks run in-process (CELERY_TASK_ALWAYS_EAGER)
    dashboard_entry(YEAR, world.root)
    statistics_changed()
    entry = dashboard_entry(YEAR, world.root)
    assert not entry.stale and sent == []
    assert cache.get(cache_key(YEAR, world.root))["stamp"][0] == statistics_generation()


def test_a_broker_that_cannot_be_reached_means_recomputing_in_the_request(world, year_data, slow, monkeypatch):
    from reports.tasks import dashboard_refresh_task

    def refuse(*args):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(dashboard_refresh_task, "delay", refuse)
    dashboard_entry(YEAR, world.root)
    statistics_changed()
    entry = dashboard_entry(YEAR, world.root)
    assert not entry.stale
    key = cache_key(YEAR, world.root)
    assert cache.get(key)["stamp"][0] == statistics_generation()
    assert cache.get(f"{key}:refreshing") is None  # released: the next stale view may try again


def test_the_refresh_does_nothing_when_the_figures_are_current(world, year_data, django_assert_max_num_queries):
    dashboard_entry(YEAR, world.root)
    with django_assert_max_num_queries(1):  # the unit
        assert dashboard_refresh(year=YEAR, unit_id=world.root.pk, language="zh-hans") is False
    assert dashboard_refresh(year=YEAR, unit_id=0, language="zh-hans") is False  # unit deleted since


def test_the_refresh_recomputes_in_the_language_of_the_page(world, year_data):
    assert dashboard_refresh(year=YEAR, unit_id=world.root.pk, language="en") is True
    english = cache.get(cache_key(YEAR, world.root, "en"))["data"]
    assert english["charts"]["studios_by_level"]["title"] == "Named studios by level"
    assert cache.get(cache_key(YEAR, world.root, "zh-hans")) is None


def test_a_write_while_computing_leaves_the_entry_stale(world, year_data, monkeypatch):
    compute = dashboard.dashboard_data

    def computing_while_someone_writes(year, unit):
        data = compute(year, unit)
        statistics_changed()
        return data

    monkeypatch.setattr(dashboard, "dashboard_data", computing_while_someone_writes)
    dashboard_entry(YEAR, world.root)
    assert cache.get(cache_key(YEAR, world.root))["stamp"][0] == statistics_generation() - 1
