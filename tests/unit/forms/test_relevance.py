"""Which fields are shown: the one decision the validator and the form view both take from ``relevance``."""

from __future__ import annotations

from typing import Any

from ehdesk.forms.conditions import IsYes, Scope
from ehdesk.forms.model import Field, Repeat, Required, Text, YesNo
from ehdesk.forms.registry import get_form
from ehdesk.forms.relevance import holds, relevance, relevant_values

DECISION = get_form("decision")

# A field shown by a field that is itself hidden: "b" only when "a", "c" only when "b".
CHAIN: tuple[Field, ...] = (
    YesNo(name="a", label="A"),
    YesNo(name="b", label="B", show_when=IsYes("a")),
    Text(
        name="c",
        label="C",
        show_when=IsYes("b"),
        required=Required(obligation="DQ", message="Enter C", when=IsYes("b")),
    ),
)

# Inside an item, "flag" is shown only when "gate"; "detail" follows the item's own "flag".
ITEM_FIELDS: tuple[Field, ...] = (
    YesNo(name="gate", label="Gate"),
    YesNo(name="flag", label="Flag", show_when=IsYes("gate")),
    Text(name="detail", label="Detail", show_when=IsYes("flag")),
)
WITH_ITEMS: tuple[Field, ...] = (
    YesNo(name="flag", label="Flag"),
    Repeat(name="items", label="Items", fields=ITEM_FIELDS),
)


def test_a_field_shown_by_a_hidden_field_is_hidden_too() -> None:
    decided = relevance(CHAIN, {"a": False, "b": True, "c": "typed"})
    assert decided.shown == frozenset({"a"})
    assert "b" not in decided.scope


def test_a_field_shown_by_a_shown_field_stays_shown_and_required() -> None:
    decided = relevance(CHAIN, {"a": True, "b": True})
    assert decided.shown == frozenset({"a", "b", "c"})
    assert decided.is_required(CHAIN[2])


def test_a_hidden_field_is_never_required() -> None:
    decided = relevance(CHAIN, {"a": False, "b": True})
    assert not decided.is_required(CHAIN[2])


def test_decision_threshold_questions_hide_when_the_subject_is_not_a_decline() -> None:
    values = {"subject": "share", "threshold_needed": True, "threshold_with": "Duty team"}
    decided = relevance(DECISION.fields(), values)
    assert "threshold_needed" not in decided.shown
    assert "threshold_with" not in decided.shown
    assert "threshold_on" not in decided.shown
    assert not decided.is_required(DECISION.field("threshold_with"))


def test_an_items_hidden_field_does_not_fall_back_to_the_records_value() -> None:
    record = relevance(WITH_ITEMS, {"flag": True})
    item = relevance(ITEM_FIELDS, {"gate": False, "detail": "typed"}, record.scope)
    assert item.shown == frozenset({"gate"})
    assert item.scope["flag"] is None


def test_an_item_sees_the_records_values_where_it_has_none() -> None:
    record = relevance(WITH_ITEMS, {"flag": True})
    item = relevance((Text(name="detail", label="Detail", show_when=IsYes("flag")),), {}, record.scope)
    assert item.shown == frozenset({"detail"})


def test_an_item_does_not_see_a_record_field_that_is_hidden() -> None:
    record = relevance(CHAIN, {"a": False, "b": True})
    item = relevance((Text(name="detail", label="Detail", show_when=IsYes("b")),), {}, record.scope)
    assert item.shown == frozenset()


def test_a_condition_that_raises_counts_as_not_holding() -> None:
    def broken(_scope: Scope) -> bool:
        raise TypeError("odd input")

    assert not holds(broken, {})  # type: ignore[arg-type]
    assert holds(None, {})


def test_relevant_values_drop_answers_behind_a_hidden_field_inside_items_too() -> None:
    raw: dict[str, Any] = {
        "flag": True,
        "items": [
            {"gate": False, "flag": True, "detail": "typed"},
            {"gate": True, "flag": True, "detail": "kept"},
        ],
    }
    assert relevant_values(WITH_ITEMS, raw) == {
        "flag": True,
        "items": [{"gate": False}, {"gate": True, "flag": True, "detail": "kept"}],
    }
