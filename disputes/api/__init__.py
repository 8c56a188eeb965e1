"""The read-only JSON API (Django REST framework), its filters, and token authentication for everything that is
read from outside the dashboard: API, feeds, calendars and exports."""
