"""Where each form's values are stored: the storage reader of the form definitions.

Every cleaned value of a record is kept in its table's JSON ``data`` column, exactly as the definition
names it, so nothing typed is ever dropped. On top of that, a form declares here the few values that
are *promoted* to real columns (because they are searched, joined or enforced) and the repeating
groups whose items also become rows of a table of their own (a referral's children and carers become
the family's ``people``; its agencies become ``agencies_involved`` rows). Column types drive the
conversion: a date field's ISO text becomes a ``date``; a blank text becomes ``""``.

A test walks every definition against this map and the models, so a renamed field or column fails
there rather than in a user's save.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from sqlalchemy import Boolean, Date, Table

from ehdesk.storage.models import Base


@dataclass(frozen=True)
class RowsOf:
    """A repeating group whose items are also stored as rows of ``table``."""

    table: str
    columns: tuple[str, ...]
    fixed: Mapping[str, str] = field(default_factory=dict)  # e.g. kind = "child"


@dataclass(frozen=True)
class StorageMap:
    table: str
    columns: tuple[str, ...] = ()
    repeats: Mapping[str, RowsOf] = field(default_factory=dict)


_PERSON = ("given_name", "family_name", "birth_date")

MAPS: Mapping[str, StorageMap] = MappingProxyType(
    {
        "referral": StorageMap(
            table="referrals",
            columns=("received_on", "how_received", "discussed_with_parent"),
            repeats={
                "children": RowsOf(
                    "people", (*_PERSON, "expected_delivery", "nhs_number"), fixed={"kind": "child"}
                ),
                "carers": RowsOf("people", _PERSON, fixed={"kind": "carer"}),
                "agencies_involved": RowsOf("agencies_involved", ("agency",)),
            },
        ),
        "share": StorageMap(table="shares", columns=("agency",)),
        "objection": StorageMap(table="objections", columns=("agency",)),
        "privacy_notice": StorageMap(table="privacy_notice_events", columns=("method",)),
        "decline": StorageMap(table="declines"),
        "decision": StorageMap(table="decisions", columns=("subject",)),
    }
)


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def _column_value(tbl: Table, name: str, value: Any) -> Any:
    column = tbl.c[name]
    if isinstance(column.type, Date):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value) if isinstance(value, str) and value else None
        except ValueError:
            return None
    if isinstance(column.type, Boolean):
        return value if isinstance(value, bool) else None
    if value is None:
        return None if column.nullable else ""  # a text column that must hold something holds ""
    return str(value).strip()  # already tidied by the field's kind (``ehdesk.forms.kinds``)


def promoted(table_name: str, names: tuple[str, ...], values: Mapping[str, Any]) -> dict[str, Any]:
    """The column values for ``names`` taken from a record's cleaned ``values``."""
    tbl = table(table_name)
    return {name: _column_value(tbl, name, values.get(name)) for name in names}


def record_columns(form_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments for the form's record row: its promoted columns and the whole record as data."""
    storage = MAPS[form_id]
    return {**promoted(storage.table, storage.columns, values), "data": dict(values)}


def item_rows(form_id: str, values: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """For each repeat item that is stored as a row: (table name, keyword arguments for that row)."""
    rows: list[tuple[str, dict[str, Any]]] = []
    for repeat, rows_of in MAPS[form_id].repeats.items():
        for item in values.get(repeat) or []:
            columns = promoted(rows_of.table, rows_of.columns, item)
            rows.append((rows_of.table, {**rows_of.fixed, **columns, "data": dict(item)}))
    return rows
