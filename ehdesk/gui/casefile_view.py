"""One family's casefile: who they are, then everything recorded about them on one timeline, newest first.

People, referrals, agencies involved, allocations, shares, objections, privacy-notice events, casenotes,
declines, decisions and documents arrive as one list from the desk (``casefile``), a page at a time.
Enter opens an entry: read-only, or ready to amend when the desk says its author may still change it
(``editable_by_me``: the author, and not signed). New shares and objections open the same generic form
page every casefile form uses; the share's "information shared" list offers only the items this
family's record actually holds (G7), so nothing the family never gave us can be ticked by mistake.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ehdesk.desk.worker import DataItem, TimelineCursor, TimelineEntry
from ehdesk.errors import EhdeskError
from ehdesk.forms.model import ChoiceList, FormDefinition, MultiChoice, Option
from ehdesk.forms.registry import get_form
from ehdesk.gui.backend import Backend, FamilySummary
from ehdesk.gui.dialog_size import fit_dialog
from ehdesk.gui.document_view import DocumentDialog
from ehdesk.gui.error_box import show_error
from ehdesk.gui.form_page import FormPage
from ehdesk.gui.formview import FormEnvironment, FormView
from ehdesk.gui.pdf_preview import PdfPreviewDialog
from ehdesk.gui.tables import record_table
from ehdesk.gui.timeline_model import ROW_ROLE, TimelineModel
from ehdesk.services.casefile import RecordView

DATA_ITEMS_FIELD = "data_items"
SHARE_KIND = "share"
DOCUMENT_KIND = "document"
REFERRAL_KIND = "referral"
#: Records a decline from anywhere a casefile is shown (the Casefile menu's action carries it too).
DECLINE_SHORTCUT = "Ctrl+Shift+D"


def with_family_items(
    form: FormDefinition, items: Sequence[DataItem], keep: Sequence[str] = ()
) -> FormDefinition:
    """The share form with its "information shared" list cut down to what this family's record holds
    (G7), each item showing what it holds; ``keep`` are items an existing record already names."""
    options = [Option(i.key, f"{i.label} — {i.value}" if i.value else i.label) for i in items]
    known = {o.value for o in options}
    for key in keep:
        if key not in known:
            options.append(Option(key, f"{key} (no longer on the family's record)"))

    def cut(field: Any) -> Any:
        if isinstance(field, MultiChoice) and field.name == DATA_ITEMS_FIELD:
            return replace(field, choices=ChoiceList(field.choices.name, tuple(options)))
        return field

    sections = tuple(replace(s, fields=tuple(cut(f) for f in s.fields)) for s in form.sections)
    return replace(form, sections=sections)


class CasefileRecordPage(FormPage):
    """Any casefile form for one family: a new record, or an amendment of one the user may change."""

    def __init__(
        self,
        backend: Backend,
        form: FormDefinition,
        env: FormEnvironment,
        family_id: int,
        *,
        record: RecordView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self.family_id = family_id
        self.record = record
        self.amending = record is not None
        form_id = form.id
        super().__init__(
            backend,
            form,
            env,
            check=lambda values: backend.check_record(form_id, family_id, values),
            store=self._store_record,
            draft_key=f"{family_id}-{record.id}" if record is not None else None,
            parent=parent,
        )

    def _store_record(self, values: dict[str, Any], confirmed: bool) -> RecordView:
        form_id = self.form.id
        if self.record is None:
            return self.backend.create_record(form_id, self.family_id, values, confirmed_warnings=confirmed)
        stored = self.backend.amend_record(
            form_id, self.record.id, values, version=self.record.version, confirmed_warnings=confirmed
        )
        self.record = stored
        return stored

    def describe(self, stored: Any) -> str:
        verb = "Amended" if self.amending else "Saved"
        return f"{verb}: {self.form.title}"  # as titled: "Saved: Family declined Early Help"


class RecordDialog(QDialog):
    """A casefile record in its own window: Ctrl+S saves (then closes); Escape closes, the draft kept."""

    def __init__(self, page: CasefileRecordPage, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = page
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        layout.addWidget(page, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(page.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.save_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        self.save_shortcut.activated.connect(page.save)
        page.saved.connect(lambda _stored: self.accept())
        fit_dialog(self, f"record/{page.form.id}", QSize(760, 680))  # the widest row shows whole


class EntryDialog(QDialog):
    """An entry shown read-only: a form's record in its form (greyed), anything else as text."""

    def __init__(
        self,
        entry: TimelineEntry,
        *,
        form: FormDefinition | None = None,
        record: RecordView | None = None,
        env: FormEnvironment | None = None,
        values: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.entry = entry
        self.setWindowTitle(entry.title)
        layout = QVBoxLayout(self)
        state = (
            "Signed and locked: changes are made as an addendum by a manager."
            if entry.locked
            else ("Read-only: only its author can change it.")
        )
        by = f"recorded by {html.escape(entry.author)}" if entry.author else "who recorded it is not known"
        heading = QLabel(
            f"<b>{html.escape(entry.title)}</b> · {by} · "
            f"{entry.when.strftime('%d/%m/%Y %H:%M')}<br><i>{state}</i>"
        )
        heading.setWordWrap(True)
        heading.setAccessibleName("About this entry")
        layout.addWidget(heading)
        self.heading = heading
        self.view: FormView | None = None
        shown = record.values if record is not None else values
        if form is not None and shown is not None:
            self.view = FormView(form, env)
            self.view.set_values(shown)
            content = self.view.scroll_area.widget()
            if content is not None:
                content.setEnabled(False)
            self.view.setAccessibleName(f"{entry.title} (read-only)")
            layout.addWidget(self.view, 1)
        else:
            body = QLabel(html.escape(entry.summary).replace("\n", "<br>"))
            body.setWordWrap(True)
            body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
            body.setAccessibleName(entry.title)
            layout.addWidget(body, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if form is not None:
            fit_dialog(self, f"entry/{form.id}", QSize(720, 600))
        else:
            self.resize(720, 260)


def header_html(family: FamilySummary) -> str:
    people = ", ".join(html.escape(p.name) for p in family.people) or "no one recorded"
    held = f"Allocated to {html.escape(family.worker_name)}" if family.worker_name else "Not allocated yet"
    return (
        f"<h2>{html.escape(family.reference)} · {html.escape(family.display_name)}</h2>"
        f"<p>{html.escape(family.address)} · {html.escape(family.status)} · {held}<br>People: {people}</p>"
    )


class CasefilePage(QWidget):
    """The open family's casefile. ``changed`` fires after anything is saved from it (the caseload's
    "due" column follows); ``message`` feeds the status bar."""

    changed = Signal()
    message = Signal(str)
    pack_requested = Signal(int)
    allocate_requested = Signal(int)

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.family: FamilySummary | None = None
        self.pending_dialog: QDialog | None = None
        self.header = QLabel("<h2>Casefile</h2><p>Open a family from My families or the family list.</p>")
        self.header.setWordWrap(True)
        self.header.setAccessibleName("The family whose casefile this is")
        self.model = TimelineModel(self._fetch, self._cursor_of)
        self.table = record_table(
            self.model,
            "Casefile timeline, newest first",
            description="Enter opens the entry",
            widths=(130, 210, 420, 150),
        )
        self.table.setWordWrap(False)
        self.table.activated.connect(self._activate)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.share_button = self._button("New &share…", "Record an information share (Ctrl+Shift+I)")
        self.share_button.clicked.connect(self.new_share)
        self.objection_button = self._button("New &objection…", "Record the family's objection to an agency")
        self.objection_button.clicked.connect(self.new_objection)
        self.decline_button = self._button(
            "New &decline…", f"Record that the family declined Early Help (G20, {DECLINE_SHORTCUT})"
        )
        self.decline_button.clicked.connect(self.new_decline)
        self.pack_button = self._button(
            "Privacy-notice &pack…", "Print, save or send the privacy notice (Ctrl+P)"
        )
        self.pack_button.clicked.connect(self._request_pack)
        self.allocate_button = self._button("A&llocate…", "Allocate this family to a worker")
        self.allocate_button.clicked.connect(self._request_allocation)
        self.explanation_button = self._button(
            "E&xplanation record…",
            "The selected share's explanation record for the family: preview, print or save as PDF",
        )
        self.explanation_button.clicked.connect(self.explanation_for_current)
        buttons = QHBoxLayout()
        for button in (
            self.share_button,
            self.objection_button,
            self.decline_button,
            self.pack_button,
            self.explanation_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.allocate_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self._set_enabled(False)

    def _button(self, text: str, accessible: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(accessible)
        button.setToolTip(accessible)
        return button

    def _set_enabled(self, enabled: bool) -> None:
        for button in (
            self.share_button,
            self.objection_button,
            self.decline_button,
            self.pack_button,
            self.allocate_button,
        ):
            button.setEnabled(enabled)
        self._current_changed()

    def _current_changed(self) -> None:
        """The explanation record belongs to a share: the button follows the selected entry."""
        entry = self.current_entry() if self.family is not None else None
        self.explanation_button.setEnabled(entry is not None and entry.kind == SHARE_KIND)

    # loading ------------------------------------------------------------------------------------------
    @property
    def family_id(self) -> int | None:
        return self.family.id if self.family is not None else None

    def open_family(self, family_id: int) -> bool:
        """Show ``family_id``'s casefile (opening it is logged, as any family opened is)."""
        try:
            self.family = self.backend.family_summary(family_id)
        except EhdeskError as error:
            self.message.emit(str(error))
            return False
        self.header.setText(header_html(self.family))
        self._set_enabled(True)
        self.refresh()
        return True

    def refresh(self) -> None:
        if self.family is None:
            return
        self.model.reload()
        if self.model.rowCount():
            self.table.selectRow(0)

    def _fetch(self, limit: int, before: TimelineCursor | None) -> list[TimelineEntry]:
        if self.family is None:
            return []
        try:
            return self.backend.casefile(self.family.id, limit=limit, before=before)
        except EhdeskError as error:
            self.message.emit(str(error))
            return []

    @staticmethod
    def _cursor_of(entry: TimelineEntry) -> TimelineCursor:
        return entry.cursor

    def focus_timeline(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # entries ------------------------------------------------------------------------------------------
    def env(self) -> FormEnvironment:
        family = self.family.id if self.family is not None else None
        return FormEnvironment(
            agencies=self.backend.agencies,
            people=self.backend.family_people(family) if family is not None else {},
            adults=self.backend.family_adults(family) if family is not None else None,
            policy_text=self.backend.policy_text,
        )

    def current_entry(self) -> TimelineEntry | None:
        row = self.model.data(self.table.currentIndex(), ROW_ROLE)
        return row if isinstance(row, TimelineEntry) else None

    def open_current(self) -> None:
        self._activate(self.table.currentIndex())

    def _activate(self, index: QModelIndex) -> None:
        entry = self.model.data(index, ROW_ROLE) if index.isValid() else None
        if isinstance(entry, TimelineEntry):
            self.open_entry(entry)

    def open_entry(self, entry: TimelineEntry) -> QDialog | None:
        """Read-only, or the form to amend it when its author may still change it."""
        if self.family is None:
            return None
        if entry.kind == DOCUMENT_KIND:
            return self.open_document(entry.record_id, entry.title, entry.summary)
        if entry.kind == REFERRAL_KIND:
            return self.open_referral(entry)
        form = record = None
        if entry.form_id is not None:
            try:
                spec = self.backend.spec(entry.form_id)
                record = self.backend.get_record(entry.form_id, entry.record_id)
            except EhdeskError as error:
                self._error("Cannot open this entry", error)
                return None
            form = spec.definition
            if entry.form_id == "share":
                form = with_family_items(form, self._data_items(), record.values.get(DATA_ITEMS_FIELD) or ())
            if entry.editable_by_me and not entry.locked:
                page = CasefileRecordPage(self.backend, form, self.env(), self.family.id, record=record)
                page.view.set_values(record.values)
                page.view.mark_clean()
                return self._open_record_dialog(page, f"Amend: {entry.title}")
        dialog: QDialog = EntryDialog(entry, form=form, record=record, env=self.env(), parent=self)
        self._open(dialog)
        return dialog

    def open_document(self, document_id: int, title: str, filename: str = "") -> DocumentDialog | None:
        """A stored document (a signed decision record …): its own bytes previewed, the signature's
        verdict, Print and Save as PDF writing exactly those bytes."""
        try:
            dialog = DocumentDialog(
                self.backend, document_id, title, filename or f"document-{document_id}.pdf", self
            )
        except EhdeskError as error:
            self._error("Cannot open this document", error)
            return None
        dialog.message.connect(self.message)
        self._open(dialog)
        return dialog

    def open_referral(self, entry: TimelineEntry) -> QDialog | None:
        """The referral as it was keyed, in the referral form, read-only (who keyed it in the heading)."""
        try:
            values = self.backend.referral_values(entry.record_id)
        except EhdeskError as error:
            self._error("Cannot open this referral", error)
            return None
        dialog = EntryDialog(entry, form=get_form(REFERRAL_KIND), env=self.env(), values=values, parent=self)
        self._open(dialog)
        return dialog

    def _data_items(self) -> list[DataItem]:
        if self.family is None:
            return []
        try:
            return self.backend.family_data_items(self.family.id)
        except EhdeskError as error:
            self.message.emit(str(error))
            return []

    def new_share(self) -> QDialog | None:
        """The sharing record (G7, G10–G16, G18), offering only the family's own data items."""
        if self.family is None:
            return None
        form = with_family_items(self.backend.spec("share").definition, self._data_items())
        page = CasefileRecordPage(self.backend, form, self.env(), self.family.id)
        page.start_new()
        return self._open_record_dialog(page, f"New information share · {self.family.reference}")

    def new_objection(self) -> QDialog | None:
        """The family's objection to an agency (G8, G17, G18); it goes to the manager's queue."""
        if self.family is None:
            return None
        page = CasefileRecordPage(
            self.backend, self.backend.spec("objection").definition, self.env(), self.family.id
        )
        page.start_new()
        return self._open_record_dialog(page, f"New objection · {self.family.reference}")

    def new_decline(self) -> QDialog | None:
        """The family declined Early Help (G20): when and how, their reasons, and when it was talked
        through with the line manager; it goes to the manager's queue for a decision."""
        if self.family is None:
            return None
        page = CasefileRecordPage(
            self.backend, self.backend.spec("decline").definition, self.env(), self.family.id
        )
        page.start_new()
        return self._open_record_dialog(page, f"New decline · {self.family.reference}")

    def _open_record_dialog(self, page: CasefileRecordPage, title: str) -> RecordDialog:
        dialog = RecordDialog(page, title, self)
        page.message.connect(self.message)
        page.saved.connect(lambda _stored: self._saved())
        self._open(dialog)
        page.view.focus_first()
        return dialog

    def explanation_for_current(self) -> PdfPreviewDialog | None:
        entry = self.current_entry()
        if entry is None or entry.kind != SHARE_KIND:
            self.message.emit("Select a share on the timeline to see its explanation record")
            return None
        return self.open_explanation(entry.record_id)

    def open_explanation(self, share_id: int) -> PdfPreviewDialog | None:
        """The share's explanation record for the family (G11–G14, G18), previewed as it prints."""
        try:
            pdf = self.backend.share_explanation_pdf(share_id)
        except EhdeskError as error:
            self._error("No explanation record made", error)
            return None
        reference = self.family.reference if self.family is not None else ""
        dialog = PdfPreviewDialog(
            f"Explanation record · {reference}",
            f"explanation-record-{reference}-share-{share_id}.pdf",
            pdf,
            "What was shared, with whom and why, in words for the family. Give them a copy.",
            self,
        )
        dialog.message.connect(self.message)
        self._open(dialog)
        return dialog

    def _saved(self) -> None:
        self.refresh()
        self.changed.emit()

    def _request_pack(self) -> None:
        if self.family is not None:
            self.pack_requested.emit(self.family.id)

    def _request_allocation(self) -> None:
        if self.family is not None:
            self.allocate_requested.emit(self.family.id)

    def _open(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.pending_dialog = dialog
        dialog.finished.connect(lambda _code: self._closed(dialog))
        dialog.open()
        dialog.activateWindow()  # the keyboard goes to the new window at once

    def _closed(self, dialog: QDialog) -> None:
        if self.pending_dialog is dialog:
            self.pending_dialog = None

    def _error(self, title: str, error: EhdeskError) -> None:
        self.message.emit(str(error))
        show_error(self, title, str(error))
