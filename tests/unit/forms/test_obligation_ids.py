"""Obligation IDs are a type: a mistyped ID fails mypy and is refused at runtime, never dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api as mypy_api

from ehdesk.forms.model import Required, Rule
from ehdesk.forms.obligation import GUIDANCE, Obligation
from ehdesk.forms.rules import rule_table
from ehdesk.obligations import OBLIGATIONS, coverage


def test_the_enum_holds_g1_to_g25_and_dq() -> None:
    assert [o.value for o in GUIDANCE] == [f"G{n}" for n in range(1, 26)]
    assert Obligation("DQ") is Obligation.DQ
    assert set(OBLIGATIONS) == set(GUIDANCE)


@pytest.mark.parametrize("typo", ["G26", "g2", "G2 ", "GDPR", ""])
def test_a_mistyped_obligation_is_refused_by_name(typo: str) -> None:
    with pytest.raises(ValueError, match="not a guidance ID"):
        Rule(id="X.y", obligation=typo, message="m", check=lambda *_: True)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not a guidance ID"):
        Required(obligation=typo, message="m")  # type: ignore[arg-type]


def test_a_mistyped_obligation_fails_the_type_check(tmp_path: Path) -> None:
    snippet = (
        "from ehdesk.forms.obligation import Obligation\n"
        "from ehdesk.forms.model import Required\n"
        "Required(obligation=Obligation.G26, message='m')\n"
        "Required(obligation='G2', message='m')\n"
    )
    (tmp_path / "typo.py").write_text(snippet)
    (tmp_path / "mypy.ini").write_text("[mypy]\n")  # not the project's file list: only the snippet
    out, _err, status = mypy_api.run(
        [
            "--config-file",
            str(tmp_path / "mypy.ini"),
            "--strict",
            "--no-incremental",
            "--follow-imports=silent",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(tmp_path / "typo.py"),
        ]
    )
    assert status == 1
    assert 'has no attribute "G26"' in out
    assert 'incompatible type "str"' in out


def test_every_rule_cites_an_obligation_of_the_enum() -> None:
    assert all(isinstance(row.obligation, Obligation) for row in rule_table())


def test_coverage_files_every_citation_under_its_obligation() -> None:
    report = coverage()
    assert set(report) == set(GUIDANCE)
    assert any("G9" in element or "front_door" in element for element in report[Obligation.G9])
