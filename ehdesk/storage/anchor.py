"""The audit trail's anchor: the newest event this machine has seen, kept outside the database.

The hash chain proves that no single event was edited or removed, but someone who can write to the
database could recompute the whole chain after changing history, and it would check out. The anchor
closes that gap without a secret shared between a team's machines: after every commit that appended
audit events (and after every successful ``ehdesk audit verify``), ehdesk writes the newest event's
``seq`` and ``hash`` to a small file in the user's data folder (0700 folder, 0600 file). A chain
rewritten at or before that event no longer holds the anchored hash there, and a chain cut below it is
shorter than the anchor: both are reported by verify. Signed PDFs carry the newest hash too
(:func:`ehdesk.services.audit.newest_hash`), so each printed sign-off is a further anchor.

One file per database, named by a digest of where the database is (never of anything stored in it,
which the person being guarded against could change). Files are replaced atomically; two ehdesk
processes on one machine may leave the older of their two hashes, which is still a true anchor.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from ehdesk.errors import ConfigError
from ehdesk.storage.filemodes import private_dir

log = logging.getLogger(__name__)

PENDING_KEY = "ehdesk.audit.newest"
"""``session.info`` key where :func:`ehdesk.services.audit.record` leaves the newest (seq, hash)."""


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str


def database_key(url: URL) -> str:
    """Where the database lives, spelled one way: the SQLite file's full path, or server/port/name."""
    if url.get_backend_name() == "sqlite":
        return f"sqlite:{Path(url.database or '').expanduser().resolve()}"
    return f"{url.get_backend_name()}://{url.host or ''}:{url.port or ''}/{url.database or ''}"


def anchor_folder() -> Path:
    from ehdesk.config import default_data_dir  # settings are read when an anchor is, not at import

    return default_data_dir() / "audit-anchors"


def anchor_path(url: URL) -> Path:
    digest = hashlib.sha256(database_key(url).encode("utf-8")).hexdigest()[:32]
    return anchor_folder() / f"{digest}.json"


def read_anchor(url: URL) -> Anchor | None:
    """The anchor for this database on this machine, or ``None`` if this machine has none yet."""
    try:
        data = json.loads(anchor_path(url).read_text(encoding="utf-8"))
        return Anchor(seq=int(data["seq"]), hash=str(data["hash"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AnchorUnreadable(f"{anchor_path(url)}: {exc}") from exc


class AnchorUnreadable(Exception):
    """The anchor file exists but cannot be read: verify reports it (it may have been tampered with)."""


def write_anchor(url: URL, anchor: Anchor) -> None:
    """Replace the anchor atomically; a private temporary name per process and thread."""
    path = anchor_path(url)
    private_dir(path.parent.parent, tighten=False)  # the data folder: 0700 when made here
    private_dir(path.parent)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.{threading.get_ident()}.tmp")
    body = json.dumps({"database": database_key(url), "seq": anchor.seq, "hash": anchor.hash})
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(body)
    os.replace(tmp, path)


def anchor_after_commit(session: Session) -> None:
    """``after_commit`` hook: anchor the newest event this transaction appended, once it is durable.

    Written after the commit, never before: a rolled-back event must not become an anchor. A failure
    to write is logged, not raised: the records are already saved, and the next commit tries again.
    """
    newest: tuple[int, str] | None = session.info.pop(PENDING_KEY, None)
    if newest is None:
        return
    bind: Any = session.get_bind()
    try:
        write_anchor(bind.url, Anchor(*newest))
    except (OSError, ConfigError) as exc:
        log.warning("could not write the audit anchor %s: %s", anchor_path(bind.url), exc)


def forget_pending(session: Session) -> None:
    """``after_rollback`` hook: events rolled back are no anchor."""
    session.info.pop(PENDING_KEY, None)
