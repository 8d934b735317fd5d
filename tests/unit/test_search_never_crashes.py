"""Whatever is typed into the family search, the process survives (issue 13).

SQLite 3.40's FTS5 trigram table kills the process with a segfault on some mixes of short and long words,
which no ``try`` can catch. So each search runs in a child process: a crash there is a failed test with
the query that caused it, not a lost test run. The child searches a small seeded database on a file.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CHILD = textwrap.dedent(
    """
    import json, sys
    from ehdesk.domain import Role
    from ehdesk.errors import EhdeskError
    from ehdesk.services import families
    from ehdesk.services.actor import Actor
    from ehdesk.storage.database import Database

    db = Database(sys.argv[1])
    reader = Actor(id=None, username="probe", full_name="Probe", role=Role.ADMIN)
    for line in sys.stdin:
        query = json.loads(line)
        try:
            with db.read() as session:
                rows = families.search_families(session, reader, query)
                count = families.count_families(session, reader, query)
            print(json.dumps([len(rows), count]), flush=True)
        except EhdeskError as error:
            print(json.dumps(["refused", str(error)]), flush=True)
    """
)

AWKWARD = [
    "de souza",
    "jo smith",
    "ó briain",
    "al sayed",
    "sayed al",
    "a b",
    "%",
    "_",
    "%%al%",
    "'",
    '"',
    "O'Neill",
    '"smith" jones',
    "🙂 smith",
    "smith\x00jones",
    "\x00",
    "\\",
    "ab cd ef",
    "x" * 5000,
    "",
    "   ",
]


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    from ehdesk.policy import default_pack
    from ehdesk.services import referrals
    from ehdesk.services.actor import SYSTEM
    from ehdesk.storage.database import Database
    from tests import samples

    url = f"sqlite:///{tmp_path_factory.mktemp('search') / 'search.sqlite3'}"
    db = Database(url)
    db.upgrade()
    with db.session() as session:
        for surname in ("de Souza", "Al-Sayed", "Ó Briain", "Smith", "O'Neill"):
            child = {"given_name": "Jo", "family_name": surname, "birth_date": "2016-04-09"}
            referrals.create_referral(
                session,
                SYSTEM,
                samples.referral(children=[child], carers=[]),
                confirmed_warnings=True,
                policy=default_pack(),
            )
    db.dispose()
    return url


def _search_in_child(url: str, queries: list[str]) -> Iterator[tuple[str, str]]:
    """Each query with the child's answer; fails naming the query if the child dies."""
    child = subprocess.run(
        [sys.executable, "-c", CHILD, url],
        input="".join(json.dumps(q) + "\n" for q in queries),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    answers = child.stdout.splitlines()
    if child.returncode != 0:
        dead_at = queries[len(answers)] if len(answers) < len(queries) else "(after the last)"
        pytest.fail(
            f"the search process died (exit {child.returncode}) on {dead_at!r}: {child.stderr[-500:]}"
        )
    yield from zip(queries, answers, strict=True)


def test_awkward_searches_answer_instead_of_crashing(database: str) -> None:
    answers = dict(_search_in_child(database, AWKWARD))
    assert json.loads(answers["de souza"])[0] == 1
    assert json.loads(answers["jo smith"])[0] == 1
    assert json.loads(answers["ó briain"])[0] == 1
    assert json.loads(answers["x" * 5000])[0] == "refused"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=12), min_size=1, max_size=25))
def test_any_search_string_answers_instead_of_crashing(database: str, queries: list[str]) -> None:
    mixed = [*queries, *(f"{q} smith" for q in queries), *(f"briain {q}" for q in queries)]
    assert len(list(_search_in_child(database, mixed))) == len(mixed)
