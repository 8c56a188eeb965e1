"""Model rules: database constraints and clean() messages for the dispute record."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from disputes import models as m
from disputes.core.deadlines import DeadlinePolicy, add_business_days, policy_deadline
from tests import factories as f

pytestmark = pytest.mark.django_db


def _violates(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


class TestLetterConstraints:
    def test_deadline_instant_is_end_of_day_in_sender_time_zone(self):
        letter = f.DemandLetterFactory(response_deadline_on=dt.date(2025, 11, 26), timezone="Asia/Tokyo")
        assert letter.response_deadline_at == dt.datetime(2025, 11, 26, 14, 59, 59, tzinfo=dt.UTC)

    def test_deadline_instant_follows_a_changed_day_with_update_fields(self):
        letter = f.DemandLetterFactory(response_deadline_on=dt.date(2025, 11, 26), timezone="Asia/Tokyo")
        letter.response_deadline_on = dt.date(2025, 12, 10)
        letter.save(update_fields=["response_deadline_on"])
        letter.refresh_from_db()
        assert letter.response_deadline_at == dt.datetime(2025, 12, 10, 14, 59, 59, tzinfo=dt.UTC)

    def test_database_refuses_deadline_before_letter_date(self):
        letter = f.DemandLetterFactory()
        _violates(
            lambda: m.DemandLetter.objects.filter(pk=letter.pk).update(
                response_deadline_on=dt.date(2025, 10, 1)
            )
        )

    def test_clean_explains_deadline_before_letter_date(self):
        letter = f.DemandLetterFactory.build(
            sender=f.OrganizationFactory(),
            recipient=f.OrganizationFactory(),
            dispute=f.DisputeFactory(),
            response_deadline_on=dt.date(2025, 10, 1),
        )
        with pytest.raises(ValidationError) as exc:
            letter.full_clean()
        assert "cannot be before the letter" in str(exc.value.message_dict["response_deadline_on"])

    def test_database_refuses_letter_without_any_date(self):
        _violates(
            lambda: f.DemandLetterFactory(
                dated_on=None, sent_on=None, response_deadline_on=None, deadline_source=m.DeadlineSource.NONE
            )
        )

    def test_database_refuses_unknown_status(self):
        letter = f.DemandLetterFactory()
        _violates(lambda: m.DemandLetter.objects.filter(pk=letter.pk).update(status="unsure"))

    def test_deadline_needs_a_source(self):
        _violates(lambda: f.DemandLetterFactory(deadline_source=m.DeadlineSource.NONE))
        letter = f.DemandLetterFactory.build(
            sender=f.OrganizationFactory(),
            recipient=f.OrganizationFactory(),
            dispute=f.DisputeFactory(),
            deadline_source=m.DeadlineSource.NONE,
        )
        with pytest.raises(ValidationError) as exc:
            letter.full_clean()
        assert "deadline_source" in exc.value.message_dict

    def test_letter_to_its_own_sender_is_refused(self):
        org = f.OrganizationFactory()
        _violates(lambda: f.DemandLetterFactory(sender=org, recipient=org))

    def test_unknown_time_zone_is_a_clear_error(self):
        letter = f.DemandLetterFactory.build(
            sender=f.OrganizationFactory(),
            recipient=f.OrganizationFactory(),
            dispute=f.DisputeFactory(),
            timezone="Asia/Atlantis",
        )
        with pytest.raises(ValidationError) as exc:
            letter.full_clean()
        assert "time zone" in str(exc.value.message_dict["timezone"])


class TestOverdue:
    def test_open_letter_past_deadline_without_sincere_response_is_overdue(self):
        letter = f.DemandLetterFactory()
        at = dt.datetime(2025, 11, 27, tzinfo=dt.UTC)
        assert list(m.DemandLetter.objects.overdue(at=at)) == [letter]
        assert letter.deadline_state(at=at).overdue

    def test_not_overdue_before_the_end_of_the_day_in_tokyo(self):
        f.DemandLetterFactory()
        # 26 Nov 23:00 JST is 14:00 UTC: still on time.
        assert not m.DemandLetter.objects.overdue(at=dt.datetime(2025, 11, 26, 14, 0, tzinfo=dt.UTC)).exists()
        assert m.DemandLetter.objects.overdue(at=dt.datetime(2025, 11, 26, 15, 0, tzinfo=dt.UTC)).exists()

    @pytest.mark.parametrize(
        ("assessment", "overdue"),
        [
            (m.Assessment.SINCERE, False),
            (m.Assessment.EVASIVE, True),
            (m.Assessment.PARTIAL, True),
            (m.Assessment.NOT_ASSESSED, True),
            (m.Assessment.ACKNOWLEDGEMENT, True),
        ],
    )
    def test_only_a_sincere_response_answers(self, assessment, overdue):
        letter = f.DemandLetterFactory()
        assessed_at = (
            None if assessment == m.Assessment.NOT_ASSESSED else dt.datetime(2025, 11, 1, tzinfo=dt.UTC)
        )
        f.ResponseFactory(letter=letter, assessment=assessment, assessed_at=assessed_at)
        at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        assert m.DemandLetter.objects.overdue(at=at).exists() is overdue
        assert letter.deadline_state(at=at).overdue is overdue

    @pytest.mark.parametrize("status", [m.LetterStatus.CLOSED, m.LetterStatus.WITHDRAWN])
    def test_closed_or_withdrawn_letters_are_not_overdue(self, status):
        f.DemandLetterFactory(status=status)
        assert not m.DemandLetter.objects.overdue(at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)).exists()


class TestResponses:
    def test_response_before_the_letter_is_refused_by_clean(self):
        letter = f.DemandLetterFactory()
        response = f.ResponseFactory.build(
            letter=letter, responder=letter.recipient, responded_on=dt.date(2025, 10, 1)
        )
        with pytest.raises(ValidationError) as exc:
            response.full_clean()
        assert "before the letter" in str(exc.value.message_dict["responded_on"])

    def test_assessed_response_needs_assessment_time(self):
        _violates(lambda: f.ResponseFactory(assessment=m.Assessment.SINCERE, assessed_at=None))

    def test_no_reply_goes_with_channel_none(self):
        _violates(
            lambda: f.ResponseFactory(
                channel=m.ResponseChannel.LETTER,
                assessment=m.Assessment.NO_REPLY,
                assessed_at=dt.datetime(2025, 11, 4, tzinfo=dt.UTC),
            )
        )
        response = f.ResponseFactory(
            channel=m.ResponseChannel.NONE,
            assessment=m.Assessment.NO_REPLY,
            assessed_at=dt.datetime(2025, 11, 4, tzinfo=dt.UTC),
        )
        assert str(response).endswith("No reply")


class TestDemandsAndMemberships:
    def test_demand_numbers_are_unique_per_letter_and_positive(self):
        demand = f.DemandFactory(number=1)
        _violates(lambda: f.DemandFactory(letter=demand.letter, number=1))
        _violates(lambda: f.DemandFactory(letter=demand.letter, number=0))
        assert str(demand).startswith("1. ")

    def test_membership_dates_and_self_membership(self):
        org = f.OrganizationFactory()
        _violates(lambda: f.MembershipFactory(association=org, member=org))
        _violates(lambda: f.MembershipFactory(joined_on=dt.date(2020, 1, 1), left_on=dt.date(2019, 1, 1)))

    def test_current_memberships_on_a_date(self):
        left = f.MembershipFactory(joined_on=dt.date(2010, 1, 1), left_on=dt.date(2015, 1, 1))
        stays = f.MembershipFactory(association=left.association, joined_on=dt.date(2012, 1, 1))
        assert set(m.Membership.objects.current(on=dt.date(2013, 1, 1))) == {left, stays}
        assert set(m.Membership.objects.current(on=dt.date(2020, 1, 1))) == {stays}
        assert set(m.Membership.objects.current()) == {stays}

    def test_involving_finds_disputes_through_an_association(self):
        membership = f.MembershipFactory()
        dispute = f.DisputeFactory()
        f.DisputePartyFactory(dispute=dispute, organization=membership.association, role=m.PartyRole.CLAIMANT)
        f.DisputeFactory()
        assert list(m.Dispute.objects.involving(membership.member)) == [dispute]


class TestDisputedDates:
    def test_two_sources_with_different_dates_mark_the_field_disputed(self):
        event = f.EventFactory(date=dt.date(2025, 10, 3))
        f.ReportedDateFactory(record=event, date=dt.date(2025, 10, 3))
        assert m.disputed_fields(event.reported_dates.all()) == {}
        f.ReportedDateFactory(record=event, date=dt.date(2025, 10, 4))
        disputed = m.disputed_fields(event.reported_dates.all())
        assert list(disputed) == ["date"]
        assert sorted(r.date.day for r in disputed["date"]) == [3, 4]

    def test_partial_dates_render_at_their_precision(self):
        assert m.format_partial_date(dt.date(2025, 9, 1), m.DatePrecision.MONTH) == "2025-09"
        assert m.format_partial_date(dt.date(2023, 1, 1), m.DatePrecision.YEAR) == "2023"
        assert f.EventFactory(date=dt.date(2023, 4, 1), date_precision="month").display_date == "2023-04"


class TestDeadlinePolicy:
    def test_calendar_days(self):
        assert policy_deadline(dt.date(2025, 10, 27), policy=DeadlinePolicy(30)) == dt.date(2025, 11, 26)

    def test_business_days_skip_weekends_and_japanese_holidays(self):
        # 3 Nov 2025 is Culture Day in Japan, but a working Monday in the US.
        assert add_business_days(dt.date(2025, 10, 27), 5, country="JP") == dt.date(2025, 11, 4)
        assert add_business_days(dt.date(2025, 10, 27), 5, country="US") == dt.date(2025, 11, 3)

    def test_business_days_skip_us_thanksgiving(self):
        assert add_business_days(dt.date(2025, 11, 26), 1, country="US") == dt.date(2025, 11, 28)

    def test_settings_choose_the_default(self, settings):
        settings.DISPUTES_DEFAULT_DEADLINE_DAYS = 10
        settings.DISPUTES_DEFAULT_DEADLINE_DAY_KIND = "business"
        assert policy_deadline(dt.date(2025, 10, 27), country="JP") == dt.date(2025, 11, 11)


def test_str_of_every_model_is_readable():
    letter = f.DemandLetterFactory(
        title="Request about Sora 2",
        sender=f.OrganizationFactory(
            name="Content Overseas Distribution Association",
            short_name="CODA",
            name_original="一般社団法人コンテンツ海外流通促進機構",
        ),
        recipient=f.OrganizationFactory(name="OpenAI"),
    )
    assert str(letter) == "CODA → OpenAI: Request about Sora 2 (2025-10-27)"
    assert (
        str(letter.sender)
        == "Content Overseas Distribution Association (一般社団法人コンテンツ海外流通促進機構)"
    )
    assert "Sora" in str(f.AIProductFactory(name="Sora 2"))


class TestResponseDateInTheDatabase:
    """The cross-table rule holds even for writes that skip clean() (bulk updates, scripts, the shell)."""

    def test_database_refuses_a_response_dated_before_its_letter(self):
        letter = f.DemandLetterFactory()
        _violates(lambda: f.ResponseFactory(letter=letter, responded_on=dt.date(2025, 10, 1)))

    def test_database_refuses_moving_a_response_before_its_letter(self):
        response = f.ResponseFactory()
        _violates(lambda: m.Response.objects.filter(pk=response.pk).update(responded_on=dt.date(2025, 1, 1)))

    def test_database_refuses_moving_a_letter_after_its_responses(self):
        response = f.ResponseFactory(responded_on=dt.date(2025, 10, 30))
        _violates(
            lambda: m.DemandLetter.objects.filter(pk=response.letter_id).update(
                sent_on=dt.date(2025, 11, 2), dated_on=dt.date(2025, 11, 2)
            )
        )

    def test_same_day_and_month_precision_responses_are_allowed(self):
        letter = f.DemandLetterFactory()
        f.ResponseFactory(letter=letter, responded_on=dt.date(2025, 10, 27))
        f.ResponseFactory(letter=letter, responded_on=dt.date(2025, 10, 1), date_precision="month")
        assert letter.responses.count() == 2


def test_days_overdue_counts_whole_days_after_the_deadline_instant():
    letter = f.DemandLetterFactory()  # due 26 Nov 2025, 23:59:59 in Tokyo
    assert (
        letter.deadline_state(at=dt.datetime(2025, 11, 26, 14, 0, tzinfo=dt.UTC)).overdue_days == 0
    )  # not yet due
    assert (
        letter.deadline_state(at=dt.datetime(2025, 11, 27, 14, 0, tzinfo=dt.UTC)).overdue_days == 0
    )  # first day overdue
    assert letter.deadline_state(at=dt.datetime(2025, 12, 1, 0, 0, tzinfo=dt.UTC)).overdue_days == 4
    assert letter.deadline_state(at=dt.datetime(2025, 12, 1, tzinfo=dt.UTC), answered=True).overdue_days == 0
