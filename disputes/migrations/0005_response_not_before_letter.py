"""No response dated before the letter it answers, enforced by the database.

The rule spans two tables, so it cannot be a CheckConstraint; a trigger on each side keeps it. It applies when
both dates are known to the day (a date known only to the month cannot be compared to the day). Response.clean()
gives the admin the same rule as a message.
"""

from django.db import migrations

MESSAGE = "A response cannot be dated before the letter it answers."

POSTGRES_FORWARD = f"""
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
CREATE TRIGGER disputes_response_not_before_letter
    BEFORE INSERT OR UPDATE OF responded_on, date_precision, letter_id ON disputes_response
    FOR EACH ROW EXECUTE FUNCTION disputes_response_not_before_letter();
CREATE TRIGGER disputes_letter_not_after_response
    BEFORE UPDATE OF dated_on, sent_on, date_precision ON disputes_demandletter
    FOR EACH ROW EXECUTE FUNCTION disputes_response_not_before_letter();
"""

POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS disputes_response_not_before_letter ON disputes_response;
DROP TRIGGER IF EXISTS disputes_letter_not_after_response ON disputes_demandletter;
DROP FUNCTION IF EXISTS disputes_response_not_before_letter();
"""

# SQLite's MIN() of two values ignores neither NULL, so COALESCE each side with the other.
_EARLIEST = "MIN(COALESCE({t}.dated_on, {t}.sent_on), COALESCE({t}.sent_on, {t}.dated_on))"
SQLITE_FORWARD = [
    f"""
CREATE TRIGGER disputes_response_not_before_letter_{event}
BEFORE {event} ON disputes_response
FOR EACH ROW WHEN NEW.date_precision = 'day' AND EXISTS (
    SELECT 1 FROM disputes_demandletter l WHERE l.id = NEW.letter_id AND l.date_precision = 'day'
       AND NEW.responded_on < {_EARLIEST.format(t="l")})
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
"""
    for event in ("INSERT", "UPDATE")
] + [
    f"""
CREATE TRIGGER disputes_letter_not_after_response
BEFORE UPDATE ON disputes_demandletter
FOR EACH ROW WHEN NEW.date_precision = 'day' AND EXISTS (
    SELECT 1 FROM disputes_response r WHERE r.letter_id = NEW.id AND r.date_precision = 'day'
       AND r.responded_on < {_EARLIEST.format(t="NEW")})
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
"""
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS disputes_response_not_before_letter_INSERT;",
    "DROP TRIGGER IF EXISTS disputes_response_not_before_letter_UPDATE;",
    "DROP TRIGGER IF EXISTS disputes_letter_not_after_response;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            return
        for statement in [statements] if isinstance(statements, str) else statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("disputes", "0004_access_tokens")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
