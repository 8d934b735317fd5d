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

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.platypus import CondPageBreak, Flowable, HRFlowable, Paragraph

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


@functools.lru_cache(maxsize=16)
def _leaflet(text: str) -> tuple[tuple[str, str], ...]:
    """The leaflet subset of Markdown as (kind, paragraph markup) pairs: "#", "##", "-" or "" (a
    paragraph). Cached because the policy pack's texts are the same in every family's pack: shaping and
    escaping them (a third of a millisecond or more) is done once per process, not once per pack."""
    out: list[tuple[str, str]] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            out.append(("", markup(" ".join(lines))))
            lines.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith(("# ", "## ")):
            flush()
            level, title = line.split(" ", 1)
            out.append((level, markup(title)))
        elif line.startswith(("- ", "* ")):
            flush()
            out.append(("-", "• " + markup(line[2:])))
        else:
            lines.append(line)
    flush()
    return tuple(out)


def _room_for_a_heading(st: Styles) -> CondPageBreak:
    """A heading never ends a page alone: it starts a new page unless the heading and the first lines
    after it fit. (A page break on a condition rather than reportlab's keep-with-next, which measures
    each heading's group on a deep copy of the frame: a sixth of a pack's time, for the same pages.)"""
    room = CondPageBreak(st.leading * 5)
    room._SPACETRANSFER = True  # the space after the paragraph above still merges with the heading's
    return room


def _markdown(text: str, st: Styles, *, top: Any | None = None) -> list[Flowable]:
    """The leaflet subset of Markdown as flowables: headings, paragraphs, bullets."""
    styles_of = {"#": top or st.heading, "##": st.subheading, "-": st.item, "": st.body}
    out: list[Flowable] = []
    for kind, text_markup in _leaflet(text):
        if kind in ("#", "##"):
            out.append(_room_for_a_heading(st))
        out.append(Paragraph(text_markup, styles_of[kind]))
    return out


def nbsp(text: str) -> str:
    """``text`` kept on one line (a date must not break as "2 / June 2025" in large print)."""
    return text.replace(" ", "&nbsp;")


def pack_flowables(content: PackContent) -> list[Flowable]:
    st = styles(content.large_print)
    out: list[Flowable] = [
        para(content.authority_name, st.small),
        para("Early Help: how we use and share your information", st.title),
        Paragraph(
            f"For: <b>{markup(content.family_name)}</b> &nbsp;·&nbsp; Reference: "
            f"{markup(content.family_reference)} &nbsp;·&nbsp; {nbsp(long_date(content.on))}",
            st.subtitle,
        ),
        Paragraph(f"Your Early Help worker: <b>{markup(content.worker_name)}</b>", st.body),
        HRFlowable(width="100%", thickness=0.6, color=RULE, spaceBefore=2, spaceAfter=2),
        para(SCRIPT_HEADINGS[content.script], st.heading),
        *_markdown(content.script_text, st),
        _room_for_a_heading(st),
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
        _room_for_a_heading(st),  # the heading and its two lines stay on one page
        para("About this pack", st.heading),
        para(
            f"Script used: {content.script} family. Policy pack: {content.policy_stamp} "
            "(the texts in force, guidance G25). Given under guidance G3 and G4.",
            st.small,
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


def write_pack_parts(jobs: Sequence[tuple[PackContent, str]]) -> list[bytes | str]:
    """Build each pack and write it to the file named beside it: what a batch's pool process does, with
    no database open. Returns each pack's bytes (stored with the family's records, while the file takes
    its final name only once those are committed), or why that pack could not be made — one family's
    failure is its own, the others in the same task go on."""
    made: list[bytes | str] = []
    for content, partial in jobs:
        try:
            pdf = build_pack_pdf(content)
            with open(partial, "wb") as out:
                out.write(pdf)
        except Exception as exc:  # reported for this family alone (reportlab raises many kinds)
            Path(partial).unlink(missing_ok=True)
            made.append(f"its pack could not be made ({type(exc).__name__}: {exc})")
            continue
        made.append(pdf)
    return made


def pack_filename(reference: str, on: date, *, large_print: bool) -> str:
    size = "-large-print" if large_print else ""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in reference)
    return f"privacy-notice-{safe}-{on.isoformat()}{size}.pdf"
