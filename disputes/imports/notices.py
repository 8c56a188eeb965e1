"""Tell the followers of a dispute that new docket entries arrived from CourtListener.

Each follower with an email address gets one message listing the new entries, with a link to the dispute. The
entries are events of the dispute, so the follow digest carries them too.
"""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from disputes.core.access import may_read_q
from disputes.core.site import absolute_url
from disputes.models import CourtListenerDocket, Event, Follow


def docket_followers_notify(*, docket_pk: int, event_ids: list[int]) -> int:
    """Email each follower of the docket's dispute about ``event_ids``. Returns the number of messages sent."""
    docket = (
        CourtListenerDocket.objects.select_related("docket__proceeding__dispute").filter(pk=docket_pk).first()
    )
    if docket is None:
        return 0
    events = list(Event.objects.filter(pk__in=event_ids).order_by("date", "id"))
    if not events:
        return 0
    dispute = docket.docket.proceeding.dispute
    followers = (
        Follow.objects.filter(may_read_q("user__"), dispute=dispute)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    )
    subject = _("New on the docket of %(dispute)s: %(count)d entries") % {
        "dispute": dispute.title,
        "count": len(events),
    }
    lines = [f"{event.date.isoformat()}  {event.title}" for event in events]
    body = "\n".join(
        [
            _("CourtListener has new entries on %(proceeding)s, No. %(number)s:")
            % {"proceeding": docket.docket.proceeding.title, "number": docket.docket.number},
            "",
            *lines,
            "",
            absolute_url(dispute.get_absolute_url()),
        ]
    )
    sent = 0
    for follow in followers:
        sent += EmailMessage(subject=subject, body=body, to=[follow.user.email]).send()
    return sent
