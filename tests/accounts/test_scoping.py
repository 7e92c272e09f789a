"""Scope follows the organisation tree: a unit cadre reaches its unit's whole subtree, nothing else."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.choices import Role
from accounts.models import Unit, User
from core.permissions import can

from ..factories import UnitFactory, UserFactory


def names(queryset):
    return sorted(unit.code for unit in queryset)


def test_hq_and_viewer_see_the_whole_tree(world):
    for user in (world.hq, world.viewer):
        assert names(Unit.objects.visible_to(user)) == ["A", "A1", "B", "B1", "HQ"]


def test_unit_cadre_sees_its_subtree_at_any_depth(world):
    workshop = UnitFactory(code="A1W", parent=world.plant_a1)
    deeper = UnitFactory(code="A1W1", parent=workshop)
    visible = names(Unit.objects.visible_to(world.unit_cadre))
    assert visible == ["A", "A1", "A1W", "A1W1"]
    assert deeper.code in visible
    assert names(Unit.objects.visible_to(world.unit_cadre_other)) == ["B", "B1"]


def test_lead_and_expert_see_only_their_own_unit(world):
    assert names(Unit.objects.visible_to(world.studio_lead)) == ["A1"]
    assert names(Unit.objects.visible_to(world.expert)) == ["B1"]


def test_anonymous_and_inactive_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Unit.objects.visible_to(AnonymousUser()).exists()
    world.hq.is_active = False
    assert not Unit.objects.visible_to(world.hq).exists()


def test_subtree_is_one_prefix_query(world):
    with CaptureQueriesContext(connection) as queries:
        list(Unit.objects.visible_to(world.unit_cadre))
        list(User.objects.visible_to(world.unit_cadre))
    assert len(queries) == 2
    assert all("LIKE" in query["sql"].upper() for query in queries.captured_queries)


def test_users_in_scope(world):
    codes = sorted(u.username for u in User.objects.visible_to(world.unit_cadre))
    assert codes == ["cadre_a", "lead", "lead2"]
    assert [u.username for u in User.objects.visible_to(world.studio_lead)] == ["lead"]


@pytest.mark.parametrize(
    ("actor", "role", "unit", "allowed"),
    [
        ("hq", Role.HQ_CADRE, "plant_b1", True),
        ("unit_cadre", Role.STUDIO_LEAD, "plant_a1", True),
        ("unit_cadre", Role.STUDIO_LEAD, "branch_a", True),
        ("unit_cadre", Role.STUDIO_LEAD, "plant_b1", False),
        ("unit_cadre", Role.UNIT_CADRE, "plant_a1", False),
        ("unit_cadre", Role.HQ_CADRE, "plant_a1", False),
        ("studio_lead", Role.STUDIO_LEAD, "plant_a1", False),
        ("viewer", Role.STUDIO_LEAD, "plant_a1", False),
    ],
)
def test_who_may_manage_which_account(world, actor, role, unit, allowed):
    target = UserFactory(role=role, unit=getattr(world, unit))
    assert can(getattr(world, actor), "change", target) is allowed


def test_nobody_deactivates_themselves(world):
    assert not can(world.hq, "deactivate", world.hq)
    assert can(world.hq, "view", world.hq)


def test_a_model_without_policy_is_refused(world):
    from django.contrib.sessions.models import Session
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        can(world.hq, "view", Session)
