"""Settings: where the data lives, which database, which policy pack.

Precedence, highest first: command-line option, environment variable, default. The defaults need no
server and no set-up: a SQLite file in the user's data directory (platformdirs) and the policy pack that
ships with ehdesk.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

from ehdesk.errors import ConfigError

ENV_DATABASE_URL = "EHDESK_DATABASE_URL"
ENV_DATA_DIR = "EHDESK_DATA_DIR"
ENV_POLICY_PACK = "EHDESK_POLICY_PACK"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    policy_pack: Path | None = None


def default_data_dir() -> Path:
    return Path(os.environ.get(ENV_DATA_DIR) or user_data_dir("ehdesk", "ehdesk"))


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def load_settings(database: str | None = None, policy_pack: str | Path | None = None) -> Settings:
    """Resolve the settings for this run; a plain file path is accepted for ``database`` too."""
    data_dir = default_data_dir()
    url = database or os.environ.get(ENV_DATABASE_URL) or ""
    if not url:
        url = sqlite_url(data_dir / "ehdesk.sqlite3")
    elif "://" not in url:
        url = sqlite_url(Path(url).expanduser().resolve())
    pack = policy_pack or os.environ.get(ENV_POLICY_PACK) or None
    pack_path = Path(pack).expanduser() if pack else None
    if pack_path is not None and not pack_path.is_dir():
        raise ConfigError(
            f"policy pack folder {pack_path} does not exist; give the folder that holds pack.toml"
        )
    return Settings(data_dir=data_dir, database_url=url, policy_pack=pack_path)
