"""The dashboard pages: who sees which scope, the year picker, Excel per chart, the cache and its
invalidation, the pinned query counts."""

import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.services import audit_log, statistics_changed, statistics_generation, statistics_stamp
from reports.dashboard import TABLE_CODES, cache_key
from reports.indicators import compute

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


def without_tokens(response) -> str:
    """The page without its CSRF tokens (masked anew for every response)."""
    return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())


def kpis(response) -> dict:
    return {k["code"]: k["value"] for k in response.context["data"]["kpis"]}


def test_the_url_and_the_menu_entry(world, client_as):
    assert reverse("dashboard:index") == URL
    for role, shown in (("hq", True), ("viewer", True), ("unit_cadre", True), ("studio_lead", False)):
        response = client_as(world.user(role)).get("/")
        entries = [item["url"] for section in response.context["nav"] for item in section["items"]]
        assert (URL in entries) is shown, role


def test_hq_sees_the_whole_company_by_default(world, year_data, client_as):
    response = client_as(world.hq).get(URL, {"year": YEAR})
    assert response.status_code == 200
    assert response.context["unit"] == world.root
    assert kpis(response)["named_studios"] == compute("studios_by_level", YEAR, world.root).value == 4
    assert kpis(response)["economic_benefit"] == Decimal("157000")
    # Every chart is on the page, with its Excel link; the data goes to the script as JSON.
    content = response.content.decode()
    for code in TABLE_CODES:
        assert f"/dashboard/chart/{code}.xlsx?year={YEAR}&amp;unit={world.root.pk}" in content, code
    assert '<script id="dashboard-data" type="application/json">' in content
    assert "dashboard.js" in content and "echarts.min.js" in content


def test_a_unit_cadre_counts_only_its_subtree(world, year_data, client_as):
    client = client_as(world.unit_cadre)
    response = client.get(URL, {"year": YEAR})
    assert response.context["unit"] == world.branch_a
    figures = kpis(response)
    assert figures["named_studios"] == compute("studios_by_level", YEAR, world.branch_a).value == 3
    assert figures["verified_results"] == 4 and figures["economic_benefit"] == Decimal("127000")
    # Branch B's studio and benefit are nowhere on its page.
    charts = response.context["data"]["charts"]
    assert [item["value"] for item in charts["economic_benefit"]["series"][0]["data"]] == [12.7]
    assert "乙一厂" not in response.content.decode()
    # It may narrow to a unit of its subtree, not look outside it.
    assert client.get(URL, {"year": YEAR, "unit": world.plant_a1.pk}).status_code == 200
    assert client.get(URL, {"year": YEAR, "unit": world.branch_b.pk}).status_code == 404
    assert client.get(URL, {"year": YEAR, "unit": world.root.pk}).status_code == 404
    # Its picker offers its own subtree only.
    assert {u.pk for u, _indent in response.context["units"]} == {world.branch_a.pk, world.plant_a1.pk}


def test_leadership_may_pick_any_unit(world, year_data, client_as):
    response = client_as(world.viewer).get(URL, {"year": YEAR, "unit": world.branch_b.pk})
    assert response.status_code == 200
    assert kpis(response)["economic_benefit"] == Decimal("30000")
    picker = {u.pk for u, _indent in response.context["units"]}
    assert {world.root.pk, world.branch_a.pk, world.branch_b.pk, world.plant_a1.pk, world.plant_b1.pk} <= picker


@pytest.mark.parametrize("role", ["studio_lead", "other_lead", "expert"])
def test_other_roles_are_refused(world, client_as, role):
    assert client_as(world.user(role)).get(URL).status_code == 403
    assert client_as(world.user(role)).get("/dashboard/chart/kpis.xlsx").status_code == 403


def test_anonymous_goes_to_the_login_page(world, client_as):
    response = client_as(None).get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_year_defaults_to_the_current_year(world, client_as):
    response = client_as(world.hq).get(URL)
    this_year = timezone.localdate().year
    assert response.context["year"] == this_year and response.context["so_far"]
    assert response.context["years"][:2] == [this_year, this_year - 1] and len(response.context["years"]) == 10
    # A year before the picker's ten is still shown when asked for, and offered in the picker.
    old = client_as(world.hq).get(URL, {"year": 2001})
    assert old.status_code == 200 and 2001 in old.context["years"] and not old.context["so_far"]


@pytest.mark.parametrize("query", [{"year": "abc"}, {"year": "1800"}, {"year": "2999"}, {"unit": "x"}, {"unit": "0"}])
def test_bad_parameters_are_not_found(world, client_as, query):
    assert client_as(world.hq).get(URL, query).status_code == 404


