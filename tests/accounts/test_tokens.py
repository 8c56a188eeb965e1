"""Per-user tokens: stored hashed, shown once, reset at once; and every feed, calendar, export and API address
refuses a request without a session or a valid token."""

import hashlib
import html as htmllib

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from disputes.accounts.services import token_issue, token_reset, tokens_revoke_all
from disputes.models import AccessToken, Follow
from disputes.models.access import MAX_TOKENS_PER_USER
from tests import factories

SECRET_TITLE = "Dispute only insiders may read"


@pytest.fixture
def record(db):
    dispute = factories.DisputeFactory(title=SECRET_TITLE, slug="secret")
    letter = factories.DemandLetterFactory(dispute=dispute, title=SECRET_TITLE)
    factories.ResponseFactory(letter=letter)
    factories.EventFactory(disputes=[dispute], title=SECRET_TITLE)
    product = factories.AIProductFactory(slug="sora-2")
    return {"dispute": dispute, "letter": letter, "organization": letter.recipient, "product": product}


def every_address(record) -> list[str]:
    """Every feed, calendar, export and API address, with the record's slugs and ids filled in."""
    slug = record["dispute"].slug
    addresses = [
        reverse("feeds:atom"),
        reverse("feeds:atom-dispute", kwargs={"slug": slug}),
        reverse("feeds:atom-organization", kwargs={"slug": record["organization"].slug}),
        reverse("feeds:atom-product", kwargs={"slug": record["product"].slug}),
        reverse("feeds:calendar"),
        reverse("feeds:calendar-dispute", kwargs={"slug": slug}),
        reverse("api:schema"),
        reverse("api:docs"),
        reverse("api:dispute-list"),
        reverse("api:dispute-detail", kwargs={"slug": slug}),
        reverse("api:letter-list"),
        reverse("api:letter-detail", kwargs={"pk": record["letter"].pk}),
        reverse("api:event-list"),
        reverse("api:organization-list"),
        reverse("api:organization-detail", kwargs={"slug": record["organization"].slug}),
        reverse("api:product-list"),
        reverse("api:product-detail", kwargs={"slug": record["product"].slug}),
    ]
    for resource in ("disputes", "letters", "events"):
        for fmt in ("csv", "json"):
            addresses.append(reverse("feeds:export", kwargs={"resource": resource, "fmt": fmt}))
    return addresses


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_token_is_stored_hashed_and_shown_once(user):
    raw = token_reset(user=user)
    stored = AccessToken.objects.get(user=user)
    assert raw.startswith("adt_") and len(raw) > 40
    assert stored.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {stored.key_hash, stored.hint}
    assert raw[4:8] == stored.hint
    assert AccessToken.objects.user_for(raw) == user


def test_a_reset_token_stops_working_at_once(user):
    old = token_reset(user=user)
    new = token_reset(user=user)
    assert old != new
    assert AccessToken.objects.user_for(old) is None
    assert AccessToken.objects.user_for(new) == user
    assert AccessToken.objects.filter(user=user).count() == 1


def test_revoked_wrong_and_inactive_tokens_find_nobody(user):
    raw = token_reset(user=user)
    assert AccessToken.objects.user_for(raw + "x") is None
    assert AccessToken.objects.user_for("") is None
    assert AccessToken.objects.user_for(None) is None
    assert AccessToken.objects.user_for("adt_" + "a" * 500) is None
    user.is_active = False
    user.save()
    assert AccessToken.objects.user_for(raw) is None
    user.is_active = True
    user.save()
    tokens_revoke_all(user=user)
    assert AccessToken.objects.user_for(raw) is None


def test_last_use_is_recorded_at_most_every_quarter_hour(user):
    raw = token_reset(user=user)
    with time_machine.travel("2025-11-20 10:00Z", tick=False):
        AccessToken.objects.user_for(raw)
    first = AccessToken.objects.get(user=user).last_used_at
    with time_machine.travel("2025-11-20 10:10Z", tick=False):
        AccessToken.objects.user_for(raw)
    assert AccessToken.objects.get(user=user).last_used_at == first
    with time_machine.travel("2025-11-20 10:20Z", tick=False):
        AccessToken.objects.user_for(raw)
    assert AccessToken.objects.get(user=user).last_used_at > first


def test_every_address_refuses_anonymous_requests(client, record):
    for address in every_address(record):
        response = client.get(address)
        assert response.status_code == 401, address
        assert SECRET_TITLE.encode() not in body(response), address


def test_every_address_refuses_a_wrong_or_reset_token_in_the_header(client, user, record):
    old = token_reset(user=user)
    token_reset(user=user)
    for token in (old, "adt_not-a-token", "garbage"):
        for address in every_address(record):
            response = client.get(address, HTTP_AUTHORIZATION=f"Token {token}")
            assert response.status_code == 401, address
            assert SECRET_TITLE.encode() not in body(response), address


