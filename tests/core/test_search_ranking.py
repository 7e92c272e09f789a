"""The header search ranks in parts (core.search.ranked): exact matches of the title, then prefixes,
then matches anywhere, each newest first (people: by name), ten per kind, in a number of queries
that does not grow with the rows — and exactly as the one query that ranked every match did."""

import datetime
import itertools
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from achievements.models import Result
from achievements.search import search_results
from core.search import MAX_PER_KIND, any_contains, rank_by, ranked, search
from studios.models import Studio
from studios.search import search_studios
from talent.models import Person

from ..factories import PersonFactory, StudioFactory

DAY = datetime.date(2025, 1, 1)


def make_result(studio, title, day, summary=""):
    return Result.objects.create(
        studio=studio,
        title=title,
        summary=summary,
        category="technical_innovation",
        achieved_on=DAY + datetime.timedelta(days=day),
        status="verified",
    )


def hits(function, user, query):
    return [(hit.title, hit.rank) for hit in function(user, query)]


def test_exact_then_prefix_then_anywhere_each_newest_first(world):
    studio = world.studio(status="named")
    make_result(studio, "新型焊接装置", 9)
    make_result(studio, "焊接", 2)
    make_result(studio, "焊接夹具", 1)
    make_result(studio, "一种夹具", 7, summary="用于焊接的夹具")
    make_result(studio, "焊接机器人", 8)
    make_result(studio, "焊接", 6)
    make_result(studio, "自动焊接机", 5)
    make_result(studio, "无关成果", 10)
    make_result(studio, "焊接", 6)  # the same day as another: the later row first
    found = search_results(world.hq, "焊接")
    assert [(hit.title, hit.rank) for hit in found] == [
        ("焊接", 3),
        ("焊接", 3),
        ("焊接", 3),
        ("焊接机器人", 2),
        ("焊接夹具", 2),
        ("新型焊接装置", 1),
        ("一种夹具", 1),
        ("自动焊接机", 1),
    ]
    urls = [hit.url for hit in found]
    assert len(set(urls)) == len(urls), "no row twice"
    exact = Result.objects.filter(title="焊接").order_by("-achieved_on", "-id")
    assert urls[:3] == [result.get_absolute_url() for result in exact]


def test_case_is_ignored_in_every_part(world):
    studio = world.studio(status="named")
    make_result(studio, "xAbCx", 3)
    make_result(studio, "abcd", 2)
    make_result(studio, "ABC", 1)
    assert hits(search_results, world.hq, "aBc") == [("ABC", 3), ("abcd", 2), ("xAbCx", 1)]


def test_ten_per_kind_and_no_later_part_once_ten_are_found(world, django_assert_num_queries):
    studio = world.studio(status="named")
    for day in range(3):
        make_result(studio, "焊接", day)
    for day in range(12):
        make_result(studio, f"焊接{day:02d}", day)
    make_result(studio, "新型焊接装置", 20)
    with django_assert_num_queries(3):  # exact (ids, rows) and prefix; the anywhere part is not asked
        found = hits(search_results, world.hq, "焊接")
    assert len(found) == MAX_PER_KIND
    assert found == [("焊接", 3)] * 3 + [(f"焊接{day:02d}", 2) for day in range(11, 4, -1)]


def test_a_studio_is_found_by_its_own_fields_and_its_leads_name_once(world):
    lead = PersonFactory(name="王焊工", unit=world.plant_a1)
    by_name = StudioFactory(name="一号焊工工作室", unit=world.plant_a1)
    by_lead = StudioFactory(name="二号工作室", unit=world.plant_a1, lead=lead)
    by_both = StudioFactory(name="三号焊工工作室", unit=world.plant_a1, lead=lead)
    by_specialty = StudioFactory(name="四号工作室", unit=world.plant_a1, specialty="焊工技能")
    StudioFactory(name="五号工作室", unit=world.plant_a1)
    order = [by_lead, by_specialty, by_both, by_name]  # newest first
    for days, studio in enumerate(order):
        Studio.objects.filter(pk=studio.pk).update(updated_at=f"2025-06-{20 - days:02d}T08:00:00Z")
    assert hits(search_studios, world.hq, "焊工") == [(studio.name, 1) for studio in order]
    assert hits(search_studios, world.unit_cadre_other, "焊工") == [], "plant A1 is out of branch B's scope"


