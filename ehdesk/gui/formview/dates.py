"""Fast date entry: what an admin types (``2/8/25``, ``02.08.2025``, ``2 Aug 2025``, ``t``) to ISO 8601
and back.

Qt-free so the rules are tested on their own. The reading itself is ``ehdesk.forms.dates.parse_date``,
the one date parser the validator also uses, so the box never accepts a date the record would refuse.
Anything that does not parse is kept exactly as typed, so the validator can say what is wrong and
nothing the user typed is lost; :func:`unreadable` lets the box mark it as soon as the field is left.
"""

from __future__ import annotations

import re
from datetime import date

from ehdesk.forms.dates import parse_date

_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
#: What the date box shows beside a date it cannot read (and its tooltip), when the field is left.
UNREADABLE_MESSAGE = "This is not a date ehdesk can read: type it as DD/MM/YYYY, for example 02/08/2025"


def parse_typed(text: str, today: date | None = None, *, past: bool = False) -> date | None:
    """The date meant by ``text`` (day first), or None if it is not a real date."""
    return parse_date(text, today, past=past)


def to_value(text: str, today: date | None = None, *, past: bool = False) -> str:
    """The stored value: ISO text for a real date, otherwise the text as typed (blank → "")."""
    parsed = parse_typed(text, today, past=past)
    return parsed.isoformat() if parsed is not None else text.strip()


def unreadable(text: str, today: date | None = None, *, past: bool = False) -> bool:
    """True when something is typed and it is not a date: the box marks it when the field is left."""
    return bool(text.strip()) and parse_typed(text, today, past=past) is None


def to_display(value: object) -> str:
    """DD/MM/YYYY for an ISO date or a :class:`date`; anything else shown as it was typed."""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if not isinstance(value, str):
        return ""
    match = _ISO.match(value)
    if match is not None:
        try:
            return date(*(int(g) for g in match.groups())).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return value
