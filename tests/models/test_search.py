"""The search index: a document per record, kept up to date by saving the record, rebuilt by a command."""

import io

from django.core.management import call_command

from disputes.models import SearchDocument, SearchKind
from disputes.models.search import normalise
from tests import factories


def docs(kind, pk) -> list[SearchDocument]:
    return list(SearchDocument.objects.filter(kind=kind, object_id=pk))


def test_normalised_text_matches_full_width_and_case():
    assert normalise("Ｋｉｕｃｈｉ 城内") == "kiuchi 城内"
    assert normalise("KIUCHI") == normalise("kiuchi")


def test_saving_a_record_writes_its_document(db):
    letter = factories.DemandLetterFactory(title="Request about Sora", title_original="要望書")
    [doc] = docs(SearchKind.LETTER, letter.pk)
    assert "request about sora" in doc.text and "要望書" in doc.text
    # The dispute's document holds its letters' text too.
    assert "要望書" in docs(SearchKind.DISPUTE, letter.dispute_id)[0].text
    factories.DemandFactory(letter=letter, number=1, text_en="Stop training", text_original="学習の停止")
    [doc] = docs(SearchKind.LETTER, letter.pk)
    assert "学習の停止" in doc.text  # a letter's document holds its demands
    assert "学習の停止" in docs(SearchKind.DISPUTE, letter.dispute_id)[0].text
    letter.title = "Renamed"
    letter.save()
    assert "renamed" in docs(SearchKind.LETTER, letter.pk)[0].text
    assert SearchDocument.objects.record_ids(SearchKind.LETTER, "ＳＴＯＰ").get()["object_id"] == letter.pk


def test_a_disputes_document_follows_its_records(db):
    response = factories.ResponseFactory(summary="We decline")
    dispute = response.letter.dispute
    found = lambda term: set(SearchDocument.objects.dispute_ids(term).values_list("object_id", flat=True))  # noqa: E731
    assert found("decline") == {dispute.pk}
    event = factories.EventFactory(title="Hearing in Delaware")
    assert found("delaware") == set()
    event.disputes.add(dispute)  # linked after it was saved
    assert found("delaware") == {dispute.pk}
    other = factories.DisputeFactory()
    event.disputes.set([other])
    assert found("delaware") == {other.pk}


def test_the_command_rebuilds_every_document(db):
    dispute = factories.DisputeFactory(title="Getty v. Stability", title_ja="ゲッティ対スタビリティ")
    event = factories.EventFactory(title="Filed in Delaware", disputes=[dispute])
    SearchDocument.objects.all().delete()
    call_command("rebuild_search", stdout=io.StringIO())
    assert "ゲッティ" in docs(SearchKind.DISPUTE, dispute.pk)[0].text
    assert "delaware" in docs(SearchKind.EVENT, event.pk)[0].text
    SearchDocument.objects.all().delete()
    call_command("rebuild_search", "event", stdout=io.StringIO())
    assert docs(SearchKind.EVENT, event.pk) and not docs(SearchKind.DISPUTE, dispute.pk)


# --- The disputes' stored latest activity ------------------------------------------------------------------


def test_latest_activity_follows_events_letters_and_responses(db):
    import datetime as dt

    dispute = factories.DisputeFactory()
    assert dispute.last_activity_on is None
    event = factories.EventFactory(date=dt.date(2024, 5, 1), disputes=[dispute])
    dispute.refresh_from_db()
    assert dispute.last_activity_on == dt.date(2024, 5, 1)
    letter = factories.DemandLetterFactory(dispute=dispute)  # sent 27 October 2025
    dispute.refresh_from_db()
    assert dispute.last_activity_on == letter.sent_on
    factories.ResponseFactory(letter=letter, responded_on=dt.date(2025, 12, 1))
    dispute.refresh_from_db()
    assert dispute.last_activity_on == dt.date(2025, 12, 1)
    later = factories.EventFactory(date=dt.date(2026, 1, 2))
    dispute.events.add(later)
    dispute.refresh_from_db()
    assert dispute.last_activity_on == dt.date(2026, 1, 2)
    later.disputes.clear()
    dispute.refresh_from_db()
    assert dispute.last_activity_on == dt.date(2025, 12, 1)
    other = factories.DisputeFactory()
    event.disputes.set([other])
    other.refresh_from_db()
    assert other.last_activity_on == dt.date(2024, 5, 1)


def test_the_command_recomputes_every_disputes_activity(db):
    import datetime as dt

    from disputes.models import Dispute

    dispute = factories.DisputeFactory()
    factories.EventFactory(date=dt.date(2024, 5, 1), disputes=[dispute])
    Dispute.objects.update(last_activity_sort=None, last_activity_on=None)
    out = io.StringIO()
    call_command("refresh_activity", stdout=out)
    assert "1 latest activities and 0 next deadlines updated" in out.getvalue()
    dispute.refresh_from_db()
    assert dispute.last_activity_on == dt.date(2024, 5, 1)


# --- The disputes' stored next deadline --------------------------------------------------------------------


def test_next_deadline_follows_letters_responses_and_withdrawals(db):
    import datetime as dt

    from disputes.record.services import letter_withdraw

    dispute = factories.DisputeFactory()
    assert dispute.next_deadline_at is None
    first = factories.DemandLetterFactory(dispute=dispute)  # by 26 November 2025, Tokyo
    dispute.refresh_from_db()
    assert dispute.next_deadline_at == first.response_deadline_at
    second = factories.DemandLetterFactory(dispute=dispute, response_deadline_on=dt.date(2025, 11, 10))
    dispute.refresh_from_db()
    assert dispute.next_deadline_at == second.response_deadline_at < first.response_deadline_at
    factories.ResponseFactory(letter=first, evasive=True)  # not an answer: the clock runs on
    factories.ResponseFactory(letter=second, sincere=True)
    dispute.refresh_from_db()
    assert dispute.next_deadline_at == first.response_deadline_at
    letter_withdraw(letter=first, note="Withdrawn by the sender.")
    dispute.refresh_from_db()
    assert dispute.next_deadline_at is None
    third = factories.DemandLetterFactory(dispute=dispute, response_deadline_on=dt.date(2026, 1, 5))
    dispute.refresh_from_db()
    assert dispute.next_deadline_at == third.response_deadline_at
    third.delete()
    dispute.refresh_from_db()
    assert dispute.next_deadline_at is None


def test_the_command_recomputes_every_disputes_next_deadline(db):
    from disputes.models import Dispute

    letter = factories.DemandLetterFactory()
    Dispute.objects.update(next_deadline_at=None)
    out = io.StringIO()
    call_command("refresh_activity", stdout=out)
    assert "0 latest activities and 1 next deadlines updated" in out.getvalue()
    letter.dispute.refresh_from_db()
    assert letter.dispute.next_deadline_at == letter.response_deadline_at
