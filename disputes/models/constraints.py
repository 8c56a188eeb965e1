"""Rules between two fields that several models state, as database constraints (each with its name and the
message a form shows; ``common.choices_check`` keeps a field within its choices)."""

from django.db import models


def dates_in_order_check(earlier: str, later: str, name: str, message) -> models.CheckConstraint:
    """A CheckConstraint that ``later`` is not before ``earlier`` when both dates are given (either may be empty)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{later}__isnull": True})
        | models.Q(**{f"{earlier}__isnull": True})
        | models.Q(**{f"{later}__gte": models.F(earlier)}),
        name=name,
        violation_error_message=message,
    )


def different_check(first: str, second: str, name: str, message) -> models.CheckConstraint:
    """A CheckConstraint that ``first`` and ``second`` are not the same (a letter is not sent to its sender)."""
    return models.CheckConstraint(
        condition=~models.Q(**{first: models.F(second)}), name=name, violation_error_message=message
    )
