"""The settings page: the time zone times are shown in, the named tokens for access from outside the dashboard
(each shown once; replace or revoke one without touching the others) with the subscription addresses they open,
and the follow digest's frequency."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from disputes.accounts.middleware import remember_profile_timezones
from disputes.accounts.services import (
    digest_frequency_set,
    profile_timezone_set,
    token_issue,
    token_replace,
    token_revoke,
)
from disputes.core import timezones
from disputes.core.access import reader_required
from disputes.core.site import absolute_url
from disputes.models import AccessToken, DigestPreference
from disputes.models.access import MAX_TOKENS_PER_USER, TOKEN_NAME_LENGTH
from disputes.reminders.digest import digest_schedule_text, followed_for

# Stands in for the token in addresses shown when the raw token is not known (it is only shown once).
TOKEN_PLACEHOLDER = "YOUR-TOKEN"  # noqa: S105 - a label, not a secret
TOKEN_ROUTES = {
    "atom",
    "atom-dispute",
    "atom-organization",
    "atom-product",
    "calendar",
    "calendar-dispute",
    "export",
}


class DigestForm(forms.ModelForm):
    class Meta:
        model = DigestPreference
        fields = ["frequency"]
        widgets = {"frequency": forms.RadioSelect}
        labels = {"frequency": gettext_lazy("Email me what changed in the disputes I follow")}


class TimezoneForm(forms.Form):
    timezone = forms.ChoiceField(label=gettext_lazy("Show dates and times in"), required=False)

    def __init__(self, *args, browser_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        automatic = (
            _("My browser's time zone (now %(zone)s)") % {"zone": browser_label}
            if browser_label
            else _("My browser's time zone")
        )
        self.fields["timezone"].choices = [("", automatic), *timezones.choices()]
        self.fields["timezone"].error_messages["invalid_choice"] = _(
            "“%(value)s” is not a time zone in the list. Pick one such as Europe/London or Asia/Tokyo."
        )


def personal_url(path: str, token: str) -> str | None:
    """The absolute address of ``path`` (a feed, calendar or export, with its query) with ``token`` in it.

    None if ``path`` is not one of those addresses on this site.
    """
    parts = urlsplit(path)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.namespace != "feeds" or match.url_name not in TOKEN_ROUTES:
        return None
    kwargs = {**match.kwargs, "token": token}
    url = absolute_url(reverse(f"feeds:{match.url_name}", kwargs=kwargs))
    return f"{url}?{parts.query}" if parts.query else url


def _subscriptions(token: str, for_path: str | None) -> list[dict]:
    rows = [
        {"label": _("Calendar of every deadline"), "path": reverse("feeds:calendar"), "calendar": True},
        {"label": _("Atom feed of everything new"), "path": reverse("feeds:atom"), "calendar": False},
    ]
    if for_path:
        rows.insert(
            0,
            {
                "label": _("The view you came from"),
                "path": for_path,
                "calendar": urlsplit(for_path).path.endswith(".ics"),
            },
        )
    result = []
    for row in rows:
        url = personal_url(row["path"], token)
        if url is None:
            continue
        webcal = "webcal://" + url.split("://", 1)[1] if row["calendar"] else None
        result.append({"label": row["label"], "url": url, "webcal": webcal})
    return result


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the new token"),
        max_length=TOKEN_NAME_LENGTH,
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("e.g. Work calendar"), "autocomplete": "off"}
        ),
    )


@dataclass
class TokenOutcome:
    """What a token action leaves for the page: a redirect, or a new secret to show once (and which token)."""

    redirect: bool = False
    raw: str | None = None
    token: AccessToken | None = None


def _token_action(request: HttpRequest, action: str, form: TokenForm) -> TokenOutcome:
    user = request.user
    if action == "create-token":
        if form.is_valid():
            try:
                token, raw = token_issue(user=user, name=form.cleaned_data["name"])
            except ValidationError as exc:
                form.add_error("name", exc)
            else:
                return TokenOutcome(raw=raw, token=token)
        return TokenOutcome()
    token = AccessToken.objects.filter(user=user, pk=_int_or_none(request.POST.get("token"))).first()
    if token is None:
        messages.error(request, _("That token does not exist any more: it was revoked. Nothing was changed."))
        return TokenOutcome(redirect=True)
    if action == "replace-token":
        return TokenOutcome(raw=token_replace(token=token), token=token)
    token_revoke(token=token)
    messages.success(
        request,
        _("The token “%(name)s” was revoked. Addresses that used it no longer work.") % {"name": token.name},
    )
    return TokenOutcome(redirect=True)


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


@reader_required
@never_cache
def account(request: HttpRequest) -> HttpResponse:
    """The settings page: the time zone, the named tokens (create, replace, revoke), and the digest.

    A new token's secret is shown once, here.
    """
    user = request.user
    preference = DigestPreference.objects.filter(user=user).first() or DigestPreference(user=user)
    form = DigestForm(instance=preference)
    zones = remember_profile_timezones(request, user)
    browser_label = zones["detected"]
    tz_form = TimezoneForm(initial={"timezone": zones["chosen"]}, browser_label=browser_label)
    token_form = TokenForm()
    outcome = TokenOutcome()
    for_path = request.POST.get("for") or request.GET.get("for") or ""
    if for_path and personal_url(for_path, TOKEN_PLACEHOLDER) is None:
        for_path = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("create-token", "replace-token", "revoke-token"):
            if action == "create-token":
                token_form = TokenForm(request.POST)
            outcome = _token_action(request, action, token_form)
            if outcome.redirect:
                return redirect("accounts:settings")
        elif action == "digest":
            form = DigestForm(request.POST, instance=preference)
            if form.is_valid():
                digest_frequency_set(user=user, frequency=form.cleaned_data["frequency"])
                messages.success(request, _("Your digest setting was saved."))
                return redirect("accounts:settings")
        elif action == "timezone":
            tz_form = TimezoneForm(request.POST, browser_label=browser_label)
            if tz_form.is_valid():
                try:
                    profile_timezone_set(user=user, name=tz_form.cleaned_data["timezone"])
                except ValidationError as exc:
                    tz_form.add_error("timezone", exc)
                else:
                    remember_profile_timezones(request, user)
                    messages.success(request, _("Your time zone was saved."))
                    return redirect("accounts:settings")
        else:
            return HttpResponseBadRequest(_("Unknown action."))
    context = {
        "tokens": list(AccessToken.objects.filter(user=user)),
        "token_form": token_form,
        "max_tokens": MAX_TOKENS_PER_USER,
        "raw_token": outcome.raw,
        "new_token": outcome.token,
        "subscriptions": _subscriptions(outcome.raw or TOKEN_PLACEHOLDER, for_path or None),
        "token_placeholder": TOKEN_PLACEHOLDER,
        "for_path": for_path,
        "form": form,
        "tz_form": tz_form,
        "digest_schedule": digest_schedule_text(),
        "viewer_zone": getattr(request, "viewer_zone", None) or timezones.site_zone(),
        "followed": followed_for(user),
        "api_docs": reverse("api:docs"),
    }
    return render(request, "disputes/account.html", context)


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a login from a locked-out username and address (AXES_LOCKOUT_CALLABLE): a page
    that says what happened and for how long, status 429, for the dashboard's and the admin's login alike."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
