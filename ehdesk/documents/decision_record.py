"""The decision record: the PDF a manager signs (G19), held by the family, agencies and the casefile.

It sets the record the decision is about beside the decision itself, so whoever holds the signed copy sees
both without the database: first what was recorded and explained to the family (the decline with its
reasons, the objection, or the share made without telling them in advance), then the management decision
with, for a decline, the case-progression answers (G21–G24). The closing block states the policy pack
(G25) and the audit trail's newest hash at signing, above the box the visible signature fills. An
addendum says which signed record it amends; that record stays as it was signed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from reportlab.platypus import Flowable, HRFlowable

from ehdesk.documents.answers import long_date
from ehdesk.documents.meta import DocumentMeta
from ehdesk.documents.record import (
    add_signature_field,
    closing_flowables,
    form_flowables,
    para,
    record_flowables,
    render,
    signature_box,
)
from ehdesk.documents.styles import RULE, styles
from ehdesk.forms.registry import get_form

DECISION_FORM = "decision"


@dataclass(frozen=True)
class Subject:
    """The record a decision is about, as it stands on the casefile."""

    form_id: str  # decline | objection | share
    record_id: int  # for the code that builds it; never printed (the family-facing text names no row ids)
    values: Mapping[str, Any]
    recorded_by: str = ""
    recorded_on: date | None = None


@dataclass(frozen=True)
class Amends:
    """The signed decision an addendum amends."""

    decision_id: int  # never printed: the signer and date identify it to a reader
    signed_by: str
    signed_on: date | None


def _subject_flowables(subject: Subject, meta: DocumentMeta) -> list[Flowable]:
    st = styles(meta.large_print)
    form = get_form(subject.form_id)
    by = f" by {subject.recorded_by}" if subject.recorded_by else ""
    on = f" on {long_date(subject.recorded_on)}" if subject.recorded_on else ""
    out: list[Flowable] = [
        para(form.title, st.title),
        # the database's row number means nothing to a family or an agency, so it stays off the page
        para(f"The record this decision is about: recorded{by}{on}.", st.body),
    ]
    out += form_flowables(form, subject.values, meta)
    out.append(HRFlowable(width="100%", thickness=0.6, color=RULE, spaceBefore=6, spaceAfter=2))
    return out


def decision_record_flowables(
    values: Mapping[str, Any],
    meta: DocumentMeta,
    *,
    subject: Subject | None = None,
    amends: Amends | None = None,
) -> tuple[list[Flowable], Any]:
    """The record's flowables and its signature box (``None`` when ``meta`` asks for no box)."""
    st = styles(meta.large_print)
    header = replace(meta, policy_stamp="", audit_hash="")  # those facts close the record, not open it
    out = record_flowables(None, {}, header)
    if amends is not None:
        when = f", signed on {long_date(amends.signed_on)}" if amends.signed_on else ""
        by = f" by {amends.signed_by}" if amends.signed_by else ""
        out.append(
            para(
                f"Addendum to the decision{when}{by}. That record stands as it was "
                "signed; this one sets out the decision as it now is.",
                st.body,
            )
        )
    if subject is not None:
        out += _subject_flowables(subject, meta)
    form = get_form(DECISION_FORM)
    out.append(para(form.title, st.title))
    out += form_flowables(form, values, meta)
    box = signature_box(meta) if meta.signature_box else None
    out += closing_flowables(form, meta, box)
    return out, box


def build_decision_record(
    values: Mapping[str, Any],
    meta: DocumentMeta,
    *,
    subject: Subject | None = None,
    amends: Amends | None = None,
) -> bytes:
    """The decision record PDF, with an empty signature field where the visible signature goes."""
    flowables, box = decision_record_flowables(values, meta, subject=subject, amends=amends)
    pdf = render(flowables, meta)
    return add_signature_field(pdf, box.slot) if box is not None and box.slot is not None else pdf
