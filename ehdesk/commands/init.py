"""``ehdesk init``: create (or upgrade) the database and the first admin, without questions asked twice.

The password comes from ``EHDESK_ADMIN_PASSWORD`` (for scripted set-up) or a hidden prompt.
The authority's signing CA is created too; its key is encrypted under a passphrase from
``EHDESK_CA_PASSPHRASE`` or a hidden prompt (a script without either gets a note, and a later
``ehdesk init`` with the passphrase adds the CA to the existing database).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from ehdesk.commands.common import desk_from
from ehdesk.desk import Desk
from ehdesk.errors import ConfigError

ENV_PASSWORD = "EHDESK_ADMIN_PASSWORD"
ENV_CA_PASSPHRASE = "EHDESK_CA_PASSPHRASE"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "init",
        help="create the database, the first admin account and the signing authority",
        description="Create (or upgrade) the database, the first admin and the authority's signing CA. "
        f"It asks for the admin's password (or reads {ENV_PASSWORD}) and for the passphrase that locks "
        f"the signing CA's key (or reads {ENV_CA_PASSPHRASE}); without a terminal and without "
        f"{ENV_CA_PASSPHRASE} the CA is left for a later run.",
    )
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


def _ca_passphrase() -> str | None:
    """The signing CA's passphrase, or ``None`` when a script gave none (the CA then waits)."""
    passphrase = os.environ.get(ENV_CA_PASSPHRASE)
    if passphrase:
        return passphrase
    if not sys.stdin.isatty():
        return None
    print("The signing authority's key is locked with a passphrase that only admins know.")
    print("It cannot be recovered: if it is lost, the authority is created again.")
    first = getpass.getpass("Passphrase for the signing authority: ")
    if getpass.getpass("Same passphrase again: ") != first:
        raise ConfigError("the two passphrases differ; run ehdesk init again")
    return first


def _create_signing_authority(desk: Desk, first_admin: bool) -> None:
    if desk.signing_authority_name() is not None:
        return
    passphrase = _ca_passphrase()  # asked before the write begins, like the admin's password
    if passphrase is None:
        print(
            f"note: no signing authority yet; set {ENV_CA_PASSPHRASE} and run ehdesk init again to create it"
        )
        return
    name = desk.create_signing_authority(passphrase)
    print(f"signing authority created for {name}" + ("" if first_admin else " (added)"))


def run(args: argparse.Namespace) -> int:
    desk = desk_from(args)
    url = desk.db.safe_url
    staff_only = False
    if desk.count_users():
        if desk.count_admins():
            print(f"database {url} is ready; it already has users, so no admin was added")
            _create_signing_authority(desk, first_admin=False)
            return 0
        staff_only = True  # e.g. `ehdesk demo` ran first: its staff exist, but nobody can manage users
        print(f"database {url} has staff but no admin; adding admin {args.admin!r}")
    if sys.stdin.isatty() and not os.environ.get(ENV_CA_PASSPHRASE):
        print("ehdesk init asks for two secrets: the first admin's password, then the passphrase that")
        print(f"locks the signing authority's key (or set {ENV_PASSWORD} and {ENV_CA_PASSPHRASE}).")
    password = _password()  # asked before the write begins: a prompt must not hold the database lock
    admin = desk.create_first_admin(args.admin, args.name or args.admin, password, beside_staff=staff_only)
    print(f"database {url} is ready; admin {admin.username!r} created")
    _create_signing_authority(desk, first_admin=True)
    return 0
