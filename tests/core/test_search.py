"""The header search finds only what the user may see, ranked, with Chinese substrings."""

import pytest
from django.db import connection
from django.urls import reverse

from ..conftest import skip_or_fail
from ..factories import PersonFactory, StudioFactory


def titles(client, query):
    response = client.get(reverse("core:search"), {"q": query})
    assert response.status_code == 200
    return {str(provider.label): [hit.title for hit in hits] for provider, hits, _more in response.context["groups"]}


def test_search_is_scoped_and_ranked(world, client_as):
    StudioFactory(name="焊接", unit=world.plant_a1, lead=world.lead_person)
    StudioFactory(name="焊接工艺创新工作室", unit=world.plant_a1, lead=world.lead_person)
    StudioFactory(name="车身焊接工作室", unit=world.plant_b1)
    PersonFactory(name="焊工李四", unit=world.plant_b1)
    found = titles(client_as(world.unit_cadre), "焊接")
    assert found["创新工作室"] == ["焊接", "焊接工艺创新工作室"], "exact, then prefix; branch B is out of scope"
    found = titles(client_as(world.hq), "焊接")
    assert found["创新工作室"][0] == "焊接" and "车身焊接工作室" in found["创新工作室"]
    assert "人员" not in titles(client_as(world.unit_cadre), "焊工")


def test_search_of_an_expert_finds_nothing_private(world, client_as):
    StudioFactory(name="机密工作室", unit=world.plant_b1)
    assert titles(client_as(world.expert), "机密") == {}


def test_empty_and_hostile_queries(world, client_as):
    client = client_as(world.hq)
    for query in ("", "   ", "%", "_", "' OR 1=1 --", "<script>alert(1)</script>", "😀" * 200):
        response = client.get(reverse("core:search"), {"q": query})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.django_db
def test_trigram_indexes_exist_on_postgresql():
    if connection.vendor != "postgresql":
        skip_or_fail("trigram indexes are a PostgreSQL feature (set DATABASE_URL); SQLite scans")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'search_%%_trgm'")
        names = {row[0] for row in cursor.fetchall()}
    assert names >= {  # and the other searched fields' (test_search_ranking)
        "search_studio_name_trgm",
        "search_person_name_trgm",
        "search_project_title_trgm",
        "search_result_title_trgm",
    }


def test_a_kind_with_more_matches_than_shown_links_to_its_list_filtered_by_the_query(world, client_as):
    """/search/?q=工作室 showed 10 of 12 studios with no hint: a kind that shows MAX_PER_KIND hits
    links to its list with the query (which has them all); a kind with fewer has no link."""
    from urllib.parse import urlencode

    from core.search import MAX_PER_KIND

    for n in range(MAX_PER_KIND + 2):
        StudioFactory(name=f"测试{n:02d}号工作室", unit=world.plant_a1, lead=world.lead_person)
    PersonFactory(name="工作室联络员", unit=world.plant_a1)
    client = client_as(world.hq)
    response = client.get(reverse("core:search"), {"q": "工作室"})
    groups = {str(provider.label): (hits, more) for provider, hits, more in response.context["groups"]}
    hits, more = groups["创新工作室"]
    assert len(hits) == MAX_PER_KIND
    assert more == f"{reverse('studios:studio_list')}?{urlencode({'q': '工作室'})}"
    page = response.content.decode()
    assert f'href="{more}"' in page and "创新工作室…" in page  # 更多创新工作室…
    listed = client.get(more)
    assert listed.status_code == 200 and listed.context["table"].page.paginator.count >= MAX_PER_KIND + 2
    assert groups["人员"][1] == ""  # one person: nothing more to show
    assert page.count('data-testid="search-more"') == 1
