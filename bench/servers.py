"""The processes the benchmark runs: the tier databases (loaded with seed_scale when missing),
collectstatic, gunicorn per tier, and child processes whose peak memory is read when they end.

Nothing here imports Django: the runner only starts processes and talks HTTP and SQL to them.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import psycopg2

from .client import BenchError, Client

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
TIERS = ("S", "P", "N")
SCALE_ROOT = "中华全国总工会"  # core.scale.generate.ROOT_NAME: the root seed_scale makes


# The tier databases are <prefix>_s, <prefix>_p, <prefix>_n (python -m bench --db-prefix).
DB_PREFIX = "portal_bench"


def tier_database(tier: str) -> str:
    return f"{DB_PREFIX}_{tier.lower()}"


def database_url(server_url: str, name: str) -> str:
    """DATABASE_URL with its database name replaced (same server, user and password)."""
    parts = urllib.parse.urlsplit(server_url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise BenchError("the benchmark needs PostgreSQL: set DATABASE_URL=postgres://user@host:port/name")
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def _connect(url: str):
    return psycopg2.connect(url, connect_timeout=10)


def database_exists(server_url: str, name: str) -> bool:
    with _connect(database_url(server_url, "postgres")) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def is_loaded(server_url: str, name: str) -> bool:
    """The database exists and holds a finished seed_scale load (its root and its HQ login)."""
    if not database_exists(server_url, name):
        return False
    try:
        conn = _connect(database_url(server_url, name))
    except psycopg2.Error:
        return False
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM accounts_unit WHERE depth = 1 AND name = %s)"
                " AND EXISTS (SELECT 1 FROM accounts_user WHERE username = 'scale_hq')",
                [SCALE_ROOT],
            )
            return bool(cursor.fetchone()[0])
    except psycopg2.Error:
        return False
    finally:
        conn.close()


def create_database(server_url: str, name: str) -> None:
    conn = _connect(database_url(server_url, "postgres"))
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()


def row_counts(url: str, tables: tuple[str, ...]) -> dict[str, int]:
    """Exact row counts of a few tables (for the record of what a tier holds)."""
    counts = {}
    with _connect(url) as conn, conn.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names are this module's constants
            counts[table] = cursor.fetchone()[0]
    return counts


# --------------------------------------------------------------------------------------------
# Child processes


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float
    seconds: float


def run_measured(args: list[str], env: dict, *, timeout: float | None = None) -> Finished:
    """Run a child to its end and read its peak resident memory (the kernel's ru_maxrss of that
    one child, through wait4: not the sum of several children)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=err)  # noqa: S603
        deadline = None if timeout is None else started + timeout
        try:
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                if deadline is not None and time.perf_counter() > deadline:
                    process.kill()
                    pid, status, usage = os.wait4(process.pid, 0)
                    break
                time.sleep(0.05)
        except BaseException:
            # Stopped (Ctrl-C, SIGTERM): the child goes too.
            process.kill()
            process.wait()
            raise
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Finished(
            returncode=process.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            peak_rss_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
            seconds=time.perf_counter() - started,
        )


def django_env(base: dict, *, database: str, redis_url: str = "", static_root: str = "", media_root: str = "") -> dict:
    env = dict(base)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.bench",
        DATABASE_URL=database,
        REDIS_URL=redis_url,
        PYTHONUNBUFFERED="1",
    )
    if static_root:
        env["STATIC_ROOT"] = static_root
    if media_root:
        env["MEDIA_ROOT"] = media_root
    if not redis_url:
        env.pop("REDIS_URL", None)
    return env


def manage(args: list[str], env: dict, *, timeout: float | None = None) -> Finished:
    done = run_measured([PYTHON, "manage.py", *args], env, timeout=timeout)
    if done.returncode != 0:
        raise BenchError(f"manage.py {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done


def load_tier(server_url: str, tier: str, env: dict, *, name: str | None = None, scale: float = 1.0) -> Finished:
    """Create the tier's database if needed, migrate it and load it with seed_scale (--reset: a
    half-finished earlier load is cleared). Returns seed_scale's run, with its peak memory."""
    name = name or tier_database(tier)
    create_database(server_url, name)
    url = database_url(server_url, name)
    child_env = django_env(env, database=url)
    manage(["migrate", "--noinput", "-v", "0"], child_env)
    args = ["seed_scale", "--tier", tier, "--reset"]
    if scale != 1.0:
        args += ["--scale", str(scale)]
    return manage(args, child_env)


def collectstatic(env: dict, server_url: str) -> str:
    """The static files into a temporary folder (the manifest whitenoise serves with DEBUG=False)."""
    folder = tempfile.mkdtemp(prefix="portal-bench-static-")
    manage(
        ["collectstatic", "--noinput", "-v", "0"],
        django_env(env, database=database_url(server_url, "postgres"), static_root=folder),
    )
    return folder


def child_json(args: list[str], env: dict, *, timeout: float | None = None) -> tuple[dict, Finished]:
    """Run `python -m bench.<module> …` and read the JSON it prints last."""
    done = run_measured([PYTHON, "-m", *args], env, timeout=timeout)
    if done.returncode != 0:
        raise BenchError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    last = done.stdout.strip().splitlines()[-1]
    return json.loads(last), done


# --------------------------------------------------------------------------------------------
# gunicorn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn serving config.wsgi with the bench settings on one tier's database."""

    def __init__(self, *, tier: str, env: dict, workers: int, log_dir: Path):
        self.tier, self.env, self.workers = tier, env, workers
        self.port = free_port()
        self.log_path = log_dir / f"gunicorn-{tier}.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(  # noqa: S603
            [
                GUNICORN,
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--timeout",
                "120",
                "--backlog",
                "2048",
                "--log-level",
                "warning",
                "--error-logfile",
                "-",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn (tier {self.tier}) exited; see {self.log_path}")
            try:
                if Client("127.0.0.1", self.port).get("/health/").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise BenchError(f"gunicorn (tier {self.tier}) did not answer /health/ within 90 s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop of its own workers
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def errors_logged(self) -> list[str]:
        """Tracebacks and errors gunicorn or Django wrote to the log (a 500 is logged there)."""
        if not self.log_path.exists():
            return []
        lines = self.log_path.read_text("utf-8", "replace").splitlines()
        return [line for line in lines if "Traceback" in line or " ERROR " in line or "[ERROR]" in line]
