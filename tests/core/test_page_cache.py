"""Kept pages (core.page_cache): the dashboard is served whole while nothing it shows changes —
per user, address, language and unread count, never with another request's CSRF token, never
instead of messages waiting to be shown, never from figures served stale."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from core.page_cache import _placeholder
from core.services import notification_mark_read, notify, statistics_changed
from reports import dashboard_views

from ..bad_input import today

URL = "/dashboard/"


def drawn(response) -> bool:
    """Whether the view drew the page (a kept page is served without a template context)."""
    assert response.status_code == 200
    return response.context is not None


def token(response) -> str:
    return re.search(r'"X-CSRFToken": "([^"]+)"', response.content.decode()).group(1)


def test_kept_until_an_audited_write(world, client_as):
    client = client_as(world.hq)
    assert drawn(client.get(URL))
    kept = client.get(URL)
    assert not drawn(kept)
    assert _placeholder() not in kept.content.decode()
    statistics_changed()  # what every audited write does on commit
    assert drawn(client.get(URL))
    assert not drawn(client.get(URL))


def test_kept_per_user_address_and_language(world, client_as):
    hq = client_as(world.hq)
    assert drawn(hq.get(URL))
    viewer = client_as(world.viewer)
    page = viewer.get(URL)
    assert drawn(page)  # another user: never HQ's page
    assert world.viewer.display_name in page.content.decode()
    assert world.hq.display_name not in page.content.decode()
    assert drawn(hq.get(URL, {"year": 2024}))  # another address
    assert not drawn(hq.get(URL, {"year": 2024}))
    hq.post(reverse("set_language"), {"language": "en", "next": URL})
    english = hq.get(URL)
    assert drawn(english) and "Dashboard" in english.content.decode()
    assert not drawn(hq.get(URL))


def test_a_notification_redraws_the_bell(world, client_as):
    client = client_as(world.hq)
    client.get(URL)
    notify(recipients=[world.hq], title="新的申报")
    page = client.get(URL)
    assert drawn(page) and 'data-testid="unread-count">1<' in page.content.decode()
    kept = client.get(URL)
    assert not drawn(kept) and 'data-testid="unread-count">1<' in kept.content.decode()
    notification_mark_read(user=world.hq)
    page = client.get(URL)  # the page kept before the notification came is right again
    assert 'data-testid="unread-count"' not in page.content.decode()


def test_messages_waiting_are_shown_on_a_drawn_page(world, client_as):
    client = client_as(world.hq)
    client.get(URL)
    notify(recipients=[world.hq], title="新的申报")
    client.get(URL)
    client.post(reverse("core:notification_read_all"))  # says how many it marked, on the next page
    page = client.get(URL)
    assert drawn(page) and "已将 1 条通知标记为已读" in page.content.decode()


def test_a_kept_page_carries_a_token_that_the_client_may_post_with(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.hq)
    first = client.get(URL)
    kept = client.get(URL)
    assert drawn(first) and not drawn(kept)
    assert token(kept) != token(first)  # masked anew, not the one the page was drawn with
    refused = client.post(reverse("set_language"), {"language": "en", "next": URL})
    assert refused.status_code == 403
    accepted = client.post(reverse("set_language"), {"language": "en", "next": URL, "csrfmiddlewaretoken": token(kept)})
    assert accepted.status_code == 302


def test_a_page_drawn_anew_reuses_what_its_lookup_read(world, client_as, monkeypatch):
    """After a miss, the page is drawn at the statistics stamp and with the unread count the
    lookup's one round trip read (the dashboard's figures too): none is read from the cache again."""
    from core import context_processors, page_cache
    from reports import dashboard

    client = client_as(world.hq)
    assert drawn(client.get(URL))  # this process learns the page's scope; the count is cached
    statistics_changed()
    for module, name in (
        (page_cache, "statistics_stamp"),
        (page_cache, "statistics_generation"),
        (page_cache, "notification_unread_count"),
        (context_processors, "notification_unread_count"),
        (dashboard, "statistics_stamp"),
    ):
        monkeypatch.setattr(module, name, lambda *args, _name=name: pytest.fail(f"{_name} read again"))
    page = client.get(URL)
    assert drawn(page) and page.context["unread_notifications"] == 0
    assert not drawn(client.get(URL))  # kept with the stamp the lookup read


@pytest.mark.parametrize("stale", [True, False])
def test_figures_served_stale_are_never_kept(world, client_as, monkeypatch, stale):
    from dataclasses import replace

    real = dashboard_views.dashboard_entry
    monkeypatch.setattr(
        dashboard_views, "dashboard_entry", lambda year, unit, **kw: replace(real(year, unit, **kw), stale=stale)
    )
    client = client_as(world.hq)
    assert drawn(client.get(URL))
    assert drawn(client.get(URL)) is stale


@pytest.mark.parametrize("learned", [True, False], ids=["scope-known-here", "scope-read-from-the-kept-page"])
def test_a_write_in_the_pages_subtree_redraws_it(world, client_as, learned):
    """A kept dashboard is checked against its unit's subtree generation too, whether this process
    drew it (the scope remembered) or another did (the scope read from the kept page)."""
    from core import page_cache

    client = client_as(world.unit_cadre)  # branch A's dashboard
    assert drawn(client.get(URL))
    if not learned:
        page_cache._scopes.clear()
    assert not drawn(client.get(URL))
    statistics_changed([world.plant_b1.path])  # another branch: still kept
    assert not drawn(client.get(URL))
    if not learned:
        page_cache._scopes.clear()
    statistics_changed([world.plant_a1.path])  # inside branch A
    assert drawn(client.get(URL))
    assert not drawn(client.get(URL))


# ---------------------------------------------------------------------------------------------
# The main lists, kept whole too

KEPT_LISTS = [
    "studios:studio_list",
    "achievements:result_list",
    "achievements:project_list",
    "training:class_list",
    "mentoring:pairing_list",
    "talent:person_list",
    "alliances:alliance_list",
]
# Lists of what changes without an audited write: a report's progress (the worker), accounts
# (signing in, lockouts), the audit log itself (its events are the audit).
DRAWN_LISTS = ["reports:report_list", "accounts:user_list", "core:audit_list"]


# A cadre's rows of these are exactly those counted under its subtree: a write in another branch
# leaves them kept. The others (a class organised above the cadre, a project with a partner
# studio elsewhere) are checked against the whole tree.
KEPT_FOR_THE_CADRES_SUBTREE = {
    "studios:studio_list",
    "achievements:result_list",
    "talent:person_list",
    "alliances:alliance_list",
}


@pytest.mark.parametrize("name", KEPT_LISTS)
def test_a_list_is_kept_until_an_audited_write_it_may_show(world, client_as, name):
    client = client_as(world.unit_cadre)  # branch A's
    url = reverse(name)
    assert drawn(client.get(url))
    kept = client.get(url)
    assert not drawn(kept) and _placeholder() not in kept.content.decode()
    statistics_changed([world.plant_b1.path])  # another branch
    assert drawn(client.get(url)) is (name not in KEPT_FOR_THE_CADRES_SUBTREE)
    assert not drawn(client.get(url))
    statistics_changed([world.plant_a1.path])  # inside branch A
    assert drawn(client.get(url))
    assert not drawn(client.get(url))
    statistics_changed()
    assert drawn(client.get(url))
    assert drawn(client.get(url, {"page": 1}))  # another address
    assert not drawn(client.get(url, {"page": 1}))


@pytest.mark.parametrize("name", sorted(KEPT_FOR_THE_CADRES_SUBTREE))
def test_hq_s_lists_are_checked_against_the_whole_tree(world, client_as, name):
    client = client_as(world.hq)
    url = reverse(name)
    client.get(url)
    assert not drawn(client.get(url))
    statistics_changed([world.plant_b1.path])
    assert drawn(client.get(url))


@pytest.mark.parametrize("name", DRAWN_LISTS)
def test_lists_of_what_changes_unaudited_are_always_drawn(world, client_as, name):
    client = client_as(world.hq)
    url = reverse(name)
    assert drawn(client.get(url))
    assert drawn(client.get(url))


def test_a_hard_reload_draws_the_page_and_keeps_it(world, client_as):
    client = client_as(world.hq)
    url = reverse("studios:studio_list")
    client.get(url)
    assert drawn(client.get(url, HTTP_CACHE_CONTROL="no-cache"))
    assert drawn(client.get(url, HTTP_PRAGMA="no-cache"))
    assert not drawn(client.get(url))
    client.get(URL)
    assert not drawn(client.get(URL))
    assert drawn(client.get(URL, HTTP_CACHE_CONTROL="max-age=0, no-cache"))  # the dashboard too


def test_the_export_of_a_kept_list_is_the_workbook_and_never_kept(world, client_as):
    from django.core.cache import cache

    client = client_as(world.hq)
    world.studio(name="导出工作室")
    url = reverse("studios:studio_list")
    client.get(url)
    kept = set(cache._cache)  # the local-memory cache of the tests
    for _ in range(2):
        export = client.get(url, {"export": "xlsx"})
        assert export.status_code == 200
        assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not {key for key in set(cache._cache) - kept if ":page:" in key}
    assert not drawn(client.get(url))


def test_a_kept_page_is_stored_compressed(world, client_as):
    from django.core.cache import cache

    from core.page_cache import page_key

    client = client_as(world.hq)
    for _ in range(30):
        world.studio()
    url = reverse("studios:studio_list")
    page = client.get(url)
    request = page.wsgi_request
    request.user = world.hq
    key = page_key(request, "list:studios.views.StudioListView")
    kept = cache.get(key)
    assert kept is not None
    assert 0 < len(kept["content"]) < len(page.content) / 4


def test_a_studio_renamed_through_its_service_shows_on_the_kept_list(
    world, client_as, django_capture_on_commit_callbacks
):
    """The whole path: an audited write moves the generation on commit, the list is redrawn."""
    from studios import services

    studio = world.studio(name="旧名工作室")
    client = client_as(world.unit_cadre)
    url = reverse("studios:studio_list")
    assert "旧名工作室" in client.get(url).content.decode()
    assert not drawn(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        services.studio_update(actor=world.unit_cadre, studio=studio, name="新名工作室")
    page = client.get(url)
    assert drawn(page)
    assert "新名工作室" in page.content.decode() and "旧名工作室" not in page.content.decode()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_real_writes_redraw_the_lists_that_may_show_them(world, django_capture_on_commit_callbacks):
    """Through the services, committed: a studio renamed, or given a member (its team size), in
    branch B redraws HQ's list (every tree) and branch B's cadre's, and leaves branch A's cadre's
    kept; a global write (a new kind of studio) redraws all three."""
    from core import services as core_services
    from studios import services
    from studios.models import StudioKind
    from tests.factories import PersonFactory, StudioFactory

    studio_b = StudioFactory(unit=world.plant_b1, lead=PersonFactory(unit=world.plant_b1), name="乙厂旧名工作室")
    url = reverse("studios:studio_list")
    hq, cadre_a, cadre_b = signed_in(world.hq), signed_in(world.unit_cadre), signed_in(world.unit_cadre_other)
    for client in (hq, cadre_a, cadre_b):
        assert drawn(client.get(url))
        assert not drawn(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        services.studio_update(actor=world.hq, studio=studio_b, name="乙厂新名工作室")
    assert not drawn(cadre_a.get(url))
    for client in (hq, cadre_b):
        page = client.get(url)
        assert drawn(page) and "乙厂新名工作室" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_add(
            actor=world.hq, studio=studio_b, person=PersonFactory(unit=world.plant_b1), role="member", joined_on=today()
        )
    assert not drawn(cadre_a.get(url))
    for client in (hq, cadre_b):
        page = client.get(url)
        assert drawn(page)
    with django_capture_on_commit_callbacks(execute=True):
        core_services.kind_create(actor=world.hq, model=StudioKind, name="新类型")  # a global write
    for client in (hq, cadre_a, cadre_b):
        assert drawn(client.get(url))


def test_each_user_gets_only_the_list_drawn_for_them(world):
    from tests.factories import PersonFactory, StudioFactory

    world.studio(name="甲厂自己的工作室")
    StudioFactory(unit=world.plant_b1, lead=PersonFactory(unit=world.plant_b1), name="乙厂别人的工作室")
    url = reverse("studios:studio_list")
    cadre_a, cadre_b, lead = (
        signed_in(world.unit_cadre),
        signed_in(world.unit_cadre_other),
        signed_in(world.studio_lead),
    )
    for _ in range(2):  # drawn, then kept
        a, b, own = (client.get(url).content.decode() for client in (cadre_a, cadre_b, lead))
        assert "甲厂自己的工作室" in a and "乙厂别人的工作室" not in a
        assert "乙厂别人的工作室" in b and "甲厂自己的工作室" not in b
        assert "甲厂自己的工作室" in own and "乙厂别人的工作室" not in own
        assert world.unit_cadre.display_name in a and world.unit_cadre_other.display_name in b


def test_messages_waiting_are_shown_on_a_drawn_list(world, client_as):
    client = client_as(world.hq)
    url = reverse("studios:studio_list")
    client.get(url)
    assert not drawn(client.get(url))
    notify(recipients=[world.hq], title="新的申报")
    client.get(url)
    client.post(reverse("core:notification_read_all"))
    page = client.get(url)
    assert drawn(page) and "已将 1 条通知标记为已读" in page.content.decode()


def test_a_release_with_other_static_files_keys_its_pages_anew(tmp_path, monkeypatch):
    """Production names each static file by its content's hash (the manifest): a page kept before
    a release that changed them would link files that are gone."""
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage

    from core.page_cache import release

    monkeypatch.setattr(settings, "STATIC_ROOT", tmp_path)  # no setting_changed: the same storage
    monkeypatch.setattr(staticfiles_storage, "manifest_name", "staticfiles.json", raising=False)
    manifest = tmp_path / "staticfiles.json"
    seen = []
    for content in ('{"paths": {"portal.css": "portal.1a2b.css"}}', '{"paths": {"portal.css": "portal.3c4d.css"}}'):
        manifest.write_text(content)
        release.cache_clear()
        seen.append(release())
    manifest.unlink()
    release.cache_clear()
    try:
        assert seen[0] != seen[1] and all(re.fullmatch(r"[0-9a-f]{12}", value) for value in seen)
        assert release() == "-"  # no manifest (development, tests): one release
    finally:
        release.cache_clear()


def test_migrate_makes_every_kept_page_stale(world, client_as):
    from django.core.management import call_command

    client = client_as(world.hq)
    client.get(URL)
    assert not drawn(client.get(URL))
    call_command("migrate", verbosity=0)  # nothing to apply: a release's migrate all the same
    assert drawn(client.get(URL))
