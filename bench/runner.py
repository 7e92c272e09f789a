"""`make bench` and `make load`: the portal measured against itself, so that every figure is a ratio.

Everything runs side by side from this one process, on PostgreSQL (the server of DATABASE_URL;
one database per tier, portal_bench_s/_p/_n, loaded with seed_scale when missing), with gunicorn
serving config.wsgi under config.settings.bench (production's settings, DEBUG=False) for tiers S
and P at the same time, logged in as seed_scale's HQ cadre (scale_hq) through the login page:

* web ratios — p50/p95 of each page, one request at a time, every page once per round in a
  random order (interleaved, the same count for each): the studio list (50 rows) and a studio's
  page at tier P against tier S; the dashboard, cached and uncached (its statistics generation
  moved and its entries dropped before each request), against /health/; then the 50-row list's requests per second
  against /health/'s, with as many clients as there are workers twice over, in alternating phases;
* the annual report of the whole tree (reports.services.report_request, the task run in a child
  process: every indicator, the workbook, the PDF) against the same figures by hand-written SQL
  (bench/handwritten_sql.py), alternating, at the largest tier; the child building the report is
  the worker, and its peak memory is read when it ends; the two sets of figures must be equal;
* the peak memory of seed_scale (each tier loaded by this run, or a tier-S load into a scratch
  database);
* the bounded load (issue #8): 32 clients for 60 s at tier P going round the list, a studio's page,
  the dashboard and the public showcase: requests served, errors, p95 per page.

Output: one `name: value` line per figure on stdout, then a `target.<name>: <rule> PASS|MISS`
line per target and `bench: PASS` or `bench: FAIL (…)`. Progress goes to stderr. The exit status
is 0 unless the benchmark could not run (2), or a target was missed with --strict (1), or with
--strict-errors a request failed or the report's figures differ from the hand-written SQL (1).
"""

from __future__ import annotations

import argparse
import datetime
import operator
import os
import platform
import random
import re
import secrets
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from . import servers as servers_module
from .client import BenchError, Client, Page, Sample, bounded_load, interleaved_latency, interleaved_throughput
from .servers import (
    TIERS,
    Gunicorn,
    child_json,
    collectstatic,
    database_url,
    django_env,
    is_loaded,
    load_tier,
    manage,
    row_counts,
    tier_database,
)

USERNAME, PASSWORD = "scale_hq", "scale-pass-2026"  # seed_scale's HQ cadre (core.scale.generate)
LIST_ROWS = 50
HARD_RELOAD = {"Cache-Control": "no-cache", "Pragma": "no-cache"}

# name → (comparison, bound). A figure that was not measured in a run is not judged.
TARGETS: dict[str, tuple[str, float | str]] = {
    "report_vs_sql_ratio": ("<=", 3.0),
    "report_equals_sql": ("==", "yes"),
    "report_worker_peak_rss_mb": ("<=", 500),
    "seed_scale_peak_rss_mb": ("<=", 500),
    "dashboard_cached_p95_ratio_S": ("<=", 2.0),
    "dashboard_cached_p95_ratio_P": ("<=", 2.0),
    "dashboard_uncached_p95_ratio_S": ("<=", 10.0),
    "dashboard_uncached_p95_ratio_P": ("<=", 10.0),
    "list_p95_ratio_P_vs_S": ("<=", 1.5),
    "detail_p95_ratio_P_vs_S": ("<=", 1.5),
    "list_rps_share": (">=", 0.25),  # the list as served: kept while nothing it shows changes
    "list_drawn_rps_share": (">=", 0.25),  # the list drawn anew at every request
    "list_rps_errors": ("==", 0),
    "web_errors": ("==", 0),
    "load_errors": ("==", 0),
    "server_errors_logged": ("==", 0),
}


# The targets that are about correctness, not speed (--strict-errors).
ERROR_TARGETS = {"report_equals_sql", "web_errors", "load_errors", "server_errors_logged", "list_rps_errors"}

