"""The staff dashboard's pages. Each view parses its input, calls one selector (or the follow write), renders.

Every page needs a login. htmx requests from the filter forms get only the results partial; the URL they push is
the same one a full page load renders, so every filtered view can be shared and reloaded. The partial also brings
the page's feed links out of band (``results_only``), so they keep following the filters.
"""

import csv
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from disputes.core.access import reader_required
from disputes.core.text import csv_cell
from disputes.dashboard import selectors
from disputes.dashboard.forms import MatrixFilterForm, TimelinePageForm, parse_page_number
from disputes.filters.dashboard import DisputeFilterSet, TimelineFilterSet
from disputes.models import Dispute, Event
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


@reader_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    context = {
        "dashboard": selectors.home_dashboard(now=now),
        "reminders_inbox": reminders_inbox(request.user, now),
        "reminders_health": reminders_health(now),
    }
    return render(request, "disputes/home.html", context)


@reader_required
@require_GET
@vary_on_headers("HX-Request")
def dispute_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    listing = selectors.dispute_list_page(
        filterset=DisputeFilterSet(request.GET, queryset=Dispute.objects.all(), now=now),
        page=parse_page_number(request.GET.get("page")),
        now=now,
    )
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


@reader_required
@require_GET
@not_found_page
def dispute_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    detail = selectors.dispute_detail(
        slug=slug,
        user=request.user,
        page=page,
        kind=request.GET.get("kind", ""),
        oldest_first=request.GET.get("order") == "oldest",
    )
    if detail is None:
        raise Http404("No dispute with that address.")
    context = {
        "detail": detail,
        "dispute": detail.dispute,
        "follow": FollowButton.for_dispute(detail.dispute, following=detail.following),
        "letter_follows": letter_follow_buttons(detail.letters, detail.followed_letter_ids),
    }
    if request.headers.get("HX-Request") and request.GET.get("part") == "timeline":
        return render(request, "disputes/partials/dispute_timeline.html", context)
    return render(request, "disputes/dispute_detail.html", context)


@reader_required
@require_GET
@vary_on_headers("HX-Request")
def timeline(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    page = selectors.timeline_page(
        filterset=TimelineFilterSet(request.GET, queryset=Event.objects.none(), now=now),
        page_form=TimelinePageForm(request.GET),
        now=now,
    )
    notices = [_("That page link is not valid; showing the first page.")] if page.bad_cursor else []
    results_only = _wants_results_only(request)
    context = {"page": page, "filterset": page.filterset, "notices": notices, "results_only": results_only}
    template = "disputes/partials/timeline_results.html" if results_only else "disputes/timeline.html"
    return render(request, template, context)


@reader_required
@require_GET
def filter_suggest(request: HttpRequest, source: str) -> HttpResponse:
    """The ``<option>``s for a filter's text box (htmx fills its ``<datalist>``): names matching what was typed."""
    if source not in selectors.SUGGESTION_SOURCES:
        raise Http404("No such filter.")
    suggestions = selectors.filter_suggestions(source=source, text=request.GET.get(source, ""))
    return render(request, "disputes/partials/filter_suggestions.html", {"suggestions": suggestions})


@reader_required
@require_GET
@not_found_page
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    detail = selectors.organization_detail(slug=slug, params=request.GET)
    if detail is None:
        raise Http404("No organization with that address.")
    return render(
        request, "disputes/organization_detail.html", {"detail": detail, "organization": detail.organization}
    )


@reader_required
@require_GET
@not_found_page
def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    detail = selectors.product_detail(slug=slug, params=request.GET)
    if detail is None:
        raise Http404("No AI product with that address.")
    return render(request, "disputes/product_detail.html", {"detail": detail, "product": detail.product})


@reader_required
@require_GET
def licence_matrix(request: HttpRequest) -> HttpResponse:
    form = MatrixFilterForm(request.GET)
    filters = form.filters()
    if request.GET.get("format") == "csv":
        pairs = selectors.matrix_pairs(**filters)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="rights-holders-x-ai-developers.csv"'
        writer = csv.writer(response)
        for row in selectors.matrix_csv_rows(pairs):
            writer.writerow([csv_cell(cell) for cell in row])
        return response
    page = form.cleaned_data.get("page") if form.is_valid() else 1
    matrix = selectors.licence_matrix(page=page or 1, **filters)
    return render(request, "disputes/matrix.html", {"matrix": matrix, "form": form, "filters": filters})
