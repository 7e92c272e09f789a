"""makemessages without fuzzy matching: a guessed translation of a similar string (e.g. 'Named'
for 'Name') would otherwise reach users once its fuzzy flag is cleared. New strings stay empty.
The first argument of core.i18n.sentence is a message too (translated when it is read)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=sentence"]
