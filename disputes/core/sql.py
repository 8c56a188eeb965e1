"""Small SQL building blocks that work the same on PostgreSQL and SQLite."""

from collections.abc import Iterable, Iterator
from typing import TypeVar

from django.db import transaction
from django.db.models import Aggregate, CharField, Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

SEPARATOR = (
    "\x1f"  # joins several names in one SQL value; split again in Python (a control character, never in text)
)


class Joined(Aggregate):
    """Values joined with a separator: STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite."""

    function = "STRING_AGG"
    output_field = CharField()

    def __init__(self, expression, **extra):
        super().__init__(expression, Value(SEPARATOR), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def joined_values(through: QuerySet, outer: str, value: str) -> Subquery:
    """The ``value`` of every row of ``through`` that points at the outer row, joined in one string."""
    rows = through.filter(**{outer: OuterRef("pk")}).order_by().values(outer).annotate(j=Joined(value))
    return Subquery(rows.values("j"), output_field=CharField())


def subquery_count(queryset: QuerySet, outer: str) -> Coalesce:
    """How many rows of ``queryset`` point at the outer row (0 when none), as one correlated subquery."""
    rows = queryset.filter(**{outer: OuterRef("pk")}).order_by().values(outer).annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n"), output_field=IntegerField()), 0)


T = TypeVar("T")


def streamed(parts: Iterable[T]) -> Iterator[T]:
    """Iterate ``parts`` (a generator reading ``QuerySet.iterator()``) inside a transaction.

    Outside one, Django declares PostgreSQL's server-side cursors ``WITH HOLD``, and such a cursor computes the
    whole result before handing over its first row; inside one, rows flow as the query produces them, so a
    streamed export or calendar starts at once. The transaction ends when the response is finished or closed.
    https://docs.djangoproject.com/en/5.2/ref/databases/#transaction-pooling-and-server-side-cursors
    """
    with transaction.atomic():
        yield from parts
