"""Proceedings, parties, amounts and uncertain dates: database constraints and clean() messages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from disputes import models as m
from disputes.models.common import compare_partial_dates, date_sort_key, sort_key_period
from tests import factories as f

pytestmark = pytest.mark.django_db


def _violates(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


class TestPartialDates:
    def test_mid_month_day_with_month_precision_is_saved_as_the_month(self):
        event = f.EventFactory(date=dt.date(2025, 11, 19), date_precision=m.DatePrecision.MONTH)
        event.refresh_from_db()
        assert event.date == dt.date(2025, 11, 1)
        assert event.display_date == "2025-11"

    def test_month_only_sorts_after_dated_events_of_that_month(self):
        ruling = f.EventFactory(date=dt.date(2025, 11, 30), title="ruling")
        reaction = f.EventFactory(
            date=dt.date(2025, 11, 1), date_precision=m.DatePrecision.MONTH, title="reaction"
        )
        december = f.EventFactory(date=dt.date(2025, 12, 1), title="december")
        year = f.EventFactory(date=dt.date(2025, 3, 3), date_precision=m.DatePrecision.YEAR, title="year")
        titles = list(m.Event.objects.order_by("date_sort", "id").values_list("title", flat=True))
        assert titles == ["ruling", "reaction", "december", "year"]
        assert ruling.date_sort < reaction.date_sort < december.date_sort < year.date_sort

    def test_range_and_qualifier_are_shown(self):
        event = f.EventFactory(
            date=dt.date(2025, 2, 1),
            date_precision=m.DatePrecision.MONTH,
            date_end=dt.date(2025, 6, 15),
            date_end_precision=m.DatePrecision.MONTH,
            date_qualifier=m.DateQualifier.AROUND,
        )
        assert event.date_end == dt.date(2025, 6, 1)
        assert event.display_date == "Around 2025-02 – 2025-06"

    def test_database_refuses_a_period_ending_before_it_starts(self):
        _violates(lambda: f.EventFactory(date=dt.date(2025, 6, 1), date_end=dt.date(2025, 5, 1)))

    def test_comparison_at_the_coarsest_decidable_precision(self):
        day, month = m.DatePrecision.DAY, m.DatePrecision.MONTH
        assert compare_partial_dates(dt.date(2025, 9, 1), month, dt.date(2025, 10, 27), day) == -1
        assert compare_partial_dates(dt.date(2025, 10, 1), month, dt.date(2025, 10, 27), day) is None
        assert compare_partial_dates(dt.date(2025, 10, 27), day, dt.date(2025, 10, 27), day) == 0
        assert date_sort_key(None) == 0

    def test_the_period_a_sort_key_is_grouped_under(self):
        day, month, year = m.DatePrecision.DAY, m.DatePrecision.MONTH, m.DatePrecision.YEAR
        assert sort_key_period(date_sort_key(dt.date(2025, 10, 27), day)) == (2025, 10)
        assert sort_key_period(date_sort_key(dt.date(2025, 10, 1), month)) == (2025, 10)
        assert sort_key_period(date_sort_key(dt.date(2025, 1, 1), year)) == (2025, 0)
        span = date_sort_key(dt.date(2025, 2, 1), month, end=dt.date(2025, 6, 1), end_precision=year)
        assert sort_key_period(span) == (
            2025,
            12,
        )  # a range sorts, and is grouped, at the last day it may end
        assert sort_key_period(date_sort_key(None)) == (0, 0)

    def test_response_known_to_a_month_before_the_letter_is_refused_with_a_clear_message(self):
        letter = f.DemandLetterFactory(sent_on=dt.date(2025, 10, 27), dated_on=dt.date(2025, 10, 27))
        response = f.ResponseFactory.build(
            letter=letter,
            responder=letter.recipient,
            responded_on=dt.date(2025, 9, 12),
            date_precision=m.DatePrecision.MONTH,
        )
        with pytest.raises(ValidationError) as exc:
            response.full_clean()
        assert "2025-09 is before the letter's 2025-10-27" in str(exc.value.message_dict["responded_on"])

    def test_database_refuses_a_response_known_to_a_month_before_the_letter(self):
        letter = f.DemandLetterFactory(sent_on=dt.date(2025, 10, 27), dated_on=dt.date(2025, 10, 27))
        _violates(
            lambda: f.ResponseFactory(
                letter=letter, responded_on=dt.date(2025, 9, 1), date_precision=m.DatePrecision.MONTH
            )
        )
        f.ResponseFactory(
            letter=letter, responded_on=dt.date(2025, 10, 1), date_precision=m.DatePrecision.MONTH
        )

    def test_response_in_the_letters_month_cannot_be_decided_and_is_accepted(self):
        letter = f.DemandLetterFactory(sent_on=dt.date(2025, 10, 27), dated_on=dt.date(2025, 10, 27))
        response = f.ResponseFactory.build(
            letter=letter,
            responder=letter.recipient,
            responded_on=dt.date(2025, 10, 1),
            date_precision=m.DatePrecision.MONTH,
        )
        response.full_clean()


class TestReportedDateField:
    def test_field_is_a_choice_checked_by_the_database(self):
        event = f.EventFactory()
        _violates(lambda: f.ReportedDateFactory(record=event, field="Date"))

    def test_clean_names_the_real_date_fields_of_the_record(self):
        event = f.EventFactory()
        reported = m.ReportedDate(
            content_type=ContentType.objects.get_for_model(event),
            object_id=event.pk,
            field=m.RecordDateField.SENT_ON,
            date=dt.date(2025, 10, 1),
            source=f.SourceFactory(),
        )
        with pytest.raises(ValidationError) as exc:
            reported.full_clean()
        message = str(exc.value.message_dict["field"])
        assert "has no date “sent_on”" in message
        assert "Date" in message and "End of the period" in message

    def test_date_fields_of_each_model(self):
        assert m.date_fields_of(m.DemandLetter) == ["dated_on", "sent_on", "announced_on"]
        assert m.date_fields_of(m.Amount) == ["period_start", "period_end"]
        assert m.date_fields_of(m.Proceeding) == ["filed_on", "closed_on"]


class TestProceedings:
    def test_a_lawsuit_with_docket_judge_people_claims_ruling_and_appeal(self):
        proceeding = f.ProceedingFactory(title="Bartz v. Anthropic PBC")
        m.DocketNumber.objects.create(
            proceeding=proceeding, number="3:24-cv-05417-WHA", courtlistener_id=69058235
        )
        alsup = f.PersonFactory(name="William Alsup")
        m.ProceedingJudge.objects.create(proceeding=proceeding, person=alsup, role=m.JudgeRole.PRESIDING)
        bartz = f.PersonFactory(name="Andrea Bartz")
        m.ProceedingParty.objects.create(
            proceeding=proceeding, person=bartz, role=m.ProceedingRole.CLASS_REPRESENTATIVE
        )
        m.ProceedingParty.objects.create(
            proceeding=proceeding, class_description="Authors of books in LibGen and PiLiMi", role="class"
        )
        claim = f.ClaimFactory(proceeding=proceeding)
        ruling = f.RulingFactory(proceeding=proceeding)
        m.ClaimRuling.objects.create(ruling=ruling, claim=claim, outcome=m.ClaimOutcome.PARTLY_UPHELD)
        appeal = f.ProceedingFactory(
            dispute=proceeding.dispute,
            kind=m.ProceedingKind.APPEAL,
            appeal_of=proceeding,
            filed_on=None,
            status=m.ProceedingStatus.ANNOUNCED,
        )
        assert list(proceeding.appeals.all()) == [appeal]
        assert list(proceeding.judges.all()) == [alsup]
        assert [p.who for p in proceeding.parties.order_by("id")] == [
            "Andrea Bartz",
            "Authors of books in LibGen and PiLiMi",
        ]
        assert proceeding.dockets.get().courtlistener_url == "https://www.courtlistener.com/docket/69058235/"

    def test_a_party_is_exactly_one_of_organization_person_or_class(self):
        proceeding = f.ProceedingFactory()
        _violates(lambda: m.ProceedingParty.objects.create(proceeding=proceeding, role="plaintiff"))
        _violates(
            lambda: m.ProceedingParty.objects.create(
                proceeding=proceeding,
                role="plaintiff",
                person=f.PersonFactory(),
                class_description="all authors",
            )
        )
        party = m.ProceedingParty(proceeding=proceeding, role="plaintiff")
        with pytest.raises(ValidationError, match="exactly one"):
            party.full_clean()

    def test_dispute_party_can_be_a_person(self):
        party = m.DisputeParty.objects.create(
            dispute=f.DisputeFactory(), person=f.PersonFactory(name="Sarah Andersen"), role="claimant"
        )
        assert str(party) == "Sarah Andersen — Claimant"

    def test_closed_needs_disposition_and_pending_has_none(self):
        _violates(lambda: f.ProceedingFactory(status=m.ProceedingStatus.CLOSED))
        _violates(lambda: f.ProceedingFactory(disposition=m.Disposition.SETTLED))
        proceeding = f.ProceedingFactory.build(
            dispute=f.DisputeFactory(), forum=None, status=m.ProceedingStatus.CLOSED
        )
        with pytest.raises(ValidationError) as exc:
            proceeding.full_clean()
        assert "needs its disposition" in str(exc.value.message_dict["disposition"])

    def test_closing_before_filing_is_refused_at_the_coarsest_precision(self):
        proceeding = f.ProceedingFactory.build(
            dispute=f.DisputeFactory(),
            forum=None,
            filed_on=dt.date(2020, 5, 6),
            filed_precision=m.DatePrecision.YEAR,
            closed_on=dt.date(2019, 12, 1),
            closed_precision=m.DatePrecision.MONTH,
            status=m.ProceedingStatus.CLOSED,
            disposition=m.Disposition.SETTLED,
        )
        with pytest.raises(ValidationError) as exc:
            proceeding.full_clean()
        assert "cannot close (2019-12) before it was filed (2020)" in str(exc.value.message_dict["closed_on"])

    def test_outcome_must_be_for_a_claim_of_the_same_proceeding(self):
        ruling = f.RulingFactory()
        other_claim = f.ClaimFactory()
        outcome = m.ClaimRuling(ruling=ruling, claim=other_claim, outcome=m.ClaimOutcome.DISMISSED)
        with pytest.raises(ValidationError, match="ruling's own proceeding"):
            outcome.full_clean()

    def test_court_level_only_for_courts(self):
        _violates(lambda: f.OrganizationFactory(kind=m.OrganizationKind.AI_DEVELOPER, court_level="trial"))


class TestAmounts:
    def test_amount_with_basis_and_a_disputed_period(self):
        dispute = f.DisputeFactory()
        amount = m.Amount.objects.create(
            dispute=dispute,
            kind=m.AmountKind.CLAIMED,
            currency="JPY",
            value=Decimal("2168000000"),
            basis="¥ 5,500 per article × 119,467 articles",
            period_start=dt.date(2025, 2, 10),
            period_start_precision=m.DatePrecision.MONTH,
            period_end=dt.date(2025, 6, 1),
            period_end_precision=m.DatePrecision.MONTH,
        )
        assert amount.period_start == dt.date(2025, 2, 1)
        assert amount.display_period == "2025-02 – 2025-06"
        assert "JPY 2,168,000,000" in str(amount)

    def test_amount_needs_a_value_or_a_basis_and_a_currency_code(self):
        dispute = f.DisputeFactory()
        _violates(lambda: m.Amount.objects.create(dispute=dispute, kind="claimed", currency="USD"))
        amount = m.Amount(dispute=dispute, kind="claimed", currency="dollars", value=1)
        with pytest.raises(ValidationError) as exc:
            amount.full_clean()
        assert "ISO 4217" in str(exc.value.message_dict["currency"])


class TestLettersAndEvents:
    def test_letter_to_several_recipients_on_behalf_of_several(self):
        letter = f.DemandLetterFactory()
        microsoft = f.OrganizationFactory(name="Microsoft")
        member = f.OrganizationFactory(name="Member")
        m.LetterRecipient.objects.create(letter=letter, organization=microsoft)
        letter.on_behalf_of.add(member)
        assert letter.recipients == [letter.recipient, microsoft]
        assert list(m.DemandLetter.objects.for_organization(microsoft)) == [letter]
        assert list(m.DemandLetter.objects.for_organization(member)) == [letter]

    def test_event_with_several_actors(self):
        event = f.EventFactory(actor=f.OrganizationFactory(name="SAG-AFTRA"))
        person = f.PersonFactory(name="Bryan Cranston")
        m.EventActor.objects.create(event=event, person=person)
        assert [str(a) for a in event.actors] == ["SAG-AFTRA", "Bryan Cranston"]

    def test_quote_is_shown_with_the_readers_translation(self):
        event = f.EventFactory(
            quote="かけがえのない宝", quote_language="ja", quote_translation="irreplaceable treasures"
        )
        assert event.quote_for("ja") == ("かけがえのない宝", "")
        assert event.quote_for("en") == ("かけがえのない宝", "irreplaceable treasures")
        assert m.translated(f.DisputeFactory(title="T", title_ja="題"), "title", "ja") == "題"
