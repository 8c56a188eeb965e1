"""The access policy (disputes/core/access.py, README "Access"), checked against every address the site has.

The URLconf is walked recursively: every URL pattern outside the admin must have an entry in EXPECTED, and is
requested as each role. A new view that forgets the policy fails here twice: its pattern has no expectation, and
(whatever the table says) a signed-in account that may not read gets through. The admin is walked through its
registry: every model's changelist, add, change, delete and history pages, the history form, and every action.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from simple_history.admin import SimpleHistoryAdmin

from disputes import models as m
from disputes.accounts.groups import EDITORS, READERS
from disputes.accounts.services import token_issue
from tests import factories as f

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "staff_no_group", "reader", "editor", "superuser"]
READING_ROLES = {"reader", "editor", "superuser"}

# How each address is protected. "page": the dashboard's login-required pages (anonymous → login page);
# "token": feeds, calendars and exports (anonymous → 401; a URL token of anyone who may not read → 404);
# "api": DRF (anonymous → 401); "public": meant for everyone (login, logout, language, health probes).
EXPECTED = {
    "login": "public",
    "logout": "public",
    "set_language": "public",
    "healthz": "public",
    "healthz-reminders": "public",
    "disputes:home": "page",
    "disputes:dispute-list": "page",
    "disputes:dispute-detail": "page",
    "disputes:timeline": "page",
    "disputes:matrix": "page",
    "disputes:filter-suggest": "page",
    "disputes:organization-detail": "page",
    "disputes:product-detail": "page",
    "reminders:inbox": "page",
    "reminders:acknowledge": "page",
    "reminders:snooze": "page",
    "reminders:follow-dispute": "page",
    "reminders:follow-letter": "page",
    "accounts:settings": "page",
    "feeds:atom": "token",
    "feeds:atom-dispute": "token",
    "feeds:atom-organization": "token",
    "feeds:atom-product": "token",
    "feeds:calendar": "token",
    "feeds:calendar-dispute": "token",
    "feeds:export": "token",
    "api:schema": "api",
    "api:docs": "api",
    "api:dispute-list": "api",
    "api:dispute-detail": "api",
    "api:letter-list": "api",
    "api:letter-detail": "api",
    "api:event-list": "api",
    "api:event-detail": "api",
    "api:organization-list": "api",
    "api:organization-detail": "api",
    "api:product-list": "api",
    "api:product-detail": "api",
}


@dataclass(frozen=True)
class Route:
    name: str  # namespace:name
    kwargs: tuple[str, ...]
    description: str

    def __str__(self) -> str:
        return f"{self.name}({', '.join(self.kwargs)})"


def _walk(patterns, namespace: str = "", prefix: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin" or entry.app_name == "admin":
                continue  # walked through the admin registry below
            ns = (
                f"{namespace}:{entry.namespace}"
                if namespace and entry.namespace
                else entry.namespace or namespace
            )
            yield from _walk(entry.url_patterns, ns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            pattern = entry.pattern
            names = getattr(pattern, "converters", None)
            keys = tuple(names) if names else tuple(pattern.regex.groupindex)
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield Route(name=name, kwargs=keys, description=prefix + str(pattern))


# Logging out ends the session the walk uses: last.
ROUTES = sorted(set(_walk(get_resolver().url_patterns)), key=lambda r: (r.name == "logout", str(r)))


def test_every_url_pattern_has_an_access_expectation():
    missing = sorted({f"{r.name or '<unnamed>'} ({r.description})" for r in ROUTES if r.name not in EXPECTED})
    assert not missing, (
        "These addresses have no entry in EXPECTED: protect the view with disputes.core.access.reader_required "
        "(or CanReadRecord / token_or_session) and say which kind it is:\n" + "\n".join(missing)
    )


def test_the_expectation_table_names_no_address_that_is_gone():
    assert set(EXPECTED) <= {r.name for r in ROUTES}


# --- The cast and the record they are asked about ------------------------------------------------------------


@pytest.fixture
def cast(db, scenario):
    users = {
        "outsider": f.UserFactory(username="outsider"),
        "staff_no_group": f.UserFactory(username="staff-no-group", is_staff=True, groups=[]),
        "reader": f.UserFactory(username="reader", is_staff=True, groups=[READERS]),
        "editor": f.UserFactory(username="editor", is_staff=True, groups=[EDITORS]),
        "superuser": f.UserFactory(username="root", is_staff=True, is_superuser=True),
    }
    tokens = {role: token_issue(user=user, name="matrix")[1] for role, user in users.items()}
    tokens["anonymous"] = "adt_" + "x" * 43
    return scenario, users, tokens


def _kwargs(route: Route, scenario, token: str, reminder_pk: int) -> dict:
    values = {}
    for key in route.kwargs:
        if key == "token":
            values[key] = token
        elif key == "slug":
            if "organization" in route.name:
                values[key] = scenario.coda.slug
            elif "product" in route.name:
                values[key] = scenario.sora.slug
            else:
                values[key] = scenario.dispute.slug
        elif key == "pk":
            values[key] = scenario.letter.pk if "letter" in route.name else reminder_pk
        elif key == "resource":
            values[key] = "letters"
        elif key == "fmt":
            values[key] = "csv"
        elif key == "source":
            values[key] = "party"
        else:
            values[key] = "1"
    return values


def _client_for(role: str, users: dict) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    return client


def _request(client: Client, url: str):
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {"days": "1", "following": "on"})
    return response


@pytest.mark.parametrize("role", ROLES)
def test_every_address_follows_the_policy_for_every_role(cast, role):
    scenario, users, tokens = cast
    client = _client_for(role, users)
    reminder = m.Reminder.objects.create(
        letter=scenario.letter,
        deadline_version=1,
        step="due",
        due_at=scenario.letter.response_deadline_at,
        recipient=users.get(role) or users["reader"],
    )
    login = reverse("login")
    failures = []
    for route in ROUTES:
        kind = EXPECTED.get(route.name, "page")  # a forgotten address is held to the strictest rule
        url = reverse(route.name, kwargs=_kwargs(route, scenario, tokens[role], reminder.pk))
        response = _request(client, url)
        status = response.status_code
        where = f"{route} as {role}: {url} → {status}"
        if kind == "public":
            if status >= 500 and route.name != "healthz-reminders":  # a 503 is that probe's "late" answer
                failures.append(f"{where} (server error)")
            continue
        if status >= 500:
            failures.append(f"{where} (server error)")
            continue
        by_token = "token" in route.kwargs
        if role in READING_ROLES:
            if status in (401, 403) or (status == 302 and response.url.startswith(login)):
                failures.append(f"{where} (a reader was refused)")
            elif status == 200 and "private" not in response.get("Cache-Control", ""):
                failures.append(f"{where} (no Cache-Control: private)")
        elif by_token:
            if status != 404:
                failures.append(f"{where} (a token of someone who may not read must be an unknown address)")
        elif role == "anonymous":
            wanted = {"page": (302,), "token": (401,), "api": (401,)}[kind]
            if status not in wanted or (status == 302 and not response.url.startswith(login)):
                failures.append(f"{where} (anonymous must get {wanted})")
        elif status != 403:
            failures.append(f"{where} (a signed-in account that may not read must get 403)")
    assert not failures, "\n".join(failures)


def test_tokens_of_accounts_that_may_not_read_open_nothing_in_a_header(cast, client):
    _scenario, _users, tokens = cast
    for role in ("outsider", "staff_no_group"):
        for url in ("/feeds/atom/", "/api/disputes/", "/exports/letters.csv"):
            response = client.get(url, HTTP_AUTHORIZATION=f"Token {tokens[role]}")
            assert response.status_code == 401, (role, url)


# --- The admin --------------------------------------------------------------------------------------------


def _instances(scenario, users) -> dict:
    """One row of every registered model, whichever part of the project registered it."""
    rows = {}
    for model in admin.site._registry:
        row = model._default_manager.order_by("pk").first()
        if row is not None:
            rows[model] = row
    rows[m.Reminder] = m.Reminder.objects.create(
        letter=scenario.letter,
        deadline_version=1,
        step="due",
        due_at=scenario.letter.response_deadline_at,
        recipient=users["reader"],
        status=m.DeliveryStatus.FAILED,
    )
    if m.Follow not in rows:
        rows[m.Follow] = m.Follow.objects.create(user=users["editor"], dispute=scenario.dispute)
    return rows


def _may(role: str, users: dict, model, action: str) -> bool:
    if role in ("anonymous", "outsider"):
        return False
    user = users[role]
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_follows_the_policy(cast, role):
    scenario, users, _tokens = cast
    rows = _instances(scenario, users)
    client = _client_for(role, users)
    failures = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        info = (opts.app_label, opts.model_name)
        pages = {"changelist": reverse(f"admin:{info[0]}_{info[1]}_changelist")}
        if model in rows:
            pk = rows[model].pk
            pages["change"] = reverse(f"admin:{info[0]}_{info[1]}_change", args=[pk])
            pages["delete"] = reverse(f"admin:{info[0]}_{info[1]}_delete", args=[pk])
            pages["history"] = reverse(f"admin:{info[0]}_{info[1]}_history", args=[pk])
        for page, url in pages.items():
            response = client.get(url)
            status = response.status_code
            where = f"{opts.label} {page} as {role}: {status}"
            if status >= 500:
                failures.append(where)
            elif role in ("anonymous", "outsider"):
                if status != 302 or "/admin/login/" not in response.url:
                    failures.append(f"{where} (must be sent to the admin login)")
            elif page == "delete":
                if role != "superuser" and status != 403:
                    failures.append(f"{where} (only superusers delete)")
            elif role == "staff_no_group" and status != 403:
                failures.append(f"{where} (staff without a group see nothing)")
            elif role in ("reader", "editor"):
                may = _may(role, users, model, "view") or _may(role, users, model, "change")
                if may != (status == 200):
                    failures.append(f"{where} (expected {'200' if may else '403'})")
        if role in ("reader", "editor") and _may(role, users, model, "delete"):
            failures.append(f"{opts.label}: {role} holds a delete permission")
        if role == "reader" and model in rows and _may(role, users, model, "view"):
            # A Reader's POST to a change form changes nothing.
            response = client.post(pages["change"], {})
            if response.status_code != 403:
                failures.append(f"{opts.label} change POST as reader: {response.status_code} (must be 403)")
        if model not in rows:
            continue
        actions = set(
            model_admin.get_actions(_admin_request(client, users.get(role))) if role in users else []
        )
        if role in ("reader", "editor", "staff_no_group") and "delete_selected" in actions:
            failures.append(f"{opts.label}: {role} is offered delete_selected")
    assert not failures, "\n".join(failures)


def _admin_request(client, user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_every_history_admin_refuses_a_revert_and_odd_ids(cast, client):
    """The history form would save any POST (even a Reader's, even a partial one): it is read-only for all."""
    scenario, users, _tokens = cast
    rows = _instances(scenario, users)
    client.force_login(users["superuser"])
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, SimpleHistoryAdmin) or model not in rows:
            continue
        row = rows[model]
        record = row.history.order_by("history_id").first()
        if record is None:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        url = reverse(f"admin:{info[0]}_{info[1]}_simple_history", args=[row.pk, record.history_id])
        assert client.get(url).status_code == 200, url
        assert client.post(url, {}).status_code == 403, url
        for odd in ("abc", "1.5", "9" * 30):
            odd_url = reverse(f"admin:{info[0]}_{info[1]}_simple_history", args=[row.pk, "X"]).replace(
                "/X/", f"/{odd}/"
            )
            assert client.get(odd_url).status_code == 404, odd_url
            history = reverse(f"admin:{info[0]}_{info[1]}_history", args=["X"]).replace("/X/", f"/{odd}/")
            assert client.get(history).status_code in (302, 404), history
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize("role", ["reader", "editor"])
def test_a_reader_or_editor_cannot_revert_a_dispute_from_its_history(cast, role):
    """Finding: a view-only user's POST to the history form saved, and a partial POST cleared relations."""
    scenario, users, _tokens = cast
    dispute = scenario.dispute
    products_before = set(dispute.products.values_list("pk", flat=True))
    assert products_before
    record = dispute.history.order_by("history_id").first()
    client = _client_for(role, users)
    url = reverse("admin:disputes_dispute_simple_history", args=[dispute.pk, record.history_id])
    response = client.post(
        url, {"title": "Reverted by a reader", "slug": dispute.slug, "stage": dispute.stage}
    )
    assert response.status_code == 403
    dispute.refresh_from_db()
    assert dispute.title != "Reverted by a reader"
    assert set(dispute.products.values_list("pk", flat=True)) == products_before


