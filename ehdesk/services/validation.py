"""The validation context a service checks records in: the policy pack's agencies and wording."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from ehdesk.clock import today
from ehdesk.forms.model import ValidationContext
from ehdesk.policy import PolicyPack, default_pack


def validation_context(
    policy: PolicyPack | None = None,
    *,
    objected_agencies: frozenset[str] = frozenset(),
    people: Mapping[str, str] | None = None,
    adults: frozenset[str] | None = None,
    on: date | None = None,
    data_items: frozenset[str] | None = None,
) -> ValidationContext:
    """Rules see the authority's agency list and speak in its own words (G25)."""
    pack = policy or default_pack()
    return ValidationContext(
        today=on or today(),
        objected_agencies=objected_agencies,
        people=dict(people or {}),
        adults=adults,
        agencies=pack.agencies,
        messages=pack.messages,
        data_items=data_items,
    )
