"""Input the site refuses with a clear answer instead of a 500 or an unbounded read: NUL bytes in addresses,
bodies that are too large, text longer than a field should hold."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from disputes.models import Dispute
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/disputes/%00/",
        "/api/organizations/a%00b/",
        "/disputes/%00/",
        "/admin/disputes/dispute/%00/change/",
        "/admin/disputes/dispute/1/history/%00/",
        "/admin/disputes/dispute/abc/history/",
        "/admin/disputes/dispute/1/history/abc/",
        "/t/%00/feeds/atom/",
    ],
)
def test_nul_bytes_and_non_numeric_ids_are_never_a_server_error(client, url):
    client.force_login(factories.UserFactory(username="root", is_staff=True, is_superuser=True))
    response = client.get(url)
    assert response.status_code in (302, 404), (url, response.status_code)


def test_a_large_anonymous_body_is_refused_before_it_is_read(client):
    body = b"x" * (20 * 1024 * 1024)
    response = client.generic(
        "POST", reverse("login"), body, content_type="multipart/form-data; boundary=zzz"
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert "64 KB" in response.content.decode()


def test_a_signed_in_body_has_a_larger_limit(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1024 * 1024
    client.force_login(factories.UserFactory(is_staff=True))
    ok = client.post(reverse("accounts:settings"), {"action": "timezone", "timezone": "x" * 100_000})
    assert ok.status_code != 413
    too_big = client.generic(
        "POST",
        reverse("accounts:settings"),
        b"x" * (2 * 1024 * 1024),
        content_type="application/octet-stream",
    )
    assert too_big.status_code == 413
    assert "1.0 MB" in too_big.content.decode()


def test_text_fields_in_the_admin_are_capped_with_a_message(client, settings):
    settings.TEXT_FIELD_MAX_CHARS = 50
    editor = factories.UserFactory(is_staff=True, groups=["Editors"])
    assert Group.objects.filter(name="Editors", user=editor).exists()
    client.force_login(editor)
    response = client.post(
        reverse("admin:disputes_dispute_add"),
        {
            "title": "Capped",
            "slug": "capped",
            "stage": "letter",
            "summary": "s" * 51,
            "parties-TOTAL_FORMS": "0",
            "parties-INITIAL_FORMS": "0",
            "letters-TOTAL_FORMS": "0",
            "letters-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "at most 50 characters" in response.content.decode()
    assert not Dispute.objects.filter(slug="capped").exists()
    # The browser does not cut a pasted value silently (no maxlength): the server says what is too long.
    form = client.get(reverse("admin:disputes_dispute_add")).content.decode()
    assert 'maxlength="50"' not in form
