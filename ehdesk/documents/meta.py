"""What a record's PDF says about itself beside the form's answers: who, which family, which policy.

The builder prints these in plain words and writes the title, author, subject and language into the PDF's
metadata. ``audit_hash`` is the audit trail's newest hash when the record was signed, printed so a copy
held by a family or an agency can later be checked against the trail.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class DocumentMeta:
    """The facts a record PDF states about itself; only ``title`` is required."""

    title: str
    family_name: str = ""
    family_reference: str = ""
    author: str = ""  # the worker or manager who made the record
    author_role: str = ""
    authority_name: str = ""
    subject: str = ""
    language: str = "en-GB"
    policy_stamp: str = ""  # PolicyPack.stamp (G25)
    form_version: int | None = None
    audit_hash: str = ""
    record_date: date | None = None
    intro: str = ""  # a plain-language opening paragraph for the family
    people: Mapping[str, str] = field(default_factory=dict)  # person key -> display name
    prompt_texts: Mapping[str, str] = field(default_factory=dict)  # policy key -> text shown
    large_print: bool = False
    signature_box: bool = True  # leave room for a visible signature at the end


@dataclass(frozen=True)
class SignatureSlot:
    """Where the builder left room for the signature: a 0-based page index and a box in PDF points."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (round(self.x1), round(self.y1), round(self.x2), round(self.y2))
