"""Sentences kept untranslated and translated when they are read.

A notification is written in the language of whoever caused it, but read later by someone else,
in the language that person chose. `sentence("A result was verified")` keeps the English message
and its values; the notification stores them (Notification.message) beside a copy in the site's
language (for email, search and the admin), and shows them in the reader's language. makemessages
extracts the first argument of `sentence` (core/management/commands/makemessages.py).
"""

from __future__ import annotations

from django.utils.translation import gettext


class Sentence:
    def __init__(self, message: str, **values):
        self.message = message
        self.values = values

    def __str__(self) -> str:
        return translate(self.as_json(), fallback=self.message)

    def as_json(self) -> list:
        """[message, values]: the values are data (names, years, reasons) kept as text, made in the
        active language (a naming batch's label); or sentences of their own (a report's name),
        translated with the sentence."""
        return [
            self.message,
            {
                name: value.as_json() if isinstance(value, Sentence) else str(value)
                for name, value in self.values.items()
            },
        ]


def sentence(message: str, **values) -> Sentence:
    return Sentence(message, **values)


def translate(stored, *, fallback: str) -> str:
    """A stored sentence ([message, values]) in the active language; `fallback` when it cannot be
    read (a message changed since, a value missing)."""
    try:
        message, values = stored
        text = gettext(message)
        if not values and "%(" not in message:
            return text
        return text % {
            name: translate(value, fallback=str(value)) if isinstance(value, list) else value
            for name, value in values.items()
        }
    except (KeyError, TypeError, ValueError):
        return fallback
