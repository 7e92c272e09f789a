"""Whole signed-in pages kept in the cache, for the few pages that are expensive to draw and opened
again and again unchanged (the dashboard: HQ and the unit cadres open it many times a day).

A page is kept per user, address (path and query), language and day, and is served only while
the number of the user's unread notifications (the badge in the header) and the statistics
generation (core.services.statistics_generation) are the ones it was drawn at: every audited write
— a studio, a result, a unit, a user's role or unit — moves the generation on commit, so a kept
page never outlives a change to anything it shows, the menu and the unit pickers included. What
differs between two requests of the same user is put back on the way out: the CSRF token (the
page is kept with a placeholder), and a page is neither served nor kept while the user has
messages waiting to be shown. Only a 200 drawn from current data is kept: a view drawing figures
served stale (a worker recomputing them) sets `keep_page = False`.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from .selectors import notification_unread_count, unread_count_key
from .services import STATISTICS_GENERATION_KEY, statistics_generation

CACHE_VERSION = 1
TIMEOUT = 6 * 3600


def _placeholder() -> str:
    """Stands in for the CSRF token in a kept page: derived from the secret key, so no one can
    write it into the data a page shows."""
    digest = hashlib.sha256(f"page-cache-csrf:{settings.SECRET_KEY}".encode()).hexdigest()[:32]
    return f"csrf{digest}"


def page_key(request, name: str) -> str | None:
    """The key of `request`'s page, or None when the page must be drawn (messages waiting)."""
    user = request.user
    if len(get_messages(request)):
        return None
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    parts = (
        name,
        user.pk,
        user.role,
        user.unit_id,
        get_language(),
        timezone.localdate().isoformat(),
        address,
    )
    return f"page:v{CACHE_VERSION}:" + ":".join(str(part) for part in parts)


def lookup(request, key: str | None) -> HttpResponse | None:
    """The kept page for `key` when it was drawn at the current statistics generation with the
    user's current number of unread notifications (one round trip to the cache for the three)."""
    if key is None:
        return None
    unread_key = unread_count_key(request.user.pk)
    found = cache.get_many([STATISTICS_GENERATION_KEY, key, unread_key])
    kept, generation = found.get(key), found.get(STATISTICS_GENERATION_KEY)
    if kept is None or generation is None or kept["generation"] != int(generation):
        return None
    unread = found.get(unread_key)
    if (unread if unread is not None else notification_unread_count(request.user)) != kept["unread"]:
        return None
    content = kept["content"].replace(_placeholder(), get_token(request))
    return HttpResponse(content, content_type=kept["content_type"])


def finish(request, response, key: str | None, generation: int, unread: int) -> HttpResponse:
    """Keep the drawn page (when it may be) and give the user it with the real CSRF token."""
    if hasattr(response, "render"):
        response.render()
    content = response.content.decode(response.charset)
    placeholder = _placeholder()
    if key is not None and response.status_code == 200:
        cache.set(
            key,
            {"generation": generation, "unread": unread, "content": content, "content_type": response["Content-Type"]},
            TIMEOUT,
        )
    response.content = content.replace(placeholder, get_token(request))
    return response


class KeptPageMixin:
    """For a view's GET: serve the kept page, else draw it (with the CSRF placeholder) and keep it.
    The view sets `keep_page = False` while drawing when what it drew must not be kept."""

    kept_page_name = ""
    keep_page = True

    def get(self, request, *args, **kwargs):
        key = page_key(request, self.kept_page_name)
        kept = lookup(request, key)
        if kept is not None:
            return kept
        # Read before drawing: a write or a notification that comes meanwhile leaves the kept page
        # stale, never newer than it is.
        generation, unread = statistics_generation(), notification_unread_count(request.user)
        response = super().get(request, *args, **kwargs)
        return finish(request, response, key if self.keep_page else None, generation, unread)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["csrf_token"] = _placeholder()
        return context
