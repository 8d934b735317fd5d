"""Reading dates as admins write them: the one date parser of ehdesk.

Paper referrals carry dates in every style: ``2/8/25``, ``02.08.2025``, ``2 Aug 2025``, ``2nd August
2025``, ``02082025``, ``2025-08-02``, and ``t`` for today in the form view. The validator (cleaning a
date field), the form view's date box and the command line all call :func:`parse_date`, so a date the
form view accepts is the date the record stores. Day comes before month, as in the UK.

A two-digit year is resolved against today: for a date that cannot be in the future (``past=True``,
e.g. a birth date) it is the latest such year not after today, so ``2/8/40`` is 1940 and never 2040;
for other dates (an expected delivery date) it is the year of that ending nearest to today.
Nothing here raises on odd input: what cannot be read gives ``None``.
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{2}|\d{4})$")
_COMPACT = re.compile(r"^(\d{2})(\d{2})(\d{4}|\d{2})$")
_WORDED = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s*[\s\-/.,]\s*([a-z]+)\.?\s*[\s\-/.,]?\s*(\d{2}|\d{4})$")
_TODAY_WORDS = frozenset({"t", "today"})


def full_year(year: int, digits: int, month: int, day: int, today: date, *, past: bool) -> int | None:
    """The four-digit year meant by a year written with ``digits`` digits (see the module notes)."""
    if digits == 4:
        return year
    century = today.year // 100 * 100
    real = {
        candidate: day_of
        for candidate in (century - 100 + year, century + year, century + 100 + year)
        if (day_of := _real(candidate, month, day)) is not None
    }
    if past:
        earlier = [candidate for candidate, day_of in real.items() if day_of <= today]
        return max(earlier) if earlier else None
    return min(real, key=lambda c: abs(c - today.year)) if real else None


def _real(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str, today: date | None = None, *, past: bool = False) -> date | None:
    """The date ``text`` means, or ``None`` if it is not a real calendar date written a known way."""
    if not isinstance(text, str):
        return None
    words = " ".join(text.strip().lower().split())
    now = today or date.today()
    if words in _TODAY_WORDS:
        return now
    iso = _ISO.match(words)
    if iso:
        return _real(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    for pattern in (_NUMERIC, _COMPACT):
        found = pattern.match(words)
        if found:
            day, month, year_text = int(found.group(1)), int(found.group(2)), found.group(3)
            return _resolve(day, month, year_text, now, past)
    worded = _WORDED.match(words)
    if worded:
        month_number = _MONTHS.get(worded.group(2))
        if month_number is None:
            return None
        return _resolve(int(worded.group(1)), month_number, worded.group(3), now, past)
    return None


def _resolve(day: int, month: int, year_text: str, today: date, past: bool) -> date | None:
    year = full_year(int(year_text), len(year_text), month, day, today, past=past)
    return None if year is None else _real(year, month, day)


def iso_or_none(value: object) -> date | None:
    """A stored value (ISO text or a ``date``) as a date: the reader storage and rules use."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        iso = _ISO.match(value.strip())
        if iso:
            return _real(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    return None


def long_date(value: object) -> str:
    """A stored date (ISO text or a ``date``) as a printed record writes it: "12 March 2025"; anything
    that is no date as it is."""
    day = iso_or_none(value[:10] if isinstance(value, str) else value)
    if day is None:
        return "" if value is None else str(value)
    return f"{day.day} {day:%B %Y}"
