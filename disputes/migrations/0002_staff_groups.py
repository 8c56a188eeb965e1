"""The two staff groups: Readers see everything and change nothing; Editors see, add and change, never delete.

Permissions are created by a post_migrate signal, after every migration has run, so on a fresh database they
do not exist yet when this runs: create them here first (the documented pattern for data migrations that
need permissions).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READERS = "Readers"
EDITORS = "Editors"


def _disputes_permissions(apps):
    app_config = apps.get_app_config("disputes")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_types = ContentType.objects.filter(app_label="disputes")
    return Permission.objects.filter(content_type__in=content_types).select_related("content_type")


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = list(_disputes_permissions(apps))
    readers, _ = Group.objects.get_or_create(name=READERS)
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    view = [p for p in permissions if p.codename.startswith("view_")]
    # History rows are written by django-simple-history, never by hand: Editors only read them.
    edit = [
        p
        for p in permissions
        if p.codename.startswith(("add_", "change_")) and not p.content_type.model.startswith("historical")
    ]
    readers.permissions.add(*view)
    editors.permissions.add(*view, *edit)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[READERS, EDITORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("disputes", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
