"""A batch of privacy-notice packs in a process of its own, for the tests that kill that process.

``python -m tests.integration.batch_child DATABASE_URL OUT_DIR USER``: logs in as USER (password
:data:`tests.conftest.PASSWORD`) and makes the packs of every family allocated to them missing one, on
two pool processes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ehdesk.desk import Desk
from ehdesk.policy import default_pack
from ehdesk.storage.database import Database
from tests.conftest import PASSWORD


def main(url: str, out_dir: str, username: str) -> None:
    desk = Desk(Database(url), default_pack())
    desk.login(username, PASSWORD)
    desk.generate_packs(
        desk.families_missing_evidence(),
        Path(out_dir),
        progress=lambda done, total: None,
        cancelled=lambda: False,
        processes=2,
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
