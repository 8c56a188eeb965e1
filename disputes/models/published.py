"""Lists of a record's fields that more than one way out of the dashboard publishes, so that they agree."""

# When a letter was written, sent and made public, how precisely that is known, and its deadline (the day, the
# instant it ends in the sender's time zone, and who set it): the API's letters
# (``disputes.api.serializers.LetterSerializer``) and the letters export (``disputes.feeds.exports``) give
# these, in this order.
LETTER_DATE_FIELDS = (
    "dated_on",
    "sent_on",
    "announced_on",
    "date_precision",
    "timezone",
    "response_deadline_on",
    "response_deadline_at",
    "deadline_source",
)

# What an event says happened and who and what it concerns: the API's events
# (``disputes.api.serializers.EventSerializer``) and the events export (``disputes.feeds.exports``) give these, in
# this order.
EVENT_CONTENT_FIELDS = (
    "title",
    "title_original",
    "summary",
    "quote",
    "actor",
    "disputes",
    "products",
    "low_confidence",
)
