"""A pad to draw a signature on with a mouse, a pen or a finger, captured once and kept with the identity.

The drawing is optional (the typed name, role and date in the signature box are what the record rests
on), so the pad never stands between a keyboard user and signing. Strokes are kept as lists of points,
which makes undo one stroke at a time exact, and the export is a PNG of the strokes alone, cropped to
what was drawn, on a transparent background so it sits cleanly in the signed record's box.

A pen's tablet events are taken directly (and accepted, so Qt does not also synthesise mouse events
from them); a mouse or touchpad draws through the ordinary mouse events.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QImageWriter,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ehdesk.errors import EhdeskError

INK = QColor(20, 30, 60)
PEN_WIDTH = 2.5
EXPORT_SCALE = 2  # exported at twice the on-screen size, so it stays crisp when the PDF is zoomed
MARGIN = 6

Stroke = list[QPointF]


class SignaturePad(QWidget):
    """Draw with the mouse or a pen. Ctrl+Z (or Backspace) takes back the last stroke, Delete clears."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.strokes: list[Stroke] = []
        self._drawing = False
        self.setAccessibleName("Signature pad")
        self.setAccessibleDescription(
            "Draw your signature here with a mouse or pen. Optional: the signature box always shows "
            "your typed name, role and date. Ctrl+Z takes back the last stroke; Delete clears."
        )
        self.setToolTip("Draw your signature with a mouse or pen")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_TabletTracking, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 120)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(480, 160)

    # editing ------------------------------------------------------------------------------------------
    @property
    def is_empty(self) -> bool:
        return not self.strokes

    def clear(self) -> None:
        if self.strokes:
            self.strokes.clear()
            self.update()
            self.changed.emit()

    def undo(self) -> bool:
        """Take back the last stroke; False when there is none."""
        if not self.strokes:
            return False
        self.strokes.pop()
        self.update()
        self.changed.emit()
        return True

    def begin_stroke(self, point: QPointF) -> None:
        self.strokes.append([QPointF(point)])
        self._drawing = True
        self.update()

    def extend_stroke(self, point: QPointF) -> None:
        if self._drawing and self.strokes:
            self.strokes[-1].append(QPointF(point))
            self.update()

    def end_stroke(self, point: QPointF) -> None:
        if not self._drawing:
            return
        self.extend_stroke(point)
        self._drawing = False
        self.changed.emit()

    # input --------------------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self.begin_stroke(event.position())
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        self.extend_stroke(event.position())
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton:
            self.end_stroke(event.position())
        event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802 (Qt override)
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self.setFocus(Qt.FocusReason.OtherFocusReason)
            self.begin_stroke(event.position())
        elif kind == QTabletEvent.Type.TabletMove and event.pressure() > 0:
            self.extend_stroke(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self.end_stroke(event.position())
        event.accept()  # no synthesised mouse events: the pen has drawn already

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.matches(QKeySequence.StandardKey.Undo) or event.key() == Qt.Key.Key_Backspace:
            self.undo()
            event.accept()
        elif event.key() == Qt.Key.Key_Delete:
            self.clear()
            event.accept()
        else:
            super().keyPressEvent(event)

    # drawing ------------------------------------------------------------------------------------------
    def _path(self, offset: QPointF = QPointF(0, 0), scale: float = 1.0) -> QPainterPath:  # noqa: B008
        path = QPainterPath()
        for stroke in self.strokes:
            first = (stroke[0] - offset) * scale
            path.moveTo(first)
            if len(stroke) == 1:  # a dot
                path.lineTo(first + QPointF(0.1, 0.1))
            for point in stroke[1:]:
                path.lineTo((point - offset) * scale)
        return path

    @staticmethod
    def _pen(scale: float = 1.0) -> QPen:
        pen = QPen(INK, PEN_WIDTH * scale)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        baseline = self.height() - 28
        painter.setPen(QPen(self.palette().mid().color(), 1, Qt.PenStyle.DashLine))
        painter.drawLine(16, baseline, self.width() - 16, baseline)
        if self.is_empty:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(
                self.rect().adjusted(0, 0, 0, -34),
                Qt.AlignmentFlag.AlignCenter,
                "Sign here with a mouse or pen",
            )
        painter.setPen(self._pen())
        painter.drawPath(self._path())
        if self.hasFocus():
            focus = QPen(self.palette().highlight().color(), 2)
            painter.setPen(focus)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.rect().adjusted(1, 1, -2, -2))
        painter.end()

    # export -------------------------------------------------------------------------------------------
    def bounds(self) -> QRectF:
        """What was drawn, in widget coordinates, with room for the pen's width."""
        path = self._path()
        pad = PEN_WIDTH + MARGIN
        return path.boundingRect().adjusted(-pad, -pad, pad, pad)

    def to_image(self) -> QImage:
        """The strokes alone, cropped to what was drawn, on a transparent background."""
        if self.is_empty:
            raise EhdeskError("nothing is drawn yet; draw your signature on the pad first")
        box = self.bounds()
        size = QSize(max(1, round(box.width() * EXPORT_SCALE)), max(1, round(box.height() * EXPORT_SCALE)))
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self._pen(EXPORT_SCALE))
        painter.drawPath(self._path(box.topLeft(), EXPORT_SCALE))
        painter.end()
        return image

    def to_png(self) -> bytes:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        writer = QImageWriter(buffer, QByteArray(b"png"))
        if not writer.write(self.to_image()):
            raise EhdeskError(f"the drawing could not be saved as PNG ({writer.errorString()}); try again")
        buffer.close()
        return bytes(data.data())


class SignaturePadDialog(QDialog):
    """Capture the drawn signature once and keep it with the manager's signing identity.

    ``save`` is ``backend.save_drawn_signature``; a refusal is shown and the drawing stays on
    the pad, so nothing drawn is lost.
    """

    def __init__(self, save: Callable[[bytes], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Draw your signature")
        self._save = save
        self.pad = SignaturePad()
        intro = QLabel(
            "Draw your signature once; it will appear in the box of every record you sign, beside your "
            "typed name, role and date. You can skip this: the typed details are enough."
        )
        intro.setWordWrap(True)
        self.undo_button = QPushButton("&Undo stroke")
        self.undo_button.setToolTip("Take back the last stroke (Ctrl+Z)")
        self.clear_button = QPushButton("C&lear")
        self.clear_button.setToolTip("Start again (Delete)")
        self.undo_button.clicked.connect(self.pad.undo)
        self.clear_button.clicked.connect(self.pad.clear)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Signature pad status")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        tools = QHBoxLayout()
        tools.addWidget(self.undo_button)
        tools.addWidget(self.clear_button)
        tools.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.pad, 1)
        layout.addLayout(tools)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.pad.changed.connect(self._update_buttons)
        self._update_buttons()
        self.pad.setFocus()

    def _update_buttons(self) -> None:
        empty = self.pad.is_empty
        self.undo_button.setEnabled(not empty)
        self.clear_button.setEnabled(not empty)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if save is not None:
            save.setEnabled(not empty)

    def save(self) -> None:
        if self.pad.is_empty:
            self.status.setText("Draw your signature on the pad first, or Cancel to sign without one.")
            return
        try:
            self._save(self.pad.to_png())
        except EhdeskError as error:
            self.status.setText(f"Not saved: {error}")
            return
        self.accept()
