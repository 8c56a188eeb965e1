"""Search documents get one trigram index per kind, each partial (``WHERE kind = 'event'``): every search names
its kind, and PostgreSQL then uses the small index of that kind instead of walking another index and testing
each document's text. https://www.postgresql.org/docs/current/indexes-partial.html

The per-column trigram indexes of 0003 on disputes, events, letters, demands and responses serve nothing since
the search reads the documents (0012), and slow every write: dropped. Those on organizations', people's and
products' names stay: the search still looks names up there."""

from django.db import migrations

UNUSED = {
    "disputes_dispute": ["title", "title_ja", "summary"],
    "disputes_event": ["title", "title_original", "summary", "quote"],
    "disputes_demandletter": ["title", "title_original", "summary"],
    "disputes_demand": ["text_en", "text_original"],
    "disputes_response": ["title", "summary", "quote"],
}


def _name(table: str, column: str) -> str:
    return f"{table.removeprefix('disputes_')}_{column}_trgm"[:63]


KINDS = ["dispute", "letter", "response", "event"]


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for kind in KINDS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "searchdocument_{kind}_trgm" ON "disputes_searchdocument" '
            f"USING gin (\"text\" gin_trgm_ops) WHERE kind = '{kind}'"
        )
    schema_editor.execute('DROP INDEX IF EXISTS "searchdocument_text_trgm"')
    for table, columns in UNUSED.items():
        for column in columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{_name(table, column)}"')


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        'CREATE INDEX IF NOT EXISTS "searchdocument_text_trgm" '
        'ON "disputes_searchdocument" USING gin ("text" gin_trgm_ops)'
    )
    for kind in KINDS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "searchdocument_{kind}_trgm"')
    for table, columns in UNUSED.items():
        for column in columns:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{_name(table, column)}" '
                f'ON "{table}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
            )


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0013_dispute_last_activity"),
    ]

    operations = [migrations.RunPython(drop, create)]
