"""Two ehdesk sessions writing at the same moment keep one unbroken audit chain.

On PostgreSQL appends are serialised by an advisory lock; on a SQLite file, write transactions start
with BEGIN IMMEDIATE so the second writer waits for the first instead of failing or forking the chain.
"""

from __future__ import annotations

import threading

from ehdesk.services import audit
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database

WRITES_PER_WRITER = 25


def test_two_writers_at_once_leave_a_whole_chain(db: Database, admin: Actor) -> None:
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def writer(name: str) -> None:
        start.wait()
        try:
            for n in range(WRITES_PER_WRITER):
                with db.session() as session:
                    audit.record(session, admin, "update", "chain-test", f"{name}-{n}", after={"n": n})
        except BaseException as exc:  # reported below: a thread's exception would otherwise vanish
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    with db.session() as session:
        report = audit.verify(session)
    assert report.ok, report.line()
    assert report.events == 1 + 2 * WRITES_PER_WRITER  # the admin's own creation, then every write
