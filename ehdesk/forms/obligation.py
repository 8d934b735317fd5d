"""The guidance IDs a rule, field or prompt may cite, as a type.

A rule cites the obligation it serves. Written as free text, a slip ("G2 " or "g9" or "G26") would be
dropped silently by the coverage report and would show the user a citation that leads nowhere. As an
enum, a mistyped ID fails mypy before it runs and ``Obligation(text)`` refuses it at runtime (the JSON
record of a rule, a policy pack). ``DQ`` marks a data-quality rule that keeps the record accurate
without serving one guidance obligation. The enum is a ``StrEnum``, so ``Obligation.G2 == "G2"`` and
every reader that prints or stores a citation keeps working with plain text.
"""

from __future__ import annotations

from enum import StrEnum


class Obligation(StrEnum):
    G1 = "G1"
    G2 = "G2"
    G3 = "G3"
    G4 = "G4"
    G5 = "G5"
    G6 = "G6"
    G7 = "G7"
    G8 = "G8"
    G9 = "G9"
    G10 = "G10"
    G11 = "G11"
    G12 = "G12"
    G13 = "G13"
    G14 = "G14"
    G15 = "G15"
    G16 = "G16"
    G17 = "G17"
    G18 = "G18"
    G19 = "G19"
    G20 = "G20"
    G21 = "G21"
    G22 = "G22"
    G23 = "G23"
    G24 = "G24"
    G25 = "G25"
    DQ = "DQ"

    @property
    def is_guidance(self) -> bool:
        """True for G1–G25; ``DQ`` cites no guidance, so users are not shown it."""
        return self is not Obligation.DQ


#: The guidance obligations only (what the coverage report must account for).
GUIDANCE: tuple[Obligation, ...] = tuple(o for o in Obligation if o.is_guidance)
