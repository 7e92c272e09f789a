"""Indexes for the header search's ranked parts (core.search.ranked), PostgreSQL only.

For the large kinds: people, studios, projects, results and training classes.

- The exact and prefix parts: a btree on UPPER(title field) with text_pattern_ops, which serves
  both `UPPER(col) = UPPER('q')` (iexact) and `UPPER(col) LIKE UPPER('q%')` (istartswith) under
  any collation.
- The anywhere part of a query of one or two characters, which trigrams cannot serve: a GIN index
  on the set of each searched field's upper-cased characters, `string_to_array(UPPER(col), NULL)`;
  the search asks for rows holding every character of the query, then for the substring.
- The anywhere part ORs every searched field: the trigram index of one field (achievements 0002)
  cannot serve it unless every other field has one too, or the database scans the table. These
  are the other fields of the large kinds (a studio's lead's name uses the person's name index).
  For a common string the search walks the kind's own order instead (its list-order index) and
  stops at ten matches.

Django's lookups are `UPPER(col::text)`, so the indexes are on that expression. Other databases
(SQLite for `make run`) have no such index and scan. Without the right to create pg_trgm the
trigram ones are left out and the search still works, unindexed.
"""

from django.db import migrations, transaction

PATTERN_INDEXES = [
    ("search_studio_name_upper", "studios_studio", "name", ""),
    # People sort by name, so the part of the 98,000 people named 王… of the nation is sorted, not
    # walked: the index holds the name, id and unit, and the search reads only the index.
    ("search_person_name_upper", "talent_person", "name", "INCLUDE (name, id, unit_id)"),
    ("search_project_title_upper", "achievements_project", "title", ""),
    ("search_result_title_upper", "achievements_result", "title", ""),
    ("search_class_title_upper", "training_trainingclass", "title", ""),
]
TRIGRAM_INDEXES = [
    ("search_person_employee_no_trgm", "talent_person", "employee_no"),
    ("search_person_post_trgm", "talent_person", "post"),
    ("search_studio_specialty_trgm", "studios_studio", "specialty"),
    ("search_project_goals_trgm", "achievements_project", "goals"),
    ("search_result_summary_trgm", "achievements_result", "summary"),
    ("search_result_patent_no_trgm", "achievements_result", "patent_no"),
    ("search_class_title_trgm", "training_trainingclass", "title"),
    ("search_class_place_trgm", "training_trainingclass", "place"),
]


# The characters of every searched field, for queries of one or two characters (core.search).
CHARACTER_INDEXES = [
    ("search_person_name_chars", "talent_person", "name"),
    ("search_person_employee_no_chars", "talent_person", "employee_no"),
    ("search_person_post_chars", "talent_person", "post"),
    ("search_studio_name_chars", "studios_studio", "name"),
    ("search_studio_specialty_chars", "studios_studio", "specialty"),
    ("search_project_title_chars", "achievements_project", "title"),
    ("search_project_goals_chars", "achievements_project", "goals"),
    ("search_result_title_chars", "achievements_result", "title"),
    ("search_result_summary_chars", "achievements_result", "summary"),
    ("search_result_patent_no_chars", "achievements_result", "patent_no"),
    ("search_class_title_chars", "training_trainingclass", "title"),
    ("search_class_place_chars", "training_trainingclass", "place"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, table, column, include in PATTERN_INDEXES:
            cursor.execute(
                f'CREATE INDEX IF NOT EXISTS {name} ON {table} (UPPER("{column}"::text) text_pattern_ops) {include}'
            )
        for name, table, column in CHARACTER_INDEXES:
            characters = f'string_to_array(UPPER("{column}"::text), NULL)'
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({characters})")
        try:
            with transaction.atomic():
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # no right to create extensions: keep the unindexed search
            return
        for name, table, column in TRIGRAM_INDEXES:
            cursor.execute(
                f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER("{column}"::text) gin_trgm_ops)'
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, *_rest in PATTERN_INDEXES + CHARACTER_INDEXES + TRIGRAM_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("achievements", "0005_list_order_indexes"),
        ("studios", "0004_studio_recent_idx"),
        ("talent", "0005_drop_person_name_idx"),
        ("training", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
