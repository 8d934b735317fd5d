"""The forms subcommands: ``ehdesk rules``, ``ehdesk forms`` and ``ehdesk validate``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from ehdesk.commands import forms, rules, validate

DECLINE_OK = {
    "declined_on": "2025-05-20",
    "reasons": "Feels things are better now.",
    "line_manager": "Morgan Manager",
    "discussed_on": "2025-05-21",
}


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="ehdesk")
    parser.add_argument("--policy-pack", dest="policy_pack")
    sub = parser.add_subparsers(dest="command")
    for module in (rules, forms, validate):
        module.register(sub)
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


def test_rules_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("rules") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:5] == ["RULE", "OBLIGATION", "FORM", "FIELD", "SEVERITY"]
    assert "G2.reason" in out
    assert "G10.informed-or-exception" in out
    assert "DQ.type-date" in out


def test_rules_coverage_exits_0_with_all_25_obligations_covered(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("rules", "--coverage") == 0
    out = capsys.readouterr().out
    assert "25 of 25 obligations covered" in out
    assert "NOT COVERED" not in out
    for number in range(1, 26):
        assert f"\nG{number}: " in f"\n{out}"


def test_rules_coverage_exits_1_naming_what_is_uncovered(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("rules", "--coverage", "--form", "decline") == 1
    out = capsys.readouterr().out
    assert "NOT COVERED" in out
    assert "not covered: G1," in out


def test_forms_lists_every_form(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("forms") == 0
    out = capsys.readouterr().out
    for form_id in ("referral", "share", "objection", "privacy_notice", "decline", "decision"):
        assert form_id in out


def test_forms_schema_prints_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("forms", "share", "--schema") == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    shown_when = [
        c["then"]["properties"] for c in schema["allOf"] if "exceptions" in c["then"].get("properties", {})
    ]
    assert shown_when[0]["exceptions"]["items"]["enum"] == [
        "risk_of_harm",
        "criminal_investigation",
        "safeguarding_delay",
    ]


def test_forms_without_schema_describes_the_fields(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("forms", "referral") == 0
    assert "not_discussed_reason" in capsys.readouterr().out


def _write(tmp_path: Path, content: str | bytes) -> str:
    target = tmp_path / "record.json"
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    return str(target)


def test_validate_exits_0_for_a_valid_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, json.dumps(DECLINE_OK))
    assert _run("validate", "decline", path, "--today", "2025-06-01") == 0
    assert capsys.readouterr().out == ""


def test_validate_exits_1_and_prints_each_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, json.dumps({**DECLINE_OK, "line_manager": " ", "discussed_on": "soon"}))
    assert _run("validate", "decline", path, "--today", "2025-06-01") == 1
    lines = capsys.readouterr().out.splitlines()
    assert (
        "line_manager: G20.manager [G20] Enter the line manager you discussed the decline with — guidance G20"
        in lines
    )
    assert any(line.startswith("discussed_on: DQ.type-date [DQ] ") for line in lines)


def test_validate_applies_the_objection_register(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, json.dumps({"agency": "Police"}))
    assert _run("validate", "share", path, "--objected", "police") == 1
    assert "G8.worried-about-child" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "is not valid JSON"),
        ("[1, 2]", "must hold a JSON object"),
        (b"\xff\xfe\x00", "not UTF-8"),
        ("[" * 100000, "nested too deeply"),
    ],
)
def test_validate_exits_2_with_one_line_for_unreadable_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, expected: str
) -> None:
    path = _write(tmp_path, content)
    assert _run("validate", "decline", path) == 2
    err = capsys.readouterr().err.strip()
    assert expected in err
    assert len(err.splitlines()) == 1
    assert "Traceback" not in err


def test_validate_exits_2_for_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("validate", "decline", str(tmp_path / "missing.json")) == 2
    assert "cannot read" in capsys.readouterr().err


def test_validate_through_the_cli_names_an_unknown_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ehdesk.cli import main

    assert main(["validate", "nope", _write(tmp_path, "{}")]) == 2
    assert capsys.readouterr().err.strip() == (
        "ehdesk: error: no form called 'nope': the forms are "
        "referral, share, objection, privacy_notice, decline, decision"
    )


def test_validate_refuses_a_key_the_form_does_not_have_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "decline.json"
    path.write_text(json.dumps({"post_code": "M1 1AE"}))
    assert _run("validate", "decline", str(path), "--today", "2025-06-01") == 1
    assert "post_code: DQ.unknown-field" in capsys.readouterr().out
