"""`manage.py seed_scale --tier S|P|N`: realistic synthetic data at company, province or national
scale, for benchmarks and load tests. The generator is core.scale.generate; see its docstring."""

from __future__ import annotations

import resource
import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from core.scale.generate import PASSWORD, ROOT_NAME, TIERS, USER_PREFIX, Loader
from core.scale.reset import has_scale_data, reset
from core.scale.writer import Sink


class Command(BaseCommand):
    help = (
        "Load realistic synthetic data at scale — tier S: one company's worth (500 studios), P: one "
        "province (4,000 studios), N: the nation (120,000 studios in 31 provinces, about 2 million results, "
        "1.2 million people; PostgreSQL only) — ten years ending last year, with Chinese names, through "
        "batched bulk inserts (COPY on PostgreSQL). Seed data is not user action: it writes no audit events "
        "and sends no notifications. Refuses a database that already holds scale data unless --reset. "
        f"Logins (password {PASSWORD}): {USER_PREFIX}hq (HQ cadre at {ROOT_NAME}), {USER_PREFIX}viewer, "
        f"and per province (e.g. hb): {USER_PREFIX}hb_cadre, {USER_PREFIX}hb_city_cadre, "
        f"{USER_PREFIX}hb_company_cadre (unit cadres), {USER_PREFIX}hb_lead (a studio lead), "
        f"{USER_PREFIX}hb_expert1..3."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tier", required=True, choices=sorted(TIERS), help="S, P or N.")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiply the tier's size (e.g. --tier S --scale 0.02 for tests)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (the same seed gives the same data).")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the scale data first (on PostgreSQL, when the database holds nothing else: TRUNCATE … "
            "CASCADE, which is meant for a dedicated benchmark database).",
        )
        parser.add_argument("--batch-size", type=int, default=5000, help="Rows per table buffered before a write.")
        parser.add_argument("--dry-run", action="store_true", help="Generate and count the rows without writing.")

    def handle(self, *args, **options):
        tier = TIERS[options["tier"]]
        if options["scale"] <= 0:
            raise CommandError("--scale must be above 0.")
        if tier.code == "N" and connection.vendor != "postgresql" and not options["dry_run"]:
            raise CommandError(
                "Tier N loads only into PostgreSQL (set DATABASE_URL=postgres://…); "
                f"this database is {connection.vendor}. Use --tier S or P here."
            )
        if not options["dry_run"] and has_scale_data():
            if not options["reset"]:
                raise CommandError(
                    f"This database already holds scale data ({ROOT_NAME} or {USER_PREFIX}* logins). "
                    "Run again with --reset to delete it first."
                )
            started = time.perf_counter()
            how = reset()
            self.stdout.write(f"Scale data deleted ({how}) in {time.perf_counter() - started:.1f} s.")

        started = time.perf_counter()
        sink = Sink(
            connection,
            batch_size=max(1, options["batch_size"]),
            dry_run=options["dry_run"],
            threaded=connection.vendor == "postgresql",
            defer_references=connection.vendor == "postgresql",
        )
        loader = Loader(
            tier=tier,
            scale=options["scale"],
            seed=options["seed"],
            sink=sink,
            today=timezone.localdate(),
            password_hash=make_password(PASSWORD),
            log=self.stdout.write,
            atomic=transaction.atomic,
        )
        self.stdout.write(
            f"Tier {tier.code} ({tier.description}) × {options['scale']:g}, seed {options['seed']}, "
            f"years {loader.first_year}–{loader.last_year} and {loader.today.year} to date; "
            f"{connection.vendor}{', dry run' if options['dry_run'] else ''}."
        )
        try:
            loader.run()
        finally:
            sink.close()
        loaded = time.perf_counter() - started
        if not options["dry_run"]:
            self._finish(sink)
        elapsed = time.perf_counter() - started
        self._summary(sink, loader, loaded, elapsed)

    def _finish(self, sink: Sink) -> None:
        """References checked (when the load skipped the row-by-row checks), sequences past the
        ids the load gave, tables vacuumed and analysed, cached statistics dropped."""
        from core import services

        if sink.references_deferred:
            started = time.perf_counter()
            problems = sink.check_references()
            if problems:
                raise CommandError("Rows point at rows that do not exist: " + "; ".join(problems))
            self.stdout.write(f"References checked in bulk: {time.perf_counter() - started:.1f} s.")

        models = [table.model for table in sink.tables]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
            if connection.vendor == "postgresql":
                # VACUUM sets the visibility map and the hint bits now, rather than autovacuum
                # and the first queries later (in the middle of a benchmark); it cannot run in a
                # transaction (a test's), where ANALYZE alone refreshes the planner's statistics.
                command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
                started = time.perf_counter()
                for table in sink.tables:
                    if sink.stats[table.label].rows:
                        cursor.execute(f"{command} {connection.ops.quote_name(table.db_table)}")
                self.stdout.write(f"{command}: {time.perf_counter() - started:.1f} s.")
        if hasattr(services, "statistics_changed"):
            services.statistics_changed()
        # The dashboards' tallies, counted from scratch as any bulk load leaves them to be
        # (reports.tallies): here, so that the first dashboards need no worker to read them.
        from reports.tallies import rebuild

        started = time.perf_counter()
        rebuild()
        self.stdout.write(f"Tallies counted: {time.perf_counter() - started:.1f} s.")

    def _summary(self, sink: Sink, loader: Loader, loaded: float, elapsed: float) -> None:
        width = max(len(t.label) for t in sink.tables)
        self.stdout.write(f"{'table':<{width}}  {'rows':>11}  {'write s':>8}  {'rows/s':>10}")
        for table in sink.tables:
            stats = sink.stats[table.label]
            if not stats.rows:
                continue
            rate = stats.rows / stats.seconds if stats.seconds else 0
            self.stdout.write(f"{table.label:<{width}}  {stats.rows:>11,}  {stats.seconds:>8.1f}  {rate:>10,.0f}")
        rows = sink.rows
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {rows:,} rows ({loader.studios_written:,} studios) in {elapsed:.1f} s "
                f"({rows / max(loaded, 1e-6):,.0f} rows/s while loading); peak RSS {peak:,.0f} MB."
            )
        )
