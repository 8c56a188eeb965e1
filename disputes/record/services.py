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


def deadline_reason_default(letter: DemandLetter) -> str:
    """Why a letter has the deadline it was entered with, when nobody wrote a reason."""
    if letter.deadline_source == DeadlineSource.POLICY:
        return _("Derived from the default policy (%(policy)s); the letter names no deadline.") % {
            "policy": default_policy().describe()
        }
    if letter.deadline_source == DeadlineSource.STAFF:
        return _("Set by staff.")
    return _("Stated in the letter.")


def letter_check(
    *, letter: DemandLetter, deadline_on: dt.date | None, source: str, status: str, deadline_reason: str = ""
) -> None:
    """Raise IllegalTransition if the saved ``letter`` may not become what a form asks: a new deadline needs a
    reason, and a letter that stays closed or withdrawn keeps its deadline. For forms to show the rule before
    anything is written; ``letter_save`` applies the same rules."""
    if letter.pk is None:
        return
    stored = DemandLetter.objects.filter(pk=letter.pk).values(
        "response_deadline_on", "deadline_source", "status"
    )[0]
    if (stored["response_deadline_on"], stored["deadline_source"]) == (deadline_on, source):
        return
    if not (deadline_reason or "").strip():
        raise IllegalTransition(_("Say why the deadline changes; the reason is kept."))
    if stored["status"] != LetterStatus.OPEN and status != LetterStatus.OPEN:
        raise IllegalTransition(
            _(
                "The letter is %(status)s: its deadline can no longer change. Reopen it to change the deadline."
            )
            % {"status": LetterStatus(stored["status"]).label.lower()}
        )


def letter_save(*, letter: DemandLetter, deadline_reason: str = "", changed_by=None) -> DemandLetter:
    """Create or update a letter edited as a whole (an admin form, the demo loader), with every side effect.

    - A new letter with a deadline gets version 1 of it and its DeadlineChange row.
    - A changed deadline goes through ``letter_deadline_set``: a new version, a reason, and reminders that
      follow the new date.
    - Closing or withdrawing goes through ``letter_close`` / ``letter_withdraw`` (pending reminders cancelled),
      reopening through ``letter_reopen``.
    - Anything else is saved as it is.
    Raises ValidationError for an invalid letter and IllegalTransition for a change the record does not allow
    (``letter_check``); nothing is written then. Many-to-many fields are the caller's to save afterwards.
    """
    with transaction.atomic():
        if letter.pk is None:
            letter.full_clean(exclude=["on_behalf_of", "products", "sources"])
            letter.deadline_version = 1
            letter.save()
            if letter.response_deadline_on is not None:
                DeadlineChange.objects.create(
                    letter=letter,
                    version=1,
                    previous_on=None,
                    new_on=letter.response_deadline_on,
                    source=letter.deadline_source,
                    reason=(deadline_reason or "").strip() or deadline_reason_default(letter),
                    changed_by=changed_by,
                    changed_at=timezone.now(),
                )
            return letter
        stored = _locked(letter)
        wanted_on, wanted_source = letter.response_deadline_on, letter.deadline_source
        wanted_status, note = letter.status, letter.status_note
        letter_check(
            letter=letter,
            deadline_on=wanted_on,
            source=wanted_source,
            status=wanted_status,
            deadline_reason=deadline_reason,
        )
        # Everything but the deadline and the status is saved as edited; those two change through their services.
        for name in ("response_deadline_on", "deadline_source", "deadline_version", "status"):
            setattr(letter, name, getattr(stored, name))
        letter.full_clean(exclude=["on_behalf_of", "products", "sources"])
        letter.save()
        if stored.status != wanted_status and stored.status != LetterStatus.OPEN:
            letter_reopen(letter=letter, note=note)
        if (stored.response_deadline_on, stored.deadline_source) != (wanted_on, wanted_source):
            letter_deadline_set(
                letter=letter,
                deadline_on=wanted_on,
                source=wanted_source,
                reason=deadline_reason,
                changed_by=changed_by,
            )
        if stored.status != wanted_status and wanted_status == LetterStatus.CLOSED:
            letter_close(letter=letter, note=note)
        elif stored.status != wanted_status and wanted_status == LetterStatus.WITHDRAWN:
            letter_withdraw(letter=letter, note=note)
    return letter


def letter_reopen(*, letter: DemandLetter, note: str = "") -> DemandLetter:
    """Open a closed or withdrawn letter again: the sweep picks its reminders up from where the ladder is."""
    with transaction.atomic():
        current = _locked(letter)
        if current.status == LetterStatus.OPEN:
            raise IllegalTransition(_("The letter is already open."))
        current.status = LetterStatus.OPEN
        current.status_note = note
        current.save(update_fields=["status", "status_note", "updated_at"])
    _refresh(letter, current, ["status", "status_note"])
    return letter


def response_check(*, response: Response) -> None:
    """Raise IllegalTransition if the record does not allow ``response`` to be saved as it is: no response is
    recorded, or assessed, on a withdrawn letter. For forms to show the rule before anything is written."""
    letter = response.letter
    if letter.pk is None or letter.status != LetterStatus.WITHDRAWN:
        return
    if response.pk is None:
        raise IllegalTransition(_("The letter was withdrawn: a response to it cannot be recorded."))
    previous = Response.objects.filter(pk=response.pk).values_list("assessment", flat=True).first()
    if previous != response.assessment:
        raise IllegalTransition(_("The letter was withdrawn: its responses are no longer assessed."))


def response_save(*, response: Response, changed_by) -> Response:
    """Create or update a response edited as a whole (an admin form), with every side effect.

    The assessment is stamped with who judged it and when whenever it changes (cleared when set back to "not
    assessed"), and a new assessment cancels the reminders it makes pointless (all of them for a sincere one).
    Raises IllegalTransition for a withdrawn letter, ValidationError for an invalid response; nothing is
    written then. Many-to-many fields are the caller's to save afterwards.
    """
    with transaction.atomic():
        _locked(response.letter)
        response_check(response=response)
        previous = (
            Response.objects.filter(pk=response.pk).values_list("assessment", flat=True).first()
            if response.pk
            else None
        )
        assessed = response.assessment != (previous or Assessment.NOT_ASSESSED)
        if response.assessment != previous:
            if response.assessment == Assessment.NOT_ASSESSED:
                response.assessed_by, response.assessed_at = None, None
            else:
                response.assessed_by, response.assessed_at = changed_by, timezone.now()
        response.full_clean(exclude=["demands", "sources"])
        response.save()
        if assessed and response.assessment != Assessment.NOT_ASSESSED:
            _after_assessment(response)
    return response
