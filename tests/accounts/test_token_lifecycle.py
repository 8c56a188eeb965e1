"""Tokens end with their owner's standing: a new password, deactivation, losing staff status, a group or the
view permission. And no token ever reaches a log line or a feed's own link."""

import logging

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from disputes.accounts.groups import EDITORS, READERS
from disputes.accounts.services import token_issue
from disputes.core.http import MaskTokensFilter, mask_tokens
from disputes.models import AccessToken
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader_with_token(db):
    reader = factories.UserFactory(username="reading-rita", is_staff=True, groups=[READERS])
    _token, raw = token_issue(user=reader, name="Calendar")
    return reader, raw


def _works(client, raw: str) -> bool:
    return client.get(reverse("feeds:atom", kwargs={"token": raw})).status_code == 200


def test_a_token_works_for_a_reader(client, reader_with_token):
    _reader, raw = reader_with_token
    assert _works(client, raw)


def test_a_password_change_ends_every_token(client, reader_with_token):
    reader, raw = reader_with_token
    reader.set_password("a brand new passphrase 42")
    reader.save()
    assert not _works(client, raw)
    assert not AccessToken.objects.filter(user=reader).exists()


def test_a_password_change_through_the_admin_form_ends_every_token(client, reader_with_token):
    reader, raw = reader_with_token
    client.force_login(factories.UserFactory(username="root", is_staff=True, is_superuser=True))
    url = reverse("admin:auth_user_password_change", args=[reader.pk])
    response = client.post(
        url, {"password1": "another long passphrase 7", "password2": "another long passphrase 7"}
    )
    assert response.status_code == 302
    assert not _works(client, raw)


def test_a_login_that_upgrades_the_password_hash_keeps_the_tokens(reader_with_token):
    reader, _raw = reader_with_token
    reader.save(update_fields=["last_login"])
    reader.password = reader.password  # a hasher upgrade saves only the hash, with no raw password in hand
    reader.save(update_fields=["password"])
    assert AccessToken.objects.filter(user=reader).exists()


@pytest.mark.parametrize(
    "demote",
    [
        pytest.param(lambda u: setattr(u, "is_active", False) or u.save(), id="deactivated"),
        pytest.param(lambda u: setattr(u, "is_staff", False) or u.save(), id="no-longer-staff"),
        pytest.param(lambda u: u.groups.remove(Group.objects.get(name=READERS)), id="group-removed"),
        pytest.param(lambda u: u.groups.clear(), id="groups-cleared"),
        pytest.param(
            lambda u: Group.objects.get(name=READERS).user_set.remove(u), id="removed-from-the-group-side"
        ),
        pytest.param(
            lambda u: Group.objects.get(name=READERS).permissions.remove(
                Permission.objects.get(codename="view_dispute")
            ),
            id="group-lost-the-permission",
        ),
        pytest.param(lambda u: Group.objects.get(name=READERS).delete(), id="group-deleted"),
    ],
)
def test_demotion_ends_the_tokens_for_good(
    client, reader_with_token, demote, django_capture_on_commit_callbacks
):
    reader, raw = reader_with_token
    with django_capture_on_commit_callbacks(execute=True):
        demote(reader)
    assert not _works(client, raw)
    assert not AccessToken.objects.filter(user=reader).exists()
    # Promoted again, the old secret stays dead: it was deleted, not just refused.
    reader.is_active = reader.is_staff = True
    reader.save()
    reader.groups.add(Group.objects.get_or_create(name=EDITORS)[0])
    assert not _works(client, raw)


def test_moving_from_readers_to_editors_keeps_the_tokens(
    client, reader_with_token, django_capture_on_commit_callbacks
):
    reader, raw = reader_with_token
    with django_capture_on_commit_callbacks(execute=True):
        reader.groups.set([Group.objects.get(name=EDITORS)])
    assert _works(client, raw)


def test_a_token_stops_even_when_standing_changes_behind_the_signals(client, reader_with_token):
    """A bulk update sends no signal; the check at use still refuses the token."""
    reader, raw = reader_with_token
    type(reader).objects.filter(pk=reader.pk).update(is_staff=False)
    assert not _works(client, raw)
    assert client.get("/api/disputes/", HTTP_AUTHORIZATION=f"Token {raw}").status_code == 401


def test_outsiders_and_staff_without_a_group_cannot_create_tokens(client):
    for user in (
        factories.UserFactory(username="outsider"),
        factories.UserFactory(username="loner", is_staff=True, groups=[]),
    ):
        client.force_login(user)
        response = client.post(reverse("accounts:settings"), {"action": "create-token", "name": "Mine"})
        assert response.status_code == 403
        assert not AccessToken.objects.filter(user=user).exists()


# --- Never in a log, never in a feed -------------------------------------------------------------------------


def test_the_request_log_masks_tokens(client, caplog, reader_with_token):
    _reader, raw = reader_with_token
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(f"/t/{raw}/feeds/atom/disputes/no-such-dispute/")
        client.get(f"/t/{raw}/feeds/nothing-here/")
    assert caplog.records, "a 404 is logged"
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert raw not in text
    assert "/t/[token]/feeds/atom/disputes/no-such-dispute/" in text


def test_the_filter_masks_runserver_lines_and_leaves_others_alone():
    raw = "adt_" + "s3cr3t" * 7
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        (f"GET /t/{raw}/feeds/calendar.ics HTTP/1.1", 200, 9),
        None,
    )
    MaskTokensFilter().filter(record)
    assert raw not in record.getMessage()
    assert '"GET /t/[token]/feeds/calendar.ics HTTP/1.1" 200 9' == record.getMessage()
    assert mask_tokens("GET /disputes/t-shirts/ 200") == "GET /disputes/t-shirts/ 200"


def test_the_logging_settings_filter_the_request_and_server_loggers(settings):
    loggers = settings.LOGGING["loggers"]
    assert "mask_tokens" in loggers["django.request"]["filters"]
    assert "mask_tokens" in loggers["django.server"]["filters"]
    assert "mask_tokens" in settings.LOGGING["handlers"]["console"]["filters"]


def test_the_atom_feed_never_echoes_its_token(client, reader_with_token):
    _reader, raw = reader_with_token
    factories.EventFactory(title="Something new")
    response = client.get(reverse("feeds:atom", kwargs={"token": raw}) + "?q=new")
    assert response.status_code == 200
    body = response.content.decode()
    assert raw not in body
    assert 'rel="self"' in body and "/feeds/atom/?q=new" in body
