"""Timeline entries kept rendered between requests (disputes/core/kept.py) and the record's generation
that retires them (disputes/models/generation.py): a page built from kept entries is the page built from the
database, and no write to the record leaves a kept entry behind."""

import datetime as dt
import io
import re
from dataclasses import dataclass

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from disputes.models import Follow, RecordGeneration, current_generation
from tests import factories

KEPT = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments-test"},
}
NOT_KEPT = {**KEPT, "fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def kept(settings):
    settings.CACHES = KEPT
    caches["fragments"].clear()
    yield caches["fragments"]
    caches["fragments"].clear()


def page(client, url: str = "/timeline/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return page_of(response.content.decode())


def page_of(html: str) -> str:
    """A page as the tests compare it: the CSRF token and the chart's element ids change on every request;
    everything else must be the same."""
    html = re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1-", html)
    return re.sub(r"chart-\d+", "chart-n", html)


def events_loaded(queries) -> int:
    return sum(
        1
        for q in queries
        if q["sql"].startswith('SELECT "disputes_event"."id", "disputes_event"."created_at"')
    )


@dataclass
class Views:
    rendered: str  # from the database, nothing kept
    first: str  # the first view with a real cache: rendered, and kept
    from_kept: str  # the next view, from what the first kept
    first_queries: int
    kept_queries: int


def views_of(client, url: str) -> Views:
    """Three views of ``url`` (with the ``kept`` fixture): without keeping anything, then twice with it."""
    with override_settings(CACHES=NOT_KEPT):
        rendered = page(client, url)
    caches["fragments"].clear()
    with CaptureQueriesContext(connection) as first_queries:
        first = page(client, url)
    with CaptureQueriesContext(connection) as kept_queries:
        from_kept = page(client, url)
    return Views(rendered, first, from_kept, len(first_queries), len(kept_queries))


def test_a_page_of_kept_entries_is_the_page_rendered_from_the_record(kept, logged_in, scenario):
    views = views_of(logged_in, "/timeline/")
    assert "OpenAI launches Sora 2" in views.rendered
    assert views.from_kept == views.first == views.rendered


def test_the_first_view_renders_and_keeps_then_the_next_loads_no_event(kept, logged_in, scenario):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        page(logged_in)
    with CaptureQueriesContext(connection) as second:
        page(logged_in)
    assert events_loaded(first) == 1
    assert events_loaded(second) == 0
    assert len(second) < len(first)


def test_an_edit_anywhere_in_the_record_retires_the_kept_entries(
    kept, logged_in, scenario, django_capture_on_commit_callbacks
):
    assert "OpenAI launches Sora 2" in page(logged_in)
    event = scenario.launch
    with django_capture_on_commit_callbacks(execute=True):
        event.title = "OpenAI releases Sora 2"
        event.save()
    assert "OpenAI releases Sora 2" in page(logged_in)
    # A record the entry only names: the disputes an event is on are linked by their titles.
    assert "CODA v. OpenAI (Sora 2)" in page(logged_in)
    with django_capture_on_commit_callbacks(execute=True):
        scenario.dispute.title = "CODA and OpenAI (Sora 2)"
        scenario.dispute.save()
    html = page(logged_in)
    assert "CODA and OpenAI (Sora 2)" in html and "CODA v. OpenAI (Sora 2)" not in html


def test_each_language_and_time_zone_has_its_own_entries(kept, logged_in, scenario):
    english = page(logged_in)
    japanese = page(logged_in, "/timeline/?lang=ja")
    assert english != japanese
    assert page(logged_in) == english


@pytest.mark.django_db
def test_the_generation_goes_up_once_per_committed_write_to_the_record(django_capture_on_commit_callbacks):
    start = current_generation()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            dispute = factories.DisputeFactory()
            factories.EventFactory(disputes=[dispute])
    assert current_generation() == start + 1
    with django_capture_on_commit_callbacks(execute=True):
        dispute.products.add(factories.AIProductFactory())  # a product saved, then linked: one transaction
    assert current_generation() == start + 2
    with django_capture_on_commit_callbacks(execute=True):
        dispute.delete()
    assert current_generation() == start + 3
    assert RecordGeneration.objects.count() == 1


@pytest.mark.django_db
def test_a_rolled_back_write_a_login_and_the_operational_tables_leave_it_alone(
    django_capture_on_commit_callbacks, staff
):
    dispute = factories.DisputeFactory()
    start = current_generation()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            factories.DisputeFactory()
            raise RuntimeError("rolled back")
    with django_capture_on_commit_callbacks(execute=True):
        get_user_model().objects.get(pk=staff.pk).save(update_fields=["last_login"])  # what a login writes
        Follow.objects.create(user=staff, dispute=dispute)
    assert current_generation() == start
    with django_capture_on_commit_callbacks(execute=True):
        staff.first_name = "Hanako"
        staff.save()  # a response shows who assessed it
    assert current_generation() == start + 1


def test_a_dispute_page_of_kept_events_is_the_page_rendered_from_the_record(
    kept, logged_in, scenario, django_capture_on_commit_callbacks
):
    url = f"/disputes/{scenario.dispute.slug}/"
    views = views_of(logged_in, url)
    assert views.from_kept == views.first == views.rendered
    assert 'id="event-' in views.from_kept and "OpenAI launches Sora 2" in views.from_kept
    # Parties, letters, proceedings, amounts and events come from what was kept.
    assert views.kept_queries < views.first_queries - 10
    with django_capture_on_commit_callbacks(execute=True):
        scenario.launch.title = "OpenAI releases Sora 2"
        scenario.launch.save()
    assert "OpenAI releases Sora 2" in page(logged_in, url)
    with django_capture_on_commit_callbacks(execute=True):
        scenario.letter.title = "Written request about Sora 2 (revised)"
        scenario.letter.save()
    assert "Written request about Sora 2 (revised)" in page(logged_in, url)


def test_a_disputes_list_of_kept_rows_is_the_list_rendered_from_the_record_at_every_instant(
    logged_in, scenario
):
    """A row shows whether the dispute has an overdue letter: the same kept row is never shown on both sides of
    a deadline, although nothing was written in between."""
    scenario.dispute.refresh_from_db()
    deadline = scenario.dispute.next_deadline_at  # its first letter to fall overdue
    with override_settings(CACHES=KEPT):
        caches["fragments"].clear()
        for instant in (deadline - dt.timedelta(minutes=1), deadline + dt.timedelta(minutes=1)):
            with time_machine.travel(instant, tick=False):
                with override_settings(CACHES=NOT_KEPT):
                    rendered = page(logged_in, "/disputes/")
                first = page(logged_in, "/disputes/")
                from_kept = page(logged_in, "/disputes/")
            assert from_kept == first == rendered
            coda_row = from_kept.split("CODA v. OpenAI")[0].rsplit("<tr", 1)[1]
            assert ("row-overdue" in coda_row) is (instant > deadline)
        caches["fragments"].clear()


def test_the_pages_of_a_search_run_it_once_and_a_write_runs_it_again(
    kept, logged_in, scenario, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def searched(queries) -> int:
        return sum(1 for q in queries if "disputes_searchdocument" in q["sql"])

    with CaptureQueriesContext(connection) as first:
        assert "CODA v. OpenAI" in page(logged_in, "/disputes/?q=Sora")
    with CaptureQueriesContext(connection) as again:
        assert "CODA v. OpenAI" in page(logged_in, "/disputes/?q=Sora&page=1")
    assert searched(first) == 1 and searched(again) == 0
    assert "Getty Images v. Stability AI" not in page(logged_in, "/disputes/?q=Sora")
    with django_capture_on_commit_callbacks(execute=True):
        scenario.other.summary = "Getty also names Sora in its complaint."
        scenario.other.save()
    assert "Getty Images v. Stability AI" in page(logged_in, "/disputes/?q=Sora")
    # "Overdue letters only" moves with the clock: it is searched on every request.
    with CaptureQueriesContext(connection) as overdue:
        page(logged_in, "/disputes/?q=Sora&overdue=on")
        page(logged_in, "/disputes/?q=Sora&overdue=on")
    assert searched(overdue) == 2


def test_a_timeline_page_of_a_search_runs_it_once_until_the_next_write(
    kept, logged_in, scenario, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def searched(queries) -> int:
        return sum(1 for q in queries if "disputes_searchdocument" in q["sql"])

    with CaptureQueriesContext(connection) as first:
        rendered = page(logged_in, "/timeline/?q=Sora")
    with CaptureQueriesContext(connection) as again:
        assert page(logged_in, "/timeline/?q=Sora") == rendered
    assert searched(first) == 3 and searched(again) == 0  # events, letters, responses
    with django_capture_on_commit_callbacks(execute=True):
        factories.EventFactory(title="Sora 2 reaches Europe", disputes=[scenario.dispute])
    assert "Sora 2 reaches Europe" in page(logged_in, "/timeline/?q=Sora")


def test_an_organizations_figures_and_letter_lists_are_counted_once_until_the_next_write(
    kept, logged_in, scenario, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counted(queries) -> int:  # the figures read every response to the letters received
        return sum(
            1
            for q in queries
            if q["sql"].startswith('SELECT "disputes_response"."id", "disputes_response"."letter_id"')
        )

    with CaptureQueriesContext(connection) as first:
        before = page(logged_in, "/organizations/openai/")
    with CaptureQueriesContext(connection) as again:
        assert page(logged_in, "/organizations/openai/") == before
    assert counted(first) == 1 and counted(again) == 0
    assert "Answered sincerely (0 of" in before
    with django_capture_on_commit_callbacks(execute=True):
        factories.ResponseFactory(letter=scenario.letter, sincere=True)
    assert "Answered sincerely (1 of" in page(logged_in, "/organizations/openai/")


def test_the_matrix_is_built_once_until_the_next_write(
    kept, logged_in, scenario, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def built(queries) -> int:  # every letter's sender and recipient are read to find the pairs
        return sum(
            1 for q in queries if '"disputes_demandletter"."sender_id"' in q["sql"] and "DISTINCT" in q["sql"]
        )

    with CaptureQueriesContext(connection) as first:
        before = page(logged_in, "/matrix/")
    with CaptureQueriesContext(connection) as again:
        assert page(logged_in, "/matrix/") == before
    assert built(first) == 1 and built(again) == 0
    with django_capture_on_commit_callbacks(execute=True):
        factories.DemandLetterFactory(
            sender=factories.OrganizationFactory(name="Newly Objecting Studio"), recipient=scenario.openai
        )
    assert "Newly Objecting Studio" in page(logged_in, "/matrix/")


def test_a_kept_letter_is_never_shown_with_another_instants_deadline_wording(logged_in, scenario):
    """A letter on the timeline is kept under every wording of its deadline state: a minute either side of the
    deadline gives two entries, each the one rendered from the record at that instant."""
    letter = scenario.letter
    deadline = letter.response_deadline_at
    url = f"/timeline/?party=coda&date_from={letter.date:%Y-%m-%d}&date_to={letter.date:%Y-%m-%d}"
    with override_settings(CACHES=KEPT):
        caches["fragments"].clear()
        seen = []
        for instant in (deadline - dt.timedelta(minutes=1), deadline + dt.timedelta(minutes=1)):
            with time_machine.travel(instant, tick=False):
                with override_settings(CACHES=NOT_KEPT):
                    rendered = page(logged_in, url)
                first = page(logged_in, url)
                from_kept = page(logged_in, url)
            assert from_kept == first == rendered
            assert letter.title in from_kept
            seen.append("tl-entry--overdue" in from_kept)
        assert seen == [False, True]
        caches["fragments"].clear()


@pytest.mark.parametrize("url", ["/disputes/coda-v-openai-sora-2/", "/products/sora-2/"])
def test_a_kept_chart_is_drawn_again_each_day_and_says_what_is_overdue(kept, logged_in, scenario, url):
    """The chart is kept for the day it is drawn on: the next view shows the very same drawing (the same element
    ids), and the next day, with nothing written, it is drawn again to the new "today", as the record says."""

    def chart_of(html: str) -> str:
        return html[html.index('<figure class="chart-figure') : html.index("</figure>")]

    deadline = scenario.letter.response_deadline_at
    # Two minutes either side of midnight (the viewer's, UTC): the letter's wording is the same, the day is not.
    # Then a minute either side of the deadline: the same day, but the letter becomes overdue.
    midnight = dt.datetime.combine(deadline.date() + dt.timedelta(days=4), dt.time.min, tzinfo=dt.UTC)
    for moments in (
        (midnight - dt.timedelta(minutes=2), midnight + dt.timedelta(minutes=2)),
        (deadline - dt.timedelta(minutes=1), deadline + dt.timedelta(minutes=1)),
    ):
        caches["fragments"].clear()
        drawn = []
        for instant in moments:
            with time_machine.travel(instant, tick=False):
                with override_settings(CACHES=NOT_KEPT):
                    rendered = page(logged_in, url)
                raw = [logged_in.get(url).content.decode() for _ in range(2)]  # what was kept before stays
            assert page_of(raw[1]) == page_of(raw[0]) == rendered
            assert chart_of(raw[0]) == chart_of(raw[1])  # kept: not drawn again, ids and all
            drawn.append(chart_of(rendered))
        assert drawn[0] != drawn[1]
    assert re.search(r"<desc[^>]*>\d+ letters?, 1 overdue, ", drawn[1])  # once the deadline has passed


@pytest.mark.parametrize("url", ["/organizations/openai/", "/products/sora-2/"])
def test_a_kept_letter_row_shows_where_the_letter_stands_at_each_instant(kept, logged_in, scenario, url):
    """An organization's or a product's letters are kept rendered under where each stands: a minute after the
    deadline, with nothing written, the row says overdue, as the page rendered from the record does."""
    letter = scenario.letter
    deadline = letter.response_deadline_at
    seen = []
    for instant in (deadline - dt.timedelta(minutes=1), deadline + dt.timedelta(minutes=1)):
        with time_machine.travel(instant, tick=False):
            views = views_of(logged_in, url)
        assert views.from_kept == views.first == views.rendered
        assert views.kept_queries < views.first_queries
        seen.append(views.from_kept.count("badge--overdue"))
    assert seen[1] > seen[0]


@pytest.mark.parametrize("url", ["/organizations/openai/", "/organizations/coda/", "/products/sora-2/"])
def test_organization_and_product_pages_from_what_was_kept_are_the_pages_rendered_from_the_record(
    kept, logged_in, scenario, url, django_capture_on_commit_callbacks
):
    views = views_of(logged_in, url)
    assert views.from_kept == views.first == views.rendered
    assert views.kept_queries < views.first_queries
    with django_capture_on_commit_callbacks(execute=True):
        factories.DemandLetterFactory(
            dispute=scenario.dispute,
            sender=scenario.coda,
            recipient=scenario.openai,
            title="A second request about Sora 2",
        ).products.add(scenario.sora)
    assert "A second request about Sora 2" in page(logged_in, url)


def test_the_home_page_from_what_was_kept_is_the_page_rendered_from_the_record(
    kept, logged_in, scenario, django_capture_on_commit_callbacks
):
    views = views_of(logged_in, "/")
    assert views.from_kept == views.first == views.rendered
    with django_capture_on_commit_callbacks(execute=True):
        factories.EventFactory(title="A brand-new development", disputes=[scenario.dispute])
    assert "A brand-new development" in page(logged_in, "/")


@pytest.mark.redis
def test_with_redis_every_worker_reads_what_one_kept(logged_in, scenario, settings):
    """FRAGMENT_CACHE_URL: what is kept goes to Redis, where every worker reads it, and comes back the same."""
    location = settings.CELERY_BROKER_URL.rsplit("/", 1)[0] + "/11"
    shared = {
        **KEPT,
        "fragments": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "kept-test",
        },
    }
    settings.CACHES = shared
    views = views_of(logged_in, "/timeline/")
    assert views.from_kept == views.first == views.rendered
    assert views.kept_queries < views.first_queries
    caches["fragments"].clear()


def test_the_homes_overdue_letters_are_kept_only_until_the_next_deadline_passes(kept, logged_in, scenario):
    """Nothing is written while a deadline passes: the letter joins the overdue ones all the same."""
    scenario.dispute.refresh_from_db()
    deadline = scenario.dispute.next_deadline_at

    def overdue_count(html: str) -> int:
        return int(re.search(r'Overdue letters<span class="count-pill">(\d+)', html)[1])

    with time_machine.travel(deadline - dt.timedelta(minutes=1), tick=False):
        before = views_of(logged_in, "/")  # kept, a minute before the deadline
    with time_machine.travel(deadline + dt.timedelta(minutes=1), tick=False):
        with override_settings(CACHES=NOT_KEPT):
            rendered = page(logged_in, "/")
        after = page(logged_in, "/")  # what was kept before is not shown after
    assert before.from_kept == before.rendered
    assert after == rendered
    assert overdue_count(after) == overdue_count(before.from_kept) + 1


def letters_loaded(queries) -> int:
    """Queries that load letters whole (to render them), not the narrow reads of where they stand."""
    return sum(
        1
        for q in queries
        if 'SELECT "disputes_demandletter"."id", "disputes_demandletter"."created_at"' in q["sql"]
    )


def test_the_kept_home_page_loads_no_letter_and_reads_who_follows_on_every_view(
    kept, logged_in, scenario, staff, django_capture_on_commit_callbacks
):
    factories.DemandLetterFactory(dispute=scenario.other, response_deadline_on=dt.date(2025, 12, 20))
    views = views_of(logged_in, "/")
    assert views.from_kept == views.first == views.rendered
    assert "Nobody follows it yet" in views.from_kept
    with CaptureQueriesContext(connection) as queries:
        html = page(logged_in, "/")
    assert letters_loaded(queries) == 0
    read_from = {q["sql"].split(" FROM ", 1)[1].split(" ", 1)[0] for q in queries if " FROM " in q["sql"]}
    assert not read_from & {'"disputes_event"', '"disputes_response"', '"disputes_dispute"'}
    # Who follows a letter is not part of the record (nothing is retired), yet the next view shows it.
    generation = current_generation()
    Follow.objects.create(user=staff, letter=scenario.letter)
    assert current_generation() == generation
    after = page(logged_in, "/")
    assert "Followed by Hana Sato" in after
    assert after.count("Nobody follows it yet") == html.count("Nobody follows it yet") - 1


def test_the_homes_deadlines_ahead_are_kept_only_until_the_next_comes_within_the_horizon(
    kept, logged_in, scenario, django_capture_on_commit_callbacks
):
    """Nothing is written while a deadline comes within 30 days: the letter joins the list all the same."""
    with django_capture_on_commit_callbacks(execute=True):
        letter = factories.DemandLetterFactory(
            dispute=scenario.other, title="A letter due in a month", response_deadline_on=dt.date(2026, 3, 2)
        )
    letter.refresh_from_db()
    enters = letter.response_deadline_at - dt.timedelta(days=30)

    def due_count(html: str) -> int:
        return int(re.search(r'Deadlines in the next 30 days<span class="count-pill">(\d+)', html)[1])

    with time_machine.travel(enters - dt.timedelta(minutes=1), tick=False):
        before = views_of(logged_in, "/")
    with time_machine.travel(enters + dt.timedelta(minutes=1), tick=False):
        with override_settings(CACHES=NOT_KEPT):
            rendered = page(logged_in, "/")
        after = page(logged_in, "/")
    assert before.from_kept == before.rendered and "A letter due in a month" not in before.from_kept
    assert after == rendered and "A letter due in a month" in after
    assert due_count(after) == due_count(before.from_kept) + 1


def test_kept_pieces_are_keyed_by_the_code_that_made_them(settings, tmp_path):
    """A deploy that changes a template (or the code, or a translation) never reads what the last one kept."""
    from disputes.core.kept import Fragments, code_version

    (tmp_path / "templates").mkdir()
    page_template = tmp_path / "templates" / "page.html"
    page_template.write_text("<p>{{ one }}</p>")
    settings.BASE_DIR = tmp_path
    try:
        code_version.cache_clear()
        before = Fragments.current("home-record", 7).prefix
        code_version.cache_clear()
        assert Fragments.current("home-record", 7).prefix == before  # the same files: the same keys
        page_template.write_text("<p>{{ one }} {{ two }}</p>")
        code_version.cache_clear()
        assert Fragments.current("home-record", 7).prefix != before
    finally:
        code_version.cache_clear()


@pytest.mark.django_db
def test_the_repair_commands_bulk_writes_retire_what_was_kept(django_capture_on_commit_callbacks):
    """refresh_activity and rebuild_search write without signals; what pages kept of them is retired all the same."""
    from django.core.management import call_command

    from disputes.models import Dispute

    factories.DemandLetterFactory()
    Dispute.objects.update(next_deadline_at=None, last_activity_sort=None)  # as a bulk load leaves them
    start = current_generation()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("refresh_activity", stdout=io.StringIO())
    assert current_generation() == start + 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rebuild_search", stdout=io.StringIO())
    assert current_generation() == start + 2
    with django_capture_on_commit_callbacks(execute=True):
        call_command("refresh_activity", stdout=io.StringIO())  # nothing left to change: nothing retired
    assert current_generation() == start + 2
