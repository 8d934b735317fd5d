"""``ehdesk families search TEXT``: the family list's matches, one family a line, for support staff
and scripts.

Like ``ehdesk users``, the run logs in as the user named by ``--as`` (password from
``EHDESK_AS_PASSWORD`` or a hidden prompt) through the app's own log-in service, and searches through
the same service as the family list: the same folding of what is typed, the same page order, and the
same rule of who may see which family (a family worker sees only the families allocated to them).
"""

from __future__ import annotations

import argparse
import sys

from ehdesk.commands.common import add_as_option, desk_as
from ehdesk.errors import EhdeskError
from ehdesk.services import families

HELP = "search the families you may see (as the family list does)"


class SearchNeedsMore(EhdeskError):
    """A search of one- or two-letter words only: the list shows a prompt, the command says so."""

    exit_code = 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("families", help=HELP)
    actions = parser.add_subparsers(dest="families_action", required=True, metavar="ACTION")
    search = actions.add_parser(
        "search",
        help="print the families the family list shows for TEXT: reference, name, postcode, children",
    )
    search.add_argument("text", metavar="TEXT", help="what you would type into the family list's search box")
    add_as_option(search, "the user searching (what they may see applies)")
    search.add_argument(
        "--limit", type=int, default=200, metavar="N", help="print at most N families (default 200)"
    )
    search.set_defaults(func=run_search)


def run_search(args: argparse.Namespace) -> int:
    prompt = families.search_prompt(args.text)
    if prompt is not None:
        raise SearchNeedsMore(f"{prompt}; {args.text.strip()!r} alone would match too many families")
    if args.limit < 1:
        raise SearchNeedsMore("--limit must be at least 1")
    desk = desk_as(args, args.as_user)
    rows = desk.search_families(args.text, limit=args.limit)
    for row in rows:
        print("\t".join((row.reference, row.display_name, row.postcode, row.children)))
    hint = desk.empty_family_list_hint() if not rows else None
    if hint:  # on stderr: a script reading the rows still gets none, and a person learns why
        print(hint, file=sys.stderr)
    return 0
