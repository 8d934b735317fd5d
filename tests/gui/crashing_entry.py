"""A real ehdesk window, in its own process, that a test kills mid-entry (SIGKILL, no clean-up at all).

Run as ``python -m tests.gui.crashing_entry DATABASE_URL USER PASSWORD SETTINGS_DIR``: it logs in, starts a
new referral, types a child's name as key events, waits until the debounced draft saver has written it,
then kills itself the way a power cut or `kill -9` would.
"""

from __future__ import annotations

import os
import signal
import sys

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from ehdesk.gui.app import configure
from ehdesk.gui.backend import Backend
from ehdesk.gui.formview.repeat import RepeatInput
from ehdesk.gui.mainwindow import MainWindow
from ehdesk.policy import default_pack
from ehdesk.services import users
from ehdesk.storage.database import Database

NAME = "Siân"


def main(url: str, username: str, password: str, settings_dir: str) -> None:
    app = QApplication([])
    configure(app)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir)
    db = Database(url)
    with db.session() as session:
        actor = users.login(session, username, password)
    backend = Backend(db, default_pack(), actor=actor)
    window = MainWindow(backend)
    window.show()
    window.new_referral()
    children = window.referral.view.rows["children"].input
    assert isinstance(children, RepeatInput)
    box = children.items[0].rows["given_name"].input.focus_widgets()[0]
    for char in NAME:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(box, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))

    def kill_once_drafted() -> None:
        if any(d.data.get("children", [{}])[0].get("given_name") == NAME for d in backend.list_drafts()):
            os.kill(os.getpid(), signal.SIGKILL)

    poll = QTimer()
    poll.timeout.connect(kill_once_drafted)
    poll.start(100)
    QTimer.singleShot(30_000, lambda: sys.exit(3))  # never drafted: fail the test rather than hang
    app.exec()


if __name__ == "__main__":
    main(*sys.argv[1:5])
