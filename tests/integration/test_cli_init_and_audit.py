"""The command line as an administrator uses it: init, audit verify, and errors as one clear line."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from ehdesk import __version__
from tests.cli import ehdesk


def sqlite_shell(path: Path, statement: str) -> None:
    """Tamper the way someone with the file would: the sqlite3 shell if the machine has it."""
    if shutil.which("sqlite3"):
        subprocess.run(["sqlite3", str(path), statement], check=True)
    else:
        with sqlite3.connect(path) as connection:
            connection.execute(statement)


@pytest.fixture
def initialised(tmp_path: Path) -> Path:
    path = tmp_path / "team.sqlite3"
    done = ehdesk(
        "--database", str(path), "init", "--admin", "ada", env={"EHDESK_ADMIN_PASSWORD": "s3cret-enough"}
    )
    assert done.returncode == 0, done.stderr
    assert "admin 'ada' created" in done.stdout
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA foreign_keys=ON")
    return path


def test_version_prints_the_package_version() -> None:
    done = ehdesk("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"ehdesk {__version__}"


def test_init_then_audit_verify_exits_zero(initialised: Path) -> None:
    done = ehdesk("--database", str(initialised), "audit", "verify")
    assert done.returncode == 0, done.stderr
    assert "intact: 1 events" in done.stdout


def test_init_twice_keeps_the_existing_users(initialised: Path) -> None:
    done = ehdesk(
        "--database", str(initialised), "init", "--admin", "bob", env={"EHDESK_ADMIN_PASSWORD": "x" * 12}
    )
    assert done.returncode == 0
    assert "already has users" in done.stdout


def test_init_after_the_demo_adds_the_admin_nobody_else_could(tmp_path: Path) -> None:
    """`ehdesk demo` on a new database makes staff but no admin; `init` then adds one, so users can be
    managed, and a second `init` adds no other."""
    path = tmp_path / "demo-first.sqlite3"
    assert ehdesk("--database", str(path), "demo", "--families", "1").returncode == 0
    env = {"EHDESK_ADMIN_PASSWORD": "x" * 12}
    done = ehdesk("--database", str(path), "init", "--admin", "bob", env=env)
    assert done.returncode == 0, done.stderr
    assert "admin 'bob' created" in done.stdout
    again = ehdesk("--database", str(path), "init", "--admin", "carol", env=env)
    assert "already has users" in again.stdout


def test_an_audit_row_changed_in_the_sqlite3_shell_is_named(initialised: Path) -> None:
    sqlite_shell(initialised, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 1")
    done = ehdesk("--database", str(initialised), "audit", "verify")
    assert done.returncode == 1
    assert "broken at event seq 1 (row id 1)" in done.stdout
    assert "edited" in done.stdout


def test_an_audit_row_deleted_in_the_sqlite3_shell_is_detected(initialised: Path) -> None:
    sqlite_shell(initialised, "DELETE FROM audit_events WHERE seq = 1")
    done = ehdesk("--database", str(initialised), "audit", "verify")
    assert done.returncode == 1
    assert "seq 1" in done.stdout


def test_init_without_a_password_fails_with_one_line(tmp_path: Path) -> None:
    done = ehdesk(
        "--database", str(tmp_path / "x.sqlite3"), "init", "--admin", "ada", without=["EHDESK_ADMIN_PASSWORD"]
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "set EHDESK_ADMIN_PASSWORD" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unreachable_database_is_one_clear_line() -> None:
    done = ehdesk("--database", "postgresql://nobody@127.0.0.1:1/none", "audit", "verify")
    assert done.returncode != 0
    assert done.stderr.startswith("ehdesk: error:")
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr


def test_a_bad_password_for_the_first_admin_says_what_is_needed(tmp_path: Path) -> None:
    done = ehdesk(
        "--database",
        str(tmp_path / "y.sqlite3"),
        "init",
        "--admin",
        "ada",
        env={"EHDESK_ADMIN_PASSWORD": "short"},
    )
    assert done.returncode == 1
    assert "at least 10 characters" in done.stderr


def test_config_set_then_show_names_the_database_and_its_source(tmp_path: Path) -> None:
    target = tmp_path / "shared.sqlite3"
    done = ehdesk("config", "set", "database", str(target))
    assert done.returncode == 0, done.stderr
    shown = ehdesk("config", "show")
    assert f"sqlite:///{target}" in shown.stdout
    assert "[settings file" in shown.stdout
    assert ehdesk("config", "unset", "database").returncode == 0
    assert "[default]" in ehdesk("config", "show").stdout


def test_config_set_refuses_a_policy_pack_folder_that_does_not_exist(tmp_path: Path) -> None:
    done = ehdesk("config", "set", "policy_pack", str(tmp_path / "missing"))
    assert done.returncode == 2
    assert "does not exist" in done.stderr


def test_starting_the_window_without_a_display_is_one_clear_line() -> None:
    done = ehdesk(without=["DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"])
    assert done.returncode == 2
    assert done.stderr.startswith("ehdesk: error: no display")
    assert done.stderr.count("\n") == 1


def test_verify_refuses_a_missing_database_and_creates_none(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "teem.sqlite3"
    done = ehdesk("--database", str(missing), "audit", "verify")
    assert done.returncode == 2
    assert "there is no database at" in done.stderr
    assert not missing.exists()
    assert not missing.parent.exists()


def test_verify_refuses_an_empty_or_foreign_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database\n")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE things (id INTEGER)")
    for path, says in ((empty, "is empty"), (text_file, "not a SQLite database"), (other, "not an ehdesk")):
        done = ehdesk("--database", str(path), "audit", "verify")
        assert done.returncode == 2, (path, done.stderr)
        assert says in done.stderr
        assert [line for line in done.stderr.splitlines() if line.startswith("ehdesk: error:")] != []
        assert "Traceback" not in done.stderr
    assert empty.stat().st_size == 0


def test_a_family_edited_in_the_sqlite3_shell_is_named_without_its_contents(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    added = ehdesk("--database", str(path), "demo", "--families", "1")
    assert added.returncode == 0, added.stderr
    sqlite_shell(path, "UPDATE families SET address = 'Secret Street 1' WHERE id = 1")
    done = ehdesk("--database", str(path), "audit", "verify")
    assert done.returncode == 1
    assert "families id 1: changed outside ehdesk" in done.stdout
    assert "Secret" not in done.stdout + done.stderr


def test_verify_runs_the_integrity_check_first(initialised: Path) -> None:
    connection = sqlite3.connect(initialised)
    mode = connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0]  # fold the WAL into the file
    assert mode == "delete"
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    root = connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'ix_people_family_id'"
    ).fetchone()[0]
    connection.close()
    with initialised.open("r+b") as handle:  # scribble over an index page, as a failing disk would
        handle.seek((root - 1) * page_size)  # its page-type byte and header
        handle.write(b"\xff" * 64)
    done = ehdesk("--database", str(initialised), "audit", "verify")
    assert done.returncode == 1
    assert done.stderr.startswith("ehdesk: error: database file damaged: integrity_check found")
    assert done.stdout == ""
