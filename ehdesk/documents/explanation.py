"""The explanation record of a share: what a family was told about one information share (G11–G18).

It is the share form's record PDF (every answer, with the guidance each serves, built by
:func:`ehdesk.documents.build_record_pdf`) opened by a plain-language heading written to the family:
what was explained, when and by whom, which conversation script was used (G5/G6), what is shared, why,
what it will be used for and with whom (G11–G14), and the reassurance given (G18). The policy pack's
stamp closes it (G25), with room for the worker's signature.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ehdesk.documents.answers import long_date
from ehdesk.documents.meta import DocumentMeta
from ehdesk.documents.record import build_record_pdf
from ehdesk.text import unwrap

__all__ = ["Explanation", "build_explanation_pdf", "plain_heading", "unwrap"]

TITLE = "Sharing your information: what we explained to you"


@dataclass(frozen=True)
class Explanation:
    """The facts around one share that its record does not hold itself."""

    family_name: str
    family_reference: str
    worker_name: str
    script: str  # "new" | "existing"
    authority_name: str
    policy_stamp: str
    reassurance: str
    recorded_on: date


def _text(values: Mapping[str, Any], name: str, fallback: str = "not recorded") -> str:
    value = values.get(name)
    return str(value).strip() if isinstance(value, str) and value.strip() else fallback


def plain_heading(values: Mapping[str, Any], about: Explanation) -> str:
    """The opening the family reads first, in plain words (one paragraph a line)."""
    shared_on = (
        long_date(values.get("shared_on")) if values.get("shared_on") else long_date(about.recorded_on)
    )
    recipient = ", ".join(p for p in (_text(values, "agency", ""), _text(values, "recipient_role", "")) if p)
    told = (
        "We told you about this before it was shared."
        if values.get("informed_in_advance") is True
        else "We did not tell you before sharing, for the reason recorded below (guidance G10)."
    )
    script = (
        "a family new to Early Help (G5)" if about.script == "new" else "a family we already work with (G6)"
    )
    return "\n".join(
        (
            f"On {shared_on} {about.worker_name} explained to you how {about.authority_name} Early Help "
            f"shares information, using the conversation for {script}. {told}",
            f"What is shared (G11): {_text(values, 'what_shared')}",
            f"Why it is needed (G12): {_text(values, 'why_needed')}",
            f"What it will be used for (G13): {_text(values, 'how_used')}",
            f"Who receives it (G14): {recipient or 'not recorded'}",
            f"Our reassurance to you (G18): {unwrap(about.reassurance)}",
        )
    )


def build_explanation_pdf(values: Mapping[str, Any], about: Explanation) -> bytes:
    meta = DocumentMeta(
        title=TITLE,
        family_name=about.family_name,
        family_reference=about.family_reference,
        author=about.worker_name,
        author_role="Family worker",
        authority_name=about.authority_name,
        subject="Explanation record of an information share",
        policy_stamp=about.policy_stamp,
        record_date=about.recorded_on,
        intro=plain_heading(values, about),
        prompt_texts={"reassurance": unwrap(about.reassurance)},
    )
    return build_record_pdf("share", values, meta)
