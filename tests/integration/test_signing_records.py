"""Signed records: PAdES over the whole file, checked by poppler, qpdf and `ehdesk verify`."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from ehdesk.documents import DocumentMeta, build_record_pdf
from ehdesk.domain import Role
from ehdesk.services import audit
from ehdesk.signing import SignatureAppearance, UnlockedSigner, keys, sign_pdf, unlock
from ehdesk.signing.authority import create_authority
from ehdesk.signing.identities import issue_identity
from ehdesk.storage.database import Database
from tests.cli import ehdesk
from tests.conftest import PASSWORD, make_user
from tests.unit.documents.test_record_pdf import ARABIC_NAME, DECLINE_DECISION

# a 1×1 black PNG stands in for a drawing from the signature pad
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63606060f80f"
    "0001040100aeb1f8bf0000000049454e44ae426082"
)


@dataclass
class Setup:
    db: Database
    url: str
    signer: UnlockedSigner
    audit_hash: str
    pdf: bytes


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    url = f"sqlite:///{tmp_path / 'ehdesk.sqlite3'}"
    db = Database(url)
    db.upgrade()
    admin = make_user(db, "setup-admin", Role.ADMIN)
    manager = make_user(db, "sara", Role.MANAGER)
    with db.session() as session:
        create_authority(session, admin, "Example Borough Council", "authority passphrase")
        identity = issue_identity(session, admin, manager.id or 0, "authority passphrase", PASSWORD)
        signer = unlock(identity, PASSWORD)
    with db.read() as session:
        newest = audit.newest_hash(session)
    meta = DocumentMeta(
        title="Management decision",
        family_name=ARABIC_NAME,
        family_reference="EH-000123",
        author="Sara Manager",
        author_role="Manager",
        authority_name="Example Borough Council",
        policy_stamp="2025.1+abcdef123456",
        audit_hash=newest,
    )
    pdf = build_record_pdf("decision", DECLINE_DECISION, meta)
    yield Setup(db, url, signer, newest, pdf)
    db.dispose()


def _signed(setup: Setup, tmp_path: Path) -> Path:
    look = SignatureAppearance(ARABIC_NAME, "Early Help manager", drawing=PNG)
    data = setup.signer.sign(
        setup.pdf, reason="Management decision", appearance=look, audit_hash=setup.audit_hash
    )
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    return path


def test_pdfsig_finds_a_valid_signature_over_the_whole_document(setup: Setup, tmp_path: Path) -> None:
    path = _signed(setup, tmp_path)
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout
    assert "Signature is Valid" in out
    assert "Total document signed" in out
    assert "ETSI.CAdES.detached" in out


def test_qpdf_finds_no_errors_and_pdffonts_only_embedded_fonts_in_a_signed_record(
    setup: Setup, tmp_path: Path
) -> None:
    path = _signed(setup, tmp_path)
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert len(rows) >= 3  # the page's fonts and the signature box's
    assert all(row.split()[-5] == "yes" for row in rows), fonts


def test_verify_reports_signer_role_time_and_the_audit_hash_the_trail_holds(
    setup: Setup, tmp_path: Path
) -> None:
    path = _signed(setup, tmp_path)
    result = ehdesk("--database", setup.url, "verify", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Sara" in result.stdout
    assert "role:        Manager" in result.stdout
    assert f"signed at:   {datetime.now(UTC):%d %B %Y}" in result.stdout
    assert "intact:      yes" in result.stdout
    assert "trusted:     yes" in result.stdout
    assert setup.audit_hash in result.stdout
    assert "the audit trail still holds this hash" in result.stdout


def test_changing_one_byte_makes_verify_exit_1_and_say_why(setup: Setup, tmp_path: Path) -> None:
    path = _signed(setup, tmp_path)
    data = bytearray(path.read_bytes())
    at = data.index(b"/Title (") + len(b"/Title (")
    data[at] ^= 0x01  # "Management decision" becomes "Lanagement decision"
    path.write_bytes(bytes(data))
    result = ehdesk("--database", setup.url, "verify", str(path))
    assert result.returncode == 1
    assert "intact:      NO" in result.stdout
    assert "the bytes have changed since signing" in result.stdout


def test_a_record_signed_under_another_authority_exits_1_as_untrusted(setup: Setup, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    other_key, other_ca = keys.make_ca("Elsewhere Council", now)
    key, cert = keys.issue(other_key, other_ca, keys.Person("Impostor", "Manager", "x", "Elsewhere"), now)

    @dataclass
    class Foreign:
        pkcs12: bytes

    foreign = Foreign(keys.pack_pkcs12(key, cert, [other_ca], "another password", "x"))
    path = tmp_path / "foreign.pdf"
    path.write_bytes(sign_pdf(setup.pdf, foreign, "another password", reason="Management decision"))
    result = ehdesk("--database", setup.url, "verify", str(path))
    assert result.returncode == 1
    assert "intact:      yes" in result.stdout
    assert "trusted:     NO" in result.stdout
    assert "does not chain to this authority's signing CA" in result.stdout


def test_a_hash_the_trail_does_not_hold_is_reported(setup: Setup, tmp_path: Path) -> None:
    data = setup.signer.sign(setup.pdf, reason="Management decision", audit_hash="f" * 64)
    path = tmp_path / "rewritten.pdf"
    path.write_bytes(data)
    result = ehdesk("--database", setup.url, "verify", str(path))
    assert "NO, the audit trail does not hold this hash" in result.stdout


def test_a_file_that_is_no_pdf_exits_2_with_one_line(setup: Setup, tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_text("just some notes, not a PDF\n")
    result = ehdesk("--database", setup.url, "verify", str(path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "not a PDF" in result.stderr


def test_one_unlock_signs_several_records(setup: Setup, tmp_path: Path) -> None:
    for number in range(3):
        path = tmp_path / f"record-{number}.pdf"
        path.write_bytes(setup.signer.sign(setup.pdf, reason=f"record {number}", audit_hash=setup.audit_hash))
        assert ehdesk("--database", setup.url, "verify", str(path)).returncode == 0


def test_init_creates_the_signing_authority_with_its_key_under_the_passphrase(tmp_path: Path) -> None:
    from ehdesk.signing.authority import current_authority

    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    env = {"EHDESK_ADMIN_PASSWORD": "first admin password"}
    without = ["EHDESK_CA_PASSPHRASE"]
    first = ehdesk("--database", url, "init", "--admin", "ada", env=env, without=without)
    assert first.returncode == 0, first.stderr
    assert "no signing authority yet" in first.stdout  # a script without a passphrase is told how
    env["EHDESK_CA_PASSPHRASE"] = "authority passphrase"
    second = ehdesk("--database", url, "init", "--admin", "ada", env=env)
    assert second.returncode == 0, second.stderr
    assert "signing authority created" in second.stdout
    db = Database(url)
    with db.read() as session:
        authority = current_authority(session)
        assert authority is not None
        assert b"ENCRYPTED PRIVATE KEY" in authority.encrypted_key
    db.dispose()


def test_verify_without_a_database_creates_none_and_says_trust_and_trail_were_skipped(
    setup: Setup, tmp_path: Path
) -> None:
    path = _signed(setup, tmp_path)
    data_dir = tmp_path / "fresh-data"
    result = ehdesk(
        "verify",
        str(path),
        env={"EHDESK_DATA_DIR": str(data_dir), "EHDESK_CONFIG": str(tmp_path / "none.toml")},
        without=["EHDESK_DATABASE_URL"],
    )
    assert result.returncode == 1, result.stdout + result.stderr  # not valid: trust was not checked
    assert "intact:      yes" in result.stdout  # the bytes are still checked
    assert "trusted:     (not checked)" in result.stdout
    assert "in trail:    (not checked: no database at" in result.stdout
    assert "--database" in result.stdout
    assert not data_dir.exists()  # no data folder, no empty database left behind


def test_verify_never_upgrades_an_older_database(setup: Setup, tmp_path: Path) -> None:
    path = _signed(setup, tmp_path)
    with setup.db.session() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    result = ehdesk("--database", setup.url, "verify", str(path))
    assert result.returncode == 1
    assert "not at this ehdesk's version" in result.stdout
    with setup.db.read() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
