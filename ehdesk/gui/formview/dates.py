"""Fast date entry: what an admin types (``1/2/2024``, ``01022024``, ``t``) to ISO 8601 and back.

Qt-free so the parsing rules are tested on their own. Anything that does not parse is kept exactly as
typed, so the validator can say what is wrong and nothing the user typed is lost.
"""

from __future__ import annotations

import re
from datetime import date

_SEPARATED = re.compile(r"^\s*(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{4})\s*$")
_COMPACT = re.compile(r"^\s*(\d{2})(\d{2})(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
_TODAY_WORDS = frozenset({"t", "today"})


def parse_typed(text: str, today: date | None = None) -> date | None:
    """The date meant by ``text`` (day first, four-digit year), or None if it is not a real date."""
    if text.strip().lower() in _TODAY_WORDS:
        return today or date.today()
    for pattern, order in ((_SEPARATED, "dmy"), (_COMPACT, "dmy"), (_ISO, "ymd")):
        match = pattern.match(text)
        if match is None:
            continue
        parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
        try:
            return date(parts["y"], parts["m"], parts["d"])
        except ValueError:
            return None
    return None


def to_value(text: str, today: date | None = None) -> str:
    """The stored value: ISO text for a real date, otherwise the text as typed (blank → "")."""
    parsed = parse_typed(text, today)
    return parsed.isoformat() if parsed is not None else text.strip()


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
