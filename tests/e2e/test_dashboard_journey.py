"""The dashboard in the browser: HQ opens it from the menu, every chart with figures is drawn by
ECharts without a script error, a chart's figures download as Excel, a click on a bar opens the
filtered list behind it; a unit cadre sees its own branch."""

import re

import pytest
from playwright.sync_api import expect

from .test_login_browser import DEMO_PASSWORD, sign_in

pytestmark = [pytest.mark.browser]


def watch_errors(page) -> list:
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def drawn_charts(page) -> dict:
    """{chart code: "canvas" | "empty" | "nothing"} for each chart box on the page."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('[data-dashboard-chart]')].map(el => [
            el.dataset.dashboardChart,
            el.querySelector('canvas') ? 'canvas' : (el.textContent.trim() ? 'empty' : 'nothing')]))"""
    )


def test_hq_opens_the_dashboard_and_follows_a_figure(page, live_server, demo_data, screenshots):
    errors = watch_errors(page)
    base = live_server.url
    sign_in(page, base, "hq_cadre", DEMO_PASSWORD)
    expect(page.get_by_test_id("home-title")).to_be_visible()
    page.locator("#sidebar").get_by_role("link", name="数据看板").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("数据看板")
    expect(page.get_by_test_id("kpis").locator(".card")).to_have_count(6)
    page.wait_for_function("() => document.querySelectorAll('[data-dashboard-chart] canvas').length >= 3")
    charts = drawn_charts(page)
    assert set(charts) == {
        "studios_by_level",
        "studios_by_kind",
        "results_by_category",
        "economic_benefit",
        "trends",
        "pipeline",
        "top_studios",
    }
    assert "nothing" not in charts.values(), charts
    # The demo has named studios, results and ten years of trend: those charts are drawn.
    for code in ("studios_by_level", "studios_by_kind", "trends"):
        assert charts[code] == "canvas", charts
    screenshots(page, "dashboard-hq")

    # A chart's figures as Excel.
    with page.expect_download() as download:
        page.get_by_test_id("export-studios_by_level").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    # A click on the first bar of "studios by level" opens the studio list filtered to it.
    box = page.get_by_test_id("chart-studios_by_level").bounding_box()
    x, y = page.evaluate(
        """() => {
            const el = document.querySelector('[data-dashboard-chart="studios_by_level"]');
            const chart = echarts.getInstanceByDom(el);
            const value = chart.getOption().series[0].data[0].value;
            return chart.convertToPixel({seriesIndex: 0}, [0, value / 2]);
        }"""
    )
    page.mouse.click(box["x"] + x, box["y"] + y)
    expect(page).to_have_url(re.compile(r"/studios/\?unit=\d+&title_year=\d{4}&level=\w+"))
    expect(page.locator("table tbody tr").first).to_be_visible()
    screenshots(page, "dashboard-hq-click-through")
    assert errors == [], errors


def test_a_unit_cadre_sees_its_branch_and_picks_a_year(page, live_server, demo_data, screenshots):
    errors = watch_errors(page)
    base = live_server.url
    sign_in(page, base, "unit_cadre", DEMO_PASSWORD)
    expect(page.get_by_test_id("home-title")).to_be_visible()
    page.goto(f"{base}/dashboard/")
    title = page.get_by_test_id("dashboard-title")
    expect(title).to_be_visible()
    assert "集团" not in title.inner_text()  # the cadre's own unit, not the company's top
    years = page.locator("#dashboard-year option").all_inner_texts()
    page.select_option("#dashboard-year", years[1])  # the picker reloads the page at once
    expect(page).to_have_url(re.compile(rf"year={years[1]}"))
    expect(title).to_contain_text(years[1])
    page.wait_for_function("() => document.querySelectorAll('[data-dashboard-chart] canvas').length >= 1")
    screenshots(page, "dashboard-unit-cadre")
    assert errors == [], errors


def test_the_trend_chart_keeps_its_years_apart_on_a_phone(browser, live_server, demo_data, screenshots):
    """On a 390-px screen the ten years of the trend ran together ("2017201820192020…"): the labels
    are turned there and spaced out where they would touch; on a wide screen they stand upright."""
    labels = """() => {
        const chart = echarts.getInstanceByDom(document.querySelector('[data-dashboard-chart="trends"]'));
        const label = chart.getOption().xAxis[0].axisLabel;
        return {rotate: label.rotate, interval: label.interval, hideOverlap: label.hideOverlap};
    }"""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    errors = watch_errors(page)
    sign_in(page, live_server.url, "hq_cadre", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_function("() => document.querySelector('[data-dashboard-chart=\"trends\"] canvas')")
    phone = page.evaluate(labels)
    assert phone["rotate"] > 0 and phone["hideOverlap"], phone
    page.get_by_test_id("chart-trends").scroll_into_view_if_needed()
    screenshots(page, "dashboard-phone-trends")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.wait_for_function(
        """() => echarts.getInstanceByDom(document.querySelector('[data-dashboard-chart="trends"]'))
            .getOption().xAxis[0].axisLabel.rotate === 0"""
    )
    assert page.evaluate(labels)["interval"] == 0
    assert errors == [], errors
    context.close()
