"""A list's Excel download is bounded (PORTAL_EXPORT_MAX_ROWS): above the bound the list says how
many rows there are and asks for a narrower filter; a file is never cut short silently."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from ..factories import StudioFactory


def test_an_export_over_the_bound_asks_for_a_narrower_filter(world, client_as, settings):
    for name in ("甲工作室", "乙工作室", "丙工作室"):
        StudioFactory(name=name, unit=world.plant_a1)
    client = client_as(world.hq)
    url = reverse("studios:studio_list")
    total = client.get(url).context["table"].page.paginator.count
    settings.PORTAL_EXPORT_MAX_ROWS = total - 1

    refused = client.get(url, {"export": "xlsx"})
    assert refused.status_code == 302 and refused["Location"] == url
    page = client.get(refused["Location"]).content.decode()
    assert f"{total} 行超过单次下载的上限（{total - 1} 行）" in page

    narrowed = client.get(url, {"q": "甲工作室", "export": "xlsx"})  # the filter is kept on refusal too
    assert narrowed.status_code == 200
    rows = list(load_workbook(io.BytesIO(narrowed.content)).active.iter_rows(values_only=True))
    assert any("甲工作室" in row for row in rows)

    settings.PORTAL_EXPORT_MAX_ROWS = total
    whole = client.get(url, {"export": "xlsx"})
    assert whole.status_code == 200
    assert len(list(load_workbook(io.BytesIO(whole.content)).active.iter_rows(values_only=True))) >= total + 1


def test_the_refusal_keeps_the_filter(world, client_as, settings):
    StudioFactory(name="甲工作室", unit=world.plant_a1)
    settings.PORTAL_EXPORT_MAX_ROWS = 0
    response = client_as(world.hq).get(reverse("studios:studio_list"), {"q": "甲", "export": "xlsx"})
    assert response.status_code == 302 and response["Location"] == reverse("studios:studio_list") + "?q=%E7%94%B2"
