"""Read queries that shape data for the dashboard's pages. Each runs a fixed number of SQL queries whatever the
data size. Views import this package and call one selector per page."""

from .directory import organization_detail, product_detail, response_stats
from .dispute import dispute_detail, events_for_timeline, letters_for_timeline
from .home import home_dashboard
from .lists import dispute_list, dispute_list_page, last_activity_by_dispute
from .suggest import SOURCES as SUGGESTION_SOURCES
from .suggest import filter_suggestions
from .timeline import timeline_page

__all__ = [
    "dispute_detail",
    "dispute_list",
    "dispute_list_page",
    "events_for_timeline",
    "filter_suggestions",
    "home_dashboard",
    "last_activity_by_dispute",
    "letters_for_timeline",
    "organization_detail",
    "product_detail",
    "response_stats",
    "SUGGESTION_SOURCES",
    "timeline_page",
]
