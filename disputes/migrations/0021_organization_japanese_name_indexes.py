"""Trigram (pg_trgm) GIN indexes on organizations' Japanese names, on PostgreSQL only.

Finding an organization by name (``named_q``) looks in every one of its names; with the Japanese ones unindexed,
PostgreSQL read every organization for each search term instead of combining the other names' indexes (see
0003_search_indexes for the expression these serve). On SQLite nothing is created.
"""

from django.db import migrations

COLUMNS = ("name_ja", "short_name_ja")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "organization_{column}_trgm" '
            f'ON "disputes_organization" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "organization_{column}_trgm"')


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0020_record_generation"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
