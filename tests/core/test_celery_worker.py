"""A real Celery worker process, fed through Redis, runs a task that reads and writes PostgreSQL.

Skipped on a developer machine without REDIS_URL or PostgreSQL; with REQUIRE_SERVICES=1 (CI)
a missing service fails the test instead.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from core.models import Notification

from ..conftest import skip_or_fail
from ..factories import NotificationFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    params = connection.settings_dict
    auth = params["USER"] or ""
    if params.get("PASSWORD"):
        auth += f":{params['PASSWORD']}"
    host = params["HOST"] or "127.0.0.1"
    port = params["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{params['NAME']}"


@pytest.fixture
def services_ready():
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        skip_or_fail("REDIS_URL is not set")
    if connection.vendor != "postgresql":
        skip_or_fail("the database is not PostgreSQL (set DATABASE_URL)")
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        skip_or_fail(f"Redis at {redis_url} does not answer: {error}")
    return redis_url


@pytest.fixture
def worker(services_ready, transactional_db):
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": services_ready,
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"]
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    with open(ROOT / "test-artifacts" / f"celery-{queue}.log", "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        producer = Celery("portal-test", broker=services_ready)
        try:
            yield producer, queue
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.mark.services
def test_a_real_worker_delivers_a_notification_email(worker, artifacts_dir):
    producer, queue = worker
    recipient = UserFactory(email="lead@example.com")
    notification = NotificationFactory(recipient=recipient, title="工作室申报已退回")
    producer.send_task("core.tasks.notification_email_send", args=[notification.pk], queue=queue)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.emailed_at is not None:
            break
        time.sleep(0.5)
    assert notification.emailed_at is not None, "the worker did not process the task in time"
    # Sent again (a redelivery): the worker finds it already sent and sends nothing more.
    stamp = notification.emailed_at
    producer.send_task("core.tasks.notification_email_send", args=[notification.pk], queue=queue)
    time.sleep(3)
    assert Notification.objects.get(pk=notification.pk).emailed_at == stamp