@pytest.mark.parametrize("role", ["reader", "editor"])
def test_retrying_failed_deliveries_needs_the_change_permission_on_reminders(cast, role):
    scenario, users, _tokens = cast
    reminder = m.Reminder.objects.create(
        letter=scenario.letter,
        deadline_version=1,
        step="due",
        due_at=scenario.letter.response_deadline_at,
        recipient=users["reader"],
        status=m.DeliveryStatus.FAILED,
    )
    client = _client_for(role, users)
    response = client.post(
        reverse("admin:disputes_reminder_changelist"),
        {"action": "retry_failed", "_selected_action": [reminder.pk]},
    )
    assert response.status_code in (200, 302, 403)
    reminder.refresh_from_db()
    assert reminder.status == m.DeliveryStatus.FAILED


def test_a_superuser_may_retry_failed_deliveries(cast, client):
    scenario, users, _tokens = cast
    reminder = m.Reminder.objects.create(
        letter=scenario.letter,
        deadline_version=1,
        step="due",
        due_at=scenario.letter.response_deadline_at,
        recipient=users["reader"],
        status=m.DeliveryStatus.FAILED,
        last_error="boom",
    )
    client.force_login(users["superuser"])
    client.post(
        reverse("admin:disputes_reminder_changelist"),
        {"action": "retry_failed", "_selected_action": [reminder.pk]},
    )
    reminder.refresh_from_db()
    assert reminder.status != m.DeliveryStatus.FAILED


