"""Views for in-app reminders (acknowledge, snooze, the inbox partial) and following disputes and letters.

htmx requests get the partial to swap in; plain form posts are redirected back to where they came from.
"""

import datetime as dt

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from disputes.core.access import reader_required
from disputes.core.errors import DisputeError
from disputes.models import DemandLetter, Dispute, Reminder
from disputes.reminders import services as reminders
from disputes.reminders.selectors import SNOOZE_CHOICES, follow_button, reminders_inbox

INBOX_TEMPLATE = "disputes/partials/reminders_inbox.html"
FOLLOW_TEMPLATE = "disputes/partials/follow_button.html"


class SnoozeForm(forms.Form):
    days = forms.TypedChoiceField(choices=SNOOZE_CHOICES, coerce=int)


class FollowForm(forms.Form):
    following = forms.BooleanField(required=False)


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next") or request.headers.get("referer") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = default
    return redirect(target)


def _inbox(request: HttpRequest, *, status: int = 200) -> HttpResponse:
    if request.htmx:
        context = {"reminders_inbox": reminders_inbox(request.user, timezone.now())}
        return render(request, INBOX_TEMPLATE, context, status=status)
    return _back(request, reverse("disputes:home"))


@reader_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The inbox partial on its own, for htmx to refresh."""
    return render(request, INBOX_TEMPLATE, {"reminders_inbox": reminders_inbox(request.user, timezone.now())})


@reader_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        reminders.reminder_acknowledge(user=request.user, reminder_id=pk)
    except Reminder.DoesNotExist as exc:
        raise Http404(_("No such reminder.")) from exc
    if not request.htmx:
        messages.success(request, _("Reminder acknowledged."))
    return _inbox(request)


@reader_required
@require_POST
def snooze(request: HttpRequest, pk: int) -> HttpResponse:
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how long to snooze the reminder."))
        return _inbox(request, status=400)
    now = timezone.now()
    try:
        reminders.reminder_snooze(
            user=request.user,
            reminder_id=pk,
            until=now + dt.timedelta(days=form.cleaned_data["days"]),
            now=now,
        )
    except Reminder.DoesNotExist as exc:
        raise Http404(_("No such reminder.")) from exc
    except DisputeError as exc:
        messages.error(request, str(exc))
        return _inbox(request, status=400)
    if not request.htmx:
        messages.success(request, _("Reminder snoozed."))
    return _inbox(request)


def _follow(request: HttpRequest, *, dispute=None, letter=None) -> HttpResponse:
    form = FollowForm(request.POST)
    form.is_valid()  # an unchecked or missing box means "unfollow"; nothing else can be wrong
    following = reminders.follow_set(
        user=request.user, dispute=dispute, letter=letter, following=form.cleaned_data.get("following", False)
    )
    if request.htmx:
        context = {"follow": follow_button(request.user, dispute=dispute, letter=letter)}
        return render(request, FOLLOW_TEMPLATE, context)
    if following:
        messages.success(request, _("You will be reminded about its deadlines."))
    else:
        messages.success(request, _("You no longer follow it."))
    return _back(request, (dispute or letter.dispute).get_absolute_url())


@reader_required
@require_POST
def follow_dispute(request: HttpRequest, slug: str) -> HttpResponse:
    return _follow(request, dispute=get_object_or_404(Dispute, slug=slug))


@reader_required
@require_POST
def follow_letter(request: HttpRequest, pk: int) -> HttpResponse:
    return _follow(request, letter=get_object_or_404(DemandLetter.objects.select_related("dispute"), pk=pk))
