"""Shared fixtures: a small organisation with one user per role, and helpers to act as them."""

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from accounts.choices import Role, UnitKind
from accounts.models import Unit, User

from .factories import UnitFactory, UserFactory

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# Hypothesis: "ci" (the default) runs 200 examples where a test does not set its own number (the
# form fuzzing of tests/bad_input.py), derandomized so that a failure in CI reproduces exactly on
# a rerun, and prints the failing example's blob; HYPOTHESIS_PROFILE=dev runs 20 random ones for a
# quick local loop.
hypothesis_settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=True,
    print_blob=True,
)
hypothesis_settings.register_profile(
    "dev", parent=hypothesis_settings.get_profile("ci"), max_examples=20, derandomize=False
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def require_services() -> bool:
    return settings.REQUIRE_SERVICES or os.environ.get("REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str):
    """Skip when a service is missing on a developer machine; fail in CI (REQUIRE_SERVICES=1)."""
    if require_services():
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@dataclass
class World:
    """HQ with two branches. Branch A holds plant A1; branch B holds plant B1.

    hq (HQ cadre) and viewer sit at HQ; unit_cadre runs branch A, unit_cadre_other branch B;
    studio_lead works in A1; expert in B1. target_lead is another studio lead in A1 whose
    account the branch-A cadre may manage.
    """

    root: Unit
    branch_a: Unit
    branch_b: Unit
    plant_a1: Unit
    plant_b1: Unit
    hq: User
    viewer: User
    unit_cadre: User
    unit_cadre_other: User
    studio_lead: User
    expert: User
    target_lead: User
    other_lead: User
    lead_person: object
    other_studio: object

    def studio(self, status="draft", **fields):
        """A studio in plant A1 led by `studio_lead`'s person, in the given state."""
        from .factories import StudioFactory

        return StudioFactory(unit=self.plant_a1, lead=self.lead_person, status=status, **fields)

    def user(self, role_key: str):
        return None if role_key == "anonymous" else getattr(self, role_key)


@pytest.fixture
def world(db) -> World:
    from achievements.models import ProjectKind
    from studios.models import EligibilityRules, StudioKind

    # Rows made by data migrations do not survive the flush after a transactional test.
    StudioKind.ensure_defaults()
    ProjectKind.ensure_defaults()
    EligibilityRules.current()  # else the first page to read the rules writes their row
    root = UnitFactory(name="集团总部", code="HQ", kind=UnitKind.HQ)
    branch_a = UnitFactory(name="甲公司", code="A", kind=UnitKind.SUBSIDIARY, parent=root)
    branch_b = UnitFactory(name="乙公司", code="B", kind=UnitKind.SUBSIDIARY, parent=root)
    plant_a1 = UnitFactory(name="甲一厂", code="A1", parent=branch_a)
    plant_b1 = UnitFactory(name="乙一厂", code="B1", parent=branch_b)
    from .factories import PersonFactory, StudioFactory

    studio_lead = UserFactory(username="lead", role=Role.STUDIO_LEAD, unit=plant_a1)
    other_lead = UserFactory(username="lead_b", role=Role.STUDIO_LEAD, unit=plant_b1)
    lead_person = PersonFactory(name="甲牵头人", unit=plant_a1, user=studio_lead)
    other_person = PersonFactory(name="乙牵头人", unit=plant_b1, user=other_lead)
    other_studio = StudioFactory(name="乙厂工作室", unit=plant_b1, lead=other_person, status="named", level="company")
    return World(
        root=root,
        branch_a=branch_a,
        branch_b=branch_b,
        plant_a1=plant_a1,
        plant_b1=plant_b1,
        hq=UserFactory(username="hq", role=Role.HQ_CADRE, unit=root),
        viewer=UserFactory(username="viewer", role=Role.VIEWER, unit=root),
        unit_cadre=UserFactory(username="cadre_a", role=Role.UNIT_CADRE, unit=branch_a),
        unit_cadre_other=UserFactory(username="cadre_b", role=Role.UNIT_CADRE, unit=branch_b),
        studio_lead=studio_lead,
        expert=UserFactory(username="expert", role=Role.EXPERT, unit=plant_b1),
        target_lead=UserFactory(username="lead2", role=Role.STUDIO_LEAD, unit=plant_a1),
        other_lead=other_lead,
        lead_person=lead_person,
        other_studio=other_studio,
    )


@pytest.fixture
def client_as(client):
    """client_as(user) → the test client signed in as `user` (None: anonymous)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


def drawn_each_time(client):
    """`client` asking every page as a hard reload does (`Cache-Control: no-cache`): a kept page
    (core.page_cache) is never served, so a test sees the page's own queries and context."""
    client.defaults["HTTP_CACHE_CONTROL"] = "no-cache"
    return client


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the tests' is in-process): nothing kept by an earlier
    test — a count, a page, a session — under a key that a reused row number makes look current."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def english(settings):
    """Messages in English, in services and on pages (the default language is Chinese): for tests
    that read the wording of a message rather than its field or status."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
