"""``ehdesk verify FILE.pdf``: is this signed record intact, and was it signed under this authority?

Prints the signer, their role, when they signed, whether every byte is as signed, whether the
certificate chains to the authority's signing CA, and the audit-trail hash the record carries with
whether the trail still holds it (a rewritten trail no longer does). Exit 0 when intact and trusted,
1 when not, 2 when the file is no PDF.
"""

from __future__ import annotations

import argparse
from datetime import UTC
from pathlib import Path

from ehdesk.commands.common import database_from
from ehdesk.errors import ConfigError
from ehdesk.services import audit
from ehdesk.signing.authority import trust_roots
from ehdesk.signing.identities import identity_by_fingerprint
from ehdesk.signing.verify import SignatureReport, verify_pdf


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
    db = database_from(args)
    with db.read() as session:
        roots = trust_roots(session)
        report = verify_pdf(data, roots)
        identity = identity_by_fingerprint(session, report.fingerprint) if report.fingerprint else None
        revoked = identity.revoked_at if identity is not None else None
        holds = audit.holds_hash(session, report.audit_hash) if report.audit_hash else None
    if not roots:
        report.problems.append("this database has no signing authority to trust (run `ehdesk init`)")
    if revoked is not None and report.signed_at is not None:
        if revoked.tzinfo is None:  # SQLite hands back naive UTC
            revoked = revoked.replace(tzinfo=UTC)
        if report.signed_at >= revoked:
            report.trusted = False
            report.problems.append(f"the certificate was revoked on {revoked:%d %B %Y} before this signature")
    _print(path, report, holds)
    return 0 if report.ok else 1


def _print(path: Path, report: SignatureReport, holds: bool | None) -> None:
    when = f"{report.signed_at:%d %B %Y, %H:%M:%S %Z}" if report.signed_at else "(not stated)"
    if not report.audit_hash:
        trail = "(the record carries no audit hash)"
    elif holds:
        trail = "yes, the audit trail still holds this hash"
    else:
        trail = "NO, the audit trail does not hold this hash (it was rewritten, or is another database's)"
    rows = [
        ("file", str(path)),
        ("signer", report.signer or "(unknown)"),
        ("role", report.role or "(not stated)"),
        ("signed at", when),
        ("intact", _yes(report.intact)),
        ("trusted", _yes(report.trusted)),
        ("audit hash", report.audit_hash or "(none)"),
        ("in trail", trail),
    ]
    for label, value in rows:
        print(f"{label + ':':<12} {value}")
    if report.ok:
        print("verdict:     intact and signed under this authority's signing CA")
    else:
        print(f"verdict:     NOT VALID: {'; '.join(report.problems)}")
