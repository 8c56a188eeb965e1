"""A dispute's page pages its timeline: a dispute with a thousand events renders one page of them."""

import datetime as dt

import pytest

from disputes import models as m

pytestmark = pytest.mark.django_db


def test_a_thousand_events_are_not_rendered_at_once(
    client, logged_in, scenario, django_assert_max_num_queries
):
    m.Event.objects.bulk_create(
        [
            m.Event(
                kind=m.EventKind.STATEMENT, date=dt.date(2020, 1, 1), date_sort=202001010 + n, title=f"E{n}"
            )
            for n in range(1000)
        ]
    )
    m.Event.disputes.through.objects.bulk_create(
        [
            m.Event.disputes.through(event_id=pk, dispute_id=scenario.dispute.pk)
            for pk in m.Event.objects.filter(title__startswith="E").values_list("pk", flat=True)
        ]
    )
    with django_assert_max_num_queries(40):
        response = logged_in.get("/disputes/coda-v-openai-sora-2/?page=3")
    html = response.content.decode()
    assert html.count('class="tl-entry') == 25
    assert "Page 3 of 41" in html
