"""The tallies (reports.tallies): counted from scratch they give the dashboard exactly the figures
computed from the data; every audited write counts its unit again (on commit, or, if that did not
run, at the next reading) to the same rows a count from scratch gives; a write whose unit is not
known marks everything; a reader never reads a tally that may be behind."""

import datetime
import io
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from achievements.models import Result
from core.services import audit_log
from reports import tallies
from reports.dashboard import INDICATOR_CODES, compute_all, dashboard_data, top_studios_by_benefit, trends
from reports.indicators import Units
from reports.models import Tally, TallyBook, TallyMark
from studios.models import Studio

from .fixtures import YEAR, build_year

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tallies_on(settings):
    settings.DASHBOARD_TALLIES = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def year_data(world):
    made = build_year(world)
    tallies.rebuild(datetime.date(YEAR, 6, 1))
    return made


@pytest.fixture(autouse=True)
def _window_of_the_fixture_year(monkeypatch):
    """The window as of the fixture's year (WINDOW_BACK years back, one year on)."""
    monkeypatch.setattr(tallies, "window", lambda today=None: (YEAR - tallies.WINDOW_BACK, YEAR + 1))


def computed(year, unit):
    indicators = compute_all(year, unit, codes=INDICATOR_CODES)
    return (
        {code: result.as_dict() for code, result in indicators.items()},
        trends(year, unit),
        top_studios_by_benefit(year, unit),
    )


def tallied(year, unit):
    figures = tallies.dashboard_figures(year, unit, year - 9)
    assert figures is not None, "the tallies could not be read"
    indicators, trend, top, _unit_ids = figures
    return {code: result.as_dict() for code, result in indicators.items()}, trend, top


def rows():
    return set(Tally.objects.values_list("unit_id", "own", "figure", "year", "key", "items", "amount"))


def rows_counted_from_scratch():
    kept = rows()
    tallies.rebuild(datetime.date(YEAR, 6, 1))
    fresh = rows()
    return kept, fresh


@pytest.mark.parametrize("scope", ["root", "branch_a", "branch_b", "plant_a1", "plant_b1"])
@pytest.mark.parametrize("year", [YEAR, YEAR + 1, YEAR - 4])
def test_tallied_figures_are_the_computed_ones(world, year_data, scope, year):
    unit = getattr(world, scope)
    assert tallied(year, unit) == computed(year, unit)


def test_the_dashboard_reads_the_tallies_in_a_few_queries_whatever_the_data(world):
    def queries():
        tallies.rebuild(datetime.date(YEAR, 6, 1))
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            dashboard_data(YEAR, world.root)
        return len(captured.captured_queries)

    dashboard_data(YEAR, world.root)  # warms Django's content-type cache (the review pipeline)
    build_year(world)
    small = queries()
    build_year(world, copies=3)
    large = queries()
    # The book with the marks; the tallies with the kinds, the benefit one level down (with the
    # units' ids) and the top studios with their names; the review pipeline.
    assert small == large == 3


def _audited(obj, **changes):
    """A write as every service makes it: the row changed and audited in one transaction."""
    with transaction.atomic():
        type(obj).objects.filter(pk=obj.pk).update(**changes)
        obj.refresh_from_db()
        audit_log(actor=None, obj=obj, action="update", changes={k: [None, str(v)] for k, v in changes.items()})


def test_each_write_counts_its_unit_again_on_commit(world, year_data, django_capture_on_commit_callbacks):
    result = Result.objects.filter(studio__unit=world.plant_a1, status="verified").first()
    studio = Studio.objects.filter(unit=world.plant_b1, status="named").first()
    with django_capture_on_commit_callbacks(execute=True):
        _audited(result, benefit=Decimal("123456.78"), benefit_year=YEAR, category="invention_patent")
    with django_capture_on_commit_callbacks(execute=True):
        _audited(studio, status="revoked", revoked_on=datetime.date(YEAR, 5, 1))
    assert not TallyMark.objects.exists()
    kept, fresh = rows_counted_from_scratch()
    assert kept == fresh
    for unit in (world.root, world.branch_a, world.plant_b1):
        assert tallied(YEAR, unit) == computed(YEAR, unit)


def test_many_writes_in_one_transaction_count_their_unit_once(world, year_data, django_capture_on_commit_callbacks):
    """An import writes hundreds of rows of a unit in one transaction: each marks the unit, and
    the first on-commit count sees them all; the others find the unit counted and skip it."""
    results = list(Result.objects.filter(studio__unit=world.plant_a1, status="verified")[:3])
    assert len(results) == 3
    with mock.patch.object(tallies, "count_own", wraps=tallies.count_own) as counting:
        with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
            for n, result in enumerate(results):
                _audited(result, benefit=Decimal(1000 + n), benefit_year=YEAR)
        assert len(callbacks) >= 3
        assert counting.call_count == 1
    assert not TallyMark.objects.exists()
    kept, fresh = rows_counted_from_scratch()
    assert kept == fresh


def test_a_reader_counts_again_the_marked_units_of_its_subtree(world, year_data):
    """The on-commit count did not run (a process that died after commit): the marks are in the
    database with the data, and the next reader of the subtree counts those units first."""
    result = Result.objects.filter(studio__unit=world.plant_a1, status="verified").first()
    _audited(result, status="returned")  # no on-commit callbacks in this test's transaction
    assert set(TallyMark.objects.values_list("unit_id", flat=True)) == {world.plant_a1.pk}
    assert tallied(YEAR, world.branch_b) == computed(YEAR, world.branch_b)
    assert TallyMark.objects.exists()  # another subtree's reader leaves A1 marked
    assert tallied(YEAR, world.root) == computed(YEAR, world.root)
    assert not TallyMark.objects.exists()
    kept, fresh = rows_counted_from_scratch()
    assert kept == fresh


