"""Running the ``ehdesk`` command as an administrator would: a separate process, its output captured."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable, Mapping


def ehdesk(
    *args: str, env: Mapping[str, str] | None = None, without: Iterable[str] = ()
) -> subprocess.CompletedProcess[str]:
    """``python -m ehdesk ARGS`` with ``env`` added to and ``without`` removed from the environment.

    stdin is closed, as in a script: anything that would prompt must say what to set instead.
    """
    dropped = set(without)
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "ehdesk", *args],
        capture_output=True,
        text=True,
        env=environment,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )
