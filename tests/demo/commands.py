"""Running the demo's management commands in a test, and reading what they print."""

import re
from io import StringIO

from django.core.management import call_command


def run(command: str, **options) -> str:
    out = StringIO()
    call_command(command, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def counts(output: str, model: str) -> tuple[int, ...]:
    """(created, already present[, updated]) from the command's summary line for ``model``."""
    line = next(line for line in output.splitlines() if line.split()[0] == model)
    return tuple(int(n) for n in re.findall(r"(\d+) (?:created|already present|updated)", line))


def printed_password(output: str) -> str:
    match = re.search(r"Password:\s+(\S+)", output)
    assert match, output
    return match.group(1)
