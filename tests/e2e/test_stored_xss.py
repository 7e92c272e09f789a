"""Stored text never runs in the browser (issue #8).

Every free-text field of every row holds a payload (tests/xss_support.py: `<script>`, attribute
break-outs with `onerror`, a `</script>` that would end a json_script block, an `<svg onload=alert>`,
`{{7*7}}`, `javascript:` in the notification link). HQ, a unit cadre and an expert then open
every page the matrix lets them open, the list pages with payloads in their filters, the search
page, and the notification menu; charts are hovered so that their tooltips are drawn. On each
page: `window.__xss` is undefined, no dialog opened, and no element the payloads would inject is in
the DOM. One browser, one context per role, one tab.
"""

from __future__ import annotations

import time

import pytest
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from ..xss_support import poisoned_world

pytestmark = [pytest.mark.browser]

ROLES = ("hq", "unit_cadre", "expert")

# What a payload printed raw would leave behind (the portal's own inline JSON is not script).
INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll('img[src="x"], u.xss, svg[onload]')) found.push(el.outerHTML.slice(0, 80));
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on') && /__xss|alert/.test(attr.value)) found.push(el.tagName + ' ' + attr.name);
      if (['href', 'src', 'action', 'formaction'].includes(attr.name) && /^\\s*javascript:window/i.test(attr.value))
        found.push(el.tagName + ' ' + attr.name + '=' + attr.value);
    }
  }
  for (const script of document.scripts) {
    if (script.type !== 'application/json' && script.textContent.includes('__xss'))
      found.push('script: ' + script.textContent.slice(0, 60));
  }
  if (typeof window.__xss !== 'undefined') found.push('window.__xss = ' + window.__xss);
  return found;
}"""


# ECharts draws a tooltip as an absolutely placed <div> inside the chart's element.
CHARTS = "[data-chart], [data-dashboard-chart]"  # the home page's charts and the dashboard's
TOOLTIPS = """() => [...document.querySelectorAll('[data-chart] div, [data-dashboard-chart] div')]
  .filter(d => d.style.position === 'absolute' && d.style.display !== 'none' && d.textContent.trim()).length"""


def _sign_in(context, base, user):
    client = Client()
    client.force_login(user)
    context.clear_cookies()
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])


def _hover_charts(page) -> int:
    """Move over each chart so ECharts draws its HTML tooltips; returns how many were drawn."""
    drawn = 0
    for chart in page.locator(CHARTS).all()[:8]:
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        if not box:
            continue
        for fx in (0.15, 0.3, 0.45, 0.6, 0.75, 0.9):
            for fy in (0.35, 0.55):
                chart.hover(position={"x": box["width"] * fx, "y": box["height"] * fy}, force=True)
                page.wait_for_timeout(40)
                drawn += page.evaluate(TOOLTIPS)
    return drawn


def test_stored_payloads_never_run_on_any_page(page, live_server, transactional_db, world, artifacts_dir):
    poisoned = poisoned_world(world)
    base = live_server.url
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
    problems: dict[str, list] = {}
    visited, downloads, tooltips = 0, 0, 0
    started = time.monotonic()

    for role in ROLES:
        _sign_in(page.context, base, world.user(role))
        for target in [p for p in poisoned.pages if role in p.roles]:
            try:
                response = page.goto(base + target.url, wait_until="load")
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    downloads += 1  # a file, not a page (its HTML source, if any, is checked without a browser)
                    continue
                raise
            assert response is not None and response.status == 200, (
                f"{role} {target.url}: {response and response.status}"
            )
            if not (response.headers.get("content-type") or "").startswith("text/html"):
                continue
            visited += 1
            if page.locator(CHARTS).count():
                tooltips += _hover_charts(page)
            if found := page.evaluate(INJECTED):
                problems[f"{role} {target.name}"] = found

        # The notification menu is loaded by htmx when the bell is clicked.
        page.goto(base + "/", wait_until="load")
        page.locator("#notification-bell").click()
        page.locator("#notification-menu").get_by_text("XSS", exact=False).first.wait_for(timeout=5000)
        if found := page.evaluate(INJECTED):
            problems[f"{role} notification menu"] = found

    elapsed = time.monotonic() - started
    (artifacts_dir / "stored_xss.txt").write_text(
        f"pages visited: {visited}; downloads skipped: {downloads}; chart tooltips drawn: {tooltips}; "
        f"fields poisoned: {len(poisoned.poisoned.fields)}; values: {poisoned.poisoned.values}; "
        f"seconds: {elapsed:.0f}\n"
    )
    assert not problems, problems
    assert not dialogs, dialogs
    assert visited >= 300, visited
    assert tooltips >= 1, "no chart tooltip was drawn: the hover no longer reaches the charts"