COMPARE = {"<=": operator.le, ">=": operator.ge, "==": operator.eq}


def say(message: str) -> None:
    print(f"# {message}", file=sys.stderr, flush=True)


class Figures:
    """The figures in the order measured, printed as they come."""

    def __init__(self):
        self.values: dict[str, object] = {}

    def add(self, name: str, value, digits: int = 2) -> None:
        if isinstance(value, float):
            value = round(value, digits)
        self.values[name] = value
        print(f"{name}: {value}", flush=True)

    def judge(self) -> list[str]:
        misses = []
        for name, (rule, bound) in TARGETS.items():
            if name not in self.values:
                continue
            value = self.values[name]
            ok = COMPARE[rule](value, bound)
            print(f"target.{name}: {rule} {bound} {'PASS' if ok else 'MISS'}", flush=True)
            if not ok:
                misses.append(name)
        return misses


def last_year() -> int:
    return datetime.datetime.now(ZoneInfo("Asia/Shanghai")).year - 1


# --------------------------------------------------------------------------------------------
# The machine


def machine(figures: Figures, server_url: str) -> None:
    import psycopg2

    with psycopg2.connect(database_url(server_url, "postgres")) as conn, conn.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    total = re.search(r"MemTotal:\s+(\d+) kB", meminfo)
    figures.add("machine_cpus", os.cpu_count())
    figures.add("machine_ram_gb", round(int(total[1]) / 1024 / 1024, 1) if total else "unknown")
    figures.add("machine_postgresql", version.split()[0])
    figures.add("machine_python", platform.python_version())
    figures.add("machine_load_average_start", round(os.getloadavg()[0], 2))


# --------------------------------------------------------------------------------------------
# Tiers


def prepare_tiers(
    figures: Figures, server_url: str, tiers: list[str], env: dict, *, seed_memory: bool, scale: float
) -> None:
    loaded_here = []
    for tier in tiers:
        name = tier_database(tier)
        if is_loaded(server_url, name):
            say(f"tier {tier}: {name} is loaded; migrating it to the code's migrations")
            manage(["migrate", "--noinput", "-v", "0"], django_env(env, database=database_url(server_url, name)))
            # migrate marks every tally; the benchmark runs no worker to count them again.
            manage(["count_tallies"], django_env(env, database=database_url(server_url, name)))
            continue
        say(f"tier {tier}: loading {name} with seed_scale (tier N takes a while)")
        done = load_tier(server_url, tier, env, scale=scale)
        loaded_here.append(tier)
        figures.add(f"seed_scale_seconds_{tier}", done.seconds, 1)
        figures.add(f"seed_scale_peak_rss_mb_{tier}", done.peak_rss_mb, 0)
    if seed_memory and not loaded_here:
        scratch = tier_database("scratch")
        say(f"seed_scale's memory: tier S into {scratch}")
        done = load_tier(server_url, "S", env, name=scratch, scale=scale)
        figures.add("seed_scale_seconds_S", done.seconds, 1)
        figures.add("seed_scale_peak_rss_mb_S", done.peak_rss_mb, 0)
        loaded_here.append("S")
    peaks = [v for k, v in figures.values.items() if k.startswith("seed_scale_peak_rss_mb_")]
    if peaks:
        figures.add("seed_scale_peak_rss_mb", max(peaks), 0)
    for tier in tiers:
        counts = row_counts(
            database_url(server_url, tier_database(tier)),
            ("studios_studio", "achievements_result", "talent_person", "training_attendance"),
        )
        figures.add(f"tier_{tier}_studios", counts["studios_studio"])
        figures.add(f"tier_{tier}_results", counts["achievements_result"])
        figures.add(f"tier_{tier}_people", counts["talent_person"])
        figures.add(f"tier_{tier}_attendances", counts["training_attendance"])


# --------------------------------------------------------------------------------------------
# The web pages


