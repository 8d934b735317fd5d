"""``ehdesk families search``: the family list's matches, one a line, under the same who-may-see rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from ehdesk.domain import Role
from ehdesk.policy import default_pack
from ehdesk.services import families, referrals, users
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from tests import samples
from tests.cli import ehdesk

PASSWORD = "s3cret-enough"
AS = {"EHDESK_AS_PASSWORD": PASSWORD}


@pytest.fixture
def database(tmp_path: Path) -> str:
    """Two Nguyễn families keyed by ada; one allocated to the worker wendy."""
    path = str(tmp_path / "team.sqlite3")
    done = ehdesk("--database", path, "init", "--admin", "ada", env={"EHDESK_ADMIN_PASSWORD": PASSWORD})
    assert done.returncode == 0, done.stderr
    db = Database(f"sqlite:///{path}")
    with db.session() as session:
        ada = users.login(session, "ada", PASSWORD)
        wendy = users.create_user(session, ada, "wendy", "Wendy", Role.WORKER, PASSWORD)
        users.create_user(session, ada, "newbie", "Nia New", Role.WORKER, PASSWORD)  # holds no family
        mo = Actor.from_user(users.create_user(session, ada, "mo", "Mo", Role.MANAGER, PASSWORD))
        made = []
        for given in ("Thị Lan", "Minh"):
            child = {"given_name": given, "family_name": "Nguyễn", "birth_date": "2017-06-12"}
            values = samples.referral(children=[child], carers=[])
            made.append(
                referrals.create_referral(
                    session, ada, values, confirmed_warnings=True, policy=default_pack()
                ).family
            )
        session.flush()
        families.allocate(session, mo, made[0].id, wendy.id, version=made[0].version)
    db.dispose()
    return path


def test_the_command_prints_what_the_family_list_shows_one_family_a_line(database: str) -> None:
    found = ehdesk("--database", database, "families", "search", "nguyen", "--as", "ada", env=AS)
    assert found.returncode == 0, found.stderr
    assert found.stdout.splitlines() == [
        "EH-000002\tNguyễn (Minh)\tLS6 2AB\tMinh (12/06/2017)",
        "EH-000001\tNguyễn (Thị Lan)\tLS6 2AB\tThị Lan (12/06/2017)",
    ]


def test_a_worker_sees_only_their_own_families_from_the_command_too(database: str) -> None:
    found = ehdesk("--database", database, "families", "search", "Nguyen", "--as", "wendy", env=AS)
    assert found.returncode == 0, found.stderr
    assert [line.split("\t")[0] for line in found.stdout.splitlines()] == ["EH-000001"]


def test_a_search_too_short_or_a_wrong_password_is_one_line_and_a_failure(database: str) -> None:
    short = ehdesk("--database", database, "families", "search", "ng", "--as", "ada", env=AS)
    assert short.returncode == 2
    assert short.stderr.startswith("ehdesk: error: Type at least 3 letters")
    assert len(short.stderr.splitlines()) == 1
    wrong = ehdesk(
        "--database",
        database,
        "families",
        "search",
        "nguyen",
        "--as",
        "ada",
        env={"EHDESK_AS_PASSWORD": "wrong"},
    )
    assert wrong.returncode != 0
    assert len(wrong.stderr.splitlines()) == 1
    assert wrong.stdout == ""


def test_a_worker_holding_no_family_is_told_why_the_search_finds_nothing(database: str) -> None:
    found = ehdesk("--database", database, "families", "search", "nguyen", "--as", "newbie", env=AS)
    assert found.returncode == 0, found.stderr
    assert found.stdout == ""  # a script reading rows still reads none
    assert found.stderr.strip() == families.NO_FAMILIES_ALLOCATED
    held = ehdesk("--database", database, "families", "search", "smith", "--as", "wendy", env=AS)
    assert (held.returncode, held.stdout, held.stderr) == (0, "", "")  # no match is just no match


def test_the_families_help_names_only_the_search_that_exists() -> None:
    helped = ehdesk("families", "--help")
    assert helped.returncode == 0
    assert "casefile" not in helped.stdout
    assert "search" in helped.stdout
