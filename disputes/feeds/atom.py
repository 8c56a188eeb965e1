"""Atom feeds of what is new in the record: events, letters and responses.

One feed class serves every scope: everything, one dispute, one organization, one AI product, and any filtered
view (the query string takes the same parameters as the dashboard and the API, see ``disputes.api.filters``).
A feed holds the latest ``FEED_LENGTH`` records by the time they were recorded, newest first, in a fixed number
of queries whatever the size of the record.

Titles go out as Atom text (the XML writer escapes them); summaries go out as Atom HTML and are escaped here,
so ``<script>`` in a title or a summary reaches the reader as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from disputes.accounts.tokens import token_or_session
from disputes.core.site import absolute_url, site_host
from disputes.core.text import printable
from disputes.filters.api import FeedFilter
from disputes.models import AIProduct, DemandLetter, Dispute, Event, Organization, Response

FEED_LENGTH = 50


class BadFilter(Exception):
    def __init__(self, errors: dict):
        super().__init__("invalid filter")
        self.errors = errors


def filter_errors_response(errors: dict) -> JsonResponse:
    """A 400 that says which parameter is wrong and why."""
    return JsonResponse(
        {"detail": _("Some filter parameters are not valid."), "errors": errors},
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )


@dataclass
class FeedScope:
    title: str
    link: str
    url: str
    guid: str
    items: list = field(default_factory=list)


def feed_items(data, *, limit: int = FEED_LENGTH) -> list:
    """The latest events, letters and responses matching the dashboard's timeline filters, newest first.

    One filter set, validated once and applied to each model (as the dashboard's timeline does). Four queries
    whatever the size, plus one per slug filter to validate it. Raises ``BadFilter`` for malformed parameters.
    """
    filterset = FeedFilter(data, queryset=Event.objects.none(), now=timezone.now())
    if not filterset.is_valid():
        raise BadFilter(filterset.errors)
    letter_rows = list(
        filterset.filter_queryset(DemandLetter.objects.all())
        .select_related("sender", "recipient", "dispute")
        .order_by("-created_at", "-id")[:limit]
    )
    response_rows = list(
        filterset.filter_queryset(Response.objects.all())
        .select_related("responder", "letter__dispute", "letter__recipient")
        .order_by("-created_at", "-id")[:limit]
    )
    event_rows = list(
        filterset.filter_queryset(Event.objects.all())
        .select_related("actor")
        .prefetch_related(Prefetch("disputes", queryset=Dispute.objects.only("pk", "slug", "title")))
        .order_by("-created_at", "-id")[:limit]
    )
    items = [*letter_rows, *response_rows, *event_rows]
    items.sort(key=lambda item: (item.created_at, item.pk), reverse=True)
    return items[:limit]


class RecordFeed(Feed):
    """New events, letters and responses, for a scope given by the URL and the query string."""

    feed_type = Atom1Feed
    scope: str | None = None  # None, "dispute", "organization" or "product"
    scope_models = {"dispute": Dispute, "organization": Organization, "product": AIProduct}
    # The query parameter each scope stands for (the dashboard calls an organization filter "party").
    scope_params = {"dispute": "dispute", "organization": "party", "product": "product"}

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except BadFilter as exc:
            return filter_errors_response(exc.errors)

    def get_object(self, request, slug: str | None = None):
        data = request.GET.copy()
        title = _("AI disputes: new events, letters and responses")
        link = absolute_url(reverse("disputes:home"))
        if self.scope is not None:
            obj = get_object_or_404(self.scope_models[self.scope], slug=slug)
            data[self.scope_params[self.scope]] = slug
            title = _("%(name)s: new events, letters and responses") % {"name": printable(obj)}
            if isinstance(obj, Dispute):
                link = absolute_url(obj.get_absolute_url())
        elif request.GET:
            title = _("AI disputes (filtered): new events, letters and responses")
        # The feed's identity must survive a token reset: it is the address without the token.
        match = request.resolver_match
        kwargs = {k: v for k, v in match.kwargs.items() if k != "token"}
        query = request.META.get("QUERY_STRING", "")
        guid = absolute_url(reverse(match.view_name, kwargs=kwargs)) + (f"?{query}" if query else "")
        return FeedScope(
            title=title,
            link=link,
            # rel="self" is the address without the token: a feed is shared, pasted and logged by readers.
            url=guid,
            guid=guid,
            items=feed_items(data),
        )

    def title(self, obj: FeedScope) -> str:
        return printable(obj.title)

    def link(self, obj: FeedScope) -> str:
        return obj.link

    def feed_url(self, obj: FeedScope) -> str:
        return obj.url

    def feed_guid(self, obj: FeedScope) -> str:
        return obj.guid

    def author_name(self, obj: FeedScope) -> str:
        # RFC 4287 wants an author for every entry; the feed's covers entries without a sender or an actor.
        return _("AI Disputes Tracker")

    def subtitle(self, obj: FeedScope) -> str:
        return _("The latest %(count)s records added to the dispute tracker.") % {"count": FEED_LENGTH}

    def items(self, obj: FeedScope) -> list:
        return obj.items

    def item_title(self, item) -> str:
        if isinstance(item, DemandLetter):
            text = _("Letter: %(title)s (%(sender)s → %(recipient)s)") % {
                "title": item.title,
                "sender": item.sender.display_name,
                "recipient": item.recipient.display_name,
            }
        elif isinstance(item, Response):
            text = _("Response from %(responder)s to “%(letter)s”: %(assessment)s") % {
                "responder": item.responder.display_name,
                "letter": item.letter.title,
                "assessment": item.get_assessment_display(),
            }
        else:
            text = f"{item.get_kind_display()}: {item.title}"
        return printable(text)

    def item_description(self, item) -> str:
        lines: list[str] = []
        if isinstance(item, DemandLetter):
            lines.append(f"{item.dispute.title}")
            if item.title_original:
                lines.append(item.title_original)
            lines.append(_("Dated %(date)s.") % {"date": item.display_date})
            if item.response_deadline_on:
                lines.append(
                    _("Response due by %(date)s (%(tz)s).")
                    % {"date": item.response_deadline_on.isoformat(), "tz": item.timezone}
                )
        elif isinstance(item, Response):
            lines.append(f"{item.letter.dispute.title}")
            if item.title:
                lines.append(item.title)
            lines.append(_("Dated %(date)s.") % {"date": item.display_date})
            if item.quote:
                lines.append(f"“{item.quote}”")
        else:
            lines.append(_("Dated %(date)s.") % {"date": item.display_date})
            if item.title_original:
                lines.append(item.title_original)
            if item.quote:
                lines.append(f"“{item.quote}”")
        if item.summary:
            lines.append(item.summary)
        # Atom <summary type="html">: escape the record's text so it is shown, never interpreted.
        return printable(linebreaks("\n".join(lines), autoescape=True))

    def item_link(self, item) -> str:
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item) -> str:
        host = site_host()
        return f"tag:{host},2025:{type(item).__name__.lower()}/{item.pk}"

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item) -> str | None:
        if isinstance(item, DemandLetter):
            return printable(item.sender.display_name)
        if isinstance(item, Response):
            return printable(item.responder.display_name)
        return printable(item.actor.display_name) if item.actor else None

    def item_categories(self, item) -> list[str]:
        if isinstance(item, DemandLetter):
            return [printable(_("Letter")), printable(item.get_kind_display())]
        if isinstance(item, Response):
            return [printable(_("Response")), printable(item.get_assessment_display())]
        return [printable(_("Event")), printable(item.get_kind_display())]


def _feed_view(scope: str | None):
    feed = type(f"{(scope or 'all').title()}Feed", (RecordFeed,), {"scope": scope})()

    @token_or_session
    def view(request, *args, **kwargs) -> HttpResponse:
        try:
            return feed(request, *args, **kwargs)
        except Http404:
            return HttpResponse(_("Not found."), status=404, content_type="text/plain; charset=utf-8")

    return view


all_feed = _feed_view(None)
dispute_feed = _feed_view("dispute")
organization_feed = _feed_view("organization")
product_feed = _feed_view("product")
