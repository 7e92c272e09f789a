"""The showcase's directory of named studios comes a page at a time (a province has thousands of
them), national studios first, and every page costs the same number of queries."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from achievements.showcase import STUDIOS_PER_PAGE

from ..factories import StudioFactory


def studio_links(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/showcase/studios/(\d+)/"', html)]


def test_the_directory_is_paged_national_first(world, client):
    national = StudioFactory(unit=world.plant_b1, status="named", level="national", name="全国级工作室")
    city = [
        StudioFactory(unit=world.plant_a1, status="named", level="city", name=f"市级工作室{n:03d}")
        for n in range(STUDIOS_PER_PAGE + 5)
    ]
    StudioFactory(unit=world.plant_a1, status="draft", level="city", name="草稿工作室")
    first = client.get("/showcase/")
    html = first.content.decode()
    assert first.status_code == 200
    shown = studio_links(html)
    assert len(shown) == STUDIOS_PER_PAGE
    assert shown[0] == national.pk
    assert 'data-testid="studio-pages"' in html and "?page=2" in html
    # Every named studio is counted in the heading, whatever the page.
    assert f"{len(city) + 2} " in html  # the world's named studio, the national one, the city ones

    second = client.get("/showcase/?page=2").content.decode()
    rest = studio_links(second)
    assert len(rest) == len(city) + 2 - STUDIOS_PER_PAGE
    assert not set(shown) & set(rest)
    assert "草稿工作室" not in html + second


def test_every_page_costs_the_same_queries(world, client):
    for n in range(2 * STUDIOS_PER_PAGE + 1):
        StudioFactory(unit=world.plant_a1, status="named", level="company", name=f"公司级工作室{n:03d}")
    counts = []
    for url in ("/showcase/", "/showcase/?page=2", "/showcase/?page=3", "/showcase/?page=999"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx))
    assert len(set(counts)) == 1, counts
