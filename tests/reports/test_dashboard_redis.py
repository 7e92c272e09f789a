"""The dashboard cached in a real Redis (django-redis), and invalidated by the statistics
generation. Skipped without REDIS_URL on a developer machine; with REQUIRE_SERVICES=1 it fails."""

import os
import uuid

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.page_cache import CACHE_VERSION as PAGE_CACHE_VERSION
from core.page_cache import release
from core.services import STATISTICS_GENERATION_KEY, audit_log, statistics_generation
from reports.dashboard import cache_key

from ..conftest import skip_or_fail
from .fixtures import YEAR, build_year


@pytest.fixture
def redis_cache(settings):
    url = os.environ.get("REDIS_URL")
    if not url:
        skip_or_fail("REDIS_URL is not set")
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        skip_or_fail(f"Redis at {url} does not answer: {error}")
    prefix = f"test-dashboard-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url, "KEY_PREFIX": prefix}}
    yield client, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_the_dashboard_lives_in_redis_until_an_audited_write(
    world, client_as, redis_cache, django_capture_on_commit_callbacks
):
    client, _prefix = redis_cache
    build_year(world)
    http = client_as(world.hq)
    first = http.get("/dashboard/", {"year": YEAR})
    assert first.status_code == 200
    key = cache_key(YEAR, world.root)
    assert client.exists(cache.make_key(key)) == 1
    assert client.exists(cache.make_key(STATISTICS_GENERATION_KEY)) == 1
    # The page itself is kept in Redis too (core.page_cache), and so is the session: the second
    # visit reads the user and nothing else from the database.
    kept = f":page:v{PAGE_CACHE_VERSION}:{release()}:dashboard:".encode()
    assert any(kept in key for key in client.scan_iter(f"{_prefix}:*"))
    with CaptureQueriesContext(connection) as warm:
        second = http.get("/dashboard/", {"year": YEAR})
    assert second.status_code == 200 and second.context is None
    assert len(warm.captured_queries) == 1

    generation = statistics_generation()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        audit_log(actor=world.hq, obj=world.branch_a, action="update")
    assert statistics_generation() == generation + 1  # INCR in Redis
    assert cache.get(key)["stamp"][0] == generation  # the entry is now stale
    with CaptureQueriesContext(connection) as cold:
        http.get("/dashboard/", {"year": YEAR})
    assert len(cold.captured_queries) > 10  # recomputed under the new generation
    assert cache.get(key)["stamp"][0] == generation + 1
