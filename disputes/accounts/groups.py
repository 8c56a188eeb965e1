"""The staff groups and their permissions.

Readers see the record and change nothing (nor the reminder ledger or other people's follows); Editors see, add and change it, never delete. Personal data (access
tokens) and machine-written rows (change history, the reminder ledger) are not theirs to edit. The groups are
brought up to date after every ``migrate``, so a model added later is covered without a new data migration.
"""

from django.contrib.auth.models import Group, Permission

READERS = "Readers"
EDITORS = "Editors"

# Models whose rows staff never write by hand.
NOT_EDITED = {"reminder", "deadlinechange", "accesstoken", "digestpreference", "follow"}
# Models that are nobody else's business.
NOT_VIEWED = {"accesstoken", "digestpreference"}
# Rows about other people (who is reminded of what, who follows what): Editors see them, Readers do not.
EDITORS_ONLY_VIEWED = {"reminder", "follow"}


def staff_groups_sync() -> tuple[Group, Group]:
    """Create the Readers and Editors groups if missing and give them exactly their permissions."""
    permissions = list(
        Permission.objects.filter(content_type__app_label="disputes").select_related("content_type")
    )
    readers, _ = Group.objects.get_or_create(name=READERS)
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    view = [
        p for p in permissions if p.codename.startswith("view_") and p.content_type.model not in NOT_VIEWED
    ]
    edit = [
        p
        for p in permissions
        if p.codename.startswith(("add_", "change_"))
        and not p.content_type.model.startswith("historical")
        and p.content_type.model not in NOT_EDITED
    ]
    readers.permissions.set([p for p in view if p.content_type.model not in EDITORS_ONLY_VIEWED])
    editors.permissions.set([*view, *edit])
    return readers, editors


def sync_after_migrate(sender, **kwargs) -> None:
    if kwargs.get("plan") is not None or kwargs.get("app_config") is not None:
        staff_groups_sync()
