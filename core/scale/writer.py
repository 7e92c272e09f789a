"""Batched bulk writes for the scale data: rows go into a per-table buffer and are written when the
buffer holds `batch_size` rows — with PostgreSQL's COPY (psycopg2 `copy_expert` from an in-memory
buffer) or, on other databases, with one parameterised multi-row INSERT per batch (executemany).

Memory is bounded by the buffers (tables × batch size), never by the amount of data. Ids are
given by the generator (each table counts from its current maximum), so rows can point at rows
not written yet; Django's foreign keys are DEFERRABLE INITIALLY DEFERRED on PostgreSQL and
SQLite, so they are checked when the surrounding transaction commits, after every buffer has been
written (`flush_all`). The writes bypass models, signals and services on purpose: seed data is
not user action and leaves no audit events.
"""

from __future__ import annotations

import io
import json
import queue
import threading
import time
from dataclasses import dataclass

from django.db import models

_MISSING = object()
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value) -> str:
    if value is None:
        return "\\N"
    if type(value) is not str:
        value = str(value)
    # Most values need no escaping; checking is much cheaper than translating.
    if value.isprintable() and "\\" not in value:
        return value
    return value.translate(_ESCAPES)


def _number(value) -> str:
    return "\\N" if value is None else str(value)


def _iso(value) -> str:
    """Dates, and aware datetimes (isoformat keeps their offset)."""
    return "\\N" if value is None else value.isoformat()


def _boolean(value) -> str:
    return "\\N" if value is None else ("t" if value else "f")


def _json(value) -> str:
    return "\\N" if value is None else _text(json.dumps(value, ensure_ascii=False))


def _converter(field):
    """The function writing a value of `field` in COPY's text format."""
    if isinstance(field, models.BooleanField):
        return _boolean
    if isinstance(field, models.JSONField):
        return _json
    if isinstance(field, models.DateField):  # DateTimeField too
        return _iso
    if isinstance(field, models.CharField | models.TextField | models.FileField):
        return _text
    return _number


@dataclass
class TableStats:
    rows: int = 0
    seconds: float = 0.0  # time spent writing this table's batches


class Table:
    """One database table the generator fills: its columns, the defaults of the columns a row may
    leave out, and the next free id."""

    def __init__(self, model, label: str | None = None):
        self.model = model
        self.label = label or model._meta.label
        self.db_table = model._meta.db_table
        fields = list(model._meta.concrete_fields)
        self.fields = fields
        self.attnames = [f.attname for f in fields]
        self.columns = [f.column for f in fields]
        defaults = [self._default(f) for f in fields]
        self.index = {name: i for i, name in enumerate(self.attnames)}
        self.required = frozenset(
            name for name, default in zip(self.attnames, defaults, strict=True) if default is _MISSING
        )
        self.template = [None if default is _MISSING else default for default in defaults]
        self.converters = [_converter(f) for f in fields]
        self.text_template = [convert(value) for convert, value in zip(self.converters, self.template, strict=True)]
        self.next_id = self.first_id = 1

    @staticmethod
    def _default(field):
        if field.has_default():
            return field.get_default()
        if field.null:
            return None
        if isinstance(field, models.CharField | models.TextField | models.FileField):
            return ""
        return _MISSING

    def ids(self, count: int) -> range:
        """`count` fresh ids for rows of this table."""
        start = self.next_id
        self.next_id += count
        return range(start, start + count)

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def values(self, row: dict) -> list:
        if not self.required.issubset(row):
            missing = sorted(self.required - row.keys())
            raise KeyError(f"{self.label}: no value for the required columns {missing}")
        values = self.template.copy()
        index = self.index
        for name, value in row.items():
            values[index[name]] = value
        return values

    def copy_line(self, row: dict) -> str:
        """The row as a line of COPY's text format: only the values given are converted, the
        defaults were converted once."""
        if not self.required.issubset(row):
            missing = sorted(self.required - row.keys())
            raise KeyError(f"{self.label}: no value for the required columns {missing}")
        parts = self.text_template.copy()
        index, converters = self.index, self.converters
        for name, value in row.items():
            position = index[name]
            parts[position] = converters[position](value)
        return "\t".join(parts)


