"""Whole signed-in pages kept in the cache, for the pages that are expensive to draw and opened
again and again unchanged: the dashboard (HQ and the unit cadres open it many times a day) and the
main lists (studios, results, projects, classes, pairings, people, alliances), which a cadre pages
through and comes back to.

A page is kept per user, address (path and query), language and day, and is served only while
the number of the user's unread notifications (the badge in the header) and the statistics
generations (core.services) are the ones it was drawn at: the global one — moved on commit by
every audited write not scoped to a subtree: a unit, a user's role or unit, a kind — and, for a
page showing one subtree's figures (the view's `kept_page_scope`), that subtree's, moved by every
audited write to a result, studio, training class or pairing inside it. A kept page thus never
outlives a change to anything it shows, the menu and the unit pickers included. What differs
between two requests of the same user is put back on the way out: the CSRF token (the
page is kept with a placeholder), and a page is neither served nor kept while the user has
messages waiting to be shown. Only a 200 drawn from current data is kept: a view drawing figures
served stale (a worker recomputing them) sets `keep_page = False`. A request asking not to be
served from a cache (`Cache-Control: no-cache` or `Pragma: no-cache`: the browser's hard reload)
draws the page anew, and keeps that. Pages are kept compressed (a 50-row list is ≈ 10 KB instead
of ≈ 100 KB of Redis memory).
"""

from __future__ import annotations

import functools
import hashlib
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from .selectors import notification_unread_count, unread_count_key
from .services import STATISTICS_GENERATION_KEY, statistics_generation, statistics_stamp, subtree_generation_key

CACHE_VERSION = 4  # moved when what a kept page draws changes (4: kept compressed)
TIMEOUT = 6 * 3600
# Page key → the unit path of the figures its page shows, as learned by this process when it drew
# or served the page: lets one round trip to the cache fetch the page and both generations.
_scopes: dict[str, str] = {}
SCOPES_KEPT = 10_000


def _remember(key: str, scope: str | None) -> None:
    if scope is None:
        return
    if len(_scopes) >= SCOPES_KEPT:
        _scopes.clear()
    _scopes[key] = scope


def _placeholder() -> str:
    """Stands in for the CSRF token in a kept page: derived from the secret key, so no one can
    write it into the data a page shows."""
    digest = hashlib.sha256(f"page-cache-csrf:{settings.SECRET_KEY}".encode()).hexdigest()[:32]
    return f"csrf{digest}"


def reload_asked(request) -> bool:
    """Whether the request asks not to be answered from a cache (a hard reload in the browser)."""
    return "no-cache" in request.headers.get("Cache-Control", "") or "no-cache" in request.headers.get("Pragma", "")


@functools.cache
def release() -> str:
    """Tells the static files a page links to: production names each by its content's hash, listed
    in the manifest, so a page kept before a release that changed them is not served after it
    (the release's `migrate` also moves the global statistics generation: core.apps)."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    manifest = getattr(staticfiles_storage, "manifest_name", None)
    if not manifest or not settings.STATIC_ROOT:
        return "-"
    try:
        return hashlib.sha256((Path(settings.STATIC_ROOT) / manifest).read_bytes()).hexdigest()[:12]
    except OSError:
        return "-"


def page_key(request, name: str) -> str | None:
    """The key of `request`'s page, or None when the page must be drawn (messages waiting)."""
    user = request.user
    if len(get_messages(request)):
        return None
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    parts = (
        release(),
        name,
        user.pk,
        user.role,
        user.unit_id,
        get_language(),
        timezone.localdate().isoformat(),
        address,
    )
    return f"page:v{CACHE_VERSION}:" + ":".join(str(part) for part in parts)


@dataclass
class Reads:
    """What looking a page up read from the cache (a value None: not there), for the page drawn
    after a miss: its stamp and unread count need no second round trip."""

    generation: int | None = None
    subtrees: dict[str, int | None] = field(default_factory=dict)
    unread: int | None = None

    def stamp(self, scope: str | None) -> list[int]:
        """The statistics generations a page of `scope` is drawn at: global, then the scope's
        subtree's (read again only where the lookup did not read them)."""
        if scope is None:
            return [self.generation if self.generation is not None else statistics_generation()]
        subtree = self.subtrees.get(scope)
        if self.generation is None or subtree is None:
            return list(statistics_stamp(scope))
        return [self.generation, subtree]

    def unread_count(self, user) -> int:
        if self.unread is None:  # not in the cache: counted once, for the lookup and the drawing
            self.unread = notification_unread_count(user)
        return self.unread


