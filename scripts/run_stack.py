"""``make run``: the Procfile's processes under honcho, stopped cleanly by Ctrl-C.

Ctrl-C asks every process to stop (SIGTERM: the workers finish what they hold and exit) and then exits with
status 0, since stopping is what was asked for: no "Error 130" from make, as if something had crashed.
"""

import sys

from honcho.command import main

STOPPED = {None, 0, 130, 143}  # honcho's exit status after SIGINT (130) or SIGTERM (143)


def run(argv: list[str]) -> int:
    try:
        main(["start", *argv])
    except SystemExit as exc:
        return 0 if exc.code in STOPPED else exc.code
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
