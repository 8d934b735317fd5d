"""``ehdesk verify FILE.pdf``: is this signed record intact, and was it signed under this authority?

Prints the signer, their role, when they signed, whether every byte is as signed, whether the
certificate chains to the authority's signing CA, and the audit-trail hash the record carries with
whether the trail still holds it (a rewritten trail no longer does). Exit 0 when intact and trusted,
1 when not, 2 when the file is no PDF.

Checking a file must change nothing: the database is opened only if it exists and is already at the
current schema, and never created or upgraded (someone checking a PDF on a colleague's computer must
not leave an empty database behind). Without one, the signature's integrity is still checked; trust
and the audit trail are reported as skipped, and the verdict is not valid.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ehdesk.commands.common import settings_from
from ehdesk.errors import ConfigError

if TYPE_CHECKING:
    from ehdesk.services.signoff import Verdict
    from ehdesk.storage.database import Database


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("verify", help="check a signed PDF record: signer, integrity, trust")
    parser.add_argument("file", metavar="FILE.pdf", type=Path, help="the signed PDF to check")
    parser.set_defaults(func=run)


def _yes(flag: bool) -> str:
    return "yes" if flag else "NO"


def run(args: argparse.Namespace) -> int:
    path: Path = args.file
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror or error}; check the file name") from None
    from ehdesk.services.signoff import verdict  # the casefile shows this same verdict for stored records

    db, skipped = _existing_database(settings_from(args).database_url)
    if db is None:
        result = _verdict_without_database(data, skipped)
    else:
        try:
            with db.read() as session:
                result = verdict(session, data)
        finally:
            db.dispose()
    _print(path, result, skipped)
    return 0 if result.ok else 1


def _existing_database(url: str) -> tuple[Database | None, str]:
    """The database at ``url`` if it exists and is current, else None and why it was not opened."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, OperationalError

    from ehdesk.storage.database import Database
    from ehdesk.storage.revisions import head_revision, stored_revision

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            f"database URL {url!r} is not valid; use sqlite:///path or postgresql://..."
        ) from None
    if parsed.drivername.startswith("sqlite"):
        file = Path(parsed.database or "")
        if not parsed.database or parsed.database == ":memory:" or not file.is_file():
            return None, f"no database at {file or url}; give --database to check trust and the trail"
    db = Database(url)
    try:
        stored = stored_revision(db.read_engine)
    except OperationalError as exc:
        db.dispose()
        raise ConfigError(f"cannot open the database {db.safe_url}: {exc.orig}") from exc
    if stored != head_revision():
        db.dispose()
        return None, (
            f"the database {db.safe_url} is not at this ehdesk's version (verify never upgrades one); "
            "start ehdesk once to upgrade it"
        )
    return db, ""


def _verdict_without_database(data: bytes, skipped: str) -> Verdict:
    """Integrity only: with no signing CA to trust and no trail to look in, never a valid verdict."""
    from ehdesk.services.signoff import Verdict
    from ehdesk.signing.verify import verify_pdf

    report = verify_pdf(data, [])
    untrusted = [p for p in report.problems if "does not chain" not in p]  # no CA was there to chain to
    return Verdict(
        signer=report.signer,
        role=report.role,
        signed_at=report.signed_at,
        intact=report.intact,
        trusted=False,
        audit_hash=report.audit_hash,
        audit_hash_held=None,
        problems=(*untrusted, f"trust and the audit trail were not checked: {skipped}"),
    )


def _print(path: Path, report: Verdict, skipped: str = "") -> None:
    when = f"{report.signed_at:%d %B %Y, %H:%M:%S %Z}" if report.signed_at else "(not stated)"
    if skipped:
        trail = f"(not checked: {skipped})"
    elif not report.audit_hash:
        trail = "(the record carries no audit hash)"
    elif report.audit_hash_held:
        trail = "yes, the audit trail still holds this hash"
    else:
        trail = "NO, the audit trail does not hold this hash (it was rewritten, or is another database's)"
    rows = [
        ("file", str(path)),
        ("signer", report.signer or "(unknown)"),
        ("role", report.role or "(not stated)"),
        ("signed at", when),
        ("intact", _yes(report.intact)),
        ("trusted", "(not checked)" if skipped else _yes(report.trusted)),
        ("audit hash", report.audit_hash or "(none)"),
        ("in trail", trail),
    ]
    for label, value in rows:
        print(f"{label + ':':<12} {value}")
    if report.ok:
        print("verdict:     intact and signed under this authority's signing CA")
    else:
        print(f"verdict:     NOT VALID: {'; '.join(report.problems)}")
