"""A problem's message cites its obligation exactly once, and data-quality checks cite none."""

from __future__ import annotations

from ehdesk.forms.model import Problem, Severity


def test_a_message_that_already_cites_its_obligation_is_left_alone() -> None:
    problem = Problem("x", "G2.reason", "G2", Severity.ERROR, "Say why — guidance G2")
    assert problem.cited_message == "Say why — guidance G2"


def test_a_message_without_its_citation_gains_one() -> None:
    problem = Problem("x", "G10.reason", "G10", Severity.ERROR, "Give the reason")
    assert problem.cited_message == "Give the reason — guidance G10"


def test_data_quality_messages_carry_no_jargon() -> None:
    problem = Problem("postcode", "DQ.postcode", "DQ", Severity.ERROR, "Enter a UK postcode")
    assert problem.cited_message == "Enter a UK postcode"