def test_staff_groups_are_the_ones_the_policy_names():
    assert set(Group.objects.values_list("name", flat=True)) >= {READERS, EDITORS}


def test_no_address_answers_a_nul_byte_or_an_odd_id_with_a_server_error(cast, client):
    scenario, users, tokens = cast
    client.force_login(users["superuser"])
    odd_values = ["%00", "a%00b", "9" * 40, "-1", "x" * 3000, "%E2%80%AE"]
    failures = []
    for route in ROUTES:
        if not route.kwargs:
            continue
        base = _kwargs(route, scenario, tokens["superuser"], 1)
        for key in route.kwargs:
            if key in ("resource", "fmt"):
                continue
            for odd in odd_values:
                url = reverse(route.name, kwargs=base)
                value = str(base[key])
                url = re.sub(rf"/{re.escape(value)}(?=[/.]|$)", f"/{odd}", url, count=1)
                status = _request(client, url).status_code
                if status >= 500:
                    failures.append(f"{url} → {status}")
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        for odd in ("%00", "abc", "9" * 40):
            for view in ("change", "delete", "history"):
                url = reverse(f"admin:{info[0]}_{info[1]}_{view}", args=["X"]).replace("/X/", f"/{odd}/")
                status = client.get(url).status_code
                if status >= 500:
                    failures.append(f"{url} → {status}")
        changelist = reverse(f"admin:{info[0]}_{info[1]}_changelist")
        for query in ("?q=%00", "?q=" + "x" * 5000, "?o=%00", "?p=%00", "?e=1"):
            status = client.get(changelist + query).status_code
            if status >= 500:
                failures.append(f"{changelist + query} → {status}")
    assert not failures, "\n".join(failures)


