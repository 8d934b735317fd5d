"""Policy packs: the versioned texts an authority shows to workers and prints for families (G25).

A pack is a folder with a ``pack.toml`` manifest::

    version = "2025.1"
    authority_name = "Example Borough Council"
    [texts]                      # key -> Markdown/text file beside the manifest
    privacy_notice = "privacy_notice.md"
    ...
    [agencies]
    file = "agencies.txt"        # one agency a line; '#' starts a comment

An authority replaces the texts by pointing ehdesk at its own pack; every record that uses a text stores
the pack's ``version``, so a later leaflet never changes what an old record says was shown. A pack with a
missing or malformed entry is refused with a :class:`~ehdesk.errors.ConfigError` naming the entry and
the file, because a half-loaded pack would silently show workers the wrong words.

Texts may say ``{authority_name}``; it is replaced by the pack's authority name.
"""

from __future__ import annotations

import functools
import hashlib
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ehdesk.errors import ConfigError

MANIFEST = "pack.toml"
#: Texts every pack must provide: the forms' prompts and the privacy-notice pack read them.
REQUIRED_TEXTS = ("privacy_notice", "script_new_family", "script_existing_family", "reassurance")


@dataclass(frozen=True)
class PolicyPack:
    version: str
    authority_name: str
    texts: Mapping[str, str]
    agencies: tuple[str, ...]
    path: Path = field(default=Path())
    messages: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    digest: str = ""  # SHA-256 over the manifest and every text the pack holds

    @property
    def stamp(self) -> str:
        """What records store and PDFs print (G25): the declared version and a fingerprint of the
        content, so a text edited without a new version number — or an authority's pack that reuses
        the default's number — is still told apart."""
        return f"{self.version}+{self.digest[:12]}" if self.digest else self.version

    def text(self, key: str) -> str:
        """The text for a prompt's ``policy_key``, with the authority's name filled in."""
        try:
            raw = self.texts[key]
        except KeyError:
            known = ", ".join(sorted(self.texts))
            raise ConfigError(f"policy pack {self.version} has no text '{key}' (it has: {known})") from None
        return raw.replace("{authority_name}", self.authority_name)

    @property
    def privacy_notice(self) -> str:
        return self.text("privacy_notice")

    @property
    def script_new_family(self) -> str:
        return self.text("script_new_family")

    @property
    def script_existing_family(self) -> str:
        return self.text("script_existing_family")

    @property
    def reassurance(self) -> str:
        return self.text("reassurance")


def default_pack_path() -> Path:
    """The pack ehdesk ships, found in the source tree / editable install or in a PyInstaller bundle."""
    candidates = [Path(__file__).resolve().parents[2] / "resources" / "policy" / "default"]
    bundle = getattr(sys, "_MEIPASS", None)
    if isinstance(bundle, str):
        candidates.append(Path(bundle) / "resources" / "policy" / "default")
    candidates.append(Path(sys.prefix) / "share" / "ehdesk" / "policy" / "default")
    for candidate in candidates:
        if (candidate / MANIFEST).is_file():
            return candidate
    return candidates[0]


def _fail(entry: str, where: Path, problem: str) -> ConfigError:
    return ConfigError(f"policy pack entry '{entry}' in {where}: {problem}")


def _string(manifest: Mapping[str, Any], key: str, where: Path) -> str:
    value = manifest.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(key, where, 'missing, or not text in quotes (for example "2025.1")')
    return value.strip()


def _read_entry(folder: Path, entry: str, relative: Any, manifest_path: Path) -> str:
    if not isinstance(relative, str) or not relative.strip():
        raise _fail(entry, manifest_path, "must name a file in the pack folder")
    target = (folder / relative).resolve()
    if folder.resolve() not in target.parents:
        raise _fail(entry, manifest_path, f"file {relative} lies outside the pack folder")
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _fail(entry, target, "file not found") from None
    except UnicodeDecodeError:
        raise _fail(entry, target, "file is not UTF-8 text") from None
    except OSError as exc:
        raise _fail(entry, target, f"cannot be read ({exc.strerror or exc})") from None
    if not text.strip():
        raise _fail(entry, target, "file is empty")
    return text.strip()