def test_each_chart_downloads_as_excel_with_chinese_headers(world, year_data, client_as):
    client = client_as(world.unit_cadre)
    page = client.get(URL, {"year": YEAR}).context["data"]
    for code in TABLE_CODES:
        response = client.get(f"/dashboard/chart/{code}.xlsx", {"year": YEAR})
        assert response.status_code == 200, code
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in response["Content-Disposition"]
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        table = page["tables"][code]
        assert rows[0] == [str(h) for h in table["header"]], code
        assert len(rows) == len(table["rows"]) + 1, code
    level = load_workbook(
        io.BytesIO(client.get("/dashboard/chart/studios_by_level.xlsx", {"year": YEAR}).content)
    ).active
    header, *_rows, total = list(level.iter_rows(values_only=True))
    assert header == ("级别", "创新工作室")
    assert total[1] == 3
    assert client.get("/dashboard/chart/nothing.xlsx").status_code == 404
    assert client.get("/dashboard/chart/kpis.xlsx", {"unit": world.branch_b.pk}).status_code == 404


def test_figures_link_to_the_filtered_lists_behind_them(world, year_data, client_as):
    """Following a figure's link shows as many rows as the figure counts."""
    client = client_as(world.hq)
    data = client.get(URL, {"year": YEAR}).context["data"]
    charts = data["charts"]

    def listed(url):
        response = client.get(url)
        assert response.status_code == 200, url
        return response.context["table"].paginator.count

    for item in charts["results_by_category"]["series"][0]["data"]:
        assert listed(item["url"]) == item["value"], item["url"]
    for item in charts["studios_by_level"]["series"][0]["data"]:
        assert listed(item["url"]) == item["value"], item["url"]
    for item in charts["studios_by_kind"]["series"][0]["data"]:
        assert listed(item["url"]) == item["value"], item["url"]
    kpi = {k["code"]: k for k in data["kpis"]}
    assert listed(kpi["named_studios"]["url"]) == 4
    assert listed(kpi["verified_results"]["url"]) == 5
    assert listed(kpi["patents"]["url"]) == 3
    assert listed(kpi["pairings"]["url"]) == 2
    # Benefit by unit: the results stating the year's benefit (branch A: 3, branch B: 1).
    assert [listed(item["url"]) for item in charts["economic_benefit"]["series"][0]["data"]] == [3, 1]
    for item in charts["top_studios"]["series"][0]["data"]:
        assert client.get(item["url"]).status_code == 200


def test_the_dashboard_is_cached_until_the_data_changes(
    world, year_data, client_as, django_capture_on_commit_callbacks
):
    client = client_as(world.hq)
    first = client.get(URL, {"year": YEAR})
    assert cache.get(cache_key(YEAR, world.root)) is not None
    with CaptureQueriesContext(connection) as warm:
        second = client.get(URL, {"year": YEAR})
    # The page itself is kept (core.page_cache): nothing is drawn, the same page is served; only
    # the user is read (the session and the unread count come from the cache).
    assert second.context is None and without_tokens(second) == without_tokens(first)
    assert len(warm.captured_queries) == 1
    # An audited write to a result moves, on commit, the generation of each subtree its studio's
    # unit lies in (the root's included), not the global one: the next view recomputes.
    global_generation, root_generation = statistics_stamp(world.root.path)
    result = year_data["s1"].results.filter(status="verified", achieved_on__year=YEAR).first()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        type(result).objects.filter(pk=result.pk).update(status="submitted")
        audit_log(actor=world.hq, obj=result, action="update", changes={"status": ["verified", "submitted"]})
    assert statistics_stamp(world.root.path) == (global_generation, root_generation + 1)
    third = client.get(URL, {"year": YEAR})
    assert third.context is not None
    assert kpis(third)["verified_results"] == kpis(first)["verified_results"] - 1


def test_a_write_in_one_branch_leaves_the_other_branchs_dashboard_kept(
    world, year_data, client_as, django_capture_on_commit_callbacks
):
    """The subtree generations: a verified result of a studio in one branch recomputes that
    branch's dashboard and HQ's, while the other branch's stays cached, its page kept."""
    result = year_data["s1"].results.filter(status="verified", achieved_on__year=YEAR).first()
    here = result.studio.unit
    branch, other = (
        (world.branch_a, world.branch_b)
        if here.path.startswith(world.branch_a.path)
        else (world.branch_b, world.branch_a)
    )
    client = client_as(world.hq)
    pages = {unit.pk: client.get(URL, {"year": YEAR, "unit": unit.pk}) for unit in (world.root, branch, other)}
    assert all(page.context is not None for page in pages.values())
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        type(result).objects.filter(pk=result.pk).update(status="submitted")
        audit_log(actor=world.hq, obj=result, action="update", changes={"status": ["verified", "submitted"]})
    for unit in (world.root, branch):
        again = client.get(URL, {"year": YEAR, "unit": unit.pk})
        assert again.context is not None, unit  # drawn anew, from recomputed figures
        assert kpis(again)["verified_results"] == kpis(pages[unit.pk])["verified_results"] - 1
    with CaptureQueriesContext(connection) as kept:
        untouched = client.get(URL, {"year": YEAR, "unit": other.pk})
    assert untouched.context is None and without_tokens(untouched) == without_tokens(pages[other.pk])
    assert len(kept.captured_queries) == 1  # the user; the page and its figures from the cache
    # The other branch's figures are still the cached entry, current at its subtree's generation.
    assert cache.get(cache_key(YEAR, other))["stamp"] == list(statistics_stamp(other.path))
    # A global write (a unit renamed) makes every dashboard stale.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        audit_log(actor=world.hq, obj=other, action="update", changes={"name": ["乙", "乙公司"]})
    assert client.get(URL, {"year": YEAR, "unit": other.pk}).context is not None


