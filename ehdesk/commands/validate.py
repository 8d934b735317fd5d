"""``ehdesk validate FORM FILE.json``: check a record that arrived from elsewhere against a form.

Prints each problem as ``field: RULE-ID [G-ID] message``. Exit 0 when the record may be saved
(warnings allowed), 1 when it has errors, 2 when the file cannot be read, is not JSON, or does not
hold a JSON object; that last case is one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from ehdesk.forms.registry import FORMS, get_form
from ehdesk.forms.validate import validate
from ehdesk.policy import load_pack
from ehdesk.services.validation import validation_context

EXIT_VALID, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check a JSON record against a form's rules",
        description="Check FILE (a JSON object; '-' reads stdin) against FORM. "
        "Exit 0 valid, 1 invalid, 2 unreadable.",
    )
    parser.add_argument("form", metavar="FORM", help=f"one of: {', '.join(FORMS)}")
    parser.add_argument("file", metavar="FILE.json", help="the record to check ('-' for stdin)")
    parser.add_argument(
        "--objected",
        metavar="AGENCY",
        action="append",
        default=[],
        help="an agency on the family's objection register (repeatable; used by the share form, G8)",
    )
    parser.add_argument("--today", metavar="YYYY-MM-DD", help="check dates as if today were this day")
    parser.set_defaults(func=run)


class Unreadable(Exception):
    """The input is not a JSON object we can check; the message is the one line to print."""


def read_record(name: str) -> dict[str, Any]:
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        raise Unreadable(f"cannot read {name}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unreadable(f"{name} is not UTF-8 text") from None
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Unreadable(
            f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise Unreadable(f"{name} is nested too deeply to read") from None
    if not isinstance(record, dict):
        raise Unreadable(
            f"{name} must hold a JSON object (a record of named fields), not {type(record).__name__}"
        )
    return record


def run(args: argparse.Namespace) -> int:
    form = get_form(args.form)
    today = date.today()
    if getattr(args, "today", None):
        try:
            today = date.fromisoformat(args.today)
        except ValueError:
            print(
                f"ehdesk: error: --today must be a date like 2025-01-31, not {args.today!r}", file=sys.stderr
            )
            return EXIT_UNREADABLE
    try:
        record = read_record(args.file)
    except Unreadable as exc:
        print(f"ehdesk: error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    objected = frozenset(getattr(args, "objected", None) or ())
    pack = load_pack(getattr(args, "policy_pack", None))
    ctx = validation_context(pack, objected_agencies=objected, on=today)
    result = validate(form, record, ctx)
    for problem in result.problems:
        print(problem.line())
    errors, warnings = len(result.errors), len(result.warnings)
    verdict = "valid" if result.ok else "invalid"
    print(f"{form.id}: {verdict} ({errors} error(s), {warnings} warning(s))", file=sys.stderr)
    return EXIT_VALID if result.ok else EXIT_INVALID
