"""The privacy-notice pack: one PDF a worker hands a family (G3–G6).

It holds, in this order: who it is for (the family's name, the worker, the date), the conversation the
worker had — the script for a new family (G5) or for an existing one (G6), saying which — the agencies
currently involved with the family, and the authority's own privacy notice, all from the policy pack
whose stamp the footer and the closing lines print (G25). The texts are the authority's; ehdesk only
lays them out. A large-print variant sets every line at 16 pt or more.

The notice and scripts are written in a small subset of Markdown (``#``/``##`` headings, blank lines
between paragraphs, ``-`` bullets), read here rather than by a Markdown library: that subset is all a
leaflet needs and keeps a pack under the time budget of the batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Paragraph

from ehdesk.documents.answers import long_date
from ehdesk.documents.meta import DocumentMeta
from ehdesk.documents.record import markup, para, render
from ehdesk.documents.styles import RULE, Styles, styles

SCRIPT_NEW = "new"
SCRIPT_EXISTING = "existing"
SCRIPTS = (SCRIPT_NEW, SCRIPT_EXISTING)

SCRIPT_HEADINGS = {
    SCRIPT_NEW: "What we talked about: working with a new family (guidance G5)",
    SCRIPT_EXISTING: "What we talked about: a change for families we already work with (guidance G6)",
}


@dataclass(frozen=True)
class PackContent:
    """Everything a pack prints; plain data, so a pack can be built in another process."""

    authority_name: str
    family_name: str
    family_reference: str
    worker_name: str
    script: str  # "new" | "existing"
    script_text: str
    notice_text: str
    agencies: tuple[str, ...]
    policy_stamp: str
    on: date
    large_print: bool = False

    def __post_init__(self) -> None:
        if self.script not in SCRIPTS:
            raise ValueError(f"script must be one of {', '.join(SCRIPTS)}, not {self.script!r}")


def _markdown(text: str, st: Styles, *, top: Any | None = None) -> list[Flowable]:
    """The leaflet subset of Markdown as flowables: headings, paragraphs, bullets."""
    out: list[Flowable] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            out.append(para(" ".join(lines), st.body))
            lines.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith(("# ", "## ")):
            flush()
            level, title = line.split(" ", 1)
            heading = para(title, (top or st.heading) if level == "#" else st.subheading)
            heading.keepWithNext = True  # a heading never ends a page alone
            out.append(heading)
        elif line.startswith(("- ", "* ")):
            flush()
            out.append(Paragraph("• " + markup(line[2:]), st.item))
        else:
            lines.append(line)
    flush()
    return out


def pack_flowables(content: PackContent) -> list[Flowable]:
    st = styles(content.large_print)
    out: list[Flowable] = [
        para(content.authority_name, st.small),
        para("Early Help: how we use and share your information", st.title),
        Paragraph(
            f"For: <b>{markup(content.family_name)}</b> &nbsp;·&nbsp; Reference: "
            f"{markup(content.family_reference)} &nbsp;·&nbsp; {long_date(content.on)}",
            st.subtitle,
        ),
        Paragraph(f"Your Early Help worker: <b>{markup(content.worker_name)}</b>", st.body),
        HRFlowable(width="100%", thickness=0.6, color=RULE, spaceBefore=2, spaceAfter=2),
        para(SCRIPT_HEADINGS[content.script], st.heading),
        *_markdown(content.script_text, st),
        para("Who is working with your family now", st.heading),
    ]
    if content.agencies:
        out += [Paragraph("• " + markup(agency), st.item) for agency in content.agencies]
    else:
        out.append(para("No other services are recorded as working with your family.", st.body))
    out.append(
        para(
            "If you would rather we did not talk to one of these services, tell your worker: we will "
            "listen to why and take it into account (guidance G8, G17).",
            st.body,
        )
    )
    out += [
        HRFlowable(width="100%", thickness=0.6, color=RULE, spaceBefore=6, spaceAfter=2),
        *_markdown(content.notice_text, st, top=st.heading),
        KeepTogether(
            [
                para("About this pack", st.heading),
                para(
                    f"Script used: {content.script} family. Policy pack: {content.policy_stamp} "
                    "(the texts in force, guidance G25). Given under guidance G3 and G4.",
                    st.small,
                ),
            ]
        ),
    ]
    return out


def pack_meta(content: PackContent) -> DocumentMeta:
    return DocumentMeta(
        title="Early Help privacy notice",
        family_name=content.family_name,
        family_reference=content.family_reference,
        author=content.worker_name,
        authority_name=content.authority_name,
        subject=f"Privacy notice and {content.script}-family conversation",
        policy_stamp=content.policy_stamp,
        record_date=content.on,
        large_print=content.large_print,
        signature_box=False,
    )


def build_pack_pdf(content: PackContent) -> bytes:
    """The pack as PDF bytes (embedded DejaVu Sans, right-to-left names shaped, metadata set)."""
    return render(pack_flowables(content), pack_meta(content))


def pack_filename(reference: str, on: date, *, large_print: bool) -> str:
    size = "-large-print" if large_print else ""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in reference)
    return f"privacy-notice-{safe}-{on.isoformat()}{size}.pdf"
