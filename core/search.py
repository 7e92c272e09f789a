"""One search box over what the user may see. Apps register a provider per kind of record.

Matching is a case-insensitive substring (Chinese has no word boundaries), served on PostgreSQL
by trigram GIN indexes on UPPER(column) (see the apps' search-index migrations); SQLite scans.
Ranking: exact match, then prefix, then anywhere; newest first within a rank.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Value, When

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


_providers: list[Provider] = []


def register(label, icon):
    def wrap(function):
        _providers.append(Provider(label=label, icon=icon, search=function))
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


def any_contains(fields, query) -> Q:
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": query})
    return condition


def search(user, query: str) -> list[tuple[Provider, list[Hit]]]:
    # A NUL cannot be searched for (PostgreSQL refuses it in a query: a 500): it is dropped.
    query = (query or "").replace("\x00", "").strip()[:100]
    if len(query) < 1:
        return []
    return [(provider, hits) for provider in _providers if (hits := provider.search(user, query))]
