"""Demo data speaks the policy pack's agency names, so a demo share to an agency the family objected to
asks the G8 question (the tester's "School nurse" objection never matched "School nursing")."""

from __future__ import annotations

from ehdesk import demo
from ehdesk.policy import default_pack


def test_every_demo_agency_is_one_the_policy_pack_lists() -> None:
    listed = set(default_pack().agencies)
    assert set(demo._AGENCIES) <= listed
    assert set(demo._DEMO_OBJECTED) <= listed
    referred = {a["agency"] for values in demo.demo_referrals(40) for a in values["agencies_involved"]}
    assert referred <= listed