class Sink:
    """The buffers of every table, written batch by batch.

    With `threaded` (PostgreSQL), a writer thread sends the batches with COPY on the same database
    connection while the generator goes on making the next rows: the database and Python work
    side by side. At most `queue_size` batches wait for it. `flush_all()` returns once everything
    is written, so that the surrounding transaction can commit.
    """

    def __init__(
        self,
        connection,
        *,
        batch_size: int,
        dry_run: bool = False,
        threaded: bool = False,
        queue_size: int = 4,
        defer_references: bool = False,
    ):
        self.connection = connection
        self.batch_size = batch_size
        self.dry_run = dry_run
        self.copy = connection.vendor == "postgresql" and not dry_run
        self.tables: list[Table] = []
        self.buffers: dict[str, list] = {}
        self.stats: dict[str, TableStats] = {}
        self.queue = None
        self.error = None
        self.references_deferred = False
        if defer_references and self.copy:
            self.references_deferred = self._skip_reference_triggers()
        if threaded and self.copy:
            # The writer thread uses this thread's psycopg2 connection (django.db.connection is
            # per thread), so the batches join the transaction the generator opens and commits.
            connection.ensure_connection()
            self.raw_connection = connection.connection
            self.queue = queue.Queue(maxsize=queue_size)
            self.thread = threading.Thread(target=self._writer, name="seed-scale-copy", daemon=True)
            self.thread.start()

    def _skip_reference_triggers(self) -> bool:
        """Skip PostgreSQL's row-by-row foreign-key triggers for this session (replica mode: a
        superuser's right); check_references() then checks every reference in bulk."""
        from django.db import DatabaseError, transaction

        try:
            with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = replica")
        except DatabaseError:
            return False
        return True

    def check_references(self) -> list[str]:
        """Every foreign key of the rows written: one anti-join per key, rows whose target is
        missing are reported as "table.column: n rows"."""
        problems = []
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            if self.references_deferred:
                cursor.execute("SET session_replication_role = origin")
            for table in self.tables:
                if not self.stats[table.label].rows:
                    continue
                for field in table.fields:
                    if not (field.many_to_one or field.one_to_one):
                        continue
                    target = field.target_field
                    child, column = quote(table.db_table), quote(field.column)
                    parent, key = quote(target.model._meta.db_table), quote(target.column)
                    pk = quote(table.model._meta.pk.column)
                    # Names from the models' metadata, never from input.
                    sql = (
                        f"SELECT count(*) FROM {child} c WHERE c.{column} IS NOT NULL AND c.{pk} >= %s "  # noqa: S608
                        f"AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.{key} = c.{column})"
                    )
                    cursor.execute(sql, [table.first_id])
                    missing = cursor.fetchone()[0]
                    if missing:
                        problems.append(f"{table.db_table}.{field.column}: {missing} rows")
        return problems

    def register(self, table: Table) -> Table:
        quote = self.connection.ops.quote_name
        table.copy_sql = f"COPY {quote(table.db_table)} ({', '.join(quote(c) for c in table.columns)}) FROM STDIN"
        self.tables.append(table)
        self.buffers[table.label] = []
        self.stats[table.label] = TableStats()
        return table

    def add(self, table: Table, **row) -> None:
        buffer = self.buffers[table.label]
        buffer.append(table.copy_line(row) if self.copy else table.values(row))
        if len(buffer) >= self.batch_size:
            self.flush(table)

    def flush(self, table: Table) -> None:
        buffer = self.buffers[table.label]
        if not buffer:
            return
        stats = self.stats[table.label]
        stats.rows += len(buffer)
        if self.dry_run:
            buffer.clear()
            return
        if self.copy:
            data = "\n".join(buffer) + "\n"
            buffer.clear()
            if self.queue is not None:
                if self.error is not None:
                    raise self.error
                self.queue.put((table, data))
            else:
                self.connection.ensure_connection()
                self._copy(self.connection.connection, table, data)
            return
        started = time.perf_counter()
        self._insert(table, buffer)
        stats.seconds += time.perf_counter() - started
        buffer.clear()

    def _copy(self, raw_connection, table: Table, data: str) -> None:
        started = time.perf_counter()
        with raw_connection.cursor() as cursor:
            cursor.copy_expert(table.copy_sql, io.StringIO(data))
        self.stats[table.label].seconds += time.perf_counter() - started

    def _writer(self) -> None:
        raw_connection = self.raw_connection
        while True:
            item = self.queue.get()
            try:
                if item is None:
                    return
                if self.error is None:
                    self._copy(raw_connection, *item)
            except Exception as error:  # handed to the generator's thread at its next write or wait
                self.error = error
            finally:
                self.queue.task_done()

    def _insert(self, table: Table, rows: list) -> None:
        connection = self.connection
        prepare = [(lambda value, field=field: field.get_db_prep_save(value, connection)) for field in table.fields]
        columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
        placeholders = ", ".join(["%s"] * len(table.columns))
        # Table and column names come from the models' metadata, never from input.
        sql = f"INSERT INTO {connection.ops.quote_name(table.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.executemany(sql, [[p(v) for p, v in zip(prepare, row, strict=True)] for row in rows])

    def flush_all(self) -> None:
        """Write every buffer, parents' tables first (the order the tables were registered in), and
        wait until the writer thread has sent them."""
        for table in self.tables:
            self.flush(table)
        if self.queue is not None:
            self.queue.join()
            if self.error is not None:
                raise self.error

    def close(self) -> None:
        """Stop the writer thread (after the last batch, unless a write failed)."""
        if self.queue is not None:
            if self.error is None:
                self.flush_all()
            self.queue.put(None)
            self.thread.join()
            self.queue = None

    @property
    def rows(self) -> int:
        return sum(s.rows for s in self.stats.values()) + sum(len(b) for b in self.buffers.values())
