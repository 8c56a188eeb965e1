"""Wrong passwords are throttled on both login pages (django-axes): after AXES_FAILURE_LIMIT failures for one
username from one address, logging in to it from there is paused with a clear page, until the cool-off ends or an
administrator unlocks it."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


@pytest.fixture
def reader(db):
    return factories.UserFactory(username="rita", is_staff=True)


LOGIN_PAGES = [
    pytest.param("login", id="dashboard"),
    pytest.param("admin:login", id="admin"),
]


def _try(client, page: str, password: str):
    return client.post(reverse(page), {"username": "rita", "password": password})


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_five_wrong_passwords_lock_the_account_from_that_address(client, reader, page):
    for _ in range(4):
        assert _try(client, page, "wrong").status_code == 200  # the form again, with its error
    locked = _try(client, page, "wrong")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Too many failed logins" in text
    assert "15 minutes" in text and "administrator" in text
    # Even the right password is refused while locked.
    refused = _try(client, page, PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_the_lock_is_per_address(client, reader, page):
    for _ in range(5):
        _try(client, page, "wrong")
    elsewhere = client.post(
        reverse(page), {"username": "rita", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    assert elsewhere.status_code == 302


def test_an_administrator_unlocks_an_account_in_the_admin(client, reader):
    for _ in range(5):
        _try(client, "login", "wrong")
    assert _try(client, "login", PASSWORD).status_code == 429
    attempt = AccessAttempt.objects.get(username="rita")

    admin_client = type(client)()
    admin_client.force_login(factories.UserFactory(username="root", is_staff=True, is_superuser=True))
    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and "rita" in listing.content.decode()
    delete = admin_client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert delete.status_code == 302

    assert _try(client, "login", PASSWORD).status_code == 302


def test_readers_and_editors_cannot_unlock(client, reader):
    for role in ({"groups": None}, {"groups": ["Editors"]}):
        user = factories.UserFactory(is_staff=True, **role)
        client.force_login(user)
        assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_a_successful_login_resets_the_count(client, reader):
    for _ in range(4):
        _try(client, "login", "wrong")
    assert _try(client, "login", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _try(client, "login", "wrong").status_code == 200
