"""Realistic records for tests: what an admin team keys in from a paper referral."""

from __future__ import annotations

from typing import Any


def referral(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "received_on": "2026-11-02",
        "how_received": "paper",
        "referrer_name": "Priya Shah",
        "referrer_role": "Designated safeguarding lead",
        "referrer_agency": "School",
        "referrer_phone": "0113 496 0000",
        "referrer_email": "p.shah@example.org",
        "address_line1": "12 Mill Lane",
        "address_line2": "",
        "town": "Leeds",
        "postcode": "LS6 2AB",
        "home_phone": "07400 123456",
        "children": [
            {"given_name": "Ava", "family_name": "Smith", "birth_date": "2016-04-09", "gender": "female"},
            {"given_name": "Leo", "family_name": "Smith", "birth_date": "2019-01-23", "gender": "male"},
        ],
        "carers": [
            {
                "given_name": "Zoë",
                "family_name": "Ó Briain",
                "relationship": "mother",
                "parental_responsibility": True,
                "interpreter_needed": False,
            }
        ],
        "reasons": "Ava's attendance has dropped and mum has asked for help with routines.",
        "needs": [],
        "agencies_involved": [{"agency": "GP", "contact_name": "Dr Jones"}],
        "discussed_with_parent": True,
    }
    values.update(overrides)
    return values