def _int(value) -> int | None:
    return None if value is None else int(value)


def lookup(request, key: str | None) -> tuple[HttpResponse | None, Reads]:
    """The kept page for `key` when it was drawn at the current statistics generations with the
    user's current number of unread notifications (one round trip to the cache for the four, once
    this process knows the page's scope), and what was read on the way."""
    reads = Reads()
    if key is None or reload_asked(request):
        return None, reads
    unread_key = unread_count_key(request.user.pk)
    known = _scopes.get(key)
    keys = [STATISTICS_GENERATION_KEY, key, unread_key]
    if known is not None:
        keys.append(subtree_generation_key(known))
    found = cache.get_many(keys)
    reads.generation, reads.unread = _int(found.get(STATISTICS_GENERATION_KEY)), _int(found.get(unread_key))
    if known is not None:
        reads.subtrees[known] = _int(found.get(subtree_generation_key(known)))
    kept = found.get(key)
    if kept is None:
        return None, reads
    scope = kept["scope"]
    stamp = [reads.generation]
    if scope is not None:
        if scope != known:  # drawn by another process, or for another scope since
            _remember(key, scope)
            reads.subtrees[scope] = _int(cache.get(subtree_generation_key(scope)))
        stamp.append(reads.subtrees[scope])
    if None in stamp or kept["stamp"] != stamp:
        return None, reads
    if reads.unread_count(request.user) != kept["unread"]:
        return None, reads
    content = zlib.decompress(kept["content"]).decode()
    page = HttpResponse(content.replace(_placeholder(), get_token(request)), content_type=kept["content_type"])
    return page, reads


def finish(
    request,
    response,
    key: str | None,
    stamp: list[int],
    unread: int,
    scope: str | None = None,
    timeout: int = TIMEOUT,
) -> HttpResponse:
    """Keep the drawn page (when it may be) and give the user it with the real CSRF token. `stamp`:
    the statistics generations read before drawing (global, then the scope's subtree's)."""
    if hasattr(response, "render"):
        response.render()
    content = response.content.decode(response.charset)
    placeholder = _placeholder()
    if key is not None and response.status_code == 200:
        cache.set(
            key,
            {
                "stamp": stamp,
                "scope": scope,
                "unread": unread,
                "content": zlib.compress(content.encode(), 1),
                "content_type": response["Content-Type"],
            },
            timeout,
        )
        _remember(key, scope)
    response.content = content.replace(placeholder, get_token(request))
    return response


class KeptPageMixin:
    """For a view's GET: serve the kept page, else draw it (with the CSRF placeholder) and keep it.
    The view sets `keep_page = False` while drawing when what it drew must not be kept."""

    kept_page_name = ""
    keep_page = True
    kept_page_timeout = TIMEOUT
    kept_page_stamp: list[int] | None = None  # the statistics stamp the page is drawn at (set by get)

    def kept_page_scope(self) -> str | None:
        """The unit path of the subtree whose figures the page shows (its statistics generation is
        checked too), or None for a page drawn only from what global writes change."""
        return None

    def get(self, request, *args, **kwargs):
        if not self.keep_page:
            return super().get(request, *args, **kwargs)
        key = page_key(request, self.kept_page_name)
        kept, reads = lookup(request, key)
        if kept is not None:
            return kept
        # Read before drawing (by the lookup, or now): a write or a notification that comes
        # meanwhile leaves the kept page stale, never newer than it is. The view draws with the
        # same stamp (`kept_page_stamp`) and the header's badge with the same count.
        scope = self.kept_page_scope()
        self.kept_page_stamp = stamp = reads.stamp(scope)
        request.unread_notifications = unread = reads.unread_count(request.user)
        response = super().get(request, *args, **kwargs)
        return finish(request, response, key if self.keep_page else None, stamp, unread, scope, self.kept_page_timeout)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.keep_page:
            context["csrf_token"] = _placeholder()
        return context
