"""The audit chain's hashed data and hash format: built faster (issue 18), never differently.

Events are hashed over their values as a JSON round trip gives them back. The round trip is now built
directly for the usual types; these tests hold it to the round trip's exact answer (values, types and
key order), and hold the hash to the format every stored trail was written in, so old trails verify.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum, IntEnum, StrEnum
from typing import Any

import pytest

from ehdesk.services import audit
from ehdesk.storage.models import AuditEvent

BST = timezone(timedelta(hours=1))


class _Colour(StrEnum):
    RED = "red"


class _Level(IntEnum):
    HIGH = 3


class _Plain(Enum):
    ONE = 1


def _round_trip(value: Any) -> Any:
    return json.loads(json.dumps(value, default=audit._default, sort_keys=True))


SAMPLES: list[Any] = [
    None,
    True,
    0,
    -7,
    2**70,
    1.5,
    -0.0,
    1e16,
    "Siân Ó Briain",
    "",
    [],
    {},
    (1, "two", None),
    [1, [2, [3, (4, 5)]]],
    {"b": 1, "a": {"d": [1, 2.5, None, True], "c": "x"}, "A": "upper sorts first"},
    {"when": datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC), "day": date(2019, 5, 2)},
    {
        "naive": datetime(2026, 3, 1, 9, 30),
        "offset": datetime(2026, 3, 1, tzinfo=timezone(timedelta(hours=1))),
    },
    {"pdf": b"%PDF-1.7"},
    {10: "int keys", 9: "sort as numbers, then become text"},
    {True: "bool keys", False: "no"},
    {None: "a none key"},
    {2.5: "float keys", 1.5: "sorted"},
    {"colour": _Colour.RED, "level": _Level.HIGH, "plain": _Plain.ONE},
    {"amount": Decimal("12.50"), "set": {3}},
    {"nested": [{"z": 1, "y": (date(2020, 1, 1),)}]},
]


@pytest.mark.parametrize("value", SAMPLES, ids=[f"sample{i}" for i in range(len(SAMPLES))])
def test_jsonable_gives_exactly_what_the_json_round_trip_gives(value: Any) -> None:
    expected = _round_trip(value)
    got = audit._jsonable(value)
    assert got == expected
    # the same types and key order, not only equal: compare the text each would be stored as
    assert json.dumps(got) == json.dumps(expected)
    assert type(got) is type(expected)


def test_keys_that_cannot_be_sorted_fail_as_the_round_trip_does() -> None:
    with pytest.raises(TypeError):
        _round_trip({1: "a", "b": 2})
    with pytest.raises(TypeError):
        audit._jsonable({1: "a", "b": 2})


def test_a_snapshot_of_a_snapshot_is_unchanged() -> None:
    once = audit._jsonable(SAMPLES[14])
    assert audit._jsonable(once) == once
    assert list(audit._jsonable(once)) == list(once)


def test_an_event_hashes_as_every_stored_trail_was_hashed() -> None:
    """The digest below was computed by the code that wrote the existing trails: if it changes, old
    trails no longer verify."""
    event = AuditEvent(
        seq=7,
        occurred_at=datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC),
        actor_id=3,
        actor="amy",
        action="create",
        entity="person",
        entity_id="42",
        before=None,
        after=audit._jsonable(
            {
                "given_name": "Siân",
                "family_name": "Ó Briain",
                "birth_date": date(2019, 5, 2),
                "data": {"z": 1, "a": [1, 2.5, None, True]},
                "id": 42,
            }
        ),
        prev_hash="ab" * 32,
    )
    assert audit.event_hash(event) == "30a6cd724f9720d59960b57e6575c53a1cb64de86e72e861968faa19279b3478"
