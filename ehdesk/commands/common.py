"""What several subcommands need: the settings and the open database for this run."""

from __future__ import annotations

import argparse

from ehdesk.config import Settings, load_settings
from ehdesk.storage.database import Database, open_database


def settings_from(args: argparse.Namespace) -> Settings:
    return load_settings(
        database=getattr(args, "database", None), policy_pack=getattr(args, "policy_pack", None)
    )


def database_from(args: argparse.Namespace) -> Database:
    return open_database(settings_from(args).database_url)
