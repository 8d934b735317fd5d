"""What a rendered form may need beyond its definition: pick lists and policy texts.

Kept Qt-free and separate from the definition because it changes per family and per policy pack,
while the definition does not.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


def _no_policy_text(key: str) -> str:
    return ""


@dataclass(frozen=True)
class FormEnvironment:
    """Agencies for the agency picker, people for the person picker (``adults``: the keys of the
    parents and carers among them, for an adults-only picker; ``None`` when not known), and the
    policy-pack lookup."""

    agencies: tuple[str, ...] = ()
    people: Mapping[str, str] = field(default_factory=dict)
    adults: frozenset[str] | None = None
    policy_text: Callable[[str], str] = _no_policy_text
