"""``ehdesk report compliance [--csv]``: the compliance view's gaps, oldest first, and counts per worker.

Logs in as ``--as``: a manager reports on every family, a worker on their own (G7). ``--csv`` prints one
row per gap (for a spreadsheet); without it, a readable table and the counts per worker.
"""

from __future__ import annotations

import argparse

from ehdesk.commands.common import ENV_AS_PASSWORD, desk_as

HELP = "report on the casefiles: compliance gaps with the guidance"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("report", help=HELP)
    reports = parser.add_subparsers(dest="report", required=True, metavar="REPORT")
    compliance = reports.add_parser(
        "compliance",
        help="families without privacy-notice evidence, uninformed shares, records awaiting a decision",
    )
    compliance.add_argument("--csv", action="store_true", help="one CSV row per gap, for a spreadsheet")
    compliance.add_argument(
        "--as",
        dest="as_user",
        metavar="USER",
        required=True,
        help=f"the manager or worker reporting; password from {ENV_AS_PASSWORD} or a prompt",
    )
    compliance.set_defaults(func=run_compliance)


def run_compliance(args: argparse.Namespace) -> int:
    report = desk_as(args, args.as_user).compliance()
    if args.csv:
        print(report.csv(), end="")
        return 0
    if not report.items:
        print("no gaps: every allocated family has its privacy notice and nothing awaits a decision")
        return 0
    for item in report.items:
        record = f" #{item.record_id}" if item.record_id else ""
        gap = f"{item.kind}{record} ({item.guidance})"
        print(f"{item.since:%Y-%m-%d}  {item.reference:<12} {gap} — {item.worker}")
    print()
    print("per worker: missing evidence / uninformed shares / awaiting a decision")
    for counts in report.per_worker:
        numbers = (counts.missing_evidence, counts.uninformed_shares, counts.awaiting_decision)
        print(f"  {counts.worker}: " + " / ".join(str(n) for n in numbers))
    return 0
