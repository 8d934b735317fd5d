"""``ehdesk forms``: list the forms; ``ehdesk forms FORM --schema``: the form as JSON Schema."""

from __future__ import annotations

import argparse
import json

from ehdesk.forms.model import Field, FormDefinition, Prompt, Repeat
from ehdesk.forms.registry import FORMS, get_form
from ehdesk.forms.schema import json_schema


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "forms",
        help="list the forms, or describe one",
        description="With no FORM, list the forms. With FORM, list its fields; --schema prints JSON Schema.",
    )
    parser.add_argument("form", nargs="?", metavar="FORM", help=f"one of: {', '.join(FORMS)}")
    parser.add_argument("--schema", action="store_true", help="print the form as JSON Schema (2020-12)")
    parser.set_defaults(func=run)


def _outline(fields: tuple[Field, ...] | list[Field], indent: str = "  ") -> list[str]:
    lines = []
    for f in fields:
        marks = []
        if f.required is not None:
            marks.append(
                "required" if f.required.when is None else f"required when {f.required.when.describe()}"
            )
        if f.show_when is not None:
            marks.append(f"shown when {f.show_when.describe()}")
        if f.obligations:
            marks.append(", ".join(f.obligations))
        kind = "prompt" if isinstance(f, Prompt) else f.type_name
        extra = f"  ({'; '.join(marks)})" if marks else ""
        lines.append(f"{indent}{f.name}  [{kind}] {f.label}{extra}")
        if isinstance(f, Repeat):
            lines.extend(_outline(f.fields, indent + "    "))
    return lines


def describe(form: FormDefinition) -> str:
    lines = [f"{form.id} v{form.version}: {form.title}"]
    for section in form.sections:
        lines.append(f" {section.title}")
        lines.extend(_outline(list(section.fields)))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if not args.form:
        if args.schema:
            print("ehdesk forms: --schema needs a FORM", flush=True)
            return 2
        for form in FORMS.values():
            print(f"{form.id:<16} v{form.version}  {form.title}")
        return 0
    form = get_form(args.form)
    if args.schema:
        print(json.dumps(json_schema(form), indent=2, ensure_ascii=False))
    else:
        print(describe(form))
    return 0
