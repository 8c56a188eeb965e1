"""No response dated before its letter, decided at the coarsest precision that can decide it.

0005 applied the rule only when both dates were known to the day. Dates are now stored as the first day of their
period (0012), so a letter's period starts at LEAST(dated_on, sent_on), and a response's period ends at the last day
of its month or year: a response is refused when its whole period lies before the letter's. "2025-09" is refused for
a letter of 27 October 2025; "2025-10" cannot be decided and is kept. Response.clean() says the same in the admin.
"""

from django.db import migrations

MESSAGE = "A response cannot be dated before the letter it answers."

PG_END = "disputes_period_end({d}, {p})"
PERIOD_END_FUNCTION = """
CREATE OR REPLACE FUNCTION disputes_period_end(d date, prec text) RETURNS date AS $$
    SELECT CASE prec
        WHEN 'year' THEN (date_trunc('year', d) + interval '1 year' - interval '1 day')::date
        WHEN 'month' THEN (date_trunc('month', d) + interval '1 month' - interval '1 day')::date
        ELSE d END
$$ LANGUAGE sql IMMUTABLE;
"""

POSTGRES_FORWARD = (
    PERIOD_END_FUNCTION
    + f"""
CREATE OR REPLACE FUNCTION disputes_response_not_before_letter() RETURNS trigger AS $$
DECLARE
    earliest date;
BEGIN
    IF TG_TABLE_NAME = 'disputes_response' THEN
        SELECT LEAST(l.dated_on, l.sent_on) INTO earliest FROM disputes_demandletter l WHERE l.id = NEW.letter_id;
        IF earliest IS NOT NULL AND {PG_END.format(p="NEW.date_precision", d="NEW.responded_on")} < earliest THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
    ELSIF EXISTS (
        SELECT 1 FROM disputes_response r WHERE r.letter_id = NEW.id
           AND {PG_END.format(p="r.date_precision", d="r.responded_on")} < LEAST(NEW.dated_on, NEW.sent_on)) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
)

# The day-only function of 0005, restored on the way back.
POSTGRES_BACKWARD = f"""
CREATE OR REPLACE FUNCTION disputes_response_not_before_letter() RETURNS trigger AS $$
DECLARE
    earliest date;
BEGIN
    IF TG_TABLE_NAME = 'disputes_response' THEN
        SELECT LEAST(l.dated_on, l.sent_on) INTO earliest FROM disputes_demandletter l
         WHERE l.id = NEW.letter_id AND l.date_precision = 'day';
        IF NEW.date_precision = 'day' AND earliest IS NOT NULL AND NEW.responded_on < earliest THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
    ELSIF NEW.date_precision = 'day' AND EXISTS (
        SELECT 1 FROM disputes_response r WHERE r.letter_id = NEW.id AND r.date_precision = 'day'
           AND r.responded_on < LEAST(NEW.dated_on, NEW.sent_on)) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP FUNCTION IF EXISTS disputes_period_end(date, text);
"""

_EARLIEST = "MIN(COALESCE({t}.dated_on, {t}.sent_on), COALESCE({t}.sent_on, {t}.dated_on))"
_SQLITE_END = (
    "CASE {p} WHEN 'year' THEN date({d}, 'start of year', '+1 year', '-1 day') "
    "WHEN 'month' THEN date({d}, 'start of month', '+1 month', '-1 day') ELSE {d} END"
)
_DROP = [
    "DROP TRIGGER IF EXISTS disputes_response_not_before_letter_INSERT;",
    "DROP TRIGGER IF EXISTS disputes_response_not_before_letter_UPDATE;",
    "DROP TRIGGER IF EXISTS disputes_letter_not_after_response;",
]
SQLITE_FORWARD = (
    _DROP
    + [
        f"""
CREATE TRIGGER disputes_response_not_before_letter_{event}
BEFORE {event} ON disputes_response
FOR EACH ROW WHEN EXISTS (
    SELECT 1 FROM disputes_demandletter l WHERE l.id = NEW.letter_id
       AND {_SQLITE_END.format(p="NEW.date_precision", d="NEW.responded_on")} < {_EARLIEST.format(t="l")})
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
"""
        for event in ("INSERT", "UPDATE")
    ]
    + [
        f"""
CREATE TRIGGER disputes_letter_not_after_response
BEFORE UPDATE ON disputes_demandletter
FOR EACH ROW WHEN EXISTS (
    SELECT 1 FROM disputes_response r WHERE r.letter_id = NEW.id
       AND {_SQLITE_END.format(p="r.date_precision", d="r.responded_on")} < {_EARLIEST.format(t="NEW")})
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
"""
    ]
)


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            return
        for statement in [statements] if isinstance(statements, str) else statements:
            schema_editor.execute(statement)

    return run


def _sqlite_backward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    import importlib

    day_only = importlib.import_module("disputes.migrations.0005_response_not_before_letter")
    for statement in _DROP + day_only.SQLITE_FORWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("disputes", "0012_record_data")]

    operations = [
        migrations.RunPython(_run({"postgresql": POSTGRES_FORWARD}), _run({"postgresql": POSTGRES_BACKWARD})),
        migrations.RunPython(_run({"sqlite": SQLITE_FORWARD}), _sqlite_backward),
    ]
