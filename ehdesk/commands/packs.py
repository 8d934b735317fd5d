"""``ehdesk packs --missing-evidence --out DIR``: privacy-notice packs for every allocated family that has
none on file (G3, G4), headless, on all the machine's cores.

The run logs in as ``--as`` (a worker makes packs for their own families, a manager for every allocated
family), writes one PDF per family into DIR and records each as saved — the event, the stored PDF and
the "privacy notice shared" casenote, together or not at all. A second run finds no family missing
evidence and writes nothing. On a terminal a progress bar shows how far it got; Ctrl+C or SIGTERM stops
starting new families, removes the files of the ones in flight and leaves only whole records (exit 130 or
143, one line saying so; see :class:`ehdesk.cli.Terminated`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ehdesk.commands.common import ENV_AS_PASSWORD, desk_as
from ehdesk.errors import ConfigError

HELP = "make privacy-notice packs for allocated families without evidence"
BAR = 30


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("packs", help=HELP)
    parser.add_argument(
        "--missing-evidence",
        action="store_true",
        required=True,
        help="every allocated family with no 'privacy notice shared' casenote (the only selection today)",
    )
    parser.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="folder the PDFs are written to"
    )
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USER",
        required=True,
        help=f"the worker or manager making the packs; password from {ENV_AS_PASSWORD} or a prompt",
    )
    parser.add_argument("--processes", type=int, default=None, metavar="N", help="default: one per core")
    parser.set_defaults(func=run)


class _Bar:
    """A one-line progress bar on a terminal; nothing on a pipe (a log stays clean)."""

    def __init__(self) -> None:
        self.live = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.live or total == 0:
            return
        filled = BAR * done // total
        print(
            f"\r[{'#' * filled}{'.' * (BAR - filled)}] {done}/{total} packs",
            end="",
            file=sys.stderr,
            flush=True,
        )

    def close(self) -> None:
        if self.live:
            print(file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    if args.processes is not None and args.processes < 1:
        raise ConfigError("--processes must be at least 1")
    if args.out.exists() and not args.out.is_dir():
        raise ConfigError(f"{args.out} is a file; --out names a folder")
    desk = desk_as(args, args.as_user)
    family_ids = desk.families_missing_evidence()
    if not family_ids:
        print("none of the families allocated to you is missing a privacy notice: nothing to do")
        return 0
    bar = _Bar()
    try:  # Ctrl+C or SIGTERM: the chunk being recorded rolls back and its files are removed (no half family)
        result = desk.generate_packs(
            family_ids, args.out, progress=bar, cancelled=lambda: False, processes=args.processes
        )
    finally:
        bar.close()
    for family_id, message in result.failed:
        print(f"family {family_id}: {message}", file=sys.stderr)
    noun = "pack" if len(result.written) == 1 else "packs"
    print(f"{len(result.written)} privacy-notice {noun} written to {args.out}")
    return 1 if result.failed else 0
