"""Notifications are read in the reader's language, whoever caused them and in whatever language:
the sentence is kept untranslated with its values (core.i18n) and a copy in the site's language
serves email, search and the admin."""

from django.urls import reverse
from django.utils import translation

from core.i18n import sentence
from core.models import Notification
from core.services import notify


def test_a_notification_is_shown_in_the_language_of_its_reader(world, client_as, settings):
    with translation.override("en"):  # the actor works in English
        notify(
            recipients=[world.studio_lead],
            title=sentence("A result was returned: %(reason)s", reason="缺少证明材料"),
            body="车桥焊接工装",
        )
    stored = Notification.objects.get(recipient=world.studio_lead)
    assert stored.title == "创新成果已退回：缺少证明材料" and stored.body == "车桥焊接工装"
    with translation.override("en"):
        assert stored.shown_title == "A result was returned: 缺少证明材料"
    with translation.override("zh-hans"):
        assert stored.shown_title == "创新成果已退回：缺少证明材料"
    client = client_as(world.studio_lead)
    assert "创新成果已退回：缺少证明材料" in client.get(reverse("core:notification_list")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # this reader chose English
    for url in (reverse("core:notification_list"), reverse("core:notification_menu"), reverse("home")):
        assert "A result was returned: 缺少证明材料" in client.get(url).content.decode(), url


def test_nested_sentences_and_unreadable_ones(world):
    from reports.models import AnnualReport

    report = AnnualReport(unit=world.root, year=2025)
    notify(recipients=[world.hq], title=sentence("Annual report ready: %(report)s", report=report.as_sentence()))
    stored = Notification.objects.get(recipient=world.hq)
    with translation.override("en"):
        assert stored.shown_title == f"Annual report ready: {world.root.name} 2025 annual report"
    with translation.override("zh-hans"):
        assert stored.shown_title == stored.title
    # A sentence whose message lost a value since (the code changed): the stored copy is shown.
    stored.message["title"][1] = {}
    with translation.override("en"):
        assert stored.shown_title == stored.title


def test_a_label_composed_from_data_follows_the_reader(world):
    """A naming batch's label inside a sentence is kept as its data and composed in the reader's
    language (core.i18n.Label, studios.models.batch_label)."""
    from core.i18n import Label

    label = Label("naming_batch", 2025, "company", "第一批")
    notify(recipients=[world.hq], title=sentence("A studio was named: %(batch)s", batch=label))
    stored = Notification.objects.get(recipient=world.hq)
    assert "2025年公司级第一批" in stored.title
    with translation.override("en"):
        assert stored.shown_title == "A studio was named: 2025 company-level batch 1"
    with translation.override("zh-hans"):
        assert stored.shown_title == stored.title
    # A label no longer known (the code changed): the stored copy is shown.
    stored.message["title"][1]["batch"]["label"] = "gone"
    with translation.override("en"):
        assert stored.shown_title == stored.title
