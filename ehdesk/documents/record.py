"""The record builder: walks a form definition and a record's values into a PDF.

Any form prints with it (decision, share, objection, decline ...): sections become headings, shown fields
with an answer become a label and the answer beneath it, repeating groups become numbered items, and each
answer carries the guidance IDs its field serves, so an auditor sees which obligation a line meets. What is
hidden by the form's "show when" conditions, or left blank, is not printed: a record shows what was
recorded and nothing else (G7's proportionality holds on paper too). The last page states the policy
pack's stamp (G25) and, once signed, the audit trail's hash; a box is left for the visible signature.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)

from ehdesk.documents.answers import answer_text, is_blank, long_date
from ehdesk.documents.bidi import visual
from ehdesk.documents.fonts import REGULAR
from ehdesk.documents.meta import DocumentMeta, SignatureSlot
from ehdesk.documents.styles import MUTED, PAGE, RULE, Styles, styles
from ehdesk.forms.model import Field, FormDefinition, Prompt, Repeat
from ehdesk.forms.registry import get_form
from ehdesk.forms.relevance import relevance

#: The empty signature field the builder places in the box it leaves (``ehdesk.signing`` fills it).
SIGNATURE_FIELD = "ehdesk-signature"
SIGNATURE_WIDTH = 250.0
SIGNATURE_HEIGHT = 92.0


def markup(text: str) -> str:
    """User text as paragraph markup: right-to-left runs shaped and ordered, markup escaped, lines kept."""
    return "<br/>".join(escape(visual(line)) for line in str(text).split("\n"))


def para(text: str, style: Any) -> Paragraph:
    return Paragraph(markup(text), style)


def _tags(field: Field) -> str:
    return ", ".join(field.obligations)


def _label(field: Field, st: Styles) -> Paragraph:
    label = escape(visual(field.label))
    tags = _tags(field)
    if tags:
        color = MUTED.hexval()[2:]
        label += f'  <font name="{REGULAR}" size="{st.tag.fontSize}" color="#{color}">guidance {tags}</font>'
    return Paragraph(label, st.label)


def _field_flowables(
    field: Field, value: Any, outer: Mapping[str, Any], meta: DocumentMeta, st: Styles
) -> list[Flowable]:
    if isinstance(field, Repeat):
        items = [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []
        if not items:
            return []
        out: list[Flowable] = [_label(field, st)]
        for number, item in enumerate(items, 1):
            decided = relevance(field.fields, item, outer)
            lines: list[str] = []
            for sub in field.fields:
                if isinstance(sub, Prompt) or not decided.is_shown(sub):
                    continue
                sub_value = item.get(sub.name)
                text = "not yet recorded" if is_blank(sub_value) else answer_text(sub, sub_value, meta.people)
                lines.append(f"{escape(visual(sub.label))}: <b>{markup(text)}</b>")
            heading = f"{field.item_label.capitalize()} {number}"
            out.append(Paragraph(f"{heading}<br/>" + "<br/>".join(lines), st.item))
        return out
    return [KeepTogether([_label(field, st), para(answer_text(field, value, meta.people), st.answer)])]


def form_flowables(form: FormDefinition, values: Mapping[str, Any], meta: DocumentMeta) -> list[Flowable]:
    """The sections of ``form`` with the answers in ``values`` (hidden and blank fields left out)."""
    st = styles(meta.large_print)
    out: list[Flowable] = []
    scope: Mapping[str, Any] = values
    for section in form.sections:
        decided = relevance(section.fields, values, scope)
        body: list[Flowable] = []
        for field in section.fields:
            if not decided.is_shown(field):
                continue
            if isinstance(field, Prompt):
                text = meta.prompt_texts.get(field.policy_key, "")
                if text:
                    body += [_label(field, st), para(text, st.answer)]
                continue
            value = values.get(field.name)
            if is_blank(value):
                continue
            body += _field_flowables(field, value, decided.scope, meta, st)
        if body:
            out += [CondPageBreak(st.size * 6), para(section.title, st.heading), *body]
    return out


class SignatureBox(Flowable):  # type: ignore[misc]
    """Room for the visible signature; remembers where it landed so a signature field can go there."""

    def __init__(self, width: float, height: float, hint: str, style: Any) -> None:
        super().__init__()
        self.width, self.height = width, height
        self._hint = para(hint, style)
        self.slot: SignatureSlot | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv: Canvas = self.canv
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setDash(3, 3)
        canv.rect(0, 0, self.width, self.height)
        canv.restoreState()
        _w, h = self._hint.wrap(self.width - 12, self.height)
        self._hint.drawOn(canv, 6, (self.height - h) / 2)
        x, y = canv.absolutePosition(0, 0)
        self.slot = SignatureSlot(canv.getPageNumber() - 1, x, y, x + self.width, y + self.height)


def _about(meta: DocumentMeta, form: FormDefinition | None, st: Styles) -> list[Flowable]:
    facts: list[tuple[str, str]] = []
    if meta.policy_stamp:
        facts.append(("Policy pack", f"{meta.policy_stamp} (the texts and rules in force, G25)"))
    if form is not None:
        facts.append(("Form", f"{form.title}, version {meta.form_version or form.version}"))
        if form.obligations:
            facts.append(("Guidance followed", ", ".join(form.obligations)))
    if meta.audit_hash:
        facts.append(("Audit trail reference", meta.audit_hash))
    if not facts:
        return []
    out: list[Flowable] = [para("About this record", st.heading)]
    for label, text in facts:
        out.append(Paragraph(f"<b>{label}:</b> {markup(text)}", st.small))
    return out


def closing_flowables(
    form: FormDefinition | None, meta: DocumentMeta, box: SignatureBox | None
) -> list[Flowable]:
    """The facts about a record (policy stamp, form, guidance, audit reference) and the signature box,
    kept on one page, for documents that compose several forms' answers before them."""
    st = styles(meta.large_print)
    closing = _about(meta, form, st)
    if box is not None:
        closing += [Spacer(1, st.size * 0.5), para("Signed", st.heading), box]
    return [KeepTogether(closing)] if closing else []


