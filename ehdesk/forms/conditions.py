"""Small composable predicates for "show when" and "required when".

Conditions are data, not strings to parse: each one can be evaluated against a scope of values and
can describe itself in words (for the rule table, the JSON Schema and the "why is this needed?" text).
A scope is the values of the record, with a repeating-group item's own values taking precedence over
the record's top-level values (see :class:`Scope`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

Scope = Mapping[str, Any]
#: For JSON Schema: given a field name and what its value must match, the schema of "the field is
#: shown and its value matches" (``None`` when the field is outside the group the schema describes).
Leaf = Callable[[str, dict[str, Any]], dict[str, Any] | None]


class Condition(Protocol):
    """A predicate over a scope of form values."""

    def __call__(self, scope: Scope) -> bool: ...

    def describe(self) -> str: ...

    def fields(self) -> frozenset[str]: ...

    def schema(self, leaf: Leaf) -> dict[str, Any] | None:
        """The condition as a JSON Schema over the group's object (``None`` if it cannot be said)."""
        ...


def _is_yes(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in {"yes", "true", "y"})


def _is_no(value: Any) -> bool:
    return value is False or (isinstance(value, str) and value.strip().lower() in {"no", "false", "n"})


@dataclass(frozen=True)
class IsYes:
    field: str

    def __call__(self, scope: Scope) -> bool:
        return _is_yes(scope.get(self.field))

    def describe(self) -> str:
        return f"{self.field} is yes"

    def fields(self) -> frozenset[str]:
        return frozenset({self.field})

    def schema(self, leaf: Leaf) -> dict[str, Any] | None:
        return leaf(self.field, {"const": True})


@dataclass(frozen=True)
class IsNo:
    field: str

    def __call__(self, scope: Scope) -> bool:
        return _is_no(scope.get(self.field))

    def describe(self) -> str:
        return f"{self.field} is no"

    def fields(self) -> frozenset[str]:
        return frozenset({self.field})

    def schema(self, leaf: Leaf) -> dict[str, Any] | None:
        return leaf(self.field, {"const": False})


@dataclass(frozen=True)
class Equals:
    field: str
    value: str

    def __call__(self, scope: Scope) -> bool:
        return scope.get(self.field) == self.value

    def describe(self) -> str:
        return f"{self.field} is '{self.value}'"

    def fields(self) -> frozenset[str]:
        return frozenset({self.field})

    def schema(self, leaf: Leaf) -> dict[str, Any] | None:
        return leaf(self.field, {"const": self.value})


@dataclass(frozen=True)
class OneOf:
    field: str
    values: tuple[str, ...]

    def __call__(self, scope: Scope) -> bool:
        return scope.get(self.field) in self.values

    def describe(self) -> str:
        return f"{self.field} is one of {', '.join(self.values)}"

    def fields(self) -> frozenset[str]:
        return frozenset({self.field})

    def schema(self, leaf: Leaf) -> dict[str, Any] | None:
        return leaf(self.field, {"enum": list(self.values)})


@dataclass(frozen=True)
class Includes:
    """A multi-choice field has ``value`` among its selections."""

    field: str
    value: str

    def __call__(self, scope: Scope) -> bool:
        selected = scope.get(self.field)
        return isinstance(selected, list | tuple | set | frozenset) and self.value in selected

    def describe(self) -> str:
        return f"{self.field} includes '{self.value}'"

    def fields(self) -> frozenset[str]:
        return frozenset({self.field})

    def schema(self, leaf: Leaf) -> dict[str, Any] | None:
        return leaf(self.field, {"type": "array", "contains": {"const": self.value}})


@dataclass(frozen=True)
class IsFilled:
    field: str

    def __call__(self, scope: Scope) -> bool:
        return not is_blank(scope.get(self.field))

    def describe(self) -> str:
        return f"{self.field} is filled in"

    def fields(self) -> frozenset[str]:
        return frozenset({self.field})

    def schema(self, leaf: Leaf) -> dict[str, Any] | None:
        return leaf(self.field, {"not": _BLANK})


@dataclass(frozen=True)
class Not:
    inner: Condition

    def __call__(self, scope: Scope) -> bool:
        return not self.inner(scope)

    def describe(self) -> str:
        return f"not ({self.inner.describe()})"

    def fields(self) -> frozenset[str]:
        return self.inner.fields()

    def schema(self, leaf: Leaf) -> dict[str, Any] | None:
        inner = self.inner.schema(leaf)
        return None if inner is None else {"not": inner}


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Condition, ...]

    def __call__(self, scope: Scope) -> bool:
        return all(part(scope) for part in self.parts)

    def describe(self) -> str:
        return " and ".join(part.describe() for part in self.parts)

    def fields(self) -> frozenset[str]:
        return frozenset().union(*(part.fields() for part in self.parts))

    def schema(self, leaf: Leaf) -> dict[str, Any] | None:
        parts = [part.schema(leaf) for part in self.parts]
        return None if any(p is None for p in parts) else {"allOf": parts}


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Condition, ...]

    def __call__(self, scope: Scope) -> bool:
        return any(part(scope) for part in self.parts)

    def describe(self) -> str:
        return " or ".join(part.describe() for part in self.parts)

    def fields(self) -> frozenset[str]:
        return frozenset().union(*(part.fields() for part in self.parts))

    def schema(self, leaf: Leaf) -> dict[str, Any] | None:
        parts = [part.schema(leaf) for part in self.parts]
        return None if any(p is None for p in parts) else {"anyOf": parts}


_BLANK: dict[str, Any] = {
    "anyOf": [{"type": "null"}, {"type": "string", "pattern": "^\\s*$"}, {"type": "array", "maxItems": 0}]
}


def all_of(*parts: Condition) -> AllOf:
    return AllOf(tuple(parts))


def any_of(*parts: Condition) -> AnyOf:
    return AnyOf(tuple(parts))


def is_blank(value: Any) -> bool:
    """True for "nothing entered": None, whitespace-only text, an empty list."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set | frozenset | dict):
        return len(value) == 0
    return False


def chain(item: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, Any]:
    """The scope seen inside a repeating-group item: its own values over the record's."""
    merged = dict(root)
    merged.update(item)
    return merged
