"""A "waits for you" notification is settled when anyone takes the step it asks for: marked read for
everyone who got it (every cadre above the studio), so that the bell counts only what still waits.
Notifications that only tell (a result was verified) stay unread until read."""

import pytest

from achievements import services as achievements
from core.models import Notification
from core.selectors import notification_unread_count
from core.services import notify, task_key
from studios import services as studios

from ..achievements.test_result_correction import verified  # noqa: F401 (fixture)
from ..studios.test_lifecycle import eligible  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _waiting(user, obj):
    return Notification.objects.filter(recipient=user, task=task_key(obj), read_at__isnull=True)


def test_an_application_review_is_settled_for_every_reviewer_once_one_acts(world, eligible):  # noqa: F811
    other_cadre = type(world.unit_cadre).objects.create(
        username="second_cadre", role=world.unit_cadre.role, unit=world.unit_cadre.unit
    )
    studio = studios.studio_submit(actor=world.studio_lead, studio=eligible)
    assert _waiting(world.unit_cadre, studio).count() == 1 and _waiting(other_cadre, studio).count() == 1
    assert notification_unread_count(other_cadre) == 1  # kept in the cache from here on

    studios.studio_recommend(actor=world.unit_cadre, studio=studio, comment="同意")
    assert not _waiting(world.unit_cadre, studio).exists() and not _waiting(other_cadre, studio).exists()
    assert notification_unread_count(other_cadre) == 0, "the kept count is dropped with the settling"
    hq_waits = _waiting(world.hq, studio)
    assert hq_waits.count() == 1, "HQ is now the one asked"

    studios.studio_return(actor=world.hq, studio=studio, reason="请补充场地照片")
    assert not _waiting(world.hq, studio).exists()
    told = Notification.objects.filter(recipient=world.studio_lead, read_at__isnull=True)
    assert told.filter(title__contains="退回").exists(), "the lead's news stays unread"


def test_a_result_verified_settles_the_request_and_leaves_the_news(world, verified):  # noqa: F811
    asked = Notification.objects.filter(recipient=world.unit_cadre, task=task_key(verified))
    assert asked.count() == 1 and asked.get().read_at is not None, "verified: nothing waits any more"
    assert Notification.objects.filter(recipient=world.studio_lead, task="", read_at__isnull=True).exists()


def test_a_typical_case_decided_settles_hqs_request(world, verified):  # noqa: F811
    achievements.result_case_propose(actor=world.studio_lead, result=verified, story="降低返修率")
    assert _waiting(world.hq, verified).count() == 1
    achievements.result_case_approve(actor=world.hq, result=verified)
    assert not _waiting(world.hq, verified).exists()


def test_a_notification_that_asks_nothing_is_not_settled(world, verified):  # noqa: F811
    notify(recipients=[world.unit_cadre], title="通知", url="/")
    achievements.result_return(actor=world.unit_cadre, result=verified, reason="x")
    assert Notification.objects.filter(recipient=world.unit_cadre, title="通知", read_at__isnull=True).exists()