def _agencies(folder: Path, manifest: Mapping[str, Any], manifest_path: Path) -> tuple[str, ...]:
    section = manifest.get("agencies")
    if not isinstance(section, Mapping):
        raise _fail("agencies", manifest_path, "missing [agencies] table with a 'file'")
    text = _read_entry(folder, "agencies.file", section.get("file"), manifest_path)
    names = []
    for line in text.splitlines():
        name = line.split("#", 1)[0].strip()
        if name and name not in names:
            names.append(name)
    if not names:
        raise _fail("agencies.file", folder / str(section.get("file")), "lists no agencies")
    return tuple(names)


def _messages(manifest: Mapping[str, Any], manifest_path: Path) -> Mapping[str, str]:
    """The optional ``[messages]`` table: rule ID = the authority's own wording for that rule."""
    section = manifest.get("messages", {})
    if not isinstance(section, Mapping):
        raise _fail("messages", manifest_path, 'must be a table of "RULE-ID" = "message"')
    if not section:
        return MappingProxyType({})
    from ehdesk.forms.rules import rule_table  # every form's rules: only to check a pack's own wording

    known = {row.rule_id for row in rule_table()}
    messages: dict[str, str] = {}
    for rule_id, text in section.items():
        entry = f"messages.{rule_id}"
        if rule_id not in known:
            raise _fail(entry, manifest_path, "no rule has this ID (ehdesk rules lists them)")
        if not isinstance(text, str) or not text.strip():
            raise _fail(entry, manifest_path, "must be the message as text in quotes")
        messages[str(rule_id)] = " ".join(text.split())
    return MappingProxyType(messages)


def load_pack(path: Path | None = None) -> PolicyPack:
    """Load a pack folder (or its ``pack.toml``); ``None`` loads the pack ehdesk ships."""
    folder = default_pack_path() if path is None else Path(path)
    if folder.is_file():
        folder = folder.parent
    manifest_path = folder / MANIFEST
    try:
        with manifest_path.open("rb") as handle:
            manifest = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"policy pack {folder}: no {MANIFEST} found there") from None
    except tomllib.TOMLDecodeError as exc:
        raise _fail(MANIFEST, manifest_path, f"not valid TOML ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(MANIFEST, manifest_path, f"cannot be read ({exc})") from None

    version = _string(manifest, "version", manifest_path)
    if len(version) > 40:
        raise _fail("version", manifest_path, "keep it to 40 characters or fewer (for example 2026.2)")
    authority = _string(manifest, "authority_name", manifest_path)
    entries = manifest.get("texts")
    if not isinstance(entries, Mapping):
        raise _fail("texts", manifest_path, "missing [texts] table")
    for key in REQUIRED_TEXTS:
        if key not in entries:
            raise _fail(f"texts.{key}", manifest_path, "missing (every pack needs this text)")
    texts = {
        str(key): _read_entry(folder, f"texts.{key}", relative, manifest_path)
        for key, relative in entries.items()
    }
    agencies = _agencies(folder, manifest, manifest_path)
    fingerprint = hashlib.sha256(manifest_path.read_bytes())
    for key in sorted(texts):
        fingerprint.update(f"\0{key}\0{texts[key]}".encode())
    fingerprint.update(b"\0agencies\0" + "\n".join(agencies).encode())
    return PolicyPack(
        digest=fingerprint.hexdigest(),
        version=version,
        authority_name=authority,
        texts=MappingProxyType(texts),
        agencies=agencies,
        path=folder,
        messages=_messages(manifest, manifest_path),
    )


@functools.cache
def default_pack() -> PolicyPack:
    """The built-in pack, read once per process: services fall back to it when given no pack."""
    return load_pack(None)
