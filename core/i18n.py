"""Sentences kept untranslated and translated when they are read.

A notification is written in the language of whoever caused it, but read later by someone else,
in the language that person chose. `sentence("A result was verified")` keeps the English message
and its values; the notification stores them (Notification.message) beside a copy in the site's
language (for email, search and the admin), and shows them in the reader's language. The
eligibility check stored with a studio application is kept the same way (studios.eligibility), and
so is a history comment composed by a service (AuditEvent.message: a grade, a level, a batch).
makemessages extracts the first argument of `sentence` (core/management/commands/makemessages.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext


class Sentence:
    def __init__(self, message: str, **values):
        self.message = message
        self.values = values

    def __str__(self) -> str:
        return translate(self.as_json(), fallback=self.message)

    def as_json(self) -> list:
        """[message, values]: the values are data (names, years, reasons) kept as text, made in the
        active language (a naming batch's label); sentences of their own (a report's name) or
        choice labels (a skill grade) and labels composed from data (a naming batch), translated
        with the sentence."""
        return [self.message, {name: _value(value) for name, value in self.values.items()}]


def sentence(message: str, **values) -> Sentence:
    return Sentence(message, **values)


class ChoiceLabel:
    """A value's label in a choices class (a skill grade, an honour level), as a sentence's value:
    kept as the value and labelled in the reader's language."""

    def __init__(self, choices, value):
        self.choices, self.value = choices, value

    def __str__(self) -> str:
        return str(self.choices(self.value).label)

    def as_json(self) -> dict:
        return {"choices": f"{self.choices.__module__}.{self.choices.__qualname__}", "value": self.value}


# Functions composing a label in the active language from plain data, by name (label_maker).
_LABELS: dict[str, Callable[..., str]] = {}


def label_maker(name: str):
    """Register a function that composes a label in the active language from plain data (a naming
    batch's year, level and name), so that a sentence can keep the data and compose the label in
    the reader's language: `Label(name, *data)`."""

    def register(function):
        _LABELS[name] = function
        return function

    return register


class Label:
    """A label composed from data in the reader's language, as a sentence's value (a naming
    batch: 2025年公司级第一批 / 2025 company-level batch 1). The data must be plain JSON values."""

    def __init__(self, name: str, *data):
        self.name, self.data = name, data

    def __str__(self) -> str:
        return str(_LABELS[self.name](*self.data))

    def as_json(self) -> dict:
        return {"label": self.name, "data": list(self.data)}


def _value(value):
    if isinstance(value, Sentence | ChoiceLabel | Label):
        return value.as_json()
    return str(value)


def _shown(value) -> str:
    if isinstance(value, list):
        return translate(value, fallback=str(value))
    if isinstance(value, dict) and "label" in value:
        return str(_LABELS[value["label"]](*value["data"]))
    if isinstance(value, dict):
        from django.utils.module_loading import import_string

        return str(import_string(value["choices"])(value["value"]).label)
    return value


def translate(stored, *, fallback: str) -> str:
    """A stored sentence ([message, values]) in the active language; `fallback` when it cannot be
    read (a message changed since, a value missing)."""
    try:
        message, values = stored
        text = gettext(message)
        if not values and "%(" not in message:
            return text
        return text % {name: _shown(value) for name, value in values.items()}
    except (KeyError, TypeError, ValueError, ImportError, AttributeError):
        return fallback
