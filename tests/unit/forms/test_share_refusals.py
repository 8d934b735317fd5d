"""The three refusals issue 3 must show: G10, G16 and G8."""

from __future__ import annotations

from typing import Any

from formcases import CTX, OBJECTED, SHARE_WELLBEING

from ehdesk.forms.registry import get_form
from ehdesk.forms.validate import validate

SHARE = get_form("share")


def _share(**changes: Any) -> dict[str, Any]:
    return {**SHARE_WELLBEING, **changes}


def _error_ids(record: dict[str, Any], ctx: Any = CTX) -> set[str]:
    return {p.rule_id for p in validate(SHARE, record, ctx).errors}


def test_share_neither_informed_in_advance_nor_excepted_is_refused_g10() -> None:
    result = validate(SHARE, _share(informed_in_advance=False, exceptions=[]), CTX)
    assert not result.ok
    assert any(p.rule_id == "G10.informed-or-exception" and p.obligation == "G10" for p in result.errors)
    assert "G10.informed-answer" in _error_ids(_share(informed_in_advance=None))


def test_share_told_in_advance_says_when_and_how_the_family_was_told_g10() -> None:
    result = validate(SHARE, _share(informed_on=None, informed_how=None), CTX)
    problems = {p.rule_id: p for p in result.errors}
    assert set(problems) == {"G10.informed-when", "G10.informed-how"}
    assert all(p.obligation == "G10" for p in problems.values())
    assert "Enter the date the family was told" in problems["G10.informed-when"].message
    assert "Pick how the family was told" in problems["G10.informed-how"].message
    assert "DQ.informed-not-future" in _error_ids(_share(informed_on="2025-06-02"))  # after CTX's today
    # not told in advance: when and how are not asked (the exception is)
    assert (
        _error_ids(
            _share(
                informed_in_advance=False,
                informed_on=None,
                informed_how=None,
                exceptions=["risk_of_harm"],
                exception_reason="Risk.",
            )
        )
        == set()
    )


def test_share_when_and_how_show_only_for_a_family_told_in_advance() -> None:
    fields = {f.name: f for section in SHARE.sections for f in section.fields}
    for name in ("informed_on", "informed_how"):
        shown = fields[name].show_when
        assert shown is not None
        assert shown({"informed_in_advance": True})
        assert not shown({"informed_in_advance": False})


def test_share_with_an_exception_needs_a_written_reason_g10() -> None:
    assert _error_ids(_share(informed_in_advance=False, exceptions=["risk_of_harm"])) == {
        "G10.exception-reason"
    }
    assert (
        _error_ids(_share(informed_in_advance=False, exceptions=["risk_of_harm"], exception_reason="Risk."))
        == set()
    )


def test_share_for_another_purpose_without_consent_is_refused_g16() -> None:
    result = validate(SHARE, _share(purpose="other", other_purpose="Housing application"), CTX)
    assert not result.ok
    assert {"G16.consent-who", "G16.consent-when", "G16.consent-how"} <= {p.rule_id for p in result.errors}
    consented = _share(
        purpose="other",
        other_purpose="Housing application",
        consent_given_by="Siobhán",
        consent_on="29/05/2025",
        consent_method="written",
    )
    assert _error_ids(consented) == set()


def test_share_with_an_objected_agency_without_worry_is_refused_g8() -> None:
    result = validate(SHARE, _share(agency="School", worried_about_child=False), OBJECTED)
    assert not result.ok
    assert {"G8.worried-about-child", "G8.justification"} <= {p.rule_id for p in result.errors}
    justified = _share(worried_about_child=True, objection_justification="Risk at pick-up.")
    assert _error_ids(justified, OBJECTED) == set()


def test_share_with_an_agency_not_objected_needs_no_worry_answer() -> None:
    assert _error_ids(_share(agency="GP", worried_about_child=None), OBJECTED) == set()
