"""``ehdesk init``: create (or upgrade) the database and the first admin, without questions asked twice.

The password comes from ``EHDESK_ADMIN_PASSWORD`` (for scripted set-up) or a hidden prompt.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from ehdesk.commands.common import database_from
from ehdesk.errors import ConfigError
from ehdesk.services import users

ENV_PASSWORD = "EHDESK_ADMIN_PASSWORD"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("init", help="create the database and the first admin account")
    parser.add_argument("--admin", metavar="USER", required=True, help="user name of the first admin")
    parser.add_argument("--name", metavar="FULL NAME", default="", help="the admin's full name")
    parser.set_defaults(func=run)


def _password() -> str:
    password = os.environ.get(ENV_PASSWORD)
    if password:
        return password
    if not sys.stdin.isatty():
        raise ConfigError(f"no password given: set {ENV_PASSWORD} or run ehdesk init in a terminal")
    first = getpass.getpass("Password for the first admin: ")
    if getpass.getpass("Same password again: ") != first:
        raise ConfigError("the two passwords differ; run ehdesk init again")
    return first


def run(args: argparse.Namespace) -> int:
    db = database_from(args)
    with db.read() as session:
        existing = users.count_users(session)
    if existing:
        print(f"database {db.safe_url} is ready; it already has users, so no admin was added")
        return 0
    password = _password()  # asked before the write begins: a prompt must not hold the database lock
    with db.session() as session:
        user = users.create_first_admin(session, args.admin, args.name or args.admin, password)
        print(f"database {db.safe_url} is ready; admin {user.username!r} created")
    return 0
