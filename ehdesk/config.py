"""Settings: where the data lives, which database, which policy pack.

Precedence, highest first: command-line option, environment variable, the settings file, default.
The defaults need no server and no set-up: a SQLite file in the user's data folder (platformdirs) and
the policy pack that ships with ehdesk. The settings file (``ehdesk.toml`` in the user's config folder,
or ``EHDESK_CONFIG``) is how a team member points ehdesk at the shared PostgreSQL server once and for all
(``ehdesk config set database postgresql://...``) or an authority loads its own policy pack.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

from ehdesk.errors import ConfigError

ENV_DATABASE_URL = "EHDESK_DATABASE_URL"
ENV_DATA_DIR = "EHDESK_DATA_DIR"
ENV_POLICY_PACK = "EHDESK_POLICY_PACK"
ENV_CONFIG = "EHDESK_CONFIG"

#: The settings a file may hold, with what each means (``ehdesk config`` shows these).
FILE_KEYS: Mapping[str, str] = {
    "database": "database URL (sqlite:///path or postgresql://user@host/db) or a SQLite file path",
    "policy_pack": "folder of the authority's own policy pack (holds pack.toml)",
}


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    policy_pack: Path | None = None
    config_file: Path = field(default_factory=lambda: config_path())
    sources: Mapping[str, str] = field(default_factory=dict)  # setting -> where its value came from


def default_data_dir() -> Path:
    return Path(os.environ.get(ENV_DATA_DIR) or user_data_dir("ehdesk", "ehdesk"))


def config_path() -> Path:
    return Path(os.environ.get(ENV_CONFIG) or Path(user_config_dir("ehdesk", "ehdesk")) / "ehdesk.toml")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def read_config_file(path: Path | None = None) -> dict[str, str]:
    """The settings file's values; a missing file is an empty one, a broken one is named with its fault."""
    path = path or config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the settings file {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"the settings file {path} is not valid TOML ({exc}); fix or delete it") from exc
    values: dict[str, str] = {}
    for key, value in data.items():
        if key not in FILE_KEYS:
            known = ", ".join(FILE_KEYS)
            raise ConfigError(f"the settings file {path} has an unknown setting {key!r} (known: {known})")
        if not isinstance(value, str):
            raise ConfigError(f"the setting {key!r} in {path} must be text in quotes")
        values[key] = value
    return values


def write_config_file(values: Mapping[str, str], path: Path | None = None) -> Path:
    """Replace the settings file with ``values`` (keys from :data:`FILE_KEYS`)."""
    path = path or config_path()
    unknown = set(values) - set(FILE_KEYS)
    if unknown:
        raise ConfigError(f"unknown setting {sorted(unknown)[0]!r}; known: {', '.join(FILE_KEYS)}")
    lines = ["# ehdesk settings (ehdesk config set/unset edits this file)"]
    # A JSON string is a valid TOML basic string: quotes and backslashes escaped the same way.
    lines += [f"{key} = {json.dumps(values[key], ensure_ascii=False)}" for key in FILE_KEYS if key in values]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise ConfigError(f"cannot write the settings file {path}: {exc.strerror}") from exc
    return path


def _pick(option: str | None, env: str, file: Mapping[str, str], key: str) -> tuple[str, str]:
    if option:
        return option, "command line"
    if os.environ.get(env):
        return os.environ[env], f"environment ({env})"
    if file.get(key):
        return file[key], f"settings file ({config_path()})"
    return "", "default"


def load_settings(database: str | None = None, policy_pack: str | Path | None = None) -> Settings:
    """Resolve the settings for this run; a plain file path is accepted for ``database`` too."""
    data_dir = default_data_dir()
    file = read_config_file()
    url, url_source = _pick(database, ENV_DATABASE_URL, file, "database")
    if not url:
        url = sqlite_url(data_dir / "ehdesk.sqlite3")
    elif "://" not in url:
        url = sqlite_url(Path(url).expanduser().resolve())
    pack, pack_source = _pick(str(policy_pack) if policy_pack else None, ENV_POLICY_PACK, file, "policy_pack")
    pack_path = Path(pack).expanduser() if pack else None
    if pack_path is not None and not pack_path.is_dir():
        raise ConfigError(
            f"policy pack folder {pack_path} (from {pack_source}) does not exist; "
            "give the folder that holds pack.toml"
        )
    return Settings(
        data_dir=data_dir,
        database_url=url,
        policy_pack=pack_path,
        config_file=config_path(),
        sources={"database": url_source, "policy_pack": pack_source},
    )
