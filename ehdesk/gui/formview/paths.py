"""Problem paths (``children[0].birth_date``) split into the parts the view routes them by."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PATH = re.compile(r"^(?P<name>[A-Za-z_]\w*)(?:\[(?P<index>\d+)\](?:\.(?P<sub>[A-Za-z_]\w*))?)?$")


@dataclass(frozen=True)
class FieldPath:
    """A top-level field, optionally an item of a repeating group and a field inside that item."""

    name: str
    index: int | None = None
    sub: str | None = None

    def __str__(self) -> str:
        if self.index is None:
            return self.name
        text = f"{self.name}[{self.index}]"
        return f"{text}.{self.sub}" if self.sub else text


def parse_path(path: str) -> FieldPath | None:
    """The parts of ``path``, or None for a path the view cannot place (shown in the summary only)."""
    match = _PATH.match(path.strip())
    if match is None:
        return None
    index = match.group("index")
    return FieldPath(match.group("name"), int(index) if index is not None else None, match.group("sub"))