def test_every_address_answers_a_valid_token_in_the_header(client, user, record):
    raw = token_reset(user=user)
    for address in every_address(record):
        response = client.get(address, HTTP_AUTHORIZATION=f"Token {raw}")
        assert response.status_code == 200, address


def test_every_address_answers_a_session(client, user, record):
    client.force_login(user)
    for address in every_address(record):
        assert client.get(address).status_code == 200, address


TOKEN_ROUTES = [
    ("feeds:atom", {}),
    ("feeds:atom-dispute", {"slug": "secret"}),
    ("feeds:calendar", {}),
    ("feeds:calendar-dispute", {"slug": "secret"}),
    ("feeds:export", {"resource": "letters", "fmt": "csv"}),
    ("feeds:export", {"resource": "disputes", "fmt": "json"}),
]


@pytest.mark.parametrize(("name", "kwargs"), TOKEN_ROUTES)
def test_a_token_in_the_address_works_until_it_is_reset(client, user, record, name, kwargs):
    raw = token_reset(user=user)
    # Calendars hold a window of deadlines: ask for the one the letter's deadline (November 2025) is in.
    window = {"since": "2025-06-01"} if name.startswith("feeds:calendar") else {}
    response = client.get(reverse(name, kwargs={**kwargs, "token": raw}), window)
    assert response.status_code == 200
    assert SECRET_TITLE.encode() in body(response)
    assert "no-referrer" in response["Referrer-Policy"]
    assert "private" in response["Cache-Control"]

    token_reset(user=user)
    response = client.get(reverse(name, kwargs={**kwargs, "token": raw}))
    assert response.status_code == 404
    assert SECRET_TITLE.encode() not in body(response)


def test_a_token_address_ignores_the_session(client, user, record):
    """A signed-in browser does not turn a wrong token address into data."""
    client.force_login(user)
    response = client.get(reverse("feeds:atom", kwargs={"token": "adt_wrong"}))
    assert response.status_code == 404


def test_feeds_refuse_writes(client, user, record):
    client.force_login(user)
    assert client.post(reverse("feeds:atom")).status_code == 405
    assert client.post(reverse("api:dispute-list")).status_code == 405


# --- The account page ---------------------------------------------------------------------------------------


def test_the_account_page_needs_a_login(client, db):
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_account_page_shows_a_new_token_once(client, user, record):
    client.force_login(user)
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 200
    assert "base.html" in [t.name for t in response.templates]
    assert "You have no token yet" in response.content.decode()

    response = client.post(reverse("accounts:settings"), {"action": "create-token", "name": "Work calendar"})
    assert response.status_code == 200
    raw = response.context["raw_token"]
    page = response.content.decode()
    assert raw in page and "The secret of “Work calendar”" in page
    assert AccessToken.objects.user_for(raw) == user
    assert "no-store" in response["Cache-Control"]
    # The subscription addresses carry the new token.
    assert f"/t/{raw}/feeds/calendar.ics" in page
    assert "webcal://" in page

    response = client.get(reverse("accounts:settings"))
    page = response.content.decode()
    assert raw not in page
    assert "YOUR-TOKEN" in page
    assert f"adt_{raw[4:8]}…" in page and "Work calendar" in page


def test_each_app_gets_its_own_token(client, user, record):
    client.force_login(user)
    account = reverse("accounts:settings")
    calendar = client.post(account, {"action": "create-token", "name": "Work calendar"}).context["raw_token"]
    script = client.post(account, {"action": "create-token", "name": "Export script"}).context["raw_token"]
    assert AccessToken.objects.user_for(calendar) == user and AccessToken.objects.user_for(script) == user
    calendar_token = AccessToken.objects.get(user=user, name="Work calendar")

    # Replacing the calendar's secret (it leaked) leaves the script working.
    response = client.post(account, {"action": "replace-token", "token": calendar_token.pk})
    new_calendar = response.context["raw_token"]
    assert "The secret of “Work calendar”" in response.content.decode()
    assert AccessToken.objects.user_for(calendar) is None
    assert AccessToken.objects.user_for(new_calendar) == user
    assert AccessToken.objects.user_for(script) == user

    # Revoking it leaves the script working too.
    response = client.post(account, {"action": "revoke-token", "token": calendar_token.pk})
    assert response.status_code == 302
    assert AccessToken.objects.user_for(new_calendar) is None
    assert AccessToken.objects.user_for(script) == user
    page = client.get(account).content.decode()
    assert "The token “Work calendar” was revoked." in page
    assert [t.name for t in AccessToken.objects.filter(user=user)] == ["Export script"]