def test_a_studio_moved_to_another_unit_marks_everything(world, year_data):
    studio = Studio.objects.filter(unit=world.plant_a1, status="named").first()
    with transaction.atomic():
        Studio.objects.filter(pk=studio.pk).update(unit=world.plant_b1)
        audit_log(actor=None, obj=studio, action="update", changes={"unit": ["甲一厂", "乙一厂"]})
    assert TallyMark.objects.filter(unit=None).exists()
    # Tasks run in-process here: the reader counts everything again, then reads.
    assert tallied(YEAR, world.branch_b) == computed(YEAR, world.branch_b)
    assert tallied(YEAR, world.branch_a) == computed(YEAR, world.branch_a)
    assert not TallyMark.objects.exists()


def test_with_a_worker_a_reader_computes_from_the_data_while_a_rebuild_is_asked(world, year_data, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    tallies.mark_all()
    with mock.patch("reports.tasks.tallies_rebuild_task.delay") as delay:
        assert tallies.dashboard_figures(YEAR, world.root, YEAR - 9) is None
        assert tallies.dashboard_figures(YEAR, world.root, YEAR - 9) is None
    delay.assert_called_once_with()  # one task, whoever reads meanwhile
    assert tallies.rebuild_task_body() is True
    assert tallies.rebuild_task_body() is False  # nothing left to do
    assert tallied(YEAR, world.root) == computed(YEAR, world.root)


def test_too_many_units_marked_are_left_to_a_worker(world, year_data, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkey_limit = 1
    result_a = Result.objects.filter(studio__unit=world.plant_a1, status="verified").first()
    result_b = Result.objects.filter(studio__unit=world.plant_b1, status="verified").first()
    _audited(result_a, status="returned")
    _audited(result_b, status="returned")
    with (
        mock.patch.object(tallies, "READ_REFRESH_LIMIT", monkey_limit),
        mock.patch("reports.tasks.tallies_sweep_task.delay") as delay,
    ):
        assert tallies.dashboard_figures(YEAR, world.root, YEAR - 9) is None
        delay.assert_called_once_with()
        # A reader of one marked unit's subtree counts it itself.
        assert tallies.dashboard_figures(YEAR, world.branch_a, YEAR - 9) is not None
    assert tallies.sweep_task_body() == 1
    assert not TallyMark.objects.exists()
    assert tallied(YEAR, world.root) == computed(YEAR, world.root)


def test_years_outside_the_window_are_computed_from_the_data(world, year_data):
    first, _last = tallies.window()
    assert tallies.dashboard_figures(first + 5, world.root, first - 4) is None
    assert dashboard_data(first + 5, world.root)["year"] == first + 5


def test_the_window_moving_counts_everything_again(world, year_data, monkeypatch):
    monkeypatch.setattr(tallies, "window", lambda today=None: (YEAR + 1 - tallies.WINDOW_BACK, YEAR + 2))
    assert tallied(YEAR + 1, world.root) == computed(YEAR + 1, world.root)
    assert (TallyBook.objects.get().first_year, TallyBook.objects.get().last_year) == tallies.window()


def test_writes_to_rows_no_tally_counts_mark_nothing(world, year_data):
    person = world.lead_person
    with transaction.atomic():
        audit_log(actor=None, obj=person, action="update", changes={"name": ["a", "b"]})
    assert not TallyMark.objects.exists()


def test_sources_name_every_table_the_counts_read():
    """SOURCES (whose unscoped writes mark everything) covers every table the counting reads."""
    read = set()
    for queryset, _figures in tallies._counts(Units(None), YEAR - 1, YEAR):
        sql, _params = queryset.query.get_compiler(connection=connection).as_sql()
        read |= set(re.findall(r'(?:FROM|JOIN) "(\w+)"', sql))
    tables = {model._meta.db_table: model._meta.label for model in apps.get_models()}
    assert {tables[t] for t in read} <= tallies.SOURCES
    assert {"achievements.Result", "studios.Studio", "training.Attendance", "mentoring.Pairing"} <= {
        tables[t] for t in read
    }


def test_count_tallies_counts_from_scratch(world, year_data):
    from django.core.management import call_command

    Tally.objects.all().delete()
    tallies.mark_all()
    out = io.StringIO()
    call_command("count_tallies", stdout=out)
    assert not TallyMark.objects.exists()
    assert tallied(YEAR, world.root) == computed(YEAR, world.root)
    assert str(YEAR - tallies.WINDOW_BACK) in out.getvalue()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's statistics are PostgreSQL's")
def test_counting_from_scratch_refreshes_the_planners_statistics(world, year_data):
    """After a rebuild the planner must know the table is full (a top-ten read sorted every
    studio's row with the statistics of the empty table)."""
    with CaptureQueriesContext(connection) as captured:
        tallies.rebuild(datetime.date(YEAR, 6, 1))
    statements = [q["sql"] for q in captured.captured_queries]
    assert statements.index(f'ANALYZE "{Tally._meta.db_table}"') > max(
        i for i, sql in enumerate(statements) if sql.startswith('INSERT INTO "reports_tally"')
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Tally._meta.db_table])
        assert cursor.fetchone()[0] == Tally.objects.count()
