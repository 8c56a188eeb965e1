from django.db import migrations, models


def create_index(apps, schema_editor):
    # The disputes list's "by deadline" order: earliest first, disputes with no pending deadline last. PostgreSQL
    # needs NULLS LAST in the index to use it for that order; SQLite's CREATE INDEX does not accept it.
    nulls_last = " NULLS LAST" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "dispute_next_deadline_idx" ON "disputes_dispute" '
        f'("next_deadline_at"{nulls_last}, "title", "id")'
    )


def drop_index(apps, schema_editor):
    schema_editor.execute('DROP INDEX IF EXISTS "dispute_next_deadline_idx"')


def fill(apps, schema_editor):
    """Existing disputes get their next deadline now, so the list sorts right straight after the upgrade."""
    from disputes.models.activity import refresh_next_deadline

    Dispute = apps.get_model("disputes", "Dispute")
    refresh_next_deadline(Dispute.objects.values_list("pk", flat=True), apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0018_merge_performance_and_record"),
    ]

    operations = [
        migrations.AddField(
            model_name="dispute",
            name="next_deadline_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="next deadline"),
        ),
        migrations.AddField(
            model_name="historicaldispute",
            name="next_deadline_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="next deadline"),
        ),
        migrations.RunPython(create_index, drop_index),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
