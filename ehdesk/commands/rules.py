"""``ehdesk rules``: the rule table; ``ehdesk rules --coverage``: which obligations are served, and how."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import replace

from ehdesk.forms.obligation import Obligation
from ehdesk.forms.registry import FORMS, get_form
from ehdesk.forms.rules import RuleRow, rule_table
from ehdesk.obligations import OBLIGATIONS, coverage, uncovered
from ehdesk.policy import load_pack


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "rules",
        help="print every form rule with its guidance ID",
        description="Print the rule table (rule ID, obligation, form, field, severity, message).",
    )
    parser.add_argument("--form", metavar="FORM", help=f"only this form ({', '.join(FORMS)})")
    parser.add_argument(
        "--coverage",
        action="store_true",
        help="list each obligation G1-G25 with what serves it; exit 1 if any is uncovered",
    )
    parser.set_defaults(func=run)


def format_table(rows: list[RuleRow]) -> str:
    header = ("RULE", "OBLIGATION", "FORM", "FIELD", "SEVERITY", "MESSAGE")
    cells = [header, *((r.rule_id, r.obligation, r.form, r.field, str(r.severity), r.message) for r in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(header) - 1)]
    lines = []
    for line in cells:
        lead = "  ".join(cell.ljust(width) for cell, width in zip(line[:-1], widths, strict=True))
        lines.append(f"{lead}  {line[-1]}")
    return "\n".join(lines)


def format_coverage(report: Mapping[Obligation, list[str]]) -> str:
    lines = []
    for obligation, elements in report.items():
        lines.append(f"{obligation}: {OBLIGATIONS[obligation]}")
        if elements:
            lines.extend(f"    {element}" for element in elements)
        else:
            lines.append("    NOT COVERED")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    forms = [get_form(args.form)] if getattr(args, "form", None) else list(FORMS.values())
    if getattr(args, "coverage", False):
        report = coverage(forms)
        print(format_coverage(report))
        missing = uncovered(report)
        total = len(report)
        print(f"{total - len(missing)} of {total} obligations covered", end="")
        print(f"; not covered: {', '.join(missing)}" if missing else "")
        return 1 if missing else 0
    wording = load_pack(getattr(args, "policy_pack", None)).messages  # the authority's own, if any (G25)
    rows = [replace(row, message=wording.get(row.rule_id, row.message)) for row in rule_table(forms)]
    print(format_table(rows))
    return 0