def test_the_cache_key_has_the_unit_year_and_language_and_the_entry_its_generation(world, year_data):
    from django.utils import translation

    from reports.dashboard import dashboard_entry

    key = cache_key(YEAR, world.branch_a)
    assert key.endswith(f":{world.branch_a.pk}:{YEAR}:zh-hans")
    with translation.override("en"):
        assert cache_key(YEAR, world.branch_a) != key
    entry = dashboard_entry(YEAR, world.branch_a)
    assert not entry.stale and entry.seconds > 0
    assert cache.get(key)["stamp"][0] == statistics_generation()
    statistics_changed()
    assert cache.get(key)["stamp"][0] == statistics_generation() - 1  # stale: recomputed on next view
    dashboard_entry(YEAR, world.branch_a)
    assert cache.get(key)["stamp"][0] == statistics_generation()


def test_the_page_follows_the_language(world, year_data, client_as, english):
    response = client_as(world.hq).get(URL, {"year": YEAR})
    assert response.context["data"]["charts"]["studios_by_level"]["title"] == "Named studios by level"
    assert response.context["data"]["charts"]["studios_by_level"]["categories"][0] == "Unit level"


def _cold_dashboard_queries(client):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"year": YEAR})
    assert response.status_code == 200
    return len(queries.captured_queries)


# The page: session, user, the user's unit, the picker's units, the unread notifications (5);
# the figures: 7 indicators, 5 trend queries, 1 for the review pipeline, the top studios, the ids of
# the units in "benefit by unit" (15). Django caches the content type after the first request.
COLD_QUERIES = {"hq": 20, "unit_cadre": 20}


@pytest.mark.parametrize("role", ["hq", "unit_cadre"])
def test_query_counts_are_pinned_and_do_not_grow_with_the_data(world, client_as, role):
    client = client_as(world.user(role))
    client.get(URL)  # the first request warms Django's own caches (content types, sites)
    build_year(world)
    small = _cold_dashboard_queries(client)
    build_year(world, copies=3)
    large = _cold_dashboard_queries(client)
    assert small == large == COLD_QUERIES[role]
    with CaptureQueriesContext(connection) as warm:
        client.get(URL, {"year": YEAR})
    assert len(warm.captured_queries) <= 5


def test_leadership_lands_on_the_dashboards_key_figures(
    world, year_data, client_as, monkeypatch, django_assert_num_queries
):
    """The viewer's home is the studios' key figures of this year for the whole company (the
    dashboard's, from its cache), not the account administration HQ's home shows."""
    from reports import dashboard

    client = client_as(world.viewer)
    home = client.get("/")
    assert home.status_code == 200
    page = home.content.decode()
    this_year = timezone.localdate().year
    assert home.context["dashboard"]["unit"] == world.root and home.context["dashboard"]["year"] == this_year
    assert cache.get(cache_key(this_year, world.root)) is not None
    figures = {k["code"]: k["display"] for k in home.context["dashboard"]["kpis"]}
    full = client.get(URL)
    assert figures == {k["code"]: k["display"] for k in full.context["data"]["kpis"]}
    for kpi in full.context["data"]["kpis"]:
        assert f'data-testid="kpi-{kpi["code"]}"' in page and str(kpi["label"]) in page
    assert 'href="/dashboard/"' in page
    # No account administration: units, accounts, never signed in, accounts by role.
    assert "overview" not in home.context and "charts" not in home.context
    for word in ("kpi-users", "从未登录", "各角色账户"):
        assert word not in page
    # Served from the dashboard's cache: nothing is recomputed for the next visit.
    monkeypatch.setattr(dashboard, "dashboard_data", lambda year, unit: pytest.fail("recomputed"))
    with django_assert_num_queries(4):  # user, notifications, studios by state, top unit
        assert client.get("/").context["dashboard"]["kpis"] == home.context["dashboard"]["kpis"]
    # HQ's home keeps its overview of the organisation.
    assert 'data-testid="kpi-users"' in client_as(world.hq).get("/").content.decode()
