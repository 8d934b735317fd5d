"""The ``ehdesk`` command: no subcommand starts the desktop app; subcommands do batch work.

Every failure a user can cause ends in one line on stderr and a non-zero exit, never a traceback: an
:class:`~ehdesk.errors.EhdeskError` prints its message; a database that cannot be reached prints the
driver's reason. Anything else is a bug, reported as one line that says so.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from sqlalchemy.exc import SQLAlchemyError

from ehdesk import __version__
from ehdesk.errors import ConfigError, EhdeskError


def _command_modules() -> list[ModuleType]:
    from ehdesk.commands import audit, config, demo, forms, init, rules, users, validate

    return [init, config, users, demo, audit, rules, forms, validate]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ehdesk",
        description="Early Help information-sharing desk. With no command, starts the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"ehdesk {__version__}")
    parser.add_argument(
        "--database",
        metavar="URL",
        help="database URL or SQLite file (default: EHDESK_DATABASE_URL, else a file in the data folder)",
    )
    parser.add_argument(
        "--policy-pack",
        metavar="DIR",
        type=Path,
        help="folder of the authority's own policy pack (default: EHDESK_POLICY_PACK, else the built-in one)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        module.register(subparsers)
    return parser


def _no_display() -> bool:
    """On Linux without X or Wayland, Qt would abort with a core dump; say so in one line instead."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _run_gui(args: argparse.Namespace) -> int:
    from ehdesk.commands.common import settings_from

    if _no_display():
        raise ConfigError(
            "no display to open the ehdesk window on; run it on a desktop, or see `ehdesk --help` "
            "for the commands that need no window"
        )
    from ehdesk.gui.app import run_gui

    code: int = run_gui(settings_from(args))
    return code


def _one_line(error: object) -> str:
    """Drivers put hints on extra lines; the CLI promises exactly one line."""
    return " ".join(str(error).split())


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            return _run_gui(args)
        code: int = args.func(args)
        return code
    except EhdeskError as error:
        print(f"ehdesk: error: {_one_line(error)}", file=sys.stderr)
        return error.exit_code
    except SQLAlchemyError as error:
        reason = _one_line(getattr(error, "orig", None) or error)
        print(f"ehdesk: error: the database refused the request: {reason}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `ehdesk rules | head`: the reader has all it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("ehdesk: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # a bug: still one line, with where to report it
        what = f"{type(error).__name__}: {_one_line(error)}"
        print(f"ehdesk: internal error ({what}); please report it", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
