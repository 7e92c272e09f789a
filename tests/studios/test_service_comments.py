"""Comments the services compose (a round opened for n studios, a batch naming n studios, an
account locked) are kept as sentences and read in each reader's language."""

import pytest
from django.utils import timezone, translation

from core.models import AuditEvent
from studios import services

pytestmark = pytest.mark.django_db


def test_a_rounds_opening_comment_follows_the_reader(world):
    from studios.models import Studio

    world.studio(status="named", level="company")
    n = Studio.objects.filter(status__in=("named", "rectifying")).count()
    with translation.override("zh-hans"):
        services.round_open(actor=world.hq, year=timezone.localdate().year - 1)
    event = AuditEvent.objects.get(action="round_open")
    assert event.comment == f"共 {n} 个工作室参加考核", "the stored copy, in the site's language"
    with translation.override("en"):
        assert event.shown_comment == f"{n} studios to assess"
    with translation.override("zh-hans"):
        assert event.shown_comment == f"共 {n} 个工作室参加考核"
