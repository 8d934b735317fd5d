"""``ehdesk demo``: fill a database with made-up families to try ehdesk out (never on live data)."""

from __future__ import annotations

import argparse
import sys

from ehdesk.commands.common import database_from
from ehdesk.demo import add_demo_families, holds_real_work
from ehdesk.errors import ConfigError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("demo", help="add made-up demo families (for trying ehdesk out)")
    parser.add_argument("--families", type=int, default=50, metavar="N", help="how many (default 50)")
    parser.add_argument("--seed", type=int, default=2026, help="same seed, same families (default 2026)")
    parser.set_defaults(func=run)


def _progress(done: int, total: int) -> None:
    print(f"\r{done}/{total} demo families", end="", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.families <= 200_000:
        raise ConfigError("--families must be between 1 and 200000")
    db = database_from(args)
    with db.read() as session:
        if holds_real_work(session):
            raise ConfigError(
                f"{db.safe_url} is in use (it has users); demo families go only into a new database, "
                "before its first user — use --database to name one"
            )
    stored = add_demo_families(db.session, args.families, seed=args.seed, progress=_progress)
    print(file=sys.stderr)
    print(f"added {stored} demo families to {db.safe_url}")
    return 0
