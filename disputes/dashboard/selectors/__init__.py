"""Read queries that shape data for the dashboard's pages. Each runs a fixed number of SQL queries whatever the
data size. Views import this package and call one selector per page."""

from .directory import organization_detail, product_detail, response_stats
from .dispute import dispute_detail, events_for_timeline, letters_for_timeline
from .home import home_dashboard
from .lists import dispute_list, dispute_list_page, last_activity_by_dispute
from .matrix import licence_matrix, matrix_csv_rows, matrix_pairs
from .timeline import timeline_page

__all__ = [
    "dispute_detail",
    "dispute_list",
    "dispute_list_page",
    "events_for_timeline",
    "home_dashboard",
    "last_activity_by_dispute",
    "letters_for_timeline",
    "licence_matrix",
    "matrix_csv_rows",
    "matrix_pairs",
    "organization_detail",
    "product_detail",
    "response_stats",
    "timeline_page",
]
