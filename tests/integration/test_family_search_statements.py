"""What one keystroke costs the database (issue 18), pinned by the statements sent, never by a clock.

A keystroke asks for one page and, for the status line, a count. Exactly one statement searches the
matches for the page (the other only fetches the page's children by id), and the count stops at the cap
instead of walking every match.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, event, insert

from ehdesk.services import families
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from ehdesk.storage.models import Family

MATCHING = families.COUNT_CAP + 50


@contextmanager
def _statements() -> Iterator[list[str]]:
    sent: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):  # not SQLite's BEGIN of a read
            sent.append(statement)

    # on the Engine class: searches run on the read-only engine, a second engine on SQLite
    event.listen(Engine, "before_cursor_execute", before)
    try:
        yield sent
    finally:
        event.remove(Engine, "before_cursor_execute", before)


def _searches(statement: str) -> bool:
    return "search_text" in statement


def _seed(db: Database) -> None:
    with db.session() as session:
        session.execute(
            insert(Family),
            [
                {
                    "reference": f"EH-{n:06d}",
                    "postcode": "LS6 2AB",
                    "search_text": f"eh {n:06d} hartley ls6 2ab",
                }
                for n in range(1, MATCHING + 1)
            ],
        )


def test_a_keystroke_sends_one_statement_that_searches_for_the_page(db: Database, admin: Actor) -> None:
    _seed(db)
    with db.read() as session, _statements() as sent:
        rows = families.search_families(session, admin, "hartley ls", limit=200)
    assert len(rows) == 200
    assert len([s for s in sent if _searches(s)]) == 1
    # besides it only the page's children by family id and, on PostgreSQL when the words are common,
    # the id where the newest families end (a walk of the primary key, no search)
    assert len(sent) in ((2, 3) if db.dialect == "postgresql" else (2,))


def test_a_page_is_newest_first_across_the_recent_window(
    db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PostgreSQL looks through the newest families first and only then the older matches: the pages
    # must read as one list, newest first, whichever side of the window a match falls
    monkeypatch.setattr(families, "RECENT_WINDOW", 30)
    monkeypatch.setattr(families, "COMMON_MATCHES", 0)  # every word common: the window always first
    with db.session() as session:
        session.execute(
            insert(Family),
            [
                {"reference": f"EH-{n:06d}", "search_text": f"eh {n:06d} {'rare' if n % 7 == 0 else 'other'}"}
                for n in range(1, 201)
            ],
        )
    with db.read() as session:
        ids = sorted((f.id for f in session.query(Family) if "rare" in f.search_text), reverse=True)
        first = families.search_families(session, admin, "rare", limit=10)
        second = families.search_families(session, admin, "rare", limit=10, before_id=first[-1].id)
        every = families.search_families(session, admin, "rare", limit=200)
    assert [row.id for row in first] == ids[:10]
    assert [row.id for row in second] == ids[10:20]
    assert [row.id for row in every] == ids


def test_the_count_stops_at_the_cap_instead_of_walking_every_match(db: Database, admin: Actor) -> None:
    _seed(db)
    with db.read() as session, _statements() as sent:
        count = families.count_families(session, admin, "hartley")
    assert count == families.COUNT_CAP
    assert families.count_text(count) == "1,000+"
    assert len(sent) == 1
    assert "LIMIT" in sent[0].upper()


def test_a_lone_short_word_sends_nothing_to_the_database(db: Database, admin: Actor) -> None:
    _seed(db)
    with db.read() as session, _statements() as sent:
        assert families.search_families(session, admin, "h") == []
        assert families.count_families(session, admin, "ha") == 0
    assert sent == []
