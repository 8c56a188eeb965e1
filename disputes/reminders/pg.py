"""A cursor on Django's PostgreSQL connection that sends parameters apart from the query (server-side binding).

Django's psycopg cursors bind on the client: every value is quoted into the SQL text in Python, which for the
ledger's bulk insert (arrays of thousands of values) costs five times the insert itself, and for the statement
that marks each email costs a fifth of the worker's time per email. ``server_bound_cursor`` is used for those two
statements only; the rest of the project keeps Django's default.
https://www.psycopg.org/psycopg3/docs/basic/from_pg2.html#server-side-binding
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection


@contextmanager
def server_bound_cursor() -> Iterator[Any]:
    """A cursor in the current connection's transaction (PostgreSQL only), wrapped as Django wraps its own, so
    ``execute_wrapper()``, the query log and the tests' query counts see its statements. ``%s`` and ``%b``
    (binary) placeholders."""
    import psycopg

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as raw:
        yield connection._prepare_cursor(raw)  # noqa: SLF001 - Django's own wrapping, as for its cursors