class Site:
    """One tier's gunicorn with an anonymous and a logged-in client, and the pages to measure."""

    def __init__(self, tier: str, server: Gunicorn, redis_url: str, prefix: str):
        self.tier, self.server = tier, server
        self.anonymous = Client("127.0.0.1", server.port)
        self.user = Client("127.0.0.1", server.port).login(USERNAME, PASSWORD)
        self.redis_url, self.prefix = redis_url, prefix
        listing = self.user.get("/studios/")
        pks = sorted(set(re.findall(r'href="/studios/(\d+)/"', listing.text)), key=int)
        if listing.status != 200 or len(pks) < LIST_ROWS:
            raise BenchError(f"tier {tier}: the studio list answered {listing.status} with {len(pks)} studios")
        self.studio_pks = pks
        self.year = last_year()

    def page(self, label: str) -> Page:
        year = self.year
        pages = {
            "health": lambda: Page("health", self.anonymous, "/health/"),
            # The site's layout for a signed-in user around a small form: the floor of every page
            # that has a session, a user, the menu and the notifications badge.
            "layout": lambda: Page("layout", self.user, "/password/"),
            # The list as a user gets it again (kept whole while no audited write happens:
            # core.page_cache), and drawn anew each time (the browser's hard reload asks so).
            "list": lambda: Page("list", self.user, "/studios/"),
            "list_drawn": lambda: Page("list_drawn", self.user, "/studios/", headers=HARD_RELOAD),
            "detail": lambda: Page("detail", self.user, self.any_studio),
            "dashboard": lambda: Page("dashboard", self.user, f"/dashboard/?year={year}"),
            "dashboard_uncached": lambda: Page(
                "dashboard_uncached", self.user, f"/dashboard/?year={year}", before=self.invalidate
            ),
            "showcase": lambda: Page("showcase", self.anonymous, "/showcase/"),
        }
        made = pages[label]()
        return Page(f"{label}_{self.tier}", made.client, made.path, made.before, made.ok, made.headers)

    def any_studio(self) -> str:
        return f"/studios/{random.choice(self.studio_pks)}/"  # noqa: S311 - a sample, not a secret

    def invalidate(self) -> None:
        """What every audited write does on commit (core.services.statistics_changed): move the
        statistics generation, so that the next dashboard misses the cache. The dashboard entries
        are dropped too: a stale entry whose computation once took over DASHBOARD_INLINE_SECONDS
        (a cold database at the first request) is served as it is while a worker recomputes it
        (reports.dashboard.dashboard_entry), and the benchmark runs no worker, so the figure would
        measure the stale path instead of computing the figures."""
        import redis

        client = redis.Redis.from_url(self.redis_url)
        client.incr(f"{self.prefix}:1:statistics:generation")
        entries = list(client.scan_iter(match=f"{self.prefix}:1:dashboard:*", count=1000))
        if entries:
            client.delete(*entries)


def add_latency(figures: Figures, samples: dict[str, Sample]) -> int:
    errors = 0
    for label, sample in samples.items():
        figures.add(f"{label}_p50_ms", sample.p50_ms, 1)
        figures.add(f"{label}_p95_ms", sample.p95_ms, 1)
        errors += len(sample.errors)
        for error in sample.errors[:3]:
            say(f"{label}: {error}")
    return errors


