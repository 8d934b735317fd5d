"""``ehdesk users``: an admin adds and lists users from a terminal, logging in like anyone else."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import ehdesk

ADMIN_PASSWORD = "s3cret-enough"
AS_ADA = {"EHDESK_AS_PASSWORD": ADMIN_PASSWORD}


@pytest.fixture
def database(tmp_path: Path) -> str:
    path = str(tmp_path / "team.sqlite3")
    done = ehdesk("--database", path, "init", "--admin", "ada", env={"EHDESK_ADMIN_PASSWORD": ADMIN_PASSWORD})
    assert done.returncode == 0, done.stderr
    return path


def test_an_added_user_is_listed_with_their_role_and_can_log_in(database: str) -> None:
    added = ehdesk(
        "--database",
        database,
        "users",
        "add",
        "bob",
        "--role",
        "worker",
        "--name",
        "Bob Smith",
        "--as",
        "ada",
        env={**AS_ADA, "EHDESK_USER_PASSWORD": "bobs-own-password"},
    )
    assert added.returncode == 0, added.stderr
    assert "user 'bob' (Family worker) added by ada" in added.stdout

    listed = ehdesk("--database", database, "users", "list", "--as", "ada", env=AS_ADA)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].split() == ["User", "Full", "name", "Role", "Status"]
    assert lines[1].split() == ["ada", "ada", "admin", "active"]
    assert lines[2].split() == ["bob", "Bob", "Smith", "worker", "active"]

    as_bob = ehdesk(
        "--database",
        database,
        "users",
        "list",
        "--as",
        "bob",
        env={"EHDESK_AS_PASSWORD": "bobs-own-password"},
    )
    assert as_bob.returncode == 1
    assert as_bob.stderr.strip() == (
        "ehdesk: error: bob (family worker) cannot manage users; only admin teams can — ask one of them"
    )


def test_a_wrong_admin_password_exits_1_with_one_line(database: str) -> None:
    done = ehdesk(
        "--database",
        database,
        "users",
        "add",
        "bob",
        "--role",
        "worker",
        "--as",
        "ada",
        env={"EHDESK_AS_PASSWORD": "not the password", "EHDESK_USER_PASSWORD": "bobs-own-password"},
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("ehdesk: error: wrong user name or password, or the account is locked")
    listed = ehdesk("--database", database, "users", "list", "--as", "ada", env=AS_ADA)
    assert "bob" not in listed.stdout


def test_add_without_a_password_for_the_new_user_is_refused_in_one_line(database: str) -> None:
    done = ehdesk(
        "--database", database, "users", "add", "bob", "--role", "worker", "--as", "ada", env=AS_ADA
    )
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "ehdesk: error: no password given for bob: set EHDESK_USER_PASSWORD or run the command in a terminal"
    ]
    listed = ehdesk("--database", database, "users", "list", "--as", "ada", env=AS_ADA)
    assert "bob" not in listed.stdout


def test_users_without_an_admin_password_is_refused_in_one_line(database: str) -> None:
    done = ehdesk("--database", database, "users", "list", "--as", "ada")
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "ehdesk: error: no password given for ada: set EHDESK_AS_PASSWORD or run the command in a terminal"
    ]
