"""An authority rewords rules in its own pack (G25); the validator and the rule table speak its words."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from ehdesk.commands import rules as rules_command
from ehdesk.errors import ConfigError
from ehdesk.forms.registry import get_form
from ehdesk.forms.validate import validate
from ehdesk.policy import load_pack
from ehdesk.policy.pack import default_pack_path
from ehdesk.services.validation import validation_context

OWN_WORDS = "Please record why the family were not spoken to first (our policy, G2)."


def _pack_with(tmp_path: Path, messages: str) -> Path:
    folder = tmp_path / "pack"
    shutil.copytree(default_pack_path(), folder)
    manifest = folder / "pack.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\n[messages]\n" + messages, encoding="utf-8")
    return folder


def test_a_reworded_rule_speaks_the_authoritys_words(tmp_path: Path) -> None:
    pack = load_pack(_pack_with(tmp_path, f'"G2.reason" = "{OWN_WORDS}"\n'))
    result = validate(get_form("referral"), {"discussed_with_parent": False}, validation_context(pack))
    reason = [p for p in result.errors if p.rule_id == "G2.reason"]
    assert [p.message for p in reason] == [OWN_WORDS]
    assert reason[0].obligation == "G2"  # the citation stays; only the wording is the authority's


def test_the_default_pack_leaves_ehdesks_own_wording() -> None:
    result = validate(get_form("referral"), {"discussed_with_parent": False}, validation_context())
    reason = [p for p in result.errors if p.rule_id == "G2.reason"]
    assert reason[0].message.startswith("Say why the referral was not discussed")


def test_a_message_for_a_rule_that_does_not_exist_is_refused_naming_the_entry(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"messages\.G2\.typo.*no rule has this ID"):
        load_pack(_pack_with(tmp_path, '"G2.typo" = "Anything"\n'))


def test_an_empty_message_is_refused_naming_the_entry(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"messages\.G2\.reason.*text in quotes"):
        load_pack(_pack_with(tmp_path, '"G2.reason" = "  "\n'))


def test_the_rule_table_shows_the_packs_wording(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _pack_with(tmp_path, f'"G2.reason" = "{OWN_WORDS}"\n')
    args = argparse.Namespace(form="referral", coverage=False, policy_pack=folder)
    assert rules_command.run(args) == 0
    assert OWN_WORDS in capsys.readouterr().out


def test_the_stamp_tells_apart_a_text_edited_without_a_new_version(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    shutil.copytree(default_pack_path(), folder)
    before = load_pack(folder)
    notice = folder / "privacy_notice.md"
    notice.write_text(notice.read_text(encoding="utf-8") + "\nOne more sentence.", encoding="utf-8")
    after = load_pack(folder)
    assert after.version == before.version
    assert after.stamp != before.stamp
    assert after.stamp.startswith(f"{after.version}+")
    assert load_pack(folder).stamp == after.stamp  # the same content always gives the same stamp


def test_the_stamp_changes_with_the_agency_list(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    shutil.copytree(default_pack_path(), folder)
    before = load_pack(folder)
    (folder / "agencies.txt").write_text("School\nGP\nYouth service\n", encoding="utf-8")
    assert load_pack(folder).stamp != before.stamp
