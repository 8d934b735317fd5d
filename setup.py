"""The build hook pyproject.toml cannot state: compile the Qt Designer forms into the wheel.

As MusicBrainz Picard's ``setup.py`` does, ``build_py`` first runs ``ui/compile.py``, so a wheel built
from a clean clone (where ``ehdesk/gui/forms/`` does not exist: it is generated, never committed)
carries ``ehdesk.gui.forms`` with every ``ui_*.py``. Everything else about the package is declared in
pyproject.toml.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
FORMS_PACKAGE = "ehdesk.gui.forms"


class BuildWithForms(build_py):
    """``build_py`` that compiles ``ui/*.ui`` first and always ships the generated package.

    The compile runs when the command's options are settled, as every step that lists the package's
    files (the wheel's metadata too) asks ``build_py`` for them; it only recompiles what changed."""

    def finalize_options(self) -> None:
        subprocess.run([sys.executable, str(ROOT / "ui" / "compile.py")], check=True)
        super().finalize_options()
        if self.packages is not None and FORMS_PACKAGE not in self.packages:
            self.packages.append(FORMS_PACKAGE)  # absent from a clean clone when packages were found


setup(cmdclass={"build_py": BuildWithForms})
