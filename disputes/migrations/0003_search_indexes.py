"""Trigram (pg_trgm) GIN indexes for the dashboard's search, on PostgreSQL only.

The search uses Django's ``icontains``, which PostgreSQL runs as ``UPPER(col::text) LIKE UPPER('%term%')``. A GIN
index over that same expression with ``gin_trgm_ops`` serves those LIKE queries, for English and for Japanese
(which has no spaces to split words on, so full-text search would not find 城内 inside 城内実). Patterns shorter
than three characters cannot use trigrams and are answered by a scan; they are still correct.

On SQLite (the default for a developer's machine) nothing is created and the same ``icontains`` query runs as a
plain LIKE. https://www.postgresql.org/docs/current/pgtrgm.html#PGTRGM-INDEX
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

SEARCHED_COLUMNS = {
    "disputes_dispute": ["title", "title_ja", "summary"],
    "disputes_event": ["title", "title_original", "summary", "quote"],
    "disputes_demandletter": ["title", "title_original", "summary"],
    "disputes_demand": ["text_en", "text_original"],
    "disputes_response": ["title", "summary", "quote"],
    "disputes_organization": ["name", "name_original", "short_name", "aliases"],
    "disputes_person": ["name", "name_original", "aliases"],
    "disputes_aiproduct": ["name"],
}


def _index_name(table: str, column: str) -> str:
    return f"{table.removeprefix('disputes_')}_{column}_trgm"[:63]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in SEARCHED_COLUMNS.items():
        for column in columns:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{_index_name(table, column)}" '
                f'ON "{table}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in SEARCHED_COLUMNS.items():
        for column in columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{_index_name(table, column)}"')


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0002_staff_groups"),
    ]

    operations = [
        # CreateExtension does nothing on other databases.
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