def web_ratios(figures: Figures, sites: dict[str, Site], args) -> int:
    """Returns the number of errors met."""
    errors = 0
    tiers = list(sites)
    main = sites["P"] if "P" in sites else sites[tiers[-1]]
    pages = []
    for site in sites.values():
        pages += [site.page(name) for name in ("health", "layout", "list", "list_drawn", "detail", "dashboard")]
    say(f"warming up the workers ({', '.join(tiers)})")
    # Every page measured below is drawn by every worker first, the dashboard drawn anew too: a
    # worker's first drawing of a page compiles its templates and loads its code (the dashboard:
    # ≈ 30 ms instead of ≈ 15), which is a worker starting, not the page's cost.
    warming = pages + [site.page("dashboard_uncached") for site in sites.values()]
    bounded_load(warming, clients=args.workers * 2, seconds=args.warmup)

    say(f"latency: {args.rounds} interleaved rounds of {len(pages)} pages")
    samples = interleaved_latency(pages, rounds=args.rounds)
    errors += add_latency(figures, samples)
    if "S" in sites and "P" in sites:
        # The list drawn anew: how the list's cost grows with the data (a kept list costs the
        # same at any size, so its ratio would say nothing).
        for name, page in (("list", "list_drawn"), ("detail", "detail")):
            figures.add(f"{name}_p95_ratio_P_vs_S", samples[f"{page}_P"].p(0.95) / samples[f"{page}_S"].p(0.95))
            # The medians' ratio beside it: a p95 of a busy machine is noisier than the median.
            figures.add(f"{name}_p50_ratio_P_vs_S", samples[f"{page}_P"].p(0.50) / samples[f"{page}_S"].p(0.50))
    for tier in sites:
        health = samples[f"health_{tier}"].p(0.95)
        figures.add(f"layout_p95_ratio_{tier}", samples[f"layout_{tier}"].p(0.95) / health)
        figures.add(f"dashboard_cached_p95_ratio_{tier}", samples[f"dashboard_{tier}"].p(0.95) / health)
        layout = samples[f"layout_{tier}"].p(0.95)
        figures.add(f"dashboard_cached_vs_layout_p95_ratio_{tier}", samples[f"dashboard_{tier}"].p(0.95) / layout)

    say(f"the dashboard without its cache: {args.uncached_rounds} interleaved rounds")
    pairs = []
    for site in sites.values():
        pairs += [site.page("health"), site.page("dashboard_uncached")]
    uncached = interleaved_latency(pairs, rounds=args.uncached_rounds, warmup=1)
    errors += add_latency(
        figures, {(f"{k}_beside_uncached" if k.startswith("health") else k): v for k, v in uncached.items()}
    )
    for tier in sites:
        ratio = uncached[f"dashboard_uncached_{tier}"].p(0.95) / uncached[f"health_{tier}"].p(0.95)
        figures.add(f"dashboard_uncached_p95_ratio_{tier}", ratio)

    threads = args.workers * 2
    say(f"requests per second at tier {main.tier}: {threads} clients, {args.rps_seconds:.0f} s per page")
    rates = interleaved_throughput(
        [main.page("health"), main.page("list"), main.page("list_drawn")],
        threads=threads,
        seconds_each=args.rps_seconds,
    )
    health_rps, health_sample = rates[f"health_{main.tier}"]
    figures.add("health_rps", health_rps, 1)
    failed = len(health_sample.errors)
    for name in ("list", "list_drawn"):
        rps, sample = rates[f"{name}_{main.tier}"]
        figures.add(f"{name}_rps", rps, 1)
        figures.add(f"{name}_rps_share", rps / health_rps if health_rps else 0.0)
        failed += len(sample.errors)
    figures.add("list_rps_errors", failed)
    return errors + failed


def load_run(figures: Figures, site: Site, args) -> None:
    pages = [site.page(name) for name in ("list", "detail", "dashboard", "showcase")]
    say(f"bounded load at tier {site.tier}: {args.load_clients} clients for {args.load_seconds:.0f} s")
    bounded_load(pages, clients=args.workers, seconds=args.warmup)
    samples, elapsed = bounded_load(pages, clients=args.load_clients, seconds=args.load_seconds)
    served = sum(len(s.seconds) for s in samples.values())
    errors = sum(len(s.errors) for s in samples.values())
    figures.add("load_tier", site.tier)
    figures.add("load_clients", args.load_clients)
    figures.add("load_seconds", elapsed, 1)
    figures.add("load_requests", served + errors)
    figures.add("load_errors", errors)
    figures.add("load_rps", served / elapsed if elapsed else 0.0, 1)
    for label, sample in samples.items():
        name = label.rsplit("_", 1)[0]
        figures.add(f"load_{name}_requests", sample.count)
        figures.add(f"load_{name}_p50_ms", sample.p50_ms, 1)
        figures.add(f"load_{name}_p95_ms", sample.p95_ms, 1)
        for error in sample.errors[:3]:
            say(f"load {label}: {error}")


