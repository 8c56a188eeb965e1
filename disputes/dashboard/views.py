"""The staff dashboard's pages. Each view parses its input, calls one selector (or the follow write), renders.

Every page needs a login. htmx requests from the filter forms get only the results partial; the URL they push is
the same one a full page load renders, so every filtered view can be shared and reloaded. The partial also brings
the page's feed links out of band (``results_only``), so they keep following the filters.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from disputes.dashboard import selectors
from disputes.reminders.selectors import (
    FollowButton,
    letter_follow_buttons,
    reminders_health,
    reminders_inbox,
)


def not_found_page(view):
    """Render an unknown slug as a page with the dashboard's navigation and a clear message, status 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return render(request, "disputes/not_found.html", status=404)

    return wrapper


def _wants_results_only(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request and htmx.target == "results"


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    context = {
        "dashboard": selectors.home_dashboard(now=now),
        "reminders_inbox": reminders_inbox(request.user, now),
        "reminders_health": reminders_health(now),
    }
    return render(request, "disputes/home.html", context)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def dispute_list(request: HttpRequest) -> HttpResponse:
    listing = selectors.dispute_list_page(params=request.GET)
    notices = []
    if listing.notice == "not-a-number":
        notices.append(_("That is not a page number; showing the first page."))
    elif listing.notice == "past-the-end":
        notices.append(
            _("There is no page %(asked)s; showing the last page.") % {"asked": listing.asked_page}
        )
    results_only = _wants_results_only(request)
    context = {
        "listing": listing,
        "filterset": listing.filterset,
        "notices": notices,
        "results_only": results_only,
    }
    template = "disputes/partials/dispute_results.html" if results_only else "disputes/dispute_list.html"
    return render(request, template, context)


@login_required
@require_GET
@not_found_page
def dispute_detail(request: HttpRequest, slug: str) -> HttpResponse:
    detail = selectors.dispute_detail(slug=slug, user=request.user)
    context = {
        "detail": detail,
        "dispute": detail.dispute,
        "follow": FollowButton.for_dispute(detail.dispute, following=detail.following),
        "letter_follows": letter_follow_buttons(detail.letters, detail.followed_letter_ids),
    }
    return render(request, "disputes/dispute_detail.html", context)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def timeline(request: HttpRequest) -> HttpResponse:
    page = selectors.timeline_page(params=request.GET)
    notices = [_("That page link is not valid; showing the first page.")] if page.bad_cursor else []
    results_only = _wants_results_only(request)
    context = {"page": page, "filterset": page.filterset, "notices": notices, "results_only": results_only}
    template = "disputes/partials/timeline_results.html" if results_only else "disputes/timeline.html"
    return render(request, template, context)


@login_required
@require_GET
def filter_suggest(request: HttpRequest, source: str) -> HttpResponse:
    """The ``<option>``s for a filter's text box (htmx fills its ``<datalist>``): names matching what was typed."""
    if source not in selectors.SUGGESTION_SOURCES:
        raise Http404
    suggestions = selectors.filter_suggestions(source=source, text=request.GET.get(source, ""))
    return render(request, "disputes/partials/filter_suggestions.html", {"suggestions": suggestions})


@login_required
@require_GET
@not_found_page
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    detail = selectors.organization_detail(slug=slug, params=request.GET)
    return render(
        request, "disputes/organization_detail.html", {"detail": detail, "organization": detail.organization}
    )


@login_required
@require_GET
@not_found_page
def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    detail = selectors.product_detail(slug=slug, params=request.GET)
    return render(request, "disputes/product_detail.html", {"detail": detail, "product": detail.product})
