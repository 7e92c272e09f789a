"""What every page of the layout draws many times over, drawn in Python rather than by template
loops: the sidebar's entries (on every signed-in page, two dozen links, each an `if` and four
variables in the template language), JSON data for scripts (the dashboard's charts: 13 KB), and
the layout's fixed addresses (`address`: a URL name reversed once per process instead of on every
page, ≈ 50 µs a `{% url %}`; `static_file`: a static file's address looked up once per process,
as the storage's manifest is read once per process anyway). Each gives exactly what the template
tag or Django's filter it replaces gave (tests hold them equal)."""

from __future__ import annotations

import functools
import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from core import navigation

register = template.Library()

_HEADING = '<div class="sidebar-heading">{}</div>'
_ENTRY = '<a class="nav-link" href="{}"><i class="bi bi-{} me-2"></i>{}</a>'
_CURRENT = '<a class="nav-link active" href="{}" aria-current="page"><i class="bi bi-{} me-2"></i>{}</a>'


@functools.lru_cache(maxsize=1024, typed=True)
def _html(pattern: str, *texts: str) -> str:
    """One heading or link: the same few dozen on every page, in each language (typed: a text
    marked safe is never taken for the same text unmarked)."""
    return format_html(pattern, *texts)


@register.simple_tag
def sidebar_entries(sections) -> SafeString:
    """The sidebar's sections (core.navigation.navigation_for): a heading each (when it has a
    label) and its links, the current one marked."""
    parts = []
    for section in sections:
        if section["label"]:
            parts.append(_html(_HEADING, str(section["label"])))
        for item in section["items"]:
            pattern = _CURRENT if item["active"] else _ENTRY
            parts.append(_html(pattern, str(item["url"]), str(item["icon"]), str(item["label"])))
    return mark_safe("\n".join(parts))  # noqa: S308 - every part is built by format_html


@register.filter(is_safe=True)
def json_data(value, element_id: str) -> SafeString:
    """Django's json_script, escaping the three characters it escapes by str.replace, which is
    several times quicker than its str.translate on a long text."""
    text = (
        json.dumps(value, cls=DjangoJSONEncoder).replace("&", "\\u0026").replace("<", "\\u003C").replace(">", "\\u003E")
    )
    return format_html('<script id="{}" type="application/json">{}</script>', element_id, mark_safe(text))  # noqa: S308


@register.simple_tag(name="address")
def address_tag(url_name: str, *args) -> str:
    """`{% url %}` for a URL name with no or fixed arguments, reversed once per process
    (core.navigation.address)."""
    return navigation.address(url_name, *args)


@functools.lru_cache(maxsize=256)
def _static(path: str, static_url: str) -> str:
    return static(path)


@register.simple_tag
def static_file(path: str) -> str:
    """`{% static %}`, looked up once per process for each file (and static address: a relative
    STATIC_URL carries the script prefix, as `address` is keyed on it)."""
    return _static(path, settings.STATIC_URL)
