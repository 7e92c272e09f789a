"""`make bench` cannot rot: the runner, run for real on a tiny tier S (seed_scale --scale 0.2, in its
own databases) with a handful of requests, prints every figure and finds no error.

Needs the PostgreSQL server of DATABASE_URL and Redis (REDIS_URL); skipped without them on a
developer machine, failed in CI (REQUIRE_SERVICES=1). Takes about a minute on a fresh server
(migrating and loading the tiny tier; later runs reuse it)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import skip_or_fail

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "bench_test_tiny"


@pytest.fixture
def services():
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        skip_or_fail("the benchmark needs PostgreSQL (set DATABASE_URL=postgres://…)")
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        skip_or_fail("the benchmark needs Redis (set REDIS_URL)")
    return database_url, redis_url


def test_the_runner_measures_every_figure_on_a_tiny_tier(services):
    database_url, redis_url = services
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = database_url
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--tiers",
            "S",
            "--parts",
            "report,web,load",
            "--db-prefix",
            PREFIX,
            "--scale",
            "0.2",
            "--rounds",
            "3",
            "--uncached-rounds",
            "2",
            "--rps-seconds",
            "1.5",
            "--report-rounds",
            "1",
            "--load-clients",
            "4",
            "--load-seconds",
            "3",
            "--warmup",
            "0.5",
            "--workers",
            "2",
            "--redis-url",
            redis_url,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    figures = dict(re.findall(r"^([a-zA-Z0-9_.]+): (.*)$", run.stdout, re.M))
    for name in (
        "machine_cpus",
        "tier_S_studios",
        "report_seconds",
        "handwritten_sql_seconds",
        "report_vs_sql_ratio",
        "report_worker_peak_rss_mb",
        "health_S_p95_ms",
        "layout_S_p95_ms",
        "list_S_p95_ms",
        "list_drawn_S_p95_ms",
        "detail_S_p95_ms",
        "dashboard_S_p95_ms",
        "dashboard_cached_p95_ratio_S",
        "dashboard_uncached_p95_ratio_S",
        "list_rps_share",
        "list_drawn_rps_share",
        "load_requests",
        "load_list_p95_ms",
        "load_showcase_p95_ms",
    ):
        assert name in figures, (name, run.stdout)
        if name not in ("machine_cpus",):
            assert float(figures[name]) > 0, (name, figures[name])
    assert figures["report_equals_sql"] == "yes"
    assert figures["web_errors"] == "0"
    assert figures["list_rps_errors"] == "0"
    assert figures["load_errors"] == "0"
    assert figures["server_errors_logged"] == "0"
    assert "target.report_vs_sql_ratio" in figures
    assert "target.list_drawn_rps_share" in figures
    assert figures["bench"].startswith(("PASS", "FAIL"))


def test_the_uncached_dashboard_is_computed_not_served_stale(services):
    """Before each uncached request the runner moves the generation and drops the dashboard's
    entries: a stale entry would be served as it is (a worker recomputing it, and the benchmark
    runs none) and the figure would time the stale path."""
    import types

    import redis

    from bench.runner import Site

    _database_url, redis_url = services
    client, prefix = redis.Redis.from_url(redis_url), f"{PREFIX}_invalidate_{os.getpid()}"
    entry, lock, other = (
        f"{prefix}:1:dashboard:v3:1:2025:zh-hans",
        f"{prefix}:1:dashboard:v3:1:2025:zh-hans:refreshing",
        f"{prefix}:1:page:v1:x",
    )
    try:
        client.mset({f"{prefix}:1:statistics:generation": 41, entry: "kept", lock: 1, other: "kept"})
        Site.invalidate(types.SimpleNamespace(redis_url=redis_url, prefix=prefix))
        assert int(client.get(f"{prefix}:1:statistics:generation")) == 42
        assert client.exists(entry) == 0 and client.exists(lock) == 0
        assert client.get(other) == b"kept"
    finally:
        client.delete(f"{prefix}:1:statistics:generation", entry, lock, other)
