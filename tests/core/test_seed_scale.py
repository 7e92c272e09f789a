"""`manage.py seed_scale`: a tiny tier loads (SQLite and PostgreSQL) with a consistent unit tree,
consistent references and every indicator non-zero for last year at the root; the tier's ratios
and level mix (dry run of the whole tier S); refusal without --reset; determinism; bounded memory."""

import datetime
import tracemalloc
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from accounts.models import Unit, User
from core.scale.generate import PASSWORD, ROOT_CODE, TIERS, Loader, scale_models
from core.scale.writer import Sink


def seed(**options):
    out = StringIO()
    call_command("seed_scale", stdout=out, **{"tier": "S", "scale": 0.05, "seed": 7, **options})
    return out.getvalue()


@pytest.fixture
def tiny(db):
    return seed()


def test_a_tiny_tier_loads_every_model_with_a_consistent_tree(tiny):
    root = Unit.objects.get(code=ROOT_CODE)
    assert root.name == "中华全国总工会" and root.depth == 1
    assert Unit.objects.find_problems(root) == ([], [], [], [], [])
    assert Unit.objects.filter(depth=2, name="湖北省总工会").exists()
    leaves = Unit.objects.filter(path__startswith=root.path, numchild=0)
    assert set(leaves.values_list("depth", flat=True)) == {5}
    from studios.models import Studio

    assert set(Studio.objects.values_list("unit__depth", flat=True)) == {5}  # studios in the leaves
    for name, model in scale_models().items():
        assert model.objects.exists(), name
    assert "References checked" in tiny or connection.vendor != "postgresql"
    # No audit events: seed data is not user action.
    from core.models import AuditEvent

    assert not AuditEvent.objects.exists()


def test_every_indicator_has_a_figure_for_last_year_at_the_root(tiny):
    from reports.indicators import INDICATORS, compute_all

    last_year = timezone.localdate().year - 1  # when the test runs: a full run may cross midnight
    results = compute_all(last_year, Unit.objects.get(code=ROOT_CODE))
    assert set(results) == set(INDICATORS)
    empty = [code for code, result in results.items() if not result.value]
    assert empty == []


def test_mirrored_fields_agree_with_their_history(tiny):
    """A person's grade is the newest grade change, a studio's level its newest level record, and
    the states carry the dates they need."""
    from django.db.models import OuterRef, Subquery

    from mentoring.models import Pairing
    from studios.models import LevelRecord, Studio
    from talent.models import Person, SkillGradeChange

    newest_grade = SkillGradeChange.objects.filter(person=OuterRef("pk")).order_by("-changed_on", "-pk")
    people = Person.objects.annotate(newest=Subquery(newest_grade.values("grade")[:1]))
    assert not people.exclude(skill_grade=models_f("newest")).exists()
    newest_level = LevelRecord.objects.filter(studio=OuterRef("pk")).order_by("-awarded_on", "-pk")
    levelled = Studio.objects.filter(status__in=["named", "rectifying", "revoked"])
    assert (
        not levelled.annotate(newest=Subquery(newest_level.values("level")[:1]))
        .exclude(level=models_f("newest"))
        .exists()
    )
    assert not levelled.filter(named_on__isnull=True).exists()
    assert not Studio.objects.filter(status="revoked", revoked_on__isnull=True).exists()
    assert not Studio.objects.filter(status="rectifying", rectification_deadline__isnull=True).exists()
    assert not Studio.objects.exclude(status__in=["named", "rectifying", "revoked"]).exclude(level="").exists()
    today = timezone.localdate()
    assert not Pairing.objects.filter(agreement_on__gt=today).exists()
    assert not Pairing.objects.filter(status="graduated", assessment__isnull=True).exists()


def models_f(name):
    from django.db.models import F

    return F(name)


def test_logins_per_province_share_one_known_password(tiny):
    users = User.objects.filter(username__startswith="scale_")
    assert set(users.values_list("username", flat=True)) == {
        "scale_hq",
        "scale_viewer",
        "scale_hb_cadre",
        "scale_hb_city_cadre",
        "scale_hb_company_cadre",
        "scale_hb_lead",
        "scale_hb_expert1",
        "scale_hb_expert2",
        "scale_hb_expert3",
    }
    hq = users.get(username="scale_hq")
    assert hq.role == "hq_cadre" and hq.unit.code == ROOT_CODE and hq.check_password(PASSWORD)
    lead = users.get(username="scale_hb_lead")
    assert lead.person.led_studios.exists()


