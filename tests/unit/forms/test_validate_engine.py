"""The validator's behaviour: cleaning, keeping what was typed, relevance, repeats, never raising."""

from __future__ import annotations

import copy
from typing import Any

from formcases import CTX, REFERRAL_DISCUSSED_NO, REFERRAL_DISCUSSED_YES, SHARE_WELLBEING

from ehdesk.forms import builtin
from ehdesk.forms.conditions import IsYes
from ehdesk.forms.model import FormDefinition, Rule, Section, Text, ValidationContext, YesNo
from ehdesk.forms.registry import FORMS, get_form
from ehdesk.forms.relevance import relevance
from ehdesk.forms.validate import validate

REFERRAL = FORMS["referral"]


def _referral(**changes: Any) -> dict[str, Any]:
    record = copy.deepcopy(REFERRAL_DISCUSSED_YES)
    record.update(changes)
    return record


def test_accented_names_survive_validation_unchanged() -> None:
    result = validate(REFERRAL, _referral(), CTX)
    assert result.values["children"][0]["given_name"] == "Zoë"
    assert result.values["children"][0]["family_name"] == "Ó Briain"
    assert result.values["carers"][0]["given_name"] == "Siobhán"


def test_whitespace_is_trimmed_from_the_ends_only() -> None:
    result = validate(REFERRAL, _referral(referrer_name="  Ann   Teacher \t"), CTX)
    assert result.values["referrer_name"] == "Ann   Teacher"


def test_uk_and_iso_dates_are_stored_as_iso_text() -> None:
    result = validate(REFERRAL, _referral(received_on="20/05/2025"), CTX)
    assert result.values["received_on"] == "2025-05-20"
    assert validate(REFERRAL, _referral(received_on="2025-05-20"), CTX).values["received_on"] == "2025-05-20"


def test_an_unreadable_date_is_kept_as_typed_with_a_type_problem() -> None:
    result = validate(REFERRAL, _referral(received_on="31/02/2025"), CTX)
    assert result.values["received_on"] == "31/02/2025"
    assert [(p.path, p.rule_id) for p in result.errors] == [("received_on", "DQ.type-date")]


def test_yes_no_words_become_booleans() -> None:
    result = validate(REFERRAL, _referral(discussed_with_parent="Yes"), CTX)
    assert result.values["discussed_with_parent"] is True
    assert result.values["children"][1]["unborn"] is True


def test_choices_accept_their_label_in_any_case() -> None:
    result = validate(REFERRAL, _referral(how_received="phone CALL"), CTX)
    assert result.values["how_received"] == "phone"


def test_hidden_fields_are_dropped_and_their_rules_skipped() -> None:
    record = _referral(not_discussed_reason="typed before the answer changed", immediate_safety_concern="x")
    result = validate(REFERRAL, record, CTX)
    assert "not_discussed_reason" not in result.values
    assert "immediate_safety_concern" not in result.values
    assert result.problems == []


def test_unborn_child_needs_an_expected_delivery_date_not_a_birth_date() -> None:
    record = _referral()
    record["children"][1].pop("expected_delivery")
    result = validate(REFERRAL, record, CTX)
    assert [(p.path, p.rule_id) for p in result.errors] == [
        ("children[1].expected_delivery", "DQ.required.referral.children.expected_delivery")
    ]
    assert "birth_date" not in result.values["children"][1]


def test_repeat_items_see_record_values_in_their_scope() -> None:
    record = _referral(received_on="2014-01-01")
    result = validate(REFERRAL, record, CTX)
    assert any(
        p.path == "children[0].birth_date" and p.rule_id == "DQ.born-before-referral" for p in result.errors
    )


def test_send_young_person_of_twenty_is_a_warning_not_an_error() -> None:
    record = _referral()
    record["children"][0]["birth_date"] = "2005-01-01"
    result = validate(REFERRAL, record, CTX)
    assert result.ok
    assert [p.rule_id for p in result.warnings] == ["DQ.child-age-send"]


def test_not_discussed_with_parent_needs_a_reason_citing_g2() -> None:
    record = copy.deepcopy(REFERRAL_DISCUSSED_NO)
    record["not_discussed_reason"] = "   "
    result = validate(REFERRAL, record, CTX)
    (problem,) = result.errors
    assert problem.line() == (
        "not_discussed_reason: G2.reason [G2] Say why the referral was not discussed with the parent "
        "or carer — guidance G2"
    )
    assert problem.why