def one_ranked_query(queryset, query, fields, order):
    """What the search did before it ranked in parts: rank every match, sort, take ten."""
    rows = queryset.filter(any_contains(fields, query)).annotate(rank=rank_by(fields[0], query))
    return [(row.pk, row.rank) for row in rows.order_by("-rank", *order)[:MAX_PER_KIND]]


def test_the_parts_give_what_one_ranked_query_gave(world):
    """Random people and results over a small alphabet, every query of one and two characters
    (and some of three), for HQ and for a scoped cadre: the same rows in the same order."""
    rng = random.Random(2026)
    alphabet = "王张明华a"
    studios = [world.studio(status="named"), StudioFactory(unit=world.plant_b1, status="named")]
    for n in range(70):
        name = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3)))
        unit = rng.choice([world.plant_a1, world.plant_b1])
        PersonFactory(name=name, unit=unit, post=rng.choice(["", "焊工", "明"]), employee_no=f"A{n:03d}")
        make_result(rng.choice(studios), name.upper() if n % 5 == 0 else name, rng.randint(0, 9), summary=name[::-1])
    queries = ["".join(chars) for size in (1, 2) for chars in itertools.product(alphabet, repeat=size)]
    queries += ["王张明", "明华a", "AA"]
    kinds = [
        (Person, ["name", "employee_no", "post"], ["name", "id"]),
        (Result, ["title", "summary", "patent_no"], ["-achieved_on", "-id"]),
    ]
    for user in (world.hq, world.unit_cadre):
        for model, fields, order in kinds:
            base = model.objects.visible_to(user)
            for query in queries:
                expected = one_ranked_query(base, query, fields, order)
                assert [(row.pk, rank) for row, rank in ranked(base, query, fields, order)] == expected, query


def test_queries_per_search_do_not_grow_with_rows(world):
    def count():
        with CaptureQueriesContext(connection) as queries:
            groups = search(world.hq, "焊")
        return len(queries), {provider.search.__name__: len(found) for provider, found, _more in groups}

    studio = world.studio(status="named")
    make_result(studio, "新型焊枪", 1)
    PersonFactory(name="李焊", unit=world.plant_a1)
    few = count()
    for day in range(30):
        make_result(studio, f"新型焊枪{day}", day)
        PersonFactory(name=f"李焊{day}", unit=world.plant_b1)
        StudioFactory(name=f"电焊工作室{day}", unit=world.plant_b1)
    many = count()
    # People, projects, results and classes: exact, prefix and anywhere; studios: the same and
    # their leads' names; campaigns and alliances: one each.
    assert few[0] == many[0] == 3 + 3 + 3 + 3 + 4 + 1 + 1
    assert many[1]["search_people"] == many[1]["search_results"] == many[1]["search_studios"] == MAX_PER_KIND


@pytest.mark.django_db
def test_the_parts_indexes_exist_on_postgresql():
    from ..conftest import skip_or_fail

    if connection.vendor != "postgresql":
        skip_or_fail("the search's indexes are PostgreSQL's (set DATABASE_URL); SQLite scans")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'search_%%'")
        indexes = dict(cursor.fetchall())
    kinds = [("studio", "name"), ("person", "name"), ("project", "title"), ("result", "title"), ("class", "title")]
    for kind, field in kinds:
        assert "text_pattern_ops" in indexes[f"search_{kind}_{field}_upper"]
    assert "INCLUDE (name, id, unit_id)" in indexes["search_person_name_upper"]
    searched = {
        "person": ["name", "employee_no", "post"],
        "studio": ["name", "specialty"],
        "project": ["title", "goals"],
        "result": ["title", "summary", "patent_no"],
        "class": ["title", "place"],
    }
    for kind, fields in searched.items():
        for field in fields:
            assert "gin_trgm_ops" in indexes[f"search_{kind}_{field}_trgm"]
            assert "string_to_array" in indexes[f"search_{kind}_{field}_chars"]
