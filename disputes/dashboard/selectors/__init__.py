"""Read queries that shape data for the dashboard's pages. Each runs a fixed number of SQL queries whatever the
data size. Views import this package and call one selector per page."""

from .directory import organization_detail, product_detail, response_stats
from .dispute import dispute_detail, events_for_timeline, letters_for_timeline
from .home import home_dashboard
from .lists import dispute_list, dispute_list_page
from .matrix import licence_matrix, matrix_csv_rows, matrix_pairs
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
    "letters_for_timeline",
    "licence_matrix",
    "matrix_csv_rows",
    "matrix_pairs",
    "organization_detail",
    "product_detail",
    "response_stats",
    "SUGGESTION_SOURCES",
    "timeline_page",
]
