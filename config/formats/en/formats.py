# One date format on every admin page, with the time zone of instants: 2025-11-26 and 2025-11-26 23:59 JST.
# The dashboard formats dates itself for the reader's language (disputes.templatetags.disputes_extras).
# https://docs.djangoproject.com/en/5.2/topics/i18n/formatting/#creating-custom-format-files
DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i T"
SHORT_DATETIME_FORMAT = "Y-m-d H:i T"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "m-d"
YEAR_MONTH_FORMAT = "Y-m"
