"""The ``ehdesk`` command: no subcommand starts the desktop app; subcommands do batch work.

Every failure a user can cause ends in one line on stderr and a non-zero exit, never a traceback: an
:class:`~ehdesk.errors.EhdeskError` prints its message; a database that cannot be reached prints the
driver's reason. Anything else is a bug, reported as one line that says so.

Start-up is kept cheap (issue 18): the arguments are read in two stages. The first stage knows every
command only by name and one-line help (:data:`COMMANDS`), so ``ehdesk --version`` and ``ehdesk --help``
import no command module, no SQLAlchemy, no Faker and no Qt. The second stage imports the one module of
the command named and lets it register its real parser, so each command pays only for what it uses.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from ehdesk import __version__
from ehdesk.errors import ConfigError, EhdeskError

COMMANDS: dict[str, tuple[str, str]] = {
    "init": (
        "ehdesk.commands.init",
        "create the database, the first admin account and the signing authority",
    ),
    "config": ("ehdesk.commands.config", "show or change ehdesk's settings"),
    "users": ("ehdesk.commands.users", "list and add users (as an admin)"),
    "demo": ("ehdesk.commands.demo", "add made-up demo families (for trying ehdesk out)"),
    "families": ("ehdesk.commands.families", "search the families you may see (as the family list does)"),
    "audit": ("ehdesk.commands.audit", "work with the audit trail"),
    "verify": ("ehdesk.commands.verify", "check a signed PDF record: signer, integrity, trust"),
    "rules": ("ehdesk.commands.rules", "print every form rule with its guidance ID"),
    "forms": ("ehdesk.commands.forms", "list the forms, or describe one"),
    "validate": ("ehdesk.commands.validate", "check a JSON record against a form's rules"),
    "packs": ("ehdesk.commands.packs", "make privacy-notice packs for allocated families without evidence"),
    "report": ("ehdesk.commands.report", "report on the casefiles: compliance gaps with the guidance"),
}
"""Command name → (module that registers it, its one-line help for ``ehdesk --help``).

Each module has ``register(subparsers)``; a test checks that the help here is the help it registers.
"""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole parser, with ``command``'s real sub-parser (its module imported) and every other
    command as a name and help only: enough to list them, to reject a typo, and to find the command."""
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
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser] = parser.add_subparsers(
        dest="command", metavar="COMMAND"
    )
    for name, (module_name, help_text) in COMMANDS.items():
        if name == command:
            importlib.import_module(module_name).register(subparsers)
        else:  # a stand-in: swallows its arguments in the first stage, never runs
            subparsers.add_parser(name, help=help_text, add_help=False)
    return parser


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Find the command with the stand-ins, then parse everything with that command's real parser."""
    args = list(sys.argv[1:] if argv is None else argv)
    command: str | None = build_parser().parse_known_args(args)[0].command
    if command is None:
        return build_parser().parse_args(args)  # the desktop app: still reject stray arguments
    return build_parser(command).parse_args(args)


def _no_display() -> bool:
    """On Linux without X or Wayland, Qt would abort with a core dump; say so in one line instead."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _run_gui(args: argparse.Namespace) -> int:
    from ehdesk.config import load_settings

    if _no_display():
        raise ConfigError(
            "no display to open the ehdesk window on; run it on a desktop, or see `ehdesk --help` "
            "for the commands that need no window"
        )
    from ehdesk.gui.app import run_gui

    code: int = run_gui(load_settings(database=args.database, policy_pack=args.policy_pack))
    return code


def _one_line(error: object) -> str:
    """Drivers put hints on extra lines; the CLI promises exactly one line."""
    return " ".join(str(error).split())


def _is_database_error(error: BaseException) -> bool:
    """A SQLAlchemy error, checked without importing SQLAlchemy: if it was never imported, the error
    cannot be one (and ``--version`` stays free of it)."""
    exc = sys.modules.get("sqlalchemy.exc")
    return exc is not None and isinstance(error, exc.SQLAlchemyError)


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, a service manager, a container stopping) raised as an interruption.

    Why a kind of :class:`KeyboardInterrupt`: a command stopped by SIGTERM must clean up exactly as on
    Ctrl+C — a batch removes its in-flight files and records only whole families — so every ``except
    KeyboardInterrupt`` already on the way out applies; only the last line and the exit code differ.
    Left to Python's default, SIGTERM ended the process at once with no message and files left behind.
    """


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(argv)
    before = None
    try:
        if args.command is None:
            return _run_gui(args)
        if threading.current_thread() is threading.main_thread():  # only there may Python set handlers
            before = signal.signal(signal.SIGTERM, _terminate)
        code: int = args.func(args)
        return code
    except EhdeskError as error:
        print(f"ehdesk: error: {_one_line(error)}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:  # `ehdesk rules | head`: the reader has all it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Terminated:
        print("ehdesk: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        print("ehdesk: interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        if _is_database_error(error):
            reason = _one_line(getattr(error, "orig", None) or error)
            print(f"ehdesk: error: the database refused the request: {reason}", file=sys.stderr)
            return 1
        # a bug: still one line, with where to report it
        what = f"{type(error).__name__}: {_one_line(error)}"
        print(f"ehdesk: internal error ({what}); please report it", file=sys.stderr)
        return 70
    finally:
        if before is not None:  # a caller in this process (a test, a script) gets its own handler back
            signal.signal(signal.SIGTERM, before)


if __name__ == "__main__":
    sys.exit(main())