# --------------------------------------------------------------------------------------------
# The annual report against hand-written SQL


def report_vs_sql(figures: Figures, server_url: str, tier: str, env: dict, rounds: int) -> None:
    media = tempfile.mkdtemp(prefix="portal-bench-media-")
    try:
        child_env = django_env(env, database=database_url(server_url, tier_database(tier)), media_root=media)
        year = str(last_year())
        say(f"annual report vs hand-written SQL at tier {tier}, {year}: warm-up")
        child_json(["bench.report_child", "sql", year], child_env)
        builds, sqls, peaks, documents = [], [], [], []
        build_figures = sql_figures = None
        for n in range(rounds):
            order = ("sql", "build") if n % 2 == 0 else ("build", "sql")
            for mode in order:
                say(f"round {n + 1}/{rounds}: {mode}")
                result, done = child_json(["bench.report_child", mode, year], child_env)
                if mode == "build":
                    builds.append(result["seconds"])
                    documents.append(result["documents_seconds"])
                    peaks.append(done.peak_rss_mb)
                    build_figures = result["figures"]
                    sizes = (result["xlsx_bytes"], result["pdf_bytes"])
                else:
                    sqls.append(result["seconds"])
                    sql_figures = result["figures"]
        figures.add("report_tier", tier)
        figures.add("report_year", int(year))
        figures.add("report_seconds", statistics.median(builds), 3)
        figures.add("handwritten_sql_seconds", statistics.median(sqls), 3)
        figures.add("report_vs_sql_ratio", statistics.median(builds) / statistics.median(sqls))
        # What the figures cannot explain: the workbook and the PDF, made again from the snapshot.
        figures.add("report_documents_seconds", statistics.median(documents), 3)
        figures.add("report_xlsx_kb", round(sizes[0] / 1024))
        figures.add("report_pdf_kb", round(sizes[1] / 1024))
        different = sorted(code for code in sql_figures if build_figures.get(code) != sql_figures[code])
        for code in different:
            say(f"report and SQL differ on {code}: {build_figures.get(code)} vs {sql_figures[code]}")
        figures.add("report_equals_sql", "yes" if not different else "no")
        figures.add("report_worker_peak_rss_mb", max(peaks), 0)
    finally:
        shutil.rmtree(media, ignore_errors=True)


