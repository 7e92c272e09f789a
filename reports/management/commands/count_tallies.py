"""`manage.py count_tallies`: count the dashboards' tallies from scratch now (reports.tallies).

What a worker does by itself after a bulk load or a migration; for a restored backup, a database
loaded by other means, or a machine with no worker running (the benchmark)."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Count the dashboards' tallies from scratch."

    def handle(self, *args, **options):
        from reports.tallies import rebuild

        started = time.perf_counter()
        book = rebuild()
        self.stdout.write(
            _("Tallies counted for %(first)s–%(last)s in %(seconds).1f s.")
            % {"first": book.first_year, "last": book.last_year, "seconds": time.perf_counter() - started}
        )
