#!/usr/bin/env python3
"""Compile the Qt Designer files in ``ui/`` into ``ehdesk/gui/forms/ui_<name>.py``.

The same split as MusicBrainz Picard's ``ui/compile.py``: Designer files hold the chrome (main window,
dialogs), the generated modules are never edited by hand (nor committed), and hand-written classes in
``ehdesk/gui`` give them behaviour. A file is only recompiled when its ``.ui`` is newer, so running this
before every ``make run``/``make test`` costs nothing once done.

The generated ``setupUi``/``retranslateUi`` get annotations so strict mypy accepts calls to them.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI_DIR = ROOT / "ui"
OUT_DIR = ROOT / "ehdesk" / "gui" / "forms"
INIT_TEXT = '"""Modules generated from ``ui/*.ui`` by ``ui/compile.py``. Do not edit; re-run the script."""\n'
_METHOD = re.compile(r"^(    def (?:setupUi|retranslateUi)\(self, \w+)\):$", re.MULTILINE)


def find_uic() -> list[str]:
    beside = Path(sys.executable).with_name("pyside6-uic")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("pyside6-uic")
    if found:
        return [found]
    raise SystemExit("pyside6-uic not found: install PySide6 in this environment first")


def annotate(source: str) -> str:
    """Give the generated methods types, so typed callers may call them under ``mypy --strict``."""
    source = _METHOD.sub(r"\1: Any) -> None:", source)
    return "from typing import Any\n\n" + source


def compile_one(uic: list[str], ui_file: Path, force: bool) -> bool:
    target = OUT_DIR / f"ui_{ui_file.stem}.py"
    if not force and target.exists() and target.stat().st_mtime >= ui_file.stat().st_mtime:
        return False
    result = subprocess.run([*uic, str(ui_file)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"pyside6-uic failed on {ui_file.name}: {result.stderr.strip()}")
    target.write_text(annotate(result.stdout), encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="recompile every file")
    args = parser.parse_args(argv)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    init = OUT_DIR / "__init__.py"
    if not init.exists() or init.read_text(encoding="utf-8") != INIT_TEXT:
        init.write_text(INIT_TEXT, encoding="utf-8")
    uic = find_uic()
    compiled = [f.name for f in sorted(UI_DIR.glob("*.ui")) if compile_one(uic, f, args.force)]
    if compiled:
        print(f"compiled {', '.join(compiled)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
