"""The API's lists of letters and events from what was kept (disputes/core/kept.py) are the lists serialized from
the record: the same JSON, with where a letter stands worked out at the moment of each request."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.dashboard.test_fragments import KEPT

pytestmark = pytest.mark.django_db


@pytest.fixture
def letters(db):
    dispute = factories.DisputeFactory()
    made = [factories.DemandLetterFactory(dispute=dispute, title=f"Request {n}") for n in range(3)]
    factories.DemandFactory(letter=made[0], number=1)
    factories.ResponseFactory(letter=made[1], sincere=True)
    for n in range(3):
        factories.EventFactory(disputes=[dispute], title=f"Event {n}")
    return made


@pytest.mark.parametrize("name", ["api:letter-list", "api:event-list"])
def test_a_kept_list_is_the_list_serialized_from_the_record_at_every_instant(staff_client, letters, name):
    url = reverse(name)
    deadline = letters[0].response_deadline_at
    for instant in (deadline - dt.timedelta(minutes=1), deadline + dt.timedelta(days=3)):
        with time_machine.travel(instant, tick=False):
            serialized = staff_client.get(url).json()
            with override_settings(CACHES=KEPT):
                caches["fragments"].clear()
                with CaptureQueriesContext(connection) as first_queries:
                    first = staff_client.get(url).json()
                with CaptureQueriesContext(connection) as kept_queries:
                    kept = staff_client.get(url).json()
                caches["fragments"].clear()
        assert kept == first == serialized
        assert len(serialized["results"]) == 3
        assert len(kept_queries) < len(first_queries)
    if name == "api:letter-list":
        overdue = [letter["overdue"] for letter in serialized["results"]]
        assert overdue == [True, False, True]  # at the last instant: the second has a sincere response


def test_a_write_retires_the_kept_items(staff_client, letters, django_capture_on_commit_callbacks):
    url = reverse("api:letter-list")
    with override_settings(CACHES=KEPT):
        caches["fragments"].clear()
        assert staff_client.get(url).json()["results"][0]["title"] == "Request 0"
        with django_capture_on_commit_callbacks(execute=True):
            letters[0].title = "Request 0, revised"
            letters[0].save()
        assert staff_client.get(url).json()["results"][0]["title"] == "Request 0, revised"
        caches["fragments"].clear()