def test_a_second_run_refuses_without_reset_and_reset_gives_the_same_data(tiny):
    from achievements.models import Result
    from studios.models import Studio

    before = sorted(Studio.objects.values_list("name", flat=True))
    titles = sorted(Result.objects.values_list("title", flat=True))
    with pytest.raises(CommandError, match="--reset"):
        seed()
    out = seed(reset=True)
    assert "Scale data deleted" in out
    assert sorted(Studio.objects.values_list("name", flat=True)) == before  # same seed, same data
    assert sorted(Result.objects.values_list("title", flat=True)) == titles
    assert Unit.objects.filter(code=ROOT_CODE).count() == 1


def test_reset_leaves_other_data_alone(world):
    from core.scale.reset import reset
    from studios.models import Studio

    own = Studio.objects.count()
    seed()
    assert Studio.objects.count() > own
    assert Unit.objects.find_problems() == ([], [], [], [], [])  # a second root beside the company's
    assert reset() == "delete"  # other units exist: the scale rows go one table after another
    assert Studio.objects.count() == own
    assert not Unit.objects.filter(code=ROOT_CODE).exists()
    assert Unit.objects.filter(pk=world.root.pk).exists()
    assert Unit.objects.find_problems() == ([], [], [], [], [])


def test_tier_n_needs_postgresql(db, monkeypatch):
    # On any other database the command refuses tier N before writing (run on PostgreSQL too: the
    # database is made to say it is SQLite, so the check is exercised, not skipped, in CI).
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("seed_scale", tier="N", stdout=StringIO())
    assert not Unit.objects.filter(code=ROOT_CODE).exists()


class CountingSink(Sink):
    """A dry-run sink that also counts studios by status and level."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.statuses = Counter()
        self.levels = Counter()

    def add(self, table, **row):
        if table.label == "studios.Studio":
            self.statuses[row["status"]] += 1
            if row["level"]:
                self.levels[row["level"]] += 1
        super().add(table, **row)


def dry_run(tier="S", scale=1.0, batch_size=2000, sink_class=Sink):
    sink = sink_class(connection, batch_size=batch_size, dry_run=True)
    loader = Loader(
        tier=TIERS[tier],
        scale=scale,
        seed=11,
        sink=sink,
        today=datetime.date(2026, 6, 30),
        password_hash="x",
    )
    loader.run()
    return sink, loader


def test_tier_s_has_the_issue_s_proportions(db):
    """Per studio, tier N's figures (2M results, 1.2M people, 1M pairings, 3M attendances, 4,000
    alliances for 120,000 studios) and the level mix (≈0.3% national, 17% provincial)."""
    sink, loader = dry_run(sink_class=CountingSink)
    rows = {label: stats.rows for label, stats in sink.stats.items()}
    studios = rows["studios.Studio"]
    assert studios == 500 == loader.studios_written

    def per_studio(label):
        return rows[label] / studios

    assert 8.5 <= per_studio("talent.Person") <= 11.5
    assert 13 <= per_studio("achievements.Result") <= 21
    assert 6.5 <= per_studio("mentoring.Pairing") <= 10.5
    assert 17 <= per_studio("training.Attendance") <= 35
    assert 12 <= rows["alliances.Alliance"] <= 22
    levelled = sum(sink.levels.values())
    assert 0.10 <= sink.levels["provincial"] / levelled <= 0.24
    assert sink.levels["national"] / levelled <= 0.02
    assert 0.65 <= sink.statuses["named"] / studios <= 0.85
    assert set(sink.statuses) >= {"named", "revoked", "rectifying", "draft", "submitted", "recommended", "rejected"}


def test_memory_is_bounded_by_the_batches_not_the_tier(db):
    """Five times the rows, far less than five times the memory: tracemalloc's peak of a run of
    half the tier S against one at a tenth of it."""
    peaks, counts = [], []
    for scale in (0.1, 0.5):
        tracemalloc.start()
        sink, _loader = dry_run(scale=scale, batch_size=200)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        counts.append(sink.rows)
    assert counts[1] > 4 * counts[0]
    assert peaks[1] < 2.2 * peaks[0], peaks  # the buffers fill up to their batch size, then stay there
