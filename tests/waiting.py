"""Waiting for a condition outside Qt (another process, another database session), never for a time.

Qt tests wait with ``qtbot.waitUntil``; tests of processes and database locks poll the condition here,
briefly and with a deadline, so a slow machine waits longer and a fast one not at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

POLL_S = 0.02


def wait_until(condition: Callable[[], bool], message: str, timeout: float = 30.0) -> None:
    """Return as soon as ``condition()`` holds; fail with ``message`` if it does not within ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(message)
        time.sleep(POLL_S)
