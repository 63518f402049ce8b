"""Run Django code in another process, as a second server worker or a cron command would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def in_another_process(code: str) -> str:
    """Run `code` in a fresh `manage.py shell` sharing this process's cache; its output."""
    environment = dict(os.environ)
    location = settings.CACHES["default"].get("LOCATION")
    if location:
        environment["NEWSROOM_CACHE_DIR"] = str(location)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout
