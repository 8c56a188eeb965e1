"""Several named tokens per user: the user link becomes a foreign key, and existing tokens are called
"Personal token"."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0006_user_profile"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="accesstoken",
            name="name",
            field=models.CharField(
                default="Personal token",
                help_text="What it is for, such as “Work calendar”.",
                max_length=80,
                verbose_name="name",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="accesstoken",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="access_tokens",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
        ),
        migrations.AlterModelOptions(
            name="accesstoken",
            options={
                "ordering": ["created_at", "pk"],
                "verbose_name": "access token",
                "verbose_name_plural": "access tokens",
            },
        ),
        migrations.AddConstraint(
            model_name="accesstoken",
            constraint=models.UniqueConstraint(fields=("user", "name"), name="accesstoken_unique_name_per_user"),
        ),
    ]
