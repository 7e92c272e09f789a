"""A rectification past its deadline is flagged: a to-do for HQ and the cadres above (accept it or
revoke), a badge on the studio's page; the lead sees the rectification itself, not the alarm."""

import datetime

import pytest
from django.utils import timezone

from core.home import todos_for
from studios.models import Studio

pytestmark = pytest.mark.django_db


def _items(user):
    return {str(item.title): item.count for item in todos_for(user)}


def test_a_rectification_past_its_deadline_is_a_todo_and_a_badge(world, client_as):
    today = timezone.localdate()
    late = world.studio(status="rectifying", level="company")
    Studio.objects.filter(pk=late.pk).update(rectification_deadline=today - datetime.timedelta(days=1))
    on_time = world.studio(status="rectifying", level="company")
    Studio.objects.filter(pk=on_time.pk).update(rectification_deadline=today)
    for user in (world.hq, world.unit_cadre):
        items = _items(user)
        assert items["整改期限已过的工作室"] == 1 and items["限期整改中的工作室"] == 2, user
    assert "整改期限已过的工作室" not in _items(world.studio_lead)
    assert "整改期限已过的工作室" not in _items(world.unit_cadre_other)
    client = client_as(world.unit_cadre)
    assert "已过整改期限" in client.get(late.get_absolute_url()).content.decode()
    assert "已过整改期限" not in client.get(on_time.get_absolute_url()).content.decode()
