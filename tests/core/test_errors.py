"""Error pages with DEBUG=False: a crash anywhere shows the Chinese 500 page and nothing of the
crash (no traceback, setting, SQL or file path), is logged with its traceback and mailed to
ADMINS; 400, 403, 404 and a failed CSRF check show the portal's own Chinese pages."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.handlers.base import BaseHandler
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from ..test_permission_matrix import MATRIX, _admin_kwargs, all_url_names, row_for

ROOT = Path(__file__).resolve().parent.parent.parent
SQL = 'SELECT "accounts_user"."password" FROM "accounts_user" WHERE "accounts_user"."username" = \'hq\''
# What a crash might carry: SQL, a setting, a file path, the exception's own name.
CRASH_MESSAGE = f"{SQL} -- key {settings.SECRET_KEY} in {ROOT / 'core' / 'views.py'}"
LEAKS = (
    "Traceback",
    settings.SECRET_KEY,
    "SECRET_KEY",
    "SELECT",
    "accounts_user",
    "password",
    str(ROOT),
    ".py",
    "site-packages",
    "DatabaseError",
    "IntegrityError",
    "RuntimeError",
    "no_such_table",
)

pytestmark = pytest.mark.usefixtures("debug_off")


@pytest.fixture
def debug_off(settings):
    settings.DEBUG = False
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False


def browser(user=None, **kwargs) -> Client:
    """A client that gets the error page a browser would, instead of the exception."""
    client = Client(raise_request_exception=False, **kwargs)
    if user is not None:
        client.force_login(user)
    return client


def assert_chinese_500(response) -> str:
    body = response.content.decode()
    assert response.status_code == 500, response.status_code
    assert 'lang="zh-hans"' in body and "出错了" in body and "返回首页" in body
    leaked = [text for text in LEAKS if text in body]
    assert not leaked, f"the 500 page shows {leaked}"
    return body


def url_of(name: str, world) -> str:
    row = row_for(name)
    if name.startswith("admin:") and name not in MATRIX:
        return reverse(name, kwargs=_admin_kwargs(all_url_names()[name]))
    return reverse(name, kwargs=row.kwargs(world))


URL_NAMES = sorted(name for name in all_url_names() if row_for(name) is not None)


def test_every_url_is_tried():
    assert len(URL_NAMES) > 100


@pytest.mark.parametrize("name", URL_NAMES)
def test_a_crash_in_any_view_shows_the_chinese_500_page_and_nothing_of_the_crash(name, world, monkeypatch):
    def crashing_view(request, *args, **kwargs):
        raise DatabaseError(CRASH_MESSAGE)

    url = url_of(name, world)
    monkeypatch.setattr(BaseHandler, "make_view_atomic", lambda self, view: crashing_view)
    client = browser(world.hq)
    for method in (client.get, client.post):
        try:
            assert_chinese_500(method(url))
        except AssertionError as error:
            raise AssertionError(f"{method.__name__.upper()} {url}: {error}") from None


def test_a_failing_selector_on_a_list_page(world, monkeypatch):
    from studios import selectors

    def broken(user):
        raise RuntimeError(CRASH_MESSAGE)

    monkeypatch.setattr(selectors, "studio_list", broken)
    assert_chinese_500(browser(world.hq).get(reverse("studios:studio_list")))
    # The same through htmx (a filter or page change swaps only part of the page).
    assert_chinese_500(browser(world.hq).get(reverse("studios:studio_list"), HTTP_HX_REQUEST="true"))


def test_a_real_database_error_from_the_database_itself(world, monkeypatch):
    from core import views

    def bad_query(self, **kwargs):
        # A savepoint keeps the test's transaction usable on PostgreSQL after the error.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT password FROM no_such_table_of_secrets")
        return {}

    monkeypatch.setattr(views.HomeView, "get_context_data", bad_query)
    assert_chinese_500(browser(world.unit_cadre).get(reverse("home")))


def test_a_failing_service_behind_a_form(world, monkeypatch):
    from accounts import services

    def refuse(**kwargs):
        raise IntegrityError(f'duplicate key value violates unique constraint "accounts_unit_code_key" {CRASH_MESSAGE}')

    monkeypatch.setattr(services, "unit_update", refuse)
    unit = world.plant_a1
    data = {
        "parent": world.branch_a.pk,
        "name": unit.name,
        "short_name": unit.short_name,
        "code": unit.code,
        "kind": unit.kind,
        "union_name": unit.union_name,
        "is_active": "on",
    }
    response = browser(world.hq).post(reverse("accounts:unit_update", args=[unit.pk]), data)
    assert_chinese_500(response)


def test_a_crash_while_rendering_the_template(world, monkeypatch):
    from core import views

    class Exploding:
        def __str__(self):
            raise RuntimeError(CRASH_MESSAGE)

    original = views.HomeView.get_context_data

    def with_bad_value(self, **kwargs):
        context = original(self, **kwargs)
        context["title"] = Exploding()
        return context

    monkeypatch.setattr(views.HomeView, "get_context_data", with_bad_value)
    assert_chinese_500(browser(world.hq).get(reverse("home")))


def test_the_crash_is_logged_with_its_traceback_and_mailed_to_admins(world, monkeypatch, caplog, settings):
    from studios import selectors

    def broken(user):
        raise RuntimeError("selector failed: " + CRASH_MESSAGE)

    monkeypatch.setattr(selectors, "studio_list", broken)
    # Production reads ADMINS from the environment (config/settings/production.py); the logging
    # configuration is the same as here (base.LOGGING over Django's defaults).
    settings.ADMINS = [("Ops", "ops@example.com")]
    with caplog.at_level(logging.ERROR, logger="django.request"):
        assert_chinese_500(browser(world.hq).get(reverse("studios:studio_list")))
    [record] = [r for r in caplog.records if r.name == "django.request" and r.levelno == logging.ERROR]
    assert record.getMessage() == f"Internal Server Error: {reverse('studios:studio_list')}"
    assert record.exc_info and "selector failed" in str(record.exc_info[1])
    [message] = mail.outbox
    assert message.to == ["ops@example.com"] and "Internal Server Error" in message.subject
    assert "selector failed" in message.body  # the details go to the administrators only


def test_without_admins_nothing_is_mailed(world, monkeypatch, settings):
    from studios import selectors

    monkeypatch.setattr(selectors, "studio_list", lambda user: 1 / 0)
    settings.ADMINS = []
    assert_chinese_500(browser(world.hq).get(reverse("studios:studio_list")))
    assert mail.outbox == []


def test_404_page_is_chinese_for_everyone(world):
    for user in (None, world.hq, world.unit_cadre_other):
        response = browser(user).get("/no-such-page/")
        body = response.content.decode()
        assert response.status_code == 404 and "页面不存在" in body and 'lang="zh-hans"' in body
    # An object outside the user's scope is the same 404 page.
    response = browser(world.unit_cadre_other).get(reverse("accounts:unit_detail", args=[world.plant_a1.pk]))
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_403_page_is_chinese(world):
    response = browser(world.studio_lead).get(reverse("core:audit_list"))
    body = response.content.decode()
    assert response.status_code == 403 and "无权操作" in body and 'lang="zh-hans"' in body


def test_csrf_failure_page_is_chinese(world):
    client = browser(world.hq, enforce_csrf_checks=True)
    response = client.post(reverse("core:notification_read_all"))
    body = response.content.decode()
    assert response.status_code == 403 and "表单已过期" in body and "CSRF" not in body


@pytest.mark.parametrize("case", ["unknown host", "too many fields"])
def test_400_page_is_the_portals_own_in_chinese(world, case):
    client = browser(world.hq)
    if case == "unknown host":
        response = client.get("/", HTTP_HOST="evil.example.com")
    else:
        fields = {f"f{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
        response = client.get(reverse("studios:studio_list"), fields)
    body = response.content.decode()
    assert response.status_code == 400
    # The portal's layout (its Chinese "back to the home page") with the page's own wording, in the
    # active language (Chinese once the catalogue has the strings of templates/400.html).
    assert 'lang="zh-hans"' in body and "返回首页" in body
    assert gettext("The request could not be handled") in body
    assert "Bad Request (400)" not in body and "evil.example.com" not in body


def test_400_page_wording(world, english):
    body = browser(world.hq).get("/", HTTP_HOST="evil.example.com").content.decode()
    assert "The request could not be handled" in body
