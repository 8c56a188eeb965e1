"""Letters' deadlines, responses and status, and who follows what. Each change that affects reminders says so.

Reminders themselves are decided by the sweep (``disputes.services.reminders``); these services only cancel the
pending ones a change makes pointless. A delivery already under way re-checks the letter before it sends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disputes.core.deadlines import default_policy, policy_deadline
from disputes.core.errors import IllegalTransition
from disputes.models import (
    Assessment,
    DatePrecision,
    DeadlineChange,
    DeadlineSource,
    Demand,
    DemandLetter,
    LetterStatus,
    Organization,
    ReminderKind,
    Response,
)
from disputes.reminders.services import reminders_cancel


def _locked(letter: DemandLetter) -> DemandLetter:
    return DemandLetter.objects.select_for_update().get(pk=letter.pk)


def _refresh(target: DemandLetter, source: DemandLetter, fields: Iterable[str]) -> None:
    for name in fields:
        setattr(target, name, getattr(source, name))


DEADLINE_FIELDS = ("response_deadline_on", "response_deadline_at", "deadline_source", "deadline_version")


def letter_deadline_set(
    *,
    letter: DemandLetter,
    deadline_on: dt.date | None,
    source: str,
    reason: str,
    changed_by=None,
) -> DeadlineChange:
    """Give the letter a new deadline (or none), record why, and start a new deadline version.

    Reminders follow the new deadline: the pending ones for the old version are cancelled, and the ladder starts
    again from the new date (a heads-up, then the deadline, and so on). Raises IllegalTransition for a closed or
    withdrawn letter or an unchanged deadline, ValidationError for a deadline before the letter's date.
    """
    reason = (reason or "").strip()
    if not reason:
        raise IllegalTransition(_("Say why the deadline changes."))
    if deadline_on is None:
        source = DeadlineSource.NONE
    elif source == DeadlineSource.NONE:
        raise IllegalTransition(_("Say where the deadline comes from."))
    with transaction.atomic():
        current = _locked(letter)
        if current.status != LetterStatus.OPEN:
            raise IllegalTransition(
                _("The letter is %(status)s: its deadline can no longer change.")
                % {"status": current.get_status_display().lower()}
            )
        if current.response_deadline_on == deadline_on and current.deadline_source == source:
            raise IllegalTransition(_("That is already the letter's deadline."))
        previous_on = current.response_deadline_on
        current.response_deadline_on = deadline_on
        current.deadline_source = source
        current.deadline_version += 1
        current.clean()  # a deadline before the letter's date is a ValidationError
        current.save(
            update_fields=["response_deadline_on", "deadline_source", "deadline_version", "updated_at"]
        )
        change = DeadlineChange.objects.create(
            letter=current,
            version=current.deadline_version,
            previous_on=previous_on,
            new_on=deadline_on,
            source=source,
            reason=reason,
            changed_by=changed_by,
            changed_at=timezone.now(),
        )
        reminders_cancel(
            letter=current,
            kinds=[ReminderKind.DEADLINE],
            reason=_("the deadline changed"),
            below_version=current.deadline_version,
        )
    _refresh(letter, current, DEADLINE_FIELDS)
    return change


def letter_deadline_extend(
    *, letter: DemandLetter, deadline_on: dt.date, reason: str, changed_by=None
) -> DeadlineChange:
    """Staff extend the deadline to a later day, with a reason. Raises IllegalTransition if it is not later."""
    if letter.response_deadline_on is None:
        raise IllegalTransition(_("The letter has no deadline to extend; set one instead."))
    if deadline_on <= letter.response_deadline_on:
        raise IllegalTransition(
            _("An extension must be later than the current deadline (%(date)s).")
            % {"date": letter.response_deadline_on}
        )
    return letter_deadline_set(
        letter=letter,
        deadline_on=deadline_on,
        source=DeadlineSource.STAFF,
        reason=reason,
        changed_by=changed_by,
    )


def letter_deadline_from_policy(*, letter: DemandLetter, changed_by=None) -> DeadlineChange:
    """Give a letter that names no deadline the policy's default one (counted from when it was sent)."""
    if letter.response_deadline_on is not None:
        raise IllegalTransition(_("The letter already has a deadline."))
    start = letter.sent_on or letter.dated_on
    if start is None:
        raise IllegalTransition(_("The letter has no date to count the deadline from."))
    policy = default_policy()
    return letter_deadline_set(
        letter=letter,
        deadline_on=policy_deadline(start, country=letter.sender.country, policy=policy),
        source=DeadlineSource.POLICY,
        reason=policy.describe(),
        changed_by=changed_by,
    )


