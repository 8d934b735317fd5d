"""The import contracts of ``make lint`` ([tool.importlinter] in pyproject.toml) catch what they
promise to catch: each is run on a copy of the package with one violation planted, and fails.

The copy is checked, never the real tree, so a planted module can never leak into ehdesk; each check
first runs on the untouched copy, where the planted module is not reported, so the failure named is
the planted module's doing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The package and its contracts, in a folder of their own."""
    shutil.copytree(ROOT / "ehdesk", tmp_path / "ehdesk", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def lint(folder: Path, contract: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(folder)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", "--contract", contract],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def plant(folder: Path, module: str, source: str) -> None:
    path = folder.joinpath(*module.split(".")).with_suffix(".py")
    path.write_text(f'"""Planted by tests/unit/test_import_contracts.py."""\n\n{source}\n', encoding="utf-8")


@pytest.mark.parametrize(
    ("contract", "module", "source"),
    [
        ("qt-only-in-gui", "ehdesk.services.tooltips", "from PySide6.QtCore import QObject"),
        ("qt-only-in-gui", "ehdesk.qt_clock", "import PySide6"),
        ("forms-without-storage", "ehdesk.forms.stored", "from ehdesk.storage import models"),
        ("gui-through-desk", "ehdesk.gui.shortcut", "from ehdesk.storage.database import Database"),
        ("layers", "ehdesk.storage.upward", "from ehdesk.desk import Desk"),
    ],
)
def test_a_planted_violation_breaks_its_contract(copy: Path, contract: str, module: str, source: str) -> None:
    untouched = lint(copy, contract)
    assert module not in untouched.stdout, untouched.stderr
    plant(copy, module, source)
    broken = lint(copy, contract)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "BROKEN" in broken.stdout
    assert module in broken.stdout  # the report names the planted module
