"""makemessages without fuzzy matching: a guessed translation of a similar string (e.g. 'Named'
for 'Name') would otherwise reach users once its fuzzy flag is cleared. New strings stay empty."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