def signature_box(meta: DocumentMeta) -> SignatureBox:
    scale = 1.35 if meta.large_print else 1.0
    return SignatureBox(
        SIGNATURE_WIDTH * scale, SIGNATURE_HEIGHT * scale, "Not signed yet", styles(meta.large_print).small
    )


def record_flowables(
    form: FormDefinition | None,
    values: Mapping[str, Any],
    meta: DocumentMeta,
    box: SignatureBox | None = None,
) -> list[Flowable]:
    """Everything on the pages of a record, header to the signature box (when ``box`` is given)."""
    st = styles(meta.large_print)
    out: list[Flowable] = []
    if meta.authority_name:
        out.append(para(meta.authority_name, st.small))
    out.append(para(meta.title, st.title))
    who = [
        f"Family: <b>{markup(meta.family_name)}</b>" if meta.family_name else "",
        f"Reference: {markup(meta.family_reference)}" if meta.family_reference else "",
        f"Date: {long_date(meta.record_date)}" if meta.record_date else "",
    ]
    line = " &nbsp;·&nbsp; ".join(part for part in who if part)
    if line:
        out.append(Paragraph(line, st.subtitle))
    if meta.author:
        role = f", {markup(meta.author_role)}" if meta.author_role else ""
        out.append(Paragraph(f"Recorded by {markup(meta.author)}{role}", st.body))
    if meta.intro:
        out.append(para(meta.intro, st.body))
    out.append(HRFlowable(width="100%", thickness=0.6, color=RULE, spaceBefore=2, spaceAfter=2))
    if form is not None:
        out += form_flowables(form, values, meta)
    closing = _about(meta, form, st)
    if box is not None:
        closing += [Spacer(1, st.size * 0.5), para("Signed", st.heading), box]
    if closing:  # the facts about the record stay on the page that carries its signature
        out.append(KeepTogether(closing))
    return out


def footer_lines(
    parts: Sequence[str], page: str, measure: Callable[[str], float], width: float
) -> list[tuple[str, str]]:
    """The footer's lines, top to bottom, each a left text and a right one (the page number).

    One line when it fits. Otherwise the document's title goes (the page heading says it already) and the
    page number moves above; if the family, its reference and the policy stamp still do not fit on one
    line (large print, long names), the family and its reference go above and the policy stamp below,
    beside the page number: nothing that says whose record this is, or under which policy it was made,
    is dropped, and the footer never takes more than two lines (the bottom margin holds two)."""
    sep = "  ·  "
    if measure(sep.join(parts) + "    " + page) <= width:
        return [(sep.join(parts), page)]
    rest = list(parts[1:]) or list(parts)
    if len(rest) == 1 or measure(sep.join(rest)) <= width:
        return [("", page), (sep.join(rest), "")]
    return [(sep.join(rest[:-1]), ""), (rest[-1], page)]


def _footer(meta: DocumentMeta, st: Styles) -> Any:
    def draw(canv: Canvas, doc: SimpleDocTemplate) -> None:
        canv.saveState()
        canv.setFont(REGULAR, st.small.fontSize)
        canv.setFillColor(MUTED)
        parts = [visual(meta.title)]
        if meta.family_name:
            parts.append(visual(meta.family_name))
        if meta.family_reference:
            parts.append(meta.family_reference)
        if meta.policy_stamp:
            parts.append(f"policy {meta.policy_stamp}")
        page, size, width = f"Page {doc.page}", st.small.fontSize, A4[0] - doc.leftMargin - doc.rightMargin
        lead = size * 1.3
        lines = footer_lines(parts, page, lambda text: canv.stringWidth(text, REGULAR, size), width)
        for index, (left, right) in enumerate(reversed(lines)):  # the last line sits lowest
            y = 12 * mm + index * lead
            if left:
                canv.drawString(doc.leftMargin, y, left)
            if right:
                canv.drawRightString(A4[0] - doc.rightMargin, y, right)
        canv.restoreState()

    return draw


def render(flowables: Sequence[Flowable], meta: DocumentMeta) -> bytes:
    """Lay ``flowables`` out on A4 with the metadata and footer every ehdesk PDF carries."""
    st = styles(meta.large_print)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        **PAGE,
        title=meta.title,
        author=meta.author or meta.authority_name or "ehdesk",
        subject=meta.subject or meta.title,
        creator="ehdesk",
        lang=meta.language,
        initialFontName=REGULAR,
        initialFontSize=st.size,
        invariant=False,
    )
    footer = _footer(meta, st)
    doc.build(list(flowables), onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def add_signature_field(pdf: bytes, slot: SignatureSlot) -> bytes:
    """``pdf`` with an empty signature field over ``slot``, so any PDF reader shows where to sign and
    the signer fills this field rather than guessing a place."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    append_signature_field(writer, SigFieldSpec(SIGNATURE_FIELD, on_page=slot.page, box=slot.box))
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    return out.getvalue()


def build_record_pdf(form_id: str, values: Mapping[str, Any], meta: DocumentMeta) -> bytes:
    """The PDF of one record of form ``form_id``: its answers, the policy stamp, room for a signature."""
    box = signature_box(meta) if meta.signature_box else None
    pdf = render(record_flowables(get_form(form_id), values, meta, box), meta)
    return add_signature_field(pdf, box.slot) if box is not None and box.slot is not None else pdf
