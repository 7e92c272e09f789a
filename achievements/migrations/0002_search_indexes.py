"""Trigram GIN indexes for the header search (substring matches on Chinese text).

Django's icontains is `UPPER(col) LIKE UPPER('%q%')` on PostgreSQL, so the indexes are on
UPPER(col). Other databases (SQLite for `make run`) have no such index and scan. Creating the
pg_trgm extension needs the right to do so; without it the search still works, unindexed.
"""

from django.db import migrations, transaction

INDEXES = [
    ("search_studio_name_trgm", "studios_studio", "name"),
    ("search_person_name_trgm", "talent_person", "name"),
    ("search_project_title_trgm", "achievements_project", "title"),
    ("search_result_title_trgm", "achievements_result", "title"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        try:
            with transaction.atomic():
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # no right to create extensions: keep the unindexed search
            return
        for name, table, column in INDEXES:
            cursor.execute(f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER("{column}") gin_trgm_ops)')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, _table, _column in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("achievements", "0001_initial"),
        ("studios", "0003_default_kinds"),
        ("talent", "0002_person_name_label"),
    ]

    operations = [migrations.RunPython(create, drop)]