def _letter_status_set(*, letter: DemandLetter, status: str, note: str) -> DemandLetter:
    with transaction.atomic():
        current = _locked(letter)
        if current.status != LetterStatus.OPEN:
            raise IllegalTransition(
                _("The letter is already %(status)s.") % {"status": current.get_status_display().lower()}
            )
        current.status = status
        if note:
            current.status_note = note
        current.save(update_fields=["status", "status_note", "updated_at"])
        reminders_cancel(
            letter=current,
            reason=_("the letter is %(status)s") % {"status": current.get_status_display().lower()},
        )
    _refresh(letter, current, ["status", "status_note"])
    return letter


def letter_close(*, letter: DemandLetter, note: str = "") -> DemandLetter:
    """Close an open letter: no more reminders about it. Raises IllegalTransition if it is not open."""
    return _letter_status_set(letter=letter, status=LetterStatus.CLOSED, note=note)


def letter_withdraw(*, letter: DemandLetter, note: str = "") -> DemandLetter:
    """The sender withdrew the letter: no more reminders, and no responses can be recorded to it."""
    return _letter_status_set(letter=letter, status=LetterStatus.WITHDRAWN, note=note)


def _after_assessment(response: Response) -> None:
    reminders_cancel(
        letter=response.letter,
        kinds=[ReminderKind.ASSESSMENT],
        response=response,
        reason=_("the response has been assessed"),
    )
    if response.assessment == Assessment.SINCERE:
        reminders_cancel(letter=response.letter, reason=_("a response was assessed as sincere"))


def response_record(
    *,
    letter: DemandLetter,
    responder: Organization,
    responded_on: dt.date,
    channel: str,
    title: str = "",
    summary: str = "",
    quote: str = "",
    url: str = "",
    date_precision: str = DatePrecision.DAY,
    demands: Iterable[Demand] = (),
    assessment: str = Assessment.NOT_ASSESSED,
    assessed_by=None,
    assessment_reason: str = "",
) -> Response:
    """Record a response to a letter, assessed or not yet. Raises IllegalTransition for a withdrawn letter.

    Only a response assessed as sincere answers the letter (and cancels its pending reminders); an unassessed one
    waits for staff, who are reminded after ``REMINDERS_ASSESSMENT_DAYS``.
    """
    demands = list(demands)
    with transaction.atomic():
        current = _locked(letter)
        if current.status == LetterStatus.WITHDRAWN:
            raise IllegalTransition(_("The letter was withdrawn: a response to it cannot be recorded."))
        if any(d.letter_id != current.pk for d in demands):
            raise IllegalTransition(_("A response can only answer the demands of its own letter."))
        response = Response(
            letter=current,
            responder=responder,
            responded_on=responded_on,
            date_precision=date_precision,
            channel=channel,
            title=title,
            summary=summary,
            quote=quote,
            url=url,
            assessment=assessment,
            assessment_reason=assessment_reason,
        )
        if assessment != Assessment.NOT_ASSESSED:
            response.assessed_by = assessed_by
            response.assessed_at = timezone.now()
        response.full_clean(exclude=["demands", "sources"])
        response.save()
        if demands:
            response.demands.set(demands)
        if assessment != Assessment.NOT_ASSESSED:
            _after_assessment(response)
    return response


def response_assess(*, response: Response, assessment: str, assessed_by, reason: str = "") -> Response:
    """Staff judge a response. Sincere answers the letter: its pending reminders are cancelled.

    Evasive, partial, acknowledgement-only or refusal leave the clock running. Raises IllegalTransition for
    "not assessed" (an assessment cannot be taken back to nothing) or a response to a withdrawn letter.
    """
    if assessment == Assessment.NOT_ASSESSED:
        raise IllegalTransition(_("Choose an assessment."))
    with transaction.atomic():
        current = Response.objects.select_for_update().select_related("letter").get(pk=response.pk)
        if current.letter.status == LetterStatus.WITHDRAWN:
            raise IllegalTransition(_("The letter was withdrawn: its responses are no longer assessed."))
        current.assessment = assessment
        current.assessed_by = assessed_by
        current.assessed_at = timezone.now()
        current.assessment_reason = reason
        try:
            current.clean()
        except ValidationError as exc:
            raise IllegalTransition(" ".join(exc.messages)) from exc
        current.save(
            update_fields=["assessment", "assessed_by", "assessed_at", "assessment_reason", "updated_at"]
        )
        _after_assessment(current)
    for name in ("assessment", "assessed_by", "assessed_at", "assessment_reason"):
        setattr(response, name, getattr(current, name))
    return response
