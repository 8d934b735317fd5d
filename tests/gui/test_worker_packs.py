"""Privacy-notice packs (G3–G6): the preview is the stored PDF itself; printing, saving or sending the
link writes the "privacy notice shared" casenote (G4) once a day; the batch runs off the GUI thread,
keeps the dialog moving and stops within a second of Cancel."""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot
from reportlab.pdfgen.canvas import Canvas

from ehdesk.gui.backend import Backend
from ehdesk.gui.batch_packs import BatchPacksRunner, Cancelled, Job, Progress
from ehdesk.gui.pack_dialog import PackDialog
from ehdesk.gui.pdf_preview import PdfPreviewDialog
from ehdesk.storage.database import Database
from tests.gui.keyboard import press, type_text
from tests.gui.workers import Team, make_team, worker_casefile

EVIDENCE = "privacy notice shared"


def _evidence(team: Team, family: int) -> list[str]:
    return [e.title for e in team.worker.casefile(family, limit=1000) if e.title == EVIDENCE]


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(150)
    return printer


def test_printing_a_pack_writes_the_casenote_once_and_a_same_day_reprint_adds_none(
    sqlite_db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    team = make_team(sqlite_db)
    family = team.held_family("Ava", "Smith")
    dialog = PackDialog(team.worker, family, "EH")
    qtbot.addWidget(dialog)
    assert dialog.pack is not None
    qtbot.waitUntil(lambda: dialog.page_count > 0)
    assert _evidence(team, family) == []  # making a pack is not sharing it

    first = tmp_path / "first.pdf"
    assert dialog.print_to(_pdf_printer(first)) is not None
    printed = PdfReader(first)
    assert len(printed.pages) == dialog.page_count
    assert _evidence(team, family) == [EVIDENCE]
    assert "privacy notice due" not in team.worker.my_families()[0].due

    assert dialog.print_to(_pdf_printer(tmp_path / "again.pdf")) is not None  # the paper jammed
    assert _evidence(team, family) == [EVIDENCE]


def _answer_print_dialog(qtbot: QtBot, owner: PackDialog | PdfPreviewDialog, target: Path) -> None:
    """Press Ctrl+P in ``owner`` and answer the print dialog that opens as a person pressing Print
    would, with a PDF printer chosen. The dialog is answered through ``done`` (its accepted/finished
    flow) rather than ``accept``, which would copy the offscreen dialog's empty form onto the printer."""
    press(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    shown = owner.pending_dialog
    assert isinstance(shown, QPrintDialog), "Ctrl+P opened no print dialog"
    qtbot.waitUntil(shown.isVisible)
    printer = shown.printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    shown.done(QDialog.DialogCode.Accepted)
    qtbot.waitUntil(lambda: owner.pending_dialog is None)


def test_print_opens_the_print_dialog_and_pressing_print_writes_the_casenote_once(
    sqlite_db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    team = make_team(sqlite_db)
    family = team.held_family("Isla", "Brown")
    dialog = PackDialog(team.worker, family, "EH")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.waitUntil(lambda: dialog.page_count > 0)

    _answer_print_dialog(qtbot, dialog, tmp_path / "printed.pdf")
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == dialog.page_count
    assert _evidence(team, family) == [EVIDENCE]

    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    _answer_print_dialog(qtbot, dialog, tmp_path / "reprinted.pdf")  # a reprint the same day
    assert (tmp_path / "reprinted.pdf").exists()
    assert _evidence(team, family) == [EVIDENCE]
    dialog.reject()


def test_the_explanation_preview_prints_through_its_print_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 720, "What we explained to the family")
    canvas.save()
    preview = PdfPreviewDialog("Explanation record", "explanation.pdf", out.getvalue())
    qtbot.addWidget(preview)
    preview.show()
    preview.activateWindow()
    qtbot.waitUntil(preview.isActiveWindow)
    qtbot.waitUntil(lambda: preview.page_count > 0)
    _answer_print_dialog(qtbot, preview, tmp_path / "explanation.pdf")
    assert len(PdfReader(tmp_path / "explanation.pdf").pages) == 1


def test_the_preview_shows_the_stored_pdf_and_saving_writes_those_exact_bytes(
    sqlite_db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    team = make_team(sqlite_db)
    family = team.held_family("Oliver", "Ahmed")
    dialog = PackDialog(team.worker, family, "EH")
    qtbot.addWidget(dialog)
    assert dialog.pack is not None
    qtbot.waitUntil(lambda: dialog.page_count > 0)
    assert dialog.page_count == len(PdfReader(io.BytesIO(dialog.pack.pdf)).pages)
    image: QImage = dialog.document.render(0, dialog.document.pagePointSize(0).toSize())
    assert not image.isNull()
    small = image.scaled(60, 80)
    inked = sum(1 for x in range(60) for y in range(80) if small.pixelColor(x, y).lightness() < 200)
    assert inked > 20, "the preview page is blank"
    target = tmp_path / "pack.pdf"
    assert dialog.save_to(target) is not None
    assert target.read_bytes() == dialog.pack.pdf
    assert _evidence(team, family) == [EVIDENCE]


def test_large_print_is_chosen_per_family_and_remembered(sqlite_db: Database, qtbot: QtBot) -> None:
    team = make_team(sqlite_db)
    family = team.held_family("Maya", "Kowalski")
    dialog = PackDialog(team.worker, family, "EH")
    qtbot.addWidget(dialog)
    standard_pages = dialog.page_count
    dialog.large_print.setChecked(True)
    assert dialog.pack is not None
    assert dialog.pack.large_print
    qtbot.waitUntil(lambda: dialog.page_count > 0)
    assert dialog.page_count >= standard_pages
    again = PackDialog(team.worker, family, "EH")
    qtbot.addWidget(again)
    assert again.large_print.isChecked()


def test_ctrl_p_in_the_casefile_opens_the_pack_and_ctrl_l_marks_the_link_sent(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    team, window, family = worker_casefile(sqlite_db, qtbot, "Harry", "Wilson")
    press(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = window.worker_views.pending_dialog
    assert isinstance(dialog, PackDialog)
    qtbot.waitUntil(lambda: dialog.isActiveWindow())
    press(qtbot, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert _evidence(team, family) == []  # nowhere to say where it went yet
    assert dialog.sent_to.hasFocus()
    type_text("sam.wilson@example.org")
    press(qtbot, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert _evidence(team, family) == [EVIDENCE]
    qtbot.waitUntil(lambda: any(e.title == EVIDENCE for e in window.worker_views.casefile.model.rows))
    dialog.reject()


def test_a_worker_cannot_make_a_pack_for_someone_elses_family(sqlite_db: Database, qtbot: QtBot) -> None:
    team = make_team(sqlite_db)
    family = team.refer("Noah", "Jones")
    team.allocate(family, team.other_worker)
    dialog = PackDialog(team.worker, family, "EH")
    qtbot.addWidget(dialog)
    assert dialog.pack is None
    assert dialog.status.text()  # says why


def _packs_in_a_row(backend: Backend, family: int, total: int, threads: list[int]) -> Job:
    """A long batch of real work: the family's pack built ``total`` times (nothing recorded)."""

    def run(progress: Progress, cancelled: Cancelled) -> str:
        for done in range(1, total + 1):
            if cancelled():
                return f"stopped at {done - 1}"
            backend.privacy_notice_pack(family)
            threads.append(threading.get_ident())
            progress(done, total)
        return "all done"

    return run


def test_the_batch_runs_off_the_gui_thread_ticks_and_cancels_within_a_second(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    team = make_team(sqlite_db)
    family = team.held_family("Ava", "Smith")
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    threads: list[int] = []
    runner = BatchPacksRunner(team.worker, parent, job=_packs_in_a_row(team.worker, family, 10_000, threads))
    runner.start()
    qtbot.waitUntil(lambda: runner.done >= 3, timeout=10_000)
    ticks = runner.updates
    qtbot.waitUntil(lambda: runner.updates >= ticks + 3, timeout=3 * 500)  # moving at least every 0.5 s
    assert threading.get_ident() not in threads  # the GUI thread did none of the work
    assert runner.dialog.value() > 0
    asked = time.monotonic()
    with qtbot.waitSignal(runner.finished, timeout=1000) as finished:
        qtbot.keyClick(runner.dialog, Qt.Key.Key_Escape)  # Esc is the progress dialog's Cancel
    assert time.monotonic() - asked < 1.0
    assert finished.args is not None
    assert str(finished.args[0]).startswith("stopped at")
    assert not runner.running


def test_the_batch_writes_a_pack_for_each_family_missing_evidence_and_none_the_second_time(
    sqlite_db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    team = make_team(sqlite_db)
    families = [team.refer(f"Child{n}", f"Family{n}") for n in range(3)]
    for family in families:
        team.allocate(family, team.worker)
    team.worker.record_pack_shared(families[0], "printed", team.worker.privacy_notice_pack(families[0]))
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = BatchPacksRunner(team.worker, parent, out_dir=tmp_path / "packs")
    with qtbot.waitSignal(runner.finished, timeout=60_000):
        runner.start()
    assert len(list((tmp_path / "packs").glob("*.pdf"))) == 2
    assert team.worker.families_missing_evidence() == []
    again = BatchPacksRunner(team.worker, parent, out_dir=tmp_path / "again")
    with qtbot.waitSignal(again.finished, timeout=60_000) as done:
        again.start()
    assert not list((tmp_path / "again").glob("*.pdf"))
    assert done.args is not None
    assert "already" in str(done.args[0])
