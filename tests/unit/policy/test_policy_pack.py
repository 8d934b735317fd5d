"""Loading policy packs: the shipped one, an authority's own, and broken ones refused by name."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ehdesk.errors import ConfigError
from ehdesk.policy.pack import REQUIRED_TEXTS, default_pack_path, load_pack

# The guidance sits beside the project (``../shared/guidance/`` from the repository root), wherever
# the checkout is: found from this file, so the test runs in CI and on any machine that has it.
REPO = Path(__file__).resolve().parents[3]
GUIDANCE = REPO.parent / "shared" / "guidance" / "practice-guidance-information-sharing.txt"


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(default_pack_path(), target)
    return target


def test_default_pack_loads_with_version_authority_texts_and_agencies() -> None:
    pack = load_pack()
    assert pack.version
    assert pack.authority_name
    for key in REQUIRED_TEXTS:
        assert pack.text(key).strip()
    assert "{authority_name}" not in pack.privacy_notice
    assert pack.authority_name in pack.privacy_notice
    assert {"School", "GP", "Police", "Housing"} <= set(pack.agencies)
    assert any("CAMHS" in agency for agency in pack.agencies)


def test_an_authoritys_own_pack_replaces_the_texts(pack_dir: Path) -> None:
    manifest = pack_dir / "pack.toml"
    manifest.write_text(
        manifest.read_text()
        .replace("Example Borough Council", "Northshire Council")
        .replace('"2025.1"', '"7"')
    )
    (pack_dir / "reassurance.md").write_text("Our own reassurance words.")
    pack = load_pack(pack_dir)
    assert (pack.version, pack.authority_name, pack.reassurance) == (
        "7",
        "Northshire Council",
        "Our own reassurance words.",
    )


def test_a_pack_missing_a_required_entry_is_refused_naming_it(pack_dir: Path) -> None:
    manifest = pack_dir / "pack.toml"
    manifest.write_text(re.sub(r"(?m)^reassurance = .*$", "", manifest.read_text()))
    with pytest.raises(ConfigError, match=r"texts\.reassurance.*pack\.toml"):
        load_pack(pack_dir)


def test_a_pack_whose_file_is_missing_is_refused_naming_entry_and_file(pack_dir: Path) -> None:
    (pack_dir / "script_new_family.md").unlink()
    with pytest.raises(ConfigError, match=r"texts\.script_new_family.*script_new_family\.md.*not found"):
        load_pack(pack_dir)


def test_a_malformed_manifest_is_refused(pack_dir: Path) -> None:
    (pack_dir / "pack.toml").write_text("version = [unclosed\n")
    with pytest.raises(ConfigError, match=r"pack\.toml.*not valid TOML"):
        load_pack(pack_dir)


def test_a_version_that_is_not_text_is_refused(pack_dir: Path) -> None:
    manifest = pack_dir / "pack.toml"
    manifest.write_text(manifest.read_text().replace('version = "2025.1"', "version = 3"))
    with pytest.raises(ConfigError, match="'version'"):
        load_pack(pack_dir)


def test_an_empty_text_file_is_refused(pack_dir: Path) -> None:
    (pack_dir / "privacy_notice.md").write_text("  \n")
    with pytest.raises(ConfigError, match=r"texts\.privacy_notice.*empty"):
        load_pack(pack_dir)


def test_a_folder_without_a_manifest_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"pack\.toml"):
        load_pack(tmp_path)


def test_an_unknown_text_key_is_a_config_error_naming_it() -> None:
    with pytest.raises(ConfigError, match="no_such_text"):
        load_pack().text("no_such_text")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def test_the_guidance_is_found_relative_to_the_repository() -> None:
    assert (REPO / "pyproject.toml").exists()
    if (REPO.parent / "shared" / "guidance").is_dir():  # beside the project: the check below must run
        assert GUIDANCE.exists()


@pytest.mark.skipif(not GUIDANCE.exists(), reason="the guidance text is not beside the project")
def test_shipped_texts_are_in_ehdesks_own_words_g25() -> None:
    guidance = _words(GUIDANCE.read_text())
    phrases = {" ".join(guidance[i : i + 7]) for i in range(len(guidance) - 6)}
    pack = load_pack()
    for key in pack.texts:
        words = _words(pack.text(key))
        copied = [
            " ".join(words[i : i + 7]) for i in range(len(words) - 6) if " ".join(words[i : i + 7]) in phrases
        ]
        assert copied == [], f"{key} repeats the guidance: {copied}"