def test_a_reminder_changelist_is_not_for_readers(cast):
    """Who is reminded of what (recipients, their errors) is for Editors and superusers."""
    _scenario, users, _tokens = cast
    client = _client_for("reader", users)
    assert client.get(reverse("admin:disputes_reminder_changelist")).status_code == 403
    assert client.get(reverse("admin:disputes_follow_changelist")).status_code == 403
    client = _client_for("editor", users)
    assert client.get(reverse("admin:disputes_reminder_changelist")).status_code == 200


def test_the_matrix_would_catch_a_view_that_forgets_the_policy(cast, settings):
    """A view with only login_required lets an outsider in; the matrix's rule for outsiders flags it."""
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.urls import clear_url_caches, path

    import config.urls

    @login_required
    def careless(request):
        return HttpResponse("all the data")

    patterns = [*config.urls.urlpatterns, path("careless/", careless, name="careless")]
    module = type("Urls", (), {"urlpatterns": patterns})
    settings.ROOT_URLCONF = module
    clear_url_caches()
    try:
        routes = set(_walk(get_resolver(module).url_patterns))
        assert any(r.name == "careless" for r in routes)
        assert "careless" not in EXPECTED  # the first test would list it
        _scenario, users, _tokens = cast
        response = _client_for("outsider", users).get("/careless/")
        assert response.status_code == 200  # ...and the walk's outsider rule (403 wanted) would fail on it
    finally:
        clear_url_caches()
