"""The signature pad: drawn with the mouse, taken back a stroke at a time, exported as a cropped PNG."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from ehdesk.errors import EhdeskError
from ehdesk.gui.signature_pad import SignaturePad, SignaturePadDialog

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def draw(qtbot: QtBot, pad: SignaturePad, points: list[tuple[int, int]]) -> None:
    """One stroke, as a person drags the mouse: press, move through the points, release."""
    first, *rest = [QPoint(x, y) for x, y in points]
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=first)
    for point in rest:
        qtbot.mouseMove(pad, point)
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=rest[-1] if rest else first)


@pytest.fixture
def pad(qtbot: QtBot) -> SignaturePad:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(480, 160)
    pad.show()
    qtbot.waitExposed(pad)
    return pad


def test_a_mouse_stroke_is_kept_and_the_pad_has_an_accessible_name(qtbot: QtBot, pad: SignaturePad) -> None:
    assert pad.accessibleName() == "Signature pad"
    assert pad.is_empty
    with qtbot.waitSignal(pad.changed):
        draw(qtbot, pad, [(40, 80), (80, 60), (120, 90), (160, 70)])
    assert len(pad.strokes) == 1
    assert len(pad.strokes[0]) >= 4
    assert pad.hasFocus()


def test_ctrl_z_takes_back_the_last_stroke_and_delete_clears(qtbot: QtBot, pad: SignaturePad) -> None:
    draw(qtbot, pad, [(40, 80), (80, 60)])
    draw(qtbot, pad, [(200, 80), (260, 100)])
    assert len(pad.strokes) == 2
    qtbot.keyClick(pad, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(pad.strokes) == 1
    assert pad.strokes[0][0].x() == 40  # the first stroke is the one that stays
    draw(qtbot, pad, [(300, 40), (320, 60)])
    qtbot.keyClick(pad, Qt.Key.Key_Delete)
    assert pad.is_empty
    assert not pad.undo()


def test_the_png_is_cropped_to_the_drawing_on_a_transparent_background(
    qtbot: QtBot, pad: SignaturePad
) -> None:
    draw(qtbot, pad, [(100, 50), (200, 50), (200, 90)])
    png = pad.to_png()
    assert png.startswith(PNG_MAGIC)
    image = QImage.fromData(png)
    assert not image.isNull()
    box = pad.bounds()
    assert image.width() == round(box.width() * 2)  # exported at twice the screen size
    assert image.height() == round(box.height() * 2)
    assert image.width() < pad.width() * 2  # cropped, not the whole pad
    assert image.pixelColor(0, image.height() - 1).alpha() == 0  # background left transparent
    inked = sum(
        1 for x in range(image.width()) for y in range(image.height()) if image.pixelColor(x, y).alpha() > 128
    )
    assert inked > 100


def test_an_empty_pad_cannot_be_exported_and_says_what_to_do(pad: SignaturePad) -> None:
    with pytest.raises(EhdeskError, match="draw your signature"):
        pad.to_png()


def test_the_dialog_saves_the_drawing_once_and_keeps_it_when_the_save_is_refused(qtbot: QtBot) -> None:
    saved: list[bytes] = []
    refuse = [True]

    def save(png: bytes) -> None:
        if refuse[0]:
            raise EhdeskError("you have no signing certificate yet; ask an admin to issue one")
        saved.append(png)

    dialog = SignaturePadDialog(save)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    draw(qtbot, dialog.pad, [(40, 60), (120, 80), (180, 50)])
    dialog.save()
    assert "ask an admin" in dialog.status.text()
    assert len(dialog.pad.strokes) == 1  # nothing drawn is lost
    refuse[0] = False
    with qtbot.waitSignal(dialog.accepted):
        dialog.save()
    assert len(saved) == 1
    assert saved[0].startswith(PNG_MAGIC)
