"""Settings: where the data lives, which database, which policy pack.

Precedence, highest first: command-line option, environment variable, the settings file, default.
The defaults need no server and no set-up: a SQLite file in the user's data folder (platformdirs) and
the policy pack that ships with ehdesk. The settings file (``ehdesk.toml`` in the user's config folder,
or ``EHDESK_CONFIG``) is how a team member points ehdesk at the shared PostgreSQL server once and for all
(``ehdesk config set database postgresql://...``) or an authority loads its own policy pack.

The settings file never holds a password, and is kept owner-only (0600, see
:mod:`ehdesk.storage.filemodes`). A PostgreSQL password lives where the system keeps secrets: libpq's own
password file (``~/.pgpass``, or the file named by ``PGPASSFILE``), which psycopg reads by itself, or the
system keyring (``ehdesk config password``), which is looked up here and added to the URL in memory only.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_config_dir, user_data_dir

from ehdesk.errors import ConfigError
from ehdesk.storage.filemodes import tighten_file, write_private_text

if TYPE_CHECKING:  # SQLAlchemy is imported only when a URL must be parsed (start-up speed, issue 18)
    from sqlalchemy.engine import URL

KEYRING_SERVICE = "ehdesk"

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
    tighten_file(path, "settings file")
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
    if has_password(values.get("database", "")):
        raise ConfigError(
            f"the settings file {path} holds a database password, which it must not: "
            + password_advice(values["database"])
        )
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
    if has_password(values.get("database", "")):
        raise ConfigError(password_advice(values["database"]))
    try:
        write_private_text(path, "\n".join(lines) + "\n")
    except OSError as exc:
        raise ConfigError(f"cannot write the settings file {path}: {exc.strerror}") from exc
    return path


def _parse(url: str) -> URL | None:
    """The URL's parts, or None for a plain path; SQLite needs no parsing, so the login dialog is
    painted before SQLAlchemy is imported (issue 18)."""
    if "://" not in url or url.startswith("sqlite"):
        return None
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url)
    except ArgumentError:
        return None


def has_password(url: str) -> bool:
    """True if ``url`` carries a password (``postgresql://user:secret@host/db``)."""
    parsed = _parse(url)
    return parsed is not None and bool(parsed.password)


def keyring_account(url: URL) -> str:
    """The keyring entry for a database: ``user@host:port/database`` under the service ``ehdesk``."""
    return f"{url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def password_advice(url: str) -> str:
    """Where a PostgreSQL password goes instead of a URL or the settings file."""
    parsed = _parse(url)
    safe = parsed.set(password=None).render_as_string() if parsed is not None else "the URL"
    host = (parsed.host if parsed is not None else None) or "localhost"
    port = (parsed.port if parsed is not None else None) or 5432
    database = (parsed.database if parsed is not None else None) or "*"
    user = (parsed.username if parsed is not None else None) or "*"
    return (
        f"give the URL without the password ({safe}) and keep the password either in libpq's password "
        f"file ~/.pgpass (or the file PGPASSFILE names), one line `{host}:{port}:{database}:{user}:PASSWORD` "
        "with mode 0600, or in the system keyring with `ehdesk config password`"
    )


def keyring_password(url: URL) -> str | None:
    """The password stored in the system keyring for ``url``; None if there is none or no keyring
    (libpq then looks in ~/.pgpass, and the server says if that fails too)."""
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, keyring_account(url))
    except KeyringError:
        return None


def store_keyring_password(url: str, password: str) -> str:
    """Put the password for ``url`` in the system keyring; say clearly if this machine has none."""
    import keyring
    from keyring.errors import KeyringError, NoKeyringError

    parsed = _parse(url)
    if parsed is None or not parsed.drivername.startswith("postgresql"):
        raise ConfigError(
            "only a PostgreSQL database takes a password; set one with `ehdesk config set database`"
        )
    account = keyring_account(parsed)
    try:
        keyring.set_password(KEYRING_SERVICE, account, password)
    except NoKeyringError as exc:
        raise ConfigError(
            "no system keyring is available on this computer (no Secret Service, KWallet, macOS Keychain "
            "or Windows Credential Locker was found); put the password in ~/.pgpass instead: "
            + password_advice(url)
        ) from exc
    except KeyringError as exc:
        raise ConfigError(f"the system keyring refused to store the password ({exc}); use ~/.pgpass") from exc
    return account


def _with_keyring_password(url: str) -> tuple[str, bool]:
    parsed = _parse(url)
    if parsed is None or not parsed.drivername.startswith("postgresql") or parsed.password:
        return url, False
    password = keyring_password(parsed)
    if not password:
        return url, False
    return parsed.set(password=password).render_as_string(hide_password=False), True


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
    url, from_keyring = _with_keyring_password(url)
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
        sources={
            "database": url_source,
            "policy_pack": pack_source,
            "password": "system keyring" if from_keyring else "none in the settings (libpq: ~/.pgpass)",
        },
    )
