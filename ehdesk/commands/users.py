"""``ehdesk users list`` and ``ehdesk users add``: manage the team from a terminal or a script.

A command line has no logged-in user, so each run logs in as the admin named by ``--as`` (password from
``EHDESK_AS_PASSWORD`` or a hidden prompt) through the same :func:`ehdesk.services.users.login` the GUI
uses: permissions, lock-out and the audit trail apply exactly as they do in the app. The new user's
password comes from ``EHDESK_USER_PASSWORD`` or a prompt asked twice; with neither (a script without
the variable) the run stops with one line rather than hanging on a prompt nobody sees.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from ehdesk.commands.common import database_from
from ehdesk.domain import Role
from ehdesk.errors import ConfigError
from ehdesk.services import users
from ehdesk.services.users import UserRow

ENV_AS_PASSWORD = "EHDESK_AS_PASSWORD"
ENV_USER_PASSWORD = "EHDESK_USER_PASSWORD"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("users", help="list and add users (as an admin)")
    actions = parser.add_subparsers(dest="users_action", required=True, metavar="ACTION")
    as_admin = argparse.ArgumentParser(add_help=False)
    as_admin.add_argument(
        "--as",
        dest="as_user",
        metavar="ADMIN_USER",
        required=True,
        help=f"the admin doing this; password from {ENV_AS_PASSWORD} or a prompt",
    )

    listing = actions.add_parser("list", parents=[as_admin], help="show every user, role and status")
    listing.set_defaults(func=run_list)

    add = actions.add_parser(
        "add",
        parents=[as_admin],
        help=f"add a user; their password from {ENV_USER_PASSWORD} or a prompt asked twice",
    )
    add.add_argument("username", metavar="USER", help="the new user's log-in name")
    add.add_argument("--role", required=True, choices=[role.value for role in Role], help="what they may do")
    add.add_argument("--name", metavar="FULL NAME", default="", help="their full name (default: USER)")
    add.set_defaults(func=run_add)


def secret(variable: str, prompt: str, *, twice: bool, action: str) -> str:
    """A password from ``variable`` or a hidden prompt; never an argument (it would show in ``ps``)."""
    value = os.environ.get(variable)
    if value:
        return value
    if not sys.stdin.isatty():
        raise ConfigError(f"no password given for {action}: set {variable} or run the command in a terminal")
    first = getpass.getpass(prompt)
    if twice and getpass.getpass("Same password again: ") != first:
        raise ConfigError("the two passwords differ; run the command again")
    return first


def _table(rows: list[UserRow]) -> str:
    header = ("User", "Full name", "Role", "Status")
    lines = [
        (
            row.username,
            row.full_name,
            row.role.value,
            ("active" if row.active else "deactivated") + (", locked" if row.locked else ""),
        )
        for row in rows
    ]
    widths = [max(len(cells[i]) for cells in [header, *lines]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()
        for cells in [header, *lines]
    )


def run_list(args: argparse.Namespace) -> int:
    db = database_from(args)
    password = secret(ENV_AS_PASSWORD, f"Password for {args.as_user}: ", twice=False, action=args.as_user)
    with db.session() as session:
        actor = users.login(session, args.as_user, password)
        rows = users.list_users(session, actor)
    print(_table(rows))
    return 0


def run_add(args: argparse.Namespace) -> int:
    db = database_from(args)
    password = secret(ENV_AS_PASSWORD, f"Password for {args.as_user}: ", twice=False, action=args.as_user)
    with db.session() as session:
        actor = users.login(session, args.as_user, password)
        session.commit()  # the log-in's reset of a failed-attempt count stands even if the add fails
        new_password = secret(
            ENV_USER_PASSWORD, f"Password for {args.username}: ", twice=True, action=args.username
        )
        user = users.create_user(
            session, actor, args.username, args.name or args.username, Role(args.role), new_password
        )
        print(f"user {user.username!r} ({Role(user.role).title}) added by {actor.username}")
    return 0
