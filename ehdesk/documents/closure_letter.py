"""The letter telling a person or agency that Early Help has closed for a family (G22).

It says only what the recipient needs (G7): that the service closed and when, which signed decision closed
it, and who to contact. The family's reasons and the manager's reasoning stay on the casefile and in the
signed decision record; a letter to an agency is not the place for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.platypus import Flowable, Spacer

from ehdesk.documents.answers import long_date
from ehdesk.documents.meta import DocumentMeta
from ehdesk.documents.record import para, render
from ehdesk.documents.styles import styles


@dataclass(frozen=True)
class ClosureNotice:
    """What one closure letter says."""

    who: str
    agency: str
    family_name: str
    family_reference: str
    decided_on: date | None
    decision_id: int
    signed_by: str
    signed_on: date | None
    record_sha256: str
    worker_name: str
    authority_name: str
    policy_stamp: str
    written_on: date


def closure_flowables(notice: ClosureNotice, meta: DocumentMeta) -> list[Flowable]:
    st = styles(meta.large_print)
    out: list[Flowable] = []
    if notice.authority_name:
        out.append(para(notice.authority_name, st.small))
    out.append(para(meta.title, st.title))
    to = ", ".join(part for part in (notice.who, notice.agency) if part)
    out += [
        para(f"To: {to}", st.body),
        para(f"Date: {long_date(notice.written_on)}", st.body),
        para(f"Family: {notice.family_name} (reference {notice.family_reference})", st.body),
        Spacer(1, st.size),
    ]
    when = f" on {long_date(notice.decided_on)}" if notice.decided_on else ""
    out.append(
        para(
            f"Early Help support for this family has closed. Early Help is voluntary: the family chose not "
            f"to continue, and a manager decided{when} to close the case. We are letting you know because "
            "you support the family, so that nobody relies on Early Help being involved.",
            st.body,
        )
    )
    out.append(
        para(
            "Please carry on with your own support as usual. If you become worried about a child, follow "
            "your own safeguarding procedures; a new referral to Early Help is always possible.",
            st.body,
        )
    )
    if notice.worker_name:
        out.append(para(f"Please contact {notice.worker_name} with any questions.", st.body))
    signed = f" signed on {long_date(notice.signed_on)}" if notice.signed_on else ""
    by = f" by {notice.signed_by}" if notice.signed_by else ""
    out += [
        Spacer(1, st.size),
        para(
            f"Decision reference: the manager's decision{signed}{by} "
            f"(signed record SHA-256 {notice.record_sha256[:16]}…). Told under guidance G22.",
            st.small,
        ),
    ]
    return out


def build_closure_letter(notice: ClosureNotice, *, large_print: bool = False) -> bytes:
    meta = DocumentMeta(
        title="Early Help has closed",
        family_name=notice.family_name,
        family_reference=notice.family_reference,
        author=notice.signed_by,
        authority_name=notice.authority_name,
        subject=f"Closure of Early Help for {notice.family_reference}",
        policy_stamp=notice.policy_stamp,
        record_date=notice.written_on,
        large_print=large_print,
        signature_box=False,
    )
    return render(closure_flowables(notice, meta), meta)
