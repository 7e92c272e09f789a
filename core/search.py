"""One search box over what the user may see. Apps register a provider per kind of record.

Matching is a case-insensitive substring (Chinese has no word boundaries). Ranking: an exact match
of the kind's title field, then a prefix of it, then a match anywhere in any searched field;
newest first within a rank (people: by name).

The large kinds (people, studios, projects, results, classes: up to millions of rows at national
scale) ask `ranked()`: a bounded query or two per rank, instead of one query that ranked and sorted
every match (a one-character query such as 王 matches a large share of the rows: 2.2 s for HQ).
On PostgreSQL (core's migration 0002) a btree on UPPER(title) serves the exact and prefix parts;
the anywhere part is served by trigram GIN indexes on every searched field for three characters
or more, by GIN indexes on each field's set of characters for one or two, and for a common string
by the walk of the kind's newest-first index, which stops at ten matches. SQLite scans. The small
kinds (campaigns, alliances: thousands of rows at national scale) rank in one query (`rank_by`).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import connection
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, TextField, Value, When
from django.urls import resolve, reverse

from .permissions import can

MAX_PER_KIND = 10


@dataclass(frozen=True)
class Hit:
    title: str
    subtitle: str
    url: str
    rank: int


@dataclass(frozen=True)
class Provider:
    label: str
    icon: str
    search: Callable  # (user, query) -> list[Hit]
    list_url_name: str | None = None  # the kind's list, which filters by ?q=

    def more_url(self, user, query: str) -> str:
        """The kind's list filtered by the query, when the user may open it ("" otherwise): where
        the matches beyond the first MAX_PER_KIND are."""
        if not self.list_url_name:
            return ""
        url = reverse(self.list_url_name)
        view = resolve(url).func.view_class
        action = getattr(view, "permission_action", "view")
        if action is not None and not can(user, action, view.model):
            return ""
        return f"{url}?{urlencode({'q': query})}"


_providers: list[Provider] = []


def register(label, icon, *, list_url_name: str | None = None):
    def wrap(function):
        _providers.append(Provider(label=label, icon=icon, search=function, list_url_name=list_url_name))
        return function

    return wrap


def rank_by(field: str, query: str):
    """An annotation: 3 for an exact match of `field`, 2 for a prefix, 1 otherwise."""
    return Case(
        When(**{f"{field}__iexact": query}, then=Value(3)),
        When(**{f"{field}__istartswith": query}, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )


class _Characters(Func):
    """The set of upper-cased characters of a text, as an array (GIN indexes hold it)."""

    template = "string_to_array(UPPER(%(expressions)s::text), NULL)"
    output_field = TextField()  # text[] in truth; only ever compared with @> below


class _HasCharacters(Func):
    """`field` holds every character of `query`: implied by a substring match, and served by the
    GIN index of the field's characters for the one- and two-character queries trigrams cannot serve."""

    template = "%(expressions)s"
    arg_joiner = " @> "
    output_field = BooleanField()

    def __init__(self, field, query):
        super().__init__(_Characters(F(field)), _Characters(Value(query)))


# Trigram indexes serve substrings of this many characters or more; shorter ones the characters'.
TRIGRAM = 3


def _anywhere(fields, query) -> Q:
    condition = any_contains(fields, query)
    if len(query) < TRIGRAM and connection.vendor == "postgresql":
        condition &= functools.reduce(operator.or_, (Q(_HasCharacters(field, query)) for field in fields))
    return condition


def _in_order(rows, order):
    """Sort model rows by `order` (field names, "-" for descending) in Python, as the database
    would for the non-text keys the large kinds order by (dates, numbers)."""
    rows = list(rows)
    for key in reversed(order):
        name = key.lstrip("-")
        rows.sort(key=lambda row, name=name: getattr(row, name), reverse=key.startswith("-"))
    return rows


def _rows(queryset, ids, order):
    """The rows of `ids` (taken from the scoped `queryset`) with the queryset's related rows, not
    scoped again: a scope that is a UNION (a cadre's projects) made the database build it whole."""
    rows = queryset.model._default_manager.filter(pk__in=ids).order_by(*order)
    rows.query.select_related = queryset.query.select_related
    return rows


def ranked(queryset, query: str, fields, order, limit: int = MAX_PER_KIND):
    """The first `limit` rows of `queryset` that contain `query` in any of `fields`, as
    [(row, rank)]: rank 3 for an exact match of `fields[0]`, 2 for a prefix of it, 1 for the rest,
    and in `order` (which ends with a unique key) within a rank — what ordering by
    (-rank_by(fields[0]), *order) gives. A query or two per rank, each bounded, asked only while
    fewer than `limit` rows are found; the parts exclude the ones before them, so no row comes
    twice.

    A field of a related row (`lead__name`) is searched by a query of its own, joined, instead of
    an OR across the join, which no index serves: the anywhere part merges the two queries' first
    rows (the first `limit` of a union are among the first `limit` of either side).
    """
    field = fields[0]
    own = [name for name in fields if "__" not in name]
    related = [name for name in fields if "__" in name]
    exact = Q(**{f"{field}__iexact": query})
    prefix = Q(**{f"{field}__istartswith": query})
    # Exact matches: all their ids by the equality on UPPER(title) (few: a title or a name shared by
    # a handful of rows), then the first rows. Asked with ORDER BY … LIMIT, the planner may walk
    # the kind's order expecting a title's average count of matches, and read the whole table
    # when there is none (1.4 s for projects at national scale).
    ids = list(queryset.filter(exact).order_by().values_list("pk", flat=True))
    found = [(row, 3) for row in _rows(queryset, ids, order)[:limit]] if ids else []
    if len(found) < limit:
        # Prefixes: their first ids, then their rows. An index on UPPER(title) that also holds the
        # order and the scope's columns answers the first without reading the table (the 98,000
        # people named 王… at national scale, sorted by name); the kinds sorted by date walk their
        # date index instead when a prefix is common (一种…).
        first = queryset.filter(prefix).exclude(exact).order_by(*order).values("pk")[: limit - len(found)]
        found.extend((row, 2) for row in _rows(queryset, first, order))
    if len(found) < limit:
        wanted = limit - len(found)
        sides = [_anywhere(own, query)] + [_anywhere([name], query) for name in related]
        rows = {}
        for condition in sides:
            for row in queryset.filter(condition).exclude(prefix).order_by(*order)[:wanted]:
                rows[row.pk] = row
        found.extend((row, 1) for row in (_in_order(rows.values(), order) if related else list(rows.values()))[:wanted])
    return found


def any_contains(fields, query) -> Q:
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": query})
    return condition


def search(user, query: str) -> list[tuple[Provider, list[Hit], str]]:
    """(kind, its first MAX_PER_KIND hits, the link to the rest or "") for each kind that matches.
    A kind showing MAX_PER_KIND hits may have more: its list, filtered by the query, has them all."""
    # A NUL cannot be searched for (PostgreSQL refuses it in a query: a 500): it is dropped.
    query = (query or "").replace("\x00", "").strip()[:100]
    if len(query) < 1:
        return []
    return [
        (provider, hits, provider.more_url(user, query) if len(hits) >= MAX_PER_KIND else "")
        for provider in _providers
        if (hits := provider.search(user, query))
    ]
