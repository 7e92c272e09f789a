"""Lists on a 1400-px screen: every column is on the page. The training classes' state and the
annual reports' finishing time were cut off (cells stay on one line; long names now wrap)."""

import pytest

from .test_login_browser import DEMO_PASSWORD, sign_in

pytestmark = [pytest.mark.browser]

OVERFLOW = """() => {
    const table = document.querySelector('table');
    const box = table.closest('.table-responsive') || table.parentElement;
    return {table: table.scrollWidth, box: box.clientWidth};
}"""


def test_the_training_and_report_lists_fit_a_1400_px_screen(browser, live_server, demo_data, screenshots):
    from accounts.models import Unit, User
    from reports import services

    hq = User.objects.get(username="hq_cadre")
    for unit in Unit.objects.filter(depth__lte=2):  # the longest names: the company's and its subsidiaries'
        services.report_request(actor=hq, year=2025, unit=unit)
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "hq_cadre", DEMO_PASSWORD)
    for path, last in (("/training/", "候补"), ("/reports/", "完成时间")):
        page.goto(f"{live_server.url}{path}")
        page.locator("table tbody tr").first.wait_for()
        widths = page.evaluate(OVERFLOW)
        assert widths["table"] <= widths["box"], (path, widths)
        header = page.locator("table thead th").last
        assert last in header.inner_text()
        box, cell = page.locator("table").bounding_box(), header.bounding_box()
        assert cell["x"] + cell["width"] <= box["x"] + box["width"] + 1, path
        screenshots(page, f"list-1400{path.replace('/', '-').rstrip('-')}")
    context.close()
