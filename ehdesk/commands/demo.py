"""``ehdesk demo``: fill a database with made-up families to try ehdesk out (never on live data).

The made-up names come from Faker, which a live installation does not need: it is the ``demo`` extra,
and without it the command says how to add it.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys

from ehdesk.commands.common import desk_from
from ehdesk.desk import Desk
from ehdesk.errors import ConfigError

INSTALL_DEMO = "pip install 'ehdesk[demo]'"  # Faker: the demo extra


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("demo", help="add made-up demo families (for trying ehdesk out)")
    parser.add_argument("--families", type=int, default=50, metavar="N", help="how many (default 50)")
    parser.add_argument("--seed", type=int, default=2026, help="same seed, same families (default 2026)")
    parser.set_defaults(func=run)


def _progress(done: int, total: int) -> None:
    """On a terminal one line counts up; in a log (not a terminal) each step is a line of its own."""
    if sys.stderr.isatty():
        print(f"\r{done}/{total} demo families", end="", file=sys.stderr, flush=True)
    else:
        print(f"{done}/{total} demo families", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.families <= 200_000:
        raise ConfigError("--families must be between 1 and 200000")
    if importlib.util.find_spec("faker") is None:
        raise ConfigError(
            f"the demo needs Faker for its made-up names, which is not installed: {INSTALL_DEMO}"
        )
    from ehdesk.demo import add_demo_families, holds_real_work

    desk = desk_from(args)
    with desk.db.read() as session:  # the demo's own question (ehdesk.demo sits above the Desk)
        in_use = holds_real_work(session)
    if in_use:
        raise ConfigError(
            f"{desk.db.safe_url} is in use (it has staff or their referrals); demo families go only into "
            "a new database or one holding just its first admin — use --database to name one"
        )
    stored = add_demo_families(
        desk.db.session, args.families, seed=args.seed, progress=_progress, policy=desk.policy
    )
    if sys.stderr.isatty():
        print(file=sys.stderr)  # end the counting line
    print(f"added {stored} demo families to {desk.db.safe_url}")
    _casework(desk, args.seed)
    return 0


ENV_DEMO_PASSWORD = "EHDESK_DEMO_PASSWORD"


def _casework(desk: Desk, seed: int) -> None:
    """The demo team's casework (issue 16); their password from EHDESK_DEMO_PASSWORD, else made up and
    printed once (a demo database holds no real person's data). After ``ehdesk init`` the signing CA
    is the admin's: its passphrase comes from EHDESK_CA_PASSPHRASE, and without it the demo signs
    nothing and says how to have it sign."""
    import os
    import secrets

    from ehdesk.commands.init import ENV_CA_PASSPHRASE
    from ehdesk.demo import DEMO_STAFF, add_demo_casework
    from ehdesk.demo_signing import ca_unlocks

    password = os.environ.get(ENV_DEMO_PASSWORD) or secrets.token_urlsafe(12)
    ca_passphrase = os.environ.get(ENV_CA_PASSPHRASE) or None
    done = add_demo_casework(desk.db, desk.policy, password=password, seed=seed, ca_passphrase=ca_passphrase)
    print("demo casework: " + ", ".join(f"{count} {what.replace('_', ' ')}" for what, count in done.items()))
    if not ca_unlocks(desk.db, ca_passphrase or password):
        print(
            f"demo decisions were not signed: the signing authority is locked with the passphrase set at "
            f"ehdesk init; run the demo again with {ENV_CA_PASSPHRASE} set to it to add signed decisions"
        )
    shown = "the password in " + ENV_DEMO_PASSWORD if ENV_DEMO_PASSWORD in os.environ else password
    print(f"demo logins (each with {shown}):")
    for username, full_name, role in DEMO_STAFF:
        print(f"  {username:<14} {role.value:<8} {full_name}")
