"""What waits for a user: apps register to-do providers here, the home page shows their items."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TodoItem:
    title: str
    count: int
    url: str
    icon: str = "check2-square"


_providers: list[Callable] = []


def todo_provider(function: Callable) -> Callable:
    """Register `function(user) -> list[TodoItem]`."""
    _providers.append(function)
    return function


def todos_for(user) -> list[TodoItem]:
    items = []
    for provider in _providers:
        items.extend(item for item in provider(user) if item.count)
    return items
