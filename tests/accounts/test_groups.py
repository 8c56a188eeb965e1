"""The Readers and Editors groups hold exactly their permissions, for every model, after migrate."""

import pytest
from django.contrib.auth.models import Group

from disputes.accounts.groups import staff_groups_sync
from tests import factories as f

pytestmark = pytest.mark.django_db


def _codenames(name: str) -> set[str]:
    return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))


def test_readers_view_everything_of_the_record_and_change_nothing():
    readers = _codenames("Readers")
    assert {"view_dispute", "view_demandletter", "view_event", "view_historicaldispute"} <= readers
    assert not {c for c in readers if not c.startswith("view_")}
    assert "view_accesstoken" not in readers
    # Who is reminded of what, and who follows what, is for Editors.
    assert not {"view_reminder", "view_follow"} & readers
    assert {"view_reminder", "view_follow"} <= _codenames("Editors")


def test_editors_add_and_change_the_record_but_never_delete():
    editors = _codenames("Editors")
    assert {
        "add_demandletter",
        "change_demandletter",
        "change_response",
        "add_event",
        "change_source",
    } <= editors
    assert not {c for c in editors if c.startswith("delete_")}
    assert not {"change_reminder", "add_reminder", "change_accesstoken", "change_historicalevent"} & editors


def test_sync_restores_permissions_removed_by_hand():
    Group.objects.get(name="Editors").permissions.clear()
    staff_groups_sync()
    assert "change_event" in _codenames("Editors")


def test_an_editor_may_change_an_event_in_the_admin_but_a_reader_may_not(client):
    event = f.EventFactory()
    editor = f.UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    reader = f.UserFactory(is_staff=True)
    reader.groups.add(Group.objects.get(name="Readers"))
    url = f"/admin/disputes/event/{event.pk}/change/"
    client.force_login(editor)
    assert 'name="_save"' in client.get(url).content.decode()
    assert client.get(f"/admin/disputes/event/{event.pk}/delete/").status_code == 403
    client.force_login(reader)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
