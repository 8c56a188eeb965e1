"""Make sure Debian's Chromium is installed for the browser tests (installs it with apt-get when run as root)."""

import os
import shutil
import subprocess
import sys

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def main() -> int:
    if os.path.exists(CHROMIUM) and shutil.which("msgfmt"):
        return 0
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print(f"Chromium is not at {CHROMIUM}; the browser tests need it (apt-get install chromium).")
        return 1
    print("Installing Chromium, a Japanese font and gettext for the tests (apt-get)…", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    result = subprocess.run(
        ["apt-get", "install", "-y", "-qq", "chromium", "fonts-ipafont-gothic", "gettext"],
        check=False,
        env=env,
    )
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