def test_bad_token_requests_are_clear_errors_that_change_nothing(client, user, record):
    client.force_login(user)
    account = reverse("accounts:settings")
    raw = token_reset(user=user, name="Work calendar")
    for name, message in [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("work CALENDAR", "You already have a token called “work CALENDAR”."),
        ("x" * 81, "Ensure this value has at most 80 characters"),
    ]:
        response = client.post(account, {"action": "create-token", "name": name})
        assert response.status_code == 200, name
        assert message in htmllib.unescape(response.content.decode()), name
        assert response.context["raw_token"] is None
        # What was typed is kept for correcting.
        assert response.context["token_form"]["name"].value() == name
    assert AccessToken.objects.filter(user=user).count() == 1

    # Someone else's token, a revoked one, or nonsense: nothing happens, and the page says so.
    other = token_issue(user=factories.UserFactory(), name="Theirs")[0]
    for token_id in (other.pk, 999999, "abc", ""):
        for action in ("replace-token", "revoke-token"):
            response = client.post(account, {"action": action, "token": token_id}, follow=True)
            assert "That token does not exist any more" in response.content.decode()
    assert AccessToken.objects.user_for(raw) == user
    assert AccessToken.objects.filter(pk=other.pk).exists()


def test_a_user_has_at_most_twenty_tokens(client, user, db):
    for number in range(MAX_TOKENS_PER_USER):
        token_issue(user=user, name=f"App {number}")
    with pytest.raises(ValidationError, match="the most there can be"):
        token_issue(user=user, name="One more")
    client.force_login(user)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert 'value="create-token"' not in page
    assert "Revoke one you no longer use to create another." in page


def test_the_account_page_turns_a_filtered_view_into_a_personal_address(client, user, record):
    client.force_login(user)
    wanted = reverse("feeds:calendar") + "?party=openai&stage=escalated"
    response = client.post(
        reverse("accounts:settings"), {"action": "create-token", "name": "Escalated", "for": wanted}
    )
    raw = response.context["raw_token"]
    urls = [row["url"] for row in response.context["subscriptions"]]
    assert urls[0].endswith(f"/t/{raw}/feeds/calendar.ics?party=openai&stage=escalated")


def test_the_account_page_ignores_a_foreign_for_address(client, user, record):
    client.force_login(user)
    response = client.get(reverse("accounts:settings"), {"for": "https://evil.example/feeds/calendar.ics"})
    assert response.context["for_path"] == ""
    response = client.get(reverse("accounts:settings"), {"for": "/admin/"})
    assert response.context["for_path"] == ""


def test_unknown_actions_are_refused(client, user, record):
    client.force_login(user)
    assert client.post(reverse("accounts:settings"), {"action": "nonsense"}).status_code == 400
    assert client.post(reverse("accounts:settings"), {"action": "reset-token"}).status_code == 400


def test_the_account_page_escapes_what_it_shows(client, user, db):
    dispute = factories.DisputeFactory(title='<script>alert("x")</script> 日本 😀 \u200f')
    Follow.objects.create(user=user, dispute=dispute)
    client.force_login(user)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 日本 😀 \u200f" in page
    assert '<script>alert("x")' not in page


# --- The template tag the dashboard uses ----------------------------------------------------------------------


def render_links(query: str, **objects) -> str:
    request = RequestFactory().get("/disputes/" + query)
    request.user = AnonymousUser()
    arguments = " ".join(f"{name}={name}" for name in objects)
    template = Template("{% load feeds_extras %}{% feed_links request " + arguments + " %}")
    return template.render(Context({"request": request, **objects}))


def test_feed_links_carry_the_page_filters_but_not_its_page(db):
    html = render_links("?party=openai&stage=escalated&page=3&q=%3Cscript%3E")
    assert 'href="/feeds/atom/?party=openai&amp;stage=escalated&amp;q=%3Cscript%3E"' in html
    assert 'href="/feeds/calendar.ics?party=openai&amp;stage=escalated&amp;q=%3Cscript%3E"' in html
    assert "/exports/letters.csv?party=openai" in html
    assert "/exports/disputes.json?party=openai" in html
    assert "/api/disputes/?party=openai" in html
    assert "page=3" not in html
    assert "<script>" not in html
    assert "/account/access/?for=%2Ffeeds%2Fcalendar.ics" in html


def test_feed_links_for_a_dispute_organization_and_product(db):
    dispute = factories.DisputeFactory(slug="coda-v-openai")
    html = render_links("", dispute=dispute)
    assert 'href="/feeds/atom/disputes/coda-v-openai/"' in html
    assert 'href="/feeds/calendar/disputes/coda-v-openai.ics"' in html
    assert "/exports/letters.csv?dispute=coda-v-openai" in html
    organization = factories.OrganizationFactory(slug="openai")
    assert "/feeds/atom/?party=openai" in render_links("", organization=organization)
    product = factories.AIProductFactory(slug="sora-2")
    assert "/feeds/calendar.ics?product=sora-2" in render_links("", product=product)


def test_the_admin_lists_a_users_tokens_by_name_without_their_secrets(admin_client_logged, user):
    raw = token_reset(user=user, name="Work calendar")
    page = admin_client_logged.get(reverse("admin:auth_user_change", args=[user.pk])).content.decode()
    assert "Work calendar" in page and raw[4:8] in page
    assert raw not in page and AccessToken.objects.get(user=user).key_hash not in page
