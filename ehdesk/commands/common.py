"""What several subcommands need: the settings, the open database, and a :class:`~ehdesk.desk.Desk`
logged in as the user a command names with ``--as``.

A command that acts as a user goes through the same Desk as the app: the log-in service (lock-out and
the audit trail apply), one unit of work per use case, the policy pack in force stamping what it
stores. No command opens a session or commits by hand.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from ehdesk.config import Settings, load_settings
from ehdesk.desk import Desk
from ehdesk.errors import ConfigError
from ehdesk.policy import load_pack
from ehdesk.storage.database import Database, open_database

ENV_AS_PASSWORD = "EHDESK_AS_PASSWORD"


def settings_from(args: argparse.Namespace) -> Settings:
    return load_settings(
        database=getattr(args, "database", None), policy_pack=getattr(args, "policy_pack", None)
    )


def database_from(args: argparse.Namespace) -> Database:
    return open_database(settings_from(args).database_url)


def desk_from(args: argparse.Namespace) -> Desk:
    """The database and the policy pack the settings name, nobody logged in yet."""
    settings = settings_from(args)
    return Desk(open_database(settings.database_url), load_pack(settings.policy_pack))


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


def add_as_option(parser: argparse.ArgumentParser, who: str, *, metavar: str = "USER") -> None:
    """``--as USER``: who runs the command (``who`` says so in the help); their password is never an
    argument (see :func:`desk_as`)."""
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar=metavar,
        required=True,
        help=f"{who}; password from {ENV_AS_PASSWORD} or a prompt",
    )


def desk_as(args: argparse.Namespace, username: str) -> Desk:
    """A Desk logged in as ``username``, the password from ``EHDESK_AS_PASSWORD`` or a hidden prompt."""
    desk = desk_from(args)
    password = secret(ENV_AS_PASSWORD, f"Password for {username}: ", twice=False, action=username)
    desk.login(username, password)
    return desk