# --------------------------------------------------------------------------------------------


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--tiers", default=os.environ.get("BENCH_TIERS", ""), help="S,P[,N] (default S,P and N if loaded)"
    )
    parser.add_argument(
        "--parts",
        default="seed,report,web,load",
        help="what to run, of seed (seed_scale's memory), report, web (the ratios), load (the 60-s run)",
    )
    parser.add_argument("--rounds", type=int, default=100, help="interleaved latency rounds")
    parser.add_argument("--uncached-rounds", type=int, default=20, help="rounds of the uncached dashboard")
    parser.add_argument("--rps-seconds", type=float, default=18.0, help="seconds of requests-per-second per page")
    parser.add_argument("--report-rounds", type=int, default=3, help="report builds (and as many SQL runs)")
    parser.add_argument("--report-tier", default="", help="the tier of the report figure (default: the largest)")
    parser.add_argument("--load-clients", type=int, default=32)
    parser.add_argument("--load-seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up load before measuring")
    parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 2 * (os.cpu_count() or 1) + 1))
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10"))
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--strict-errors",
        action="store_true",
        help="exit 1 when a request failed or the report's figures differ from the SQL (CI)",
    )
    parser.add_argument("--db-prefix", default="portal_bench", help="tier databases: <prefix>_s, _p, _n")
    parser.add_argument("--scale", type=float, default=1.0, help="seed_scale --scale for tiers loaded here (tests)")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse(argv)
    servers_module.DB_PREFIX = args.db_prefix
    # A TERM (CI's timeout, `kill`) unwinds like Ctrl-C, so the servers and children are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parts = {part.strip() for part in args.parts.split(",") if part.strip()}
    server_url = os.environ.get("DATABASE_URL", "")
    figures = Figures()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    log_dir = Path(tempfile.mkdtemp(prefix="portal-bench-logs-"))
    static_root = ""
    errors = 0
    servers: list[Gunicorn] = []
    started = time.perf_counter()
    try:
        if not server_url:
            raise BenchError("set DATABASE_URL to the PostgreSQL server (postgres://user@host:port/name)")
        database_url(server_url, "postgres")  # PostgreSQL or a clear refusal
        from .servers import database_exists

        if args.tiers:
            tiers = [t.strip().upper() for t in args.tiers.split(",") if t.strip()]
        else:
            tiers = ["S", "P"] + (["N"] if database_exists(server_url, tier_database("N")) else [])
        if unknown := [t for t in tiers if t not in TIERS]:
            raise BenchError(f"unknown tiers {unknown}: choose among {', '.join(TIERS)}")
        machine(figures, server_url)
        figures.add("bench_tiers", ",".join(tiers))
        figures.add("bench_workers", args.workers)
        prepare_tiers(figures, server_url, tiers, env, seed_memory="seed" in parts, scale=args.scale)

        if "report" in parts:
            tier = args.report_tier.upper() or max(tiers, key=TIERS.index)
            report_vs_sql(figures, server_url, tier, env, args.report_rounds)

        web_tiers = [t for t in tiers if t in ("S", "P")]
        if parts & {"web", "load"} and web_tiers:
            say("collectstatic")
            static_root = collectstatic(env, server_url)
            sites: dict[str, Site] = {}
            for tier in web_tiers if "web" in parts else web_tiers[-1:]:
                prefix = f"bench_{tier.lower()}"
                server = Gunicorn(
                    tier=tier,
                    env=django_env(
                        env,
                        database=database_url(server_url, tier_database(tier)),
                        redis_url=args.redis_url,
                        static_root=static_root,
                    )
                    | {"CACHE_KEY_PREFIX": prefix},
                    workers=args.workers,
                    log_dir=log_dir,
                )
                servers.append(server)
                say(f"gunicorn for tier {tier} on port {server.port} ({args.workers} workers)")
                server.start()
                sites[tier] = Site(tier, server, args.redis_url, prefix)
            if "web" in parts:
                errors += web_ratios(figures, sites, args)
                figures.add("web_errors", errors)
            if "load" in parts:
                load_run(figures, sites["P"] if "P" in sites else sites[web_tiers[-1]], args)
            logged = []
            for server in servers:
                logged += server.errors_logged()
            for line in logged[:5]:
                say(f"server log: {line}")
            figures.add("server_errors_logged", len(logged))
    except BenchError as error:
        say(f"the benchmark could not run: {error}")
        print("bench: ERROR", flush=True)
        return 2
    finally:
        for server in servers:
            server.stop()
        if static_root:
            shutil.rmtree(static_root, ignore_errors=True)
    figures.add("machine_load_average_end", round(os.getloadavg()[0], 2))
    figures.add("bench_seconds", time.perf_counter() - started, 0)
    say(f"gunicorn logs: {log_dir}")
    misses = figures.judge()
    print(f"bench: FAIL (missed: {', '.join(misses)})" if misses else "bench: PASS", flush=True)
    if args.strict_errors and set(misses) & ERROR_TARGETS:
        return 1
    return 1 if misses and args.strict else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
