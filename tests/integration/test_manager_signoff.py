"""Sign-off (G19): only the manager who decided signs, with their password; the signed PDF is stored with
its SHA-256 and the audit trail's newest hash; the decision and its subject lock for good; a change after
signing is an addendum, signed again and linked to the first."""

from __future__ import annotations

import hashlib
import io
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import Table, select, text, update
from sqlalchemy.exc import DBAPIError

from ehdesk.errors import AccountLocked, LoginFailed, PermissionDenied, RecordLocked
from ehdesk.services import audit, signoff
from ehdesk.services.users import MAX_FAILED_LOGINS
from ehdesk.signing import keys, sign_pdf
from ehdesk.storage.database import Database
from ehdesk.storage.models import AuditEvent, Decision, Decline, Document, User
from tests.cli import ehdesk
from tests.integration.managers import DECISION, SIGNING_PASSWORD, Office, open_office


def _drawing() -> bytes:
    """A drawn signature as the pad hands it over: PNG bytes of a pen stroke."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (240, 80), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(10, 50), (60, 20), (110, 60), (160, 25), (220, 45)], fill="navy", width=3)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def office(db: Database) -> Office:
    return open_office(db)


def _signed(office: Office) -> tuple[int, int, signoff.SignedRecord]:
    decline = office.decline()
    decision = office.decide(decline)
    return decline.id, decision.id, office.managers_desk.sign_decision(decision.id, SIGNING_PASSWORD)


def test_a_worker_or_an_admin_cannot_sign_even_with_a_certificate_and_the_right_password(
    office: Office,
) -> None:
    decision = office.decide(office.decline())
    office.issue(office.worker)
    office.issue(office.admin)
    for desk in (office.workers_desk, office.admins_desk):
        with pytest.raises(PermissionDenied, match="sign management decisions"):
            desk.sign_decision(decision.id, SIGNING_PASSWORD)
    with office.db.read() as session:
        stored = session.get(Decision, decision.id)
        assert stored is not None
        assert not stored.locked
        assert stored.document_id is None
        assert session.scalar(select(Document.id)) is None


def test_signing_stores_the_signed_bytes_their_digest_and_the_trail_hash_and_locks_decision_and_subject(
    office: Office,
) -> None:
    office.managers_desk.save_drawn_signature(_drawing())
    decline_id, decision_id, signed = _signed(office)
    with office.db.read() as session:
        document = session.get(Document, signed.document_id)
        assert document is not None
        assert hashlib.sha256(document.content).hexdigest() == document.sha256 == signed.sha256
        assert document.audit_hash == signed.audit_hash
        assert document.signed_by == office.manager.id
        assert audit.holds_hash(session, signed.audit_hash)
        decision = session.get(Decision, decision_id)
        decline = session.get(Decline, decline_id)
        assert decision is not None
        assert decline is not None
        assert decision.locked
        assert decision.document_id == document.id
        assert decline.locked
        assert decline.status == "decided"
        events = {
            (e.action, e.entity): e.after
            for e in session.scalars(
                select(AuditEvent).where(AuditEvent.action.in_(("sign", "lock", "create")))
            )
        }
        assert events[("create", "document")]["audit_hash"] == signed.audit_hash  # type: ignore[index]
        assert events[("sign", "decision")]["locked"] is True  # type: ignore[index]
        assert events[("lock", "decline")]["locked"] is True  # type: ignore[index]
    verdict = office.managers_desk.verify_document(signed.document_id)
    assert verdict.ok
    assert verdict.intact
    assert verdict.trusted
    assert verdict.signer == "Mo"
    assert verdict.role == "Manager"
    assert verdict.audit_hash == signed.audit_hash
    assert verdict.audit_hash_held is True
    assert office.managers_desk.my_signing_identity().has_drawing  # type: ignore[union-attr]


def test_a_wrong_password_is_counted_like_a_log_in_and_nothing_is_signed(office: Office) -> None:
    decision = office.decide(office.decline())
    desk = office.managers_desk
    for _ in range(MAX_FAILED_LOGINS - 1):
        with pytest.raises(LoginFailed, match="wrong password"):
            desk.sign_decision(decision.id, "not my password")
    with pytest.raises(AccountLocked):
        desk.sign_decision(decision.id, "not my password")
    with pytest.raises(AccountLocked):  # locked now: even the right password is refused for a while
        desk.sign_decision(decision.id, SIGNING_PASSWORD)
    with office.db.read() as session:
        assert session.scalar(select(Document.id)) is None
        assert not session.get(Decision, decision.id).locked  # type: ignore[union-attr]
        failed = session.scalars(select(AuditEvent).where(AuditEvent.action == "login-failed")).all()
        assert len(failed) == MAX_FAILED_LOGINS  # the last one also locked the account


def test_only_the_manager_who_decided_signs_and_only_once(office: Office) -> None:
    from tests.conftest import make_user

    decision = office.decide(office.decline())
    other = make_user(office.db, "olu", office.manager.role)
    office.issue(other)
    from tests.integration.managers import desk

    with pytest.raises(PermissionDenied, match="another manager"):
        desk(office.db, other).sign_decision(decision.id, SIGNING_PASSWORD)
    office.managers_desk.sign_decision(decision.id, SIGNING_PASSWORD)
    with pytest.raises(RecordLocked, match="already signed"):
        office.managers_desk.sign_decision(decision.id, SIGNING_PASSWORD)


def test_a_signed_decision_and_its_subject_refuse_edits_through_every_path(office: Office) -> None:
    decline_id, decision_id, _signed_record = _signed(office)
    db = office.db
    # the service
    with pytest.raises(RecordLocked, match="addendum"):
        office.managers_desk.amend_record("decision", decision_id, DECISION, version=3)
    with pytest.raises(RecordLocked):
        office.workers_desk.amend_record("decline", decline_id, {"reasons": "changed"}, version=2)
    # the ORM
    with db.session() as session:
        stored = session.get(Decision, decision_id)
        assert stored is not None
        stored.data = {"decision": "quietly changed"}
        with pytest.raises(RecordLocked):
            session.flush()
        session.rollback()
    # a Core statement and raw SQL: the database's own triggers (revision 0006)
    for model, row in ((Decision, decision_id), (Decline, decline_id)):
        table = cast(Table, model.__table__)
        with pytest.raises(DBAPIError, match="signed and locked"), db.engine.begin() as connection:
            connection.execute(update(table).where(table.c.id == row).values(locked=False))
    with pytest.raises(DBAPIError, match="signed and locked"), db.engine.begin() as connection:
        connection.execute(text("UPDATE decisions SET data = '{}' WHERE id = :id"), {"id": decision_id})
    with pytest.raises(DBAPIError, match="signed and locked"), db.engine.begin() as connection:
        connection.execute(text("DELETE FROM declines WHERE id = :id"), {"id": decline_id})
    with db.read() as session:
        assert session.get(Decision, decision_id).data["decision"] == DECISION["decision"]  # type: ignore[union-attr]


def test_an_addendum_is_a_second_signed_record_linked_to_the_first(office: Office) -> None:
    _decline_id, decision_id, first = _signed(office)
    changed = {**DECISION, "decision": "Close Early Help; the health visitor is to be told as well."}
    second = office.managers_desk.add_addendum(
        decision_id, changed, SIGNING_PASSWORD, confirmed_warnings=True
    )
    assert second.amends_id == decision_id
    assert second.decision_id != decision_id
    assert second.document_id != first.document_id
    records = office.managers_desk.signed_records(office.family_id)
    assert [(r.decision_id, r.amends_id) for r in records] == [
        (decision_id, None),
        (second.decision_id, decision_id),
    ]
    listed = office.managers_desk.list_records("decision", office.family_id)
    assert {r.id for r in listed} == {decision_id, second.decision_id}
    assert all(r.locked for r in listed)
    with office.db.read() as session:
        assert session.get(Decision, decision_id).data["decision"] == DECISION["decision"]  # type: ignore[union-attr]
    for record in (first, second):
        assert office.managers_desk.verify_document(record.document_id).ok
    assert b"Addendum to decision" not in office.managers_desk.document_pdf(first.document_id)
    with office.db.read() as session:
        assert audit.verify(session).ok


def test_an_addendum_needs_a_signed_decision_to_amend(office: Office) -> None:
    decision = office.decide(office.decline())
    with pytest.raises(Exception, match="not signed yet"):
        office.managers_desk.add_addendum(decision.id, DECISION, SIGNING_PASSWORD)


def test_a_signed_record_passes_pdfsig_and_qpdf_and_ehdesk_verify(office: Office, tmp_path: Path) -> None:
    _decline, _decision, signed = _signed(office)
    path = tmp_path / "decision.pdf"
    path.write_bytes(office.managers_desk.document_pdf(signed.document_id))
    sig = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout
    assert "Signature is Valid" in sig
    assert "Total document signed" in sig
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    result = ehdesk("--database", office.db.url, "verify", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "intact:      yes" in result.stdout
    assert "trusted:     yes" in result.stdout
    assert signed.audit_hash in result.stdout
    assert "the audit trail still holds this hash" in result.stdout


def test_one_changed_byte_makes_verify_exit_1_and_say_why(office: Office, tmp_path: Path) -> None:
    _decline, _decision, signed = _signed(office)
    data = bytearray(office.managers_desk.document_pdf(signed.document_id))
    at = data.index(b"/Title (") + len(b"/Title (")
    data[at] ^= 0x01
    path = tmp_path / "changed.pdf"
    path.write_bytes(bytes(data))
    result = ehdesk("--database", office.db.url, "verify", str(path))
    assert result.returncode == 1
    assert "the bytes have changed since signing" in result.stdout
    # trust is the certificate's question, answered apart from the bytes: only the bytes are blamed
    assert "intact:      NO" in result.stdout
    assert "trusted:     yes" in result.stdout
    assert "does not chain" not in result.stdout


def test_a_record_signed_under_another_ca_is_untrusted(office: Office, tmp_path: Path) -> None:
    _decline, _decision, signed = _signed(office)
    now = datetime.now(UTC)
    other_key, other_ca = keys.make_ca("Elsewhere Council", now)
    key, cert = keys.issue(other_key, other_ca, keys.Person("Mo", "Manager", "mo", "Elsewhere"), now)

    class Foreign:
        pkcs12 = keys.pack_pkcs12(key, cert, [other_ca], "another password", "mo")

    unsigned = office.managers_desk.decision_preview(signed.decision_id)
    path = tmp_path / "foreign.pdf"
    path.write_bytes(sign_pdf(unsigned, Foreign(), "another password", reason="Management decision"))
    result = ehdesk("--database", office.db.url, "verify", str(path))
    assert result.returncode == 1
    assert "trusted:     NO" in result.stdout
    assert "does not chain to this authority's signing CA" in result.stdout
    with office.db.read() as session:
        assert not signoff.verdict(session, path.read_bytes()).trusted


def test_the_audit_trail_still_verifies_after_sign_off_and_holds_the_hash_the_pdf_carries(
    office: Office,
) -> None:
    _decline, _decision, signed = _signed(office)
    result = ehdesk("--database", office.db.url, "audit", "verify")
    assert result.returncode == 0, result.stdout + result.stderr
    with office.db.read() as session:
        assert audit.holds_hash(session, signed.audit_hash)
        assert session.scalar(select(User.failed_logins).where(User.id == office.manager.id)) == 0
