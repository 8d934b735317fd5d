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
    """Agencies for the agency picker, people for the person picker, and the policy-pack lookup."""

    agencies: tuple[str, ...] = ()
    people: Mapping[str, str] = field(default_factory=dict)
    policy_text: Callable[[str], str] = _no_policy_text
