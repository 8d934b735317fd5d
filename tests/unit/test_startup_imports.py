"""Start-up imports only what the command asked for (issue 18): pinned by what gets imported, not by a clock.

Each check runs a fresh interpreter, because this test process has long since imported everything.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import subprocess
import sys

import pytest

from ehdesk.cli import COMMANDS, build_parser

HEAVY = ("sqlalchemy", "PySide6", "faker", "alembic", "ehdesk.commands", "ehdesk.storage")


def _modules_after(*argv: str) -> set[str]:
    """The modules a fresh ``ehdesk ARGV`` has imported by the time it exits."""
    script = (
        "import json, sys\n"
        "from ehdesk.cli import main\n"
        "try:\n"
        f"    main({list(argv)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def _imported(modules: set[str], package: str) -> bool:
    return any(name == package or name.startswith(package + ".") for name in modules)


@pytest.mark.parametrize("argv", [("--version",), ("--help",)])
def test_version_and_help_import_no_database_gui_or_command_code(argv: tuple[str, ...]) -> None:
    modules = _modules_after(*argv)
    assert [package for package in HEAVY if _imported(modules, package)] == []


def test_a_command_imports_its_own_module_and_no_other_command() -> None:
    modules = _modules_after("rules", "--coverage")
    commands = {name for name in modules if name.startswith("ehdesk.commands.")}
    assert commands == {"ehdesk.commands.rules"}
    assert not _imported(modules, "faker")  # only `ehdesk demo` needs the fake-name generator
    assert not _imported(modules, "PySide6")


def test_the_help_listed_for_each_command_is_the_help_its_module_registers() -> None:
    """The name→help table exists so ``--help`` need not import the modules; it must not drift."""
    for name, (module_name, help_text) in COMMANDS.items():
        parser = argparse.ArgumentParser()
        subparsers = parser.add_subparsers()
        importlib.import_module(module_name).register(subparsers)
        registered = {action.dest: action.help for action in subparsers._choices_actions}
        assert registered == {name: help_text}, module_name


def test_the_real_parser_of_the_named_command_reads_its_options() -> None:
    args = build_parser("demo").parse_args(["demo", "--families", "7"])
    assert (args.command, args.families) == ("demo", 7)
    assert callable(args.func)


def _modules_after_import(module: str) -> set[str]:
    script = f"import json, sys\nimport {module}\nprint(json.dumps(sorted(sys.modules)))\n"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("module", ["ehdesk.gui.login", "ehdesk.gui.app", "ehdesk.config"])
def test_the_login_dialog_is_painted_before_sqlalchemy_the_models_or_the_services_are_imported(
    module: str,
) -> None:
    """They are imported on a helper thread while the dialog is up (ehdesk.gui.app.preload)."""
    modules = _modules_after_import(module)
    heavy = ("sqlalchemy", "ehdesk.services", "ehdesk.storage.models", "ehdesk.desk", "argon2")
    assert [package for package in heavy if _imported(modules, package)] == []


def test_what_start_up_imports_behind_the_login_dialog_are_real_modules() -> None:
    """The preload list names modules that exist, so a rename cannot quietly undo it; what the log-in
    needs comes first, so the rest can be imported while the password is checked."""
    from ehdesk.gui.app import PRELOADED

    assert "ehdesk.gui.backend" in PRELOADED
    assert "ehdesk.gui.mainwindow" in PRELOADED
    assert PRELOADED.index("ehdesk.desk.people") < PRELOADED.index("ehdesk.gui.backend")
    assert all(importlib.util.find_spec(name) is not None for name in PRELOADED)


PDF_AND_SIGNING = ("reportlab", "pyhanko", "cryptography")


@pytest.mark.parametrize("module", ["ehdesk.desk.desk", "ehdesk.gui.backend", "ehdesk.gui.mainwindow"])
def test_the_desk_and_the_main_window_import_no_pdf_or_signing_library(module: str) -> None:
    """reportlab, pyHanko and cryptography are imported by the use cases that write a PDF or sign, not
    on the way to the main window (``ehdesk.desk.desk`` is the whole Desk, every area's use cases)."""
    modules = _modules_after_import(module)
    assert [package for package in PDF_AND_SIGNING if _imported(modules, package)] == []


def test_the_form_definitions_import_their_validation_libraries_only_to_check_a_value() -> None:
    """phonenumbers and email-validator took longer to import than the forms themselves; every start
    imports the forms (the Desk's record specs hold them), few starts check a phone number at once."""
    modules = _modules_after_import("ehdesk.gui.backend")
    assert not _imported(modules, "phonenumbers")
    assert not _imported(modules, "email_validator")


def test_the_log_in_needs_only_the_people_desk_not_the_forms_other_areas_or_screens() -> None:
    """So the GUI can log people in while the rest of the Desk and the main window are still being
    imported: the password check (argon2, GIL released) and those imports overlap."""
    modules = _modules_after_import("ehdesk.desk.people")
    others = [
        "ehdesk.forms",
        "ehdesk.desk.desk",
        "ehdesk.desk.families",
        "ehdesk.desk.manager",
        "ehdesk.desk.records",
        "ehdesk.desk.referrals",
        "ehdesk.desk.worker",
        "ehdesk.gui",
    ]
    assert [name for name in others if _imported(modules, name)] == []
    assert [package for package in PDF_AND_SIGNING if _imported(modules, package)] == []
