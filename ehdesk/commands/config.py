"""``ehdesk config``: show the settings in force and where each came from; set or unset one in the file.

Pointing a whole team's ehdesk at the shared PostgreSQL server is one line:
``ehdesk config set database postgresql://user@server/ehdesk``. A URL with a password in it is refused
(the settings file is not a place for secrets); ``ehdesk config password`` stores the password in the
system keyring instead, or it goes in libpq's ``~/.pgpass``.
"""

from __future__ import annotations

import argparse

from ehdesk.commands.common import secret, settings_from
from ehdesk.config import (
    FILE_KEYS,
    has_password,
    password_advice,
    read_config_file,
    store_keyring_password,
    write_config_file,
)
from ehdesk.errors import ConfigError
from ehdesk.storage.database import Database


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("config", help="show or change ehdesk's settings")
    actions = parser.add_subparsers(dest="config_action", required=True, metavar="ACTION")
    actions.add_parser("show", help="the settings in force and where each came from").set_defaults(
        func=run_show
    )
    set_ = actions.add_parser("set", help="store a setting in the settings file")
    set_.add_argument("key", choices=list(FILE_KEYS))
    set_.add_argument("value")
    set_.set_defaults(func=run_set)
    unset = actions.add_parser("unset", help="remove a setting from the settings file")
    unset.add_argument("key", choices=list(FILE_KEYS))
    unset.set_defaults(func=run_unset)
    password = actions.add_parser(
        "password",
        help=f"store the PostgreSQL password in the system keyring (from {ENV_DB_PASSWORD} or a prompt)",
    )
    password.set_defaults(func=run_password)


ENV_DB_PASSWORD = "EHDESK_DB_PASSWORD"


def run_show(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    shown_url = Database.describe_url(settings.database_url)
    print(f"settings file: {settings.config_file}")
    print(f"data folder:   {settings.data_dir}")
    print(f"database:      {shown_url}  [{settings.sources['database']}]")
    if settings.database_url.startswith("postgresql"):
        print(f"password:      [{settings.sources.get('password', '')}]")
    pack = settings.policy_pack or "built-in default pack"
    print(f"policy pack:   {pack}  [{settings.sources['policy_pack']}]")
    return 0


def run_set(args: argparse.Namespace) -> int:
    value = args.value.strip()
    if not value:
        raise ConfigError(f"give a value for {args.key}, or use `ehdesk config unset {args.key}`")
    if args.key == "database" and has_password(value):
        raise ConfigError(f"not stored: the settings file must not hold a password; {password_advice(value)}")
    values = read_config_file()
    values[args.key] = value
    path = write_config_file(values)
    settings_from(argparse.Namespace())  # refuse now, not at the next start, if it cannot be used
    print(f"{args.key} set in {path}")
    return 0


def run_unset(args: argparse.Namespace) -> int:
    values = read_config_file()
    removed = values.pop(args.key, None)
    path = write_config_file(values)
    print(f"{args.key} {'removed from' if removed is not None else 'was not set in'} {path}")
    return 0


def run_password(args: argparse.Namespace) -> int:
    """Keep the PostgreSQL password in the system keyring, under the database the settings name."""
    url = settings_from(args).database_url
    if not url.startswith("postgresql"):
        raise ConfigError(
            "the database in force is not PostgreSQL, so it takes no password; "
            "first `ehdesk config set database postgresql://user@host/db`"
        )
    password = secret(ENV_DB_PASSWORD, "Database password: ", twice=True, action="the database password")
    account = store_keyring_password(url, password)
    print(f"password for {account} stored in the system keyring (service 'ehdesk')")
    return 0
