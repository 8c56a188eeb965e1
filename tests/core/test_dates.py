"""Dates in English are Django's "j M Y" and "M Y", written without a translation lookup per date."""

import datetime as dt

from django.utils import dateformat, translation

from disputes.core.dates import format_day


def test_english_dates_are_djangos_formats_for_every_month():
    with translation.override("en"):
        for month in range(1, 13):
            for day in (1, 9, 28):
                date = dt.date(2025, month, day)
                assert format_day(date) == dateformat.format(date, "j M Y")
                assert format_day(date, "month") == dateformat.format(date, "M Y")
                assert format_day(date, "year") == "2025"
    with translation.override("ja"):
        assert format_day(dt.date(2025, 10, 27)) == "2025年10月27日"
        assert format_day(dt.date(2025, 10, 27), "month") == "2025年10月"
