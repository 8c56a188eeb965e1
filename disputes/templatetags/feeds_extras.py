"""Links from a dashboard page to the same records as Atom, iCalendar, CSV, JSON and API.

In a template that extends ``base.html``::

    {% load feeds_extras %}
    {% block feed_links %}{% feed_links request %}{% endblock %}                       {# list, timeline #}
    {% block feed_links %}{% feed_links request dispute=dispute %}{% endblock %}       {# a dispute's page #}
    {% block feed_links %}{% feed_links request organization=organization %}{% endblock %}
    {% block feed_links %}{% feed_links request product=product %}{% endblock %}

The links carry the page's filters (its query string, without the page number or cursor), so each one gives the
records the page shows. They work with the session; the last link leads to the account page, which gives the
personal address a calendar app or feed reader needs. No query: everything comes from the URL and the objects
passed in.
"""

from __future__ import annotations

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()

# Paging belongs to one page of the dashboard, not to the records it shows.
PAGING_PARAMS = ("page", "cursor", "after", "before")


def _with_query(url: str, query: QueryDict) -> str:
    return f"{url}?{query.urlencode()}" if query else url


@register.simple_tag
def feed_links(request, dispute=None, organization=None, product=None):
    """Atom, calendar, CSV, JSON and API links for the current page's filters (and its dispute, organization
    or AI product)."""
    query = request.GET.copy()
    for name in PAGING_PARAMS:
        query.pop(name, None)
    # An htmx filter form sends every field, filled or not; an empty one filters nothing, so leave it out.
    for name in list(query):
        values = [value for value in query.getlist(name) if value]
        if values:
            query.setlist(name, values)
        else:
            del query[name]
    if dispute is not None:
        query["dispute"] = dispute.slug
        atom = reverse("feeds:atom-dispute", kwargs={"slug": dispute.slug})
        calendar = reverse("feeds:calendar-dispute", kwargs={"slug": dispute.slug})
        scoped = QueryDict(mutable=True)
        scoped.update({k: v for k, v in query.items() if k != "dispute"})
        atom, calendar = _with_query(atom, scoped), _with_query(calendar, scoped)
    else:
        if organization is not None:
            query["party"] = organization.slug
        if product is not None:
            query["product"] = product.slug
        atom = _with_query(reverse("feeds:atom"), query)
        calendar = _with_query(reverse("feeds:calendar"), query)

    def export(resource: str, fmt: str) -> str:
        return _with_query(reverse("feeds:export", kwargs={"resource": resource, "fmt": fmt}), query)

    resources = ("letters", "events") if dispute is not None else ("disputes", "letters", "events")
    labels = {"disputes": _("disputes"), "letters": _("letters"), "events": _("events")}
    links = [
        (atom, "alternate", "application/atom+xml", _("Atom feed")),
        (calendar, "", "text/calendar", _("Calendar (iCal)")),
    ]
    for fmt in ("csv", "json"):
        for resource in resources:
            links.append(
                (
                    export(resource, fmt),
                    "",
                    "",
                    _("%(format)s: %(what)s") % {"format": fmt.upper(), "what": labels[resource]},
                )
            )
    api = reverse("api:letter-list" if dispute is not None else "api:dispute-list")
    links.append((_with_query(api, query), "", "application/json", _("API")))
    subscribe = f"{reverse('accounts:settings')}?{_for_query(calendar)}"
    items = format_html_join(
        "",
        '<li><a href="{}"{}{}>{}</a></li>',
        (
            (
                url,
                format_html(' rel="{}"', rel) if rel else "",
                format_html(' type="{}"', mime) if mime else "",
                label,
            )
            for url, rel, mime, label in links
        ),
    )
    return format_html(
        '<details class="feed-links"><summary>{}</summary><ul>{}<li><a href="{}">{}</a></li></ul></details>',
        _("Feeds and exports"),
        items,
        subscribe,
        _("Personal address for a calendar app or feed reader"),
    )


def _for_query(path: str) -> str:
    query = QueryDict(mutable=True)
    query["for"] = path
    return query.urlencode()
