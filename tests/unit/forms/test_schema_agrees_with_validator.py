"""The JSON Schema says what the validator enforces: the same documents, checked both ways, get the
same verdict on their shape (types, required answers, list sizes, text limits, control characters,
unknown keys and the conditional parts as if/then).

Documents are drawn from what another system would send: JSON values of each field's canonical type
(ISO dates, booleans, option values, plain text) and values that are wrong for it. The validator is
also more forgiving than the schema in ways a sender should not rely on ("yes" for true, 31/12/2024
for a date); those spellings are not drawn here. Guidance checks that need more than the shape (a
postcode's format, a check digit) are the validator's alone and are not compared.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from ehdesk.forms import model
from ehdesk.forms.builtin import required_id
from ehdesk.forms.kinds import kind_of
from ehdesk.forms.model import Field, FormDefinition
from ehdesk.forms.registry import FORMS
from ehdesk.forms.rules import rule_table
from ehdesk.forms.schema import json_schema
from ehdesk.forms.validate import validate

_WORD = st.text(
    alphabet=st.characters(blacklist_categories=("Zs", "Zl", "Zp", "Cc", "Cs")), min_size=1, max_size=12
)
_BAD_TEXT = st.sampled_from(["a\x00b", "x\x1by", "\ud800", "bell\x07", "   "])
_WRONG_TYPE = st.sampled_from([3, 2.5, ["a"], {"a": 1}, True])


def _text(f: Field) -> st.SearchStrategy[Any]:
    limit = kind_of(f).max_length(f) or 200
    return st.one_of(
        st.none(),
        _WORD,
        _BAD_TEXT,
        st.just("x" * (limit + 1)),
        st.just("x" * limit),
        st.lists(_WORD, max_size=1),
    )


def _value(f: Field, depth: int) -> st.SearchStrategy[Any]:
    """Values another system might send for ``f``: right for its type, or wrong for it."""
    if isinstance(f, model.Repeat):
        items = st.one_of(_object(f.fields, depth + 1), _WRONG_TYPE) if depth < 2 else st.just({})
        return st.one_of(
            st.none(), st.lists(items, max_size=3), st.just([{}] * (f.max_items + 1)), st.just("rows")
        )
    if isinstance(f, model.DateField):
        return st.one_of(
            st.none(), st.just(""), st.dates().map(lambda d: d.isoformat()), st.just("soon"), _WRONG_TYPE
        )
    if isinstance(f, model.YesNo):
        return st.sampled_from([True, False, None, model.NOT_STATED, "maybe", 7])
    if isinstance(f, model.Checkbox):
        return st.sampled_from([True, False, None, "ticked"])
    if isinstance(f, model.MultiChoice):
        values = list(f.choices.values())
        return st.one_of(
            st.none(),
            st.lists(st.sampled_from(values), max_size=len(values)),
            st.just(values * 2),
            st.just(["nope"]),
        )
    if isinstance(f, model.Choice):
        return st.one_of(st.none(), st.sampled_from(f.choices.values()), st.just("nope"), _WRONG_TYPE)
    if isinstance(f, model.Postcode):
        return st.sampled_from([None, "M1 1AE", "LS6 2AB", "x\x00", 5])
    if isinstance(f, model.NhsNumber):
        return st.sampled_from([None, "9434765919", "123", "9\x07", "1" * 15])
    return _text(f)


def _object(fields: tuple[Field, ...], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    parts = {f.name: _value(f, depth) for f in fields if not isinstance(f, model.Prompt)}
    strays = st.fixed_dictionaries({}, optional={"post_code": st.just("M1 1AE")})
    return st.tuples(st.fixed_dictionaries({}, optional=parts), strays).map(lambda p: {**p[0], **p[1]})


def _shape_rules(form: FormDefinition) -> set[str]:
    """The rule IDs the schema speaks for: built-ins (types, sizes, lengths …) and every required rule."""
    ids = {row.rule_id for row in rule_table([form]) if row.builtin}
    ids |= {"DQ.unknown-field", "DQ.control-characters", "DQ.type-record"}

    def walk(fields: tuple[Field, ...], prefix: str) -> None:
        for f in fields:
            if f.required is not None:
                ids.add(required_id(f.required, form.id, f"{prefix}{f.name}"))
            if isinstance(f, model.Repeat):
                walk(f.fields, f"{prefix}{f.name}[].")

    walk(tuple(form.fields()), "")
    return ids


def _make(form_id: str) -> Any:
    form = FORMS[form_id]
    checker = Draft202012Validator(json_schema(form), format_checker=FormatChecker())
    shape = _shape_rules(form)

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(document=_object(tuple(form.fields())))
    def test(document: dict[str, Any]) -> None:
        schema_errors = [e.message for e in checker.iter_errors(document)]
        problems = [p for p in validate(form, document).errors if p.rule_id in shape]
        assert (schema_errors == []) == (problems == []), (schema_errors[:3], problems[:3])

    return test


for _form_id in FORMS:
    globals()[f"test_schema_and_validator_agree_on_{_form_id}"] = _make(_form_id)


def test_the_referral_schema_requires_the_g2_reason_as_if_then() -> None:
    checker = Draft202012Validator(json_schema(FORMS["referral"]), format_checker=FormatChecker())
    base = {
        "received_on": "2025-05-20",
        "how_received": "paper",
        "referrer_name": "Ann",
        "children": [{"family_name": "Ó Briain", "unborn": True, "expected_delivery": "2025-08-01"}],
        "reasons": "Worried",
        "discussed_with_parent": False,
        "immediate_safety_concern": model.NOT_STATED,
    }
    assert not checker.is_valid(base)
    assert checker.is_valid({**base, "not_discussed_reason": "Mother was in hospital"})
    assert not checker.is_valid({**base, "not_discussed_reason": "x", "post_code": "M1"})
    assert not checker.is_valid({**base, "not_discussed_reason": "x", "children": []})
