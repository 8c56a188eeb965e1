"""Fixtures shared by the reminder tests."""

import pytest

from disputes.reminders import sweep as sweep_services


@pytest.fixture
def published(monkeypatch):
    """Every delivery the code enqueued, in order; nothing reaches a real broker. Modules that sweep without a
    worker use it for all their tests (``pytestmark = pytest.mark.usefixtures("published")``)."""
    ids: list[int] = []

    def publish(chunks):
        for chunk in chunks:
            ids.extend(chunk)
            yield chunk

    monkeypatch.setattr(sweep_services, "_publish", publish)
    return ids