def test_referral_never_blocks_on_a_consent_field_g1() -> None:
    names = {f.name for f in REFERRAL.fields()}
    assert not any("consent" in name for name in names)
    record = _referral(family_aware=False)
    assert validate(REFERRAL, record, CTX).ok


def test_not_a_mapping_is_a_record_type_problem() -> None:
    result = validate(REFERRAL, [1, 2], CTX)  # type: ignore[arg-type]
    assert [p.rule_id for p in result.problems] == [builtin.TYPE_RECORD.id]


def test_a_check_that_raises_becomes_a_problem() -> None:
    def explode(_value: Any, _scope: Any, _ctx: ValidationContext) -> bool:
        raise RuntimeError("bug")

    form = FormDefinition(
        id="t",
        title="t",
        version=1,
        sections=(
            Section(
                "s",
                (
                    Text(
                        name="a",
                        label="A",
                        rules=(Rule(id="DQ.x", obligation="DQ", message="m", check=explode),),
                    ),
                ),
            ),
        ),
    )
    result = validate(form, {"a": "value"})
    assert [(p.path, p.rule_id) for p in result.problems] == [("a", builtin.CHECK_FAILED.id)]
    assert result.values == {"a": "value"}


def test_an_internal_failure_keeps_the_typing_and_reports_it(monkeypatch: Any) -> None:
    from ehdesk.forms import validate as engine

    def broken(self: Any, raw: Any) -> Any:
        raise RuntimeError("bug")

    monkeypatch.setattr(engine._Run, "record", broken)
    result = validate(REFERRAL, {"referrer_name": "Ann"}, CTX)
    assert result.values == {"referrer_name": "Ann"}
    assert [p.rule_id for p in result.problems] == [builtin.INTERNAL.id]


def test_show_when_sees_earlier_hidden_fields_as_blank() -> None:
    form = FormDefinition(
        id="t",
        title="t",
        version=1,
        sections=(
            Section(
                "s",
                (
                    YesNo(name="a", label="A"),
                    YesNo(name="b", label="B", show_when=IsYes("a")),
                    Text(name="c", label="C", show_when=IsYes("b")),
                ),
            ),
        ),
    )
    result = validate(form, {"a": False, "b": True, "c": "hidden"})
    assert result.values == {"a": False}


def test_checkbox_left_untouched_is_false() -> None:
    record = dict(SHARE_WELLBEING)
    record.pop("affirm_relevant")
    result = validate(get_form("share"), record, CTX)
    assert result.values["affirm_relevant"] is False
    assert [p.rule_id for p in result.errors] == ["G15.relevant"]


def test_person_picker_accepts_only_people_of_the_family_when_known() -> None:
    form = get_form("objection")
    from formcases import OBJECTION

    ctx = ValidationContext(today=CTX.today, people={"carer-1": "Siobhán"})
    assert validate(form, OBJECTION, ctx).ok
    other = {**OBJECTION, "raised_by": "stranger"}
    assert [p.rule_id for p in validate(form, other, ctx).errors] == ["DQ.type-person"]


def test_a_field_shown_by_a_hidden_field_is_dropped_as_the_form_view_hides_it() -> None:
    """The decision-form case the review found: threshold questions typed, then the subject changed."""
    form = get_form("decision")
    record = {
        "subject": "share",
        "decision": "Share with the school",
        "rationale": "Attendance support",
        "decided_on": "2025-05-20",
        "threshold_needed": True,
        "threshold_with": "Duty team",
    }
    result = validate(form, record, CTX)
    assert "threshold_needed" not in result.values
    assert "threshold_with" not in result.values
    assert result.problems == []
    shown = relevance(form.fields(), result.values).shown
    assert set(result.values) == {f.name for f in form.input_fields() if f.name in shown}


def test_a_packs_rewording_of_one_required_field_leaves_the_others_alone() -> None:
    """Each required field has its own rule ID, so rewording one cannot change another's message."""
    own = "Enter the referrer's name, as on the referral form"
    ctx = ValidationContext(today=CTX.today, messages={"DQ.required.referral.referrer_name": own})
    result = validate(REFERRAL, {}, ctx)
    by_path = {p.path: p for p in result.errors}
    assert by_path["referrer_name"].message == own
    assert by_path["referrer_name"].rule_id == "DQ.required.referral.referrer_name"
    for path in ("received_on", "how_received", "reasons"):
        assert by_path[path].message != own
        assert by_path[path].rule_id == f"DQ.required.referral.{path}"
