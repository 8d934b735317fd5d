"""Is this child already on record? The duplicate check run before a referral is saved.

A second record for a family already known splits its history, and admins key names from paper as
written: accents left off, middle names dropped, a double-barrelled surname spelt with a space, given
and family names the wrong way round, a nickname. So the check does two things:

* **Find candidates cheaply.** Separate look-ups, each served by one index (birth date, expected
  delivery, postcode key, NHS number, folded name key, also-known-as key), combined in Python. An OR
  across people and families would force both databases to scan every row; these stay a few
  milliseconds at 100,000 families (``benchmarks/bench_duplicates.py``).
* **Weigh the evidence.** Each candidate is compared with the typed child on folded names
  (``ehdesk.text.fold``) and on every detail both records hold. Agreement adds points, disagreement
  takes them away, and a missing detail counts for nothing (``score_pair``). A given name that does not
  match weighs heavily: twins share everything else. The weights and the threshold were tuned on the
  labelled pairs of the benchmark, which reports the precision and recall they give.

Only people who key referrals may run it (it lists other families' children: G7, G15); an NHS number
already held by another family's child is also a warning on save (``nhs_numbers_held_elsewhere``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import JaroWinkler
from sqlalchemy import CompoundSelect, Select, and_, bindparam, select, union_all
from sqlalchemy.orm import Session

from ehdesk.domain import PersonKind
from ehdesk.forms.cleaning import parse_date
from ehdesk.forms.model import Problem, Severity, cite
from ehdesk.services.actor import Actor
from ehdesk.services.nicknames import same_given_name
from ehdesk.services.permissions import Permission, require
from ehdesk.storage.lookup_keys import aka_key, name_key, postcode_key
from ehdesk.storage.models import Family, Person
from ehdesk.text import fold, nhs_digits

#: Points at or above which a candidate is shown as a likely duplicate (see ``score_pair``).
THRESHOLD = 7.0
#: An unborn baby's due date moves; a baby born since may be on record by either date.
DUE_DATE_SLACK = timedelta(days=42)
CANDIDATES_PER_LOOKUP = 200  # a look-up never returns more rows than this (a very common birth date)

CHILD = PersonKind.CHILD.value
CARER = PersonKind.CARER.value


@dataclass(frozen=True)
class PersonFacts:
    """What the matcher compares about one child: folded names and the details that identify them."""

    given: tuple[str, ...] = ()  # folded words of the given name(s)
    family: tuple[str, ...] = ()  # folded words of the family name
    aka: tuple[str, ...] = ()  # folded words of an "also known as" name
    birth_date: date | None = None
    expected_delivery: date | None = None
    nhs: str = ""
    postcode: str = ""  # postcode_key: no spaces, upper case
    carers: tuple[str, ...] = ()  # each carer's name_key

    @classmethod
    def of(
        cls,
        given_name: str,
        family_name: str,
        *,
        also_known_as: str = "",
        birth_date: date | None = None,
        expected_delivery: date | None = None,
        nhs_number: str = "",
        postcode: str = "",
        carers: Iterable[tuple[str, str]] = (),
    ) -> PersonFacts:
        return cls(
            given=tuple(fold(given_name).split()),
            family=tuple(fold(family_name).split()),
            aka=tuple(fold(also_known_as).split()),
            birth_date=birth_date,
            expected_delivery=expected_delivery,
            nhs=nhs_digits(nhs_number) if nhs_number else "",
            postcode=postcode_key(postcode),
            carers=tuple(k for k in (name_key(g, f) for g, f in carers) if k),
        )

    @property
    def lookup_keys(self) -> set[str]:
        """The name keys under which this child might be stored: its name as typed and read the other
        way round (family name in the given-name box), and its also-known-as."""
        given, family = " ".join(self.given), " ".join(self.family)
        keys = {name_key(given, family), name_key(family, given)}
        if self.aka:
            keys.add(aka_key(" ".join(self.aka), " ".join(self.family)))
        return {k for k in keys if k}


@dataclass(frozen=True)
class Match:
    """The evidence for one pair: total points and the reasons a user reads."""

    points: float
    reasons: tuple[str, ...]
    name_similarity: float  # 0-100, the better orientation of the names

    @property
    def likely(self) -> bool:
        return self.points >= THRESHOLD or "same NHS number" in self.reasons


def _similar(a: str, b: str) -> float:
    """0-1 similarity of two folded words; Jaro-Winkler suits short names and typos near the end."""
    if not a or not b:
        return 0.0
    return 1.0 if a == b else JaroWinkler.similarity(a, b)


def _given_points(new: Sequence[str], old: Sequence[str], new_aka: Sequence[str] = ()) -> tuple[float, str]:
    """Points for the given names: the first names, or a name one side has among its others (a dropped
    or swapped middle name, an also-known-as), or a known nickname."""
    if not new or not old:
        return 0.0, ""  # an unborn baby often has none: no evidence either way
    first_new, first_old = new[0], old[0]
    if first_new == first_old:
        return 4.0, "similar given name"  # equal once accents and case are folded away
    if first_new in old or first_old in new or (new_aka and new_aka[0] == first_old):
        return 3.0, "given name among the other's names"
    if same_given_name(first_new, first_old):
        return 3.0, f"{first_new} / {first_old}: same name or a short form"
    similarity = _similar(first_new, first_old)
    if similarity >= 0.9:
        return 2.0, "given name spelt differently"
    if similarity >= 0.84:
        return 0.5, "given name spelt differently"
    if similarity >= 0.75:
        return -4.0, "given name spelt differently"  # a slip in a short name, or a twin's similar name
    return -12.0, ""


def _family_points(new: Sequence[str], old: Sequence[str]) -> tuple[float, str]:
    """Points for the family names, compared without spaces ("Smith Jones" = "Smith-Jones")."""
    if not new or not old:
        return 0.0, ""
    a, b = "".join(new), "".join(old)
    if a == b:
        return 3.0, "similar family name"  # equal once folded (see "similar given name")
    similarity = _similar(a, b)
    if similarity >= 0.93:
        return 2.0, "family name spelt differently"
    if set(new) & set(old):
        return 1.5, "one part of a double family name"
    if similarity >= 0.85:
        return 1.0, "family name spelt differently"
    return -3.0, ""  # names change (a new partner's name), so this is not decisive


def _name_points(new: PersonFacts, old: PersonFacts) -> tuple[float, list[str], float]:
    """Names compared as typed and with given/family swapped; the better reading counts."""
    readings = []
    for swapped in (False, True):
        given, family = (new.family, new.given) if swapped else (new.given, new.family)
        g, g_why = _given_points(given, old.given, new.aka)
        if old.aka and g < 3.0:  # the record's also-known-as name against what was typed
            a, _ = _given_points(given, old.aka)
            if a > g:
                g, g_why = a, "also known as"
        f, f_why = _family_points(family, old.family)
        reasons = [r for r in (g_why, f_why) if r]
        if swapped:
            reasons.append("given and family names swapped")
        readings.append((g + f - (0.5 if swapped else 0.0), reasons))
    points, reasons = max(readings, key=lambda r: r[0])
    whole = _similar(" ".join(new.given[:1] + new.family), " ".join(old.given[:1] + old.family))
    swapped_whole = _similar(" ".join(new.family + new.given[:1]), " ".join(old.given[:1] + old.family))
    return points, reasons, 100.0 * max(whole, swapped_whole)


def _near_date(a: date, b: date) -> bool:
    """One slip of the pen: day and month swapped, a day out, or one digit different."""
    if ((a.day, a.month) == (b.month, b.day) and a.year == b.year) or abs(a - b) <= timedelta(days=1):
        return True
    differing = sum(x != y for x, y in zip(a.isoformat(), b.isoformat(), strict=True))
    return differing == 1


def _date_points(new: PersonFacts, old: PersonFacts) -> tuple[float, str]:
    if new.birth_date and old.birth_date:
        if new.birth_date == old.birth_date:
            return 6.0, "same birth date"
        if _near_date(new.birth_date, old.birth_date):
            return 1.0, "birth date one digit apart"
        return -8.0, ""
    if new.expected_delivery and old.expected_delivery:
        gap = abs(new.expected_delivery - old.expected_delivery)
        if gap == timedelta(0):
            return 5.0, "same expected delivery date"
        return (3.0, "expected delivery dates close") if gap <= DUE_DATE_SLACK else (-3.0, "")
    born, due = new.birth_date or old.birth_date, new.expected_delivery or old.expected_delivery
    if born and due:
        return (3.0, "born near the expected date") if abs(born - due) <= DUE_DATE_SLACK else (-3.0, "")
    return 0.0, ""  # a date missing on one side is no evidence


def score_pair(new: PersonFacts, old: PersonFacts) -> Match:
    """Weigh how likely ``old`` (on record) is the child ``new`` (being keyed in).

    Points: given name +4 same, +3 short form or other name, down to -12 different; family name +3 to
    -3; birth date +6 same, -8 different (+1 one digit apart); expected delivery +5/+3/-3; NHS number
    +12 same, -10 different; postcode +3 same, +1 same area; a carer on both records +2 (-1 if both
    list carers and none match). A missing detail adds nothing.
    """
    points, reasons, similarity = _name_points(new, old)
    date_points, date_why = _date_points(new, old)
    points += date_points
    reasons.append(date_why)
    if new.nhs and old.nhs:
        if new.nhs == old.nhs:
            points += 12.0
            reasons.append("same NHS number")
        else:
            points -= 10.0
    if new.postcode and old.postcode:
        if new.postcode == old.postcode:
            points += 3.0
            reasons.append("same postcode")
        elif new.postcode[:-3] == old.postcode[:-3]:
            points += 1.0
            reasons.append("same postcode area")
    if new.carers and old.carers:
        if set(new.carers) & set(old.carers):
            points += 2.0
            reasons.append("same parent or carer")
        else:
            points -= 1.0
    return Match(points, tuple(r for r in reasons if r), similarity)


# ------------------------------------------------------------------------------------------------------
# the look-ups


@dataclass(frozen=True)
class DuplicateCandidate:
    family_id: int
    family_reference: str
    person_name: str
    birth_date: date | None
    postcode: str
    score: float  # points of evidence (THRESHOLD or more is a likely duplicate); best first
    reasons: tuple[str, ...]
    person_id: int = 0
    typed_name: str = ""  # which child of the referral it resembles


@dataclass
class _Typed:
    """One child of the referral being keyed, with the look-up values derived from it."""

    index: int
    name: str
    facts: PersonFacts
    rows: set[int] = field(default_factory=set)


_CANDIDATE_COLUMNS = (
    Person.id,
    Person.family_id,
    Person.given_name,
    Person.family_name,
    Person.birth_date,
    Person.expected_delivery,
    Person.nhs_number,
    Person.aka_key,
    Family.reference,
    Family.postcode,
    Family.postcode_key,
)
_CARER_POINTS = 2.0  # the most that carers can add (see score_pair)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    return parse_date(value.strip()) if isinstance(value, str) and value.strip() else None


def typed_children(values: Mapping[str, Any]) -> list[tuple[str, PersonFacts]]:
    """The referral's children as the matcher sees them (typed values or stored ISO values)."""
    carers = [
        (_text(c.get("given_name")), _text(c.get("family_name")))
        for c in values.get("carers") or []
        if isinstance(c, Mapping)
    ]
    postcode = _text(values.get("postcode"))
    children = []
    for item in values.get("children") or []:
        if not isinstance(item, Mapping):
            continue
        given, family = _text(item.get("given_name")), _text(item.get("family_name"))
        facts = PersonFacts.of(
            given,
            family,
            also_known_as=_text(item.get("also_known_as")),
            birth_date=_date(item.get("birth_date")),
            expected_delivery=_date(item.get("expected_delivery")),
            nhs_number=_text(item.get("nhs_number")),
            postcode=postcode,
            carers=carers,
        )
        if facts.given or facts.family or facts.nhs:
            children.append((f"{given} {family}".strip(), facts))
    return children


_FILTERS: dict[str, Any] = {
    "birth date": lambda: Person.birth_date.in_(bindparam("days", expanding=True)),
    "postcode": lambda: Family.postcode_key == bindparam("postcode"),
    # the blank-excluding terms match the partial indexes' conditions (ehdesk.storage.models.Person)
    "NHS number": lambda: and_(
        Person.nhs_number != "", Person.nhs_number.in_(bindparam("numbers", expanding=True))
    ),
    "name": lambda: Person.name_key.in_(bindparam("name_keys", expanding=True)),
    "also known as": lambda: and_(
        Person.aka_key != "", Person.aka_key.in_(bindparam("aka_keys", expanding=True))
    ),
}


@lru_cache(maxsize=64)
def lookup(label: str) -> Select[*tuple[Any, ...]]:
    """The look-up called ``label``: children found through one index on people (or on families for
    the postcode), each with its family row fetched by primary key. Built once per label with bound
    parameters, so SQLAlchemy reuses its compiled form with no per-call work."""
    if label.startswith("expected delivery "):
        n = label.rsplit(" ", 1)[1]
        where = Person.expected_delivery.between(bindparam(f"due_first_{n}"), bindparam(f"due_last_{n}"))
    else:
        where = _FILTERS[label]()
    stmt = select(*_CANDIDATE_COLUMNS).join(Family, Family.id == Person.family_id)
    return stmt.where(Person.kind == CHILD, where).limit(CANDIDATES_PER_LOOKUP)


@lru_cache(maxsize=256)
def combined(labels: tuple[str, ...]) -> Select[*tuple[Any, ...]] | CompoundSelect[*tuple[Any, ...]]:
    """The look-ups sent as one statement (one round trip): a UNION ALL whose every branch is still
    answered from its own index. No OR across people and families, which would scan both."""
    if len(labels) == 1:
        return lookup(labels[0])
    return union_all(*(lookup(label).subquery().select() for label in labels))


_CARERS = select(Person.family_id, Person.name_key).where(
    Person.family_id.in_(bindparam("families", expanding=True)), Person.kind == CARER
)


def lookup_parameters(children: Sequence[PersonFacts], postcode: str) -> dict[str, dict[str, Any]]:
    """For each look-up worth running for these children, its parameters (label → parameters)."""
    statements: dict[str, dict[str, Any]] = {}
    births = sorted({c.birth_date for c in children if c.birth_date})
    if births:
        statements["birth date"] = {"days": births}
    for n, day in enumerate(sorted({d for c in children for d in (c.birth_date, c.expected_delivery) if d})):
        statements[f"expected delivery {n}"] = {
            f"due_first_{n}": day - DUE_DATE_SLACK,
            f"due_last_{n}": day + DUE_DATE_SLACK,
        }
    key = postcode_key(postcode)
    if key:
        statements["postcode"] = {"postcode": key}
    numbers = sorted({c.nhs for c in children if c.nhs})
    if numbers:
        statements["NHS number"] = {"numbers": numbers}
    names = sorted(set().union(*(c.lookup_keys for c in children))) if children else []
    if names:
        statements["name"] = {"name_keys": names}
        statements["also known as"] = {"aka_keys": names}
    return statements


@lru_cache(maxsize=65_536)
def _words(text: str) -> tuple[str, ...]:
    """Folded words of a stored name (cached: the same names come back in look-up after look-up)."""
    return tuple(fold(text).split())


def _facts_of_row(row: Any, carers: tuple[str, ...] = ()) -> PersonFacts:
    return PersonFacts(
        given=_words(row.given_name),
        family=_words(row.family_name),
        aka=tuple(row.aka_key.split()),
        birth_date=row.birth_date,
        expected_delivery=row.expected_delivery,
        nhs=row.nhs_number,
        postcode=row.postcode_key,
        carers=carers,
    )


def _carers_of(session: Session, family_ids: set[int]) -> dict[int, tuple[str, ...]]:
    """The carers' name keys of a few families (one look-up on the family_id index)."""
    found: dict[int, list[str]] = {}
    for family_id, key in session.connection().execute(_CARERS, {"families": sorted(family_ids)}):
        if key:
            found.setdefault(family_id, []).append(key)
    return {family_id: tuple(keys) for family_id, keys in found.items()}


def find_duplicates(
    session: Session, actor: Actor, values: Mapping[str, Any], *, limit: int = 10
) -> list[DuplicateCandidate]:
    """Children already on record who are likely the ones being keyed in, best match first.

    Only those who key referrals may ask (admins, managers): the answer names other families'
    children, which a family worker has no need to know (G7, G15). The look-ups run as plain Core
    statements (no ORM objects) and carers are read only for candidates they could tip over the
    threshold, which keeps the check a few milliseconds at 100,000 families.
    """
    require(actor, Permission.CREATE_REFERRAL)
    children = typed_children(values)
    if not children:
        return []
    wanted = lookup_parameters([facts for _, facts in children], _text(values.get("postcode")))
    parameters = {name: value for each in wanted.values() for name, value in each.items()}
    found: dict[int, Any] = {}
    for row in session.connection().execute(combined(tuple(wanted)), parameters):
        found.setdefault(row.id, row)
    scored: list[tuple[Any, str, PersonFacts, Match]] = []
    for row in found.values():
        old = _facts_of_row(row)
        for typed_name, new in children:
            match = score_pair(new, old)
            if match.likely or (new.carers and match.points + _CARER_POINTS >= THRESHOLD):
                scored.append((row, typed_name, new, match))
    need_carers = {row.family_id for row, _, new, _ in scored if new.carers}
    carers = _carers_of(session, need_carers) if need_carers else {}
    best: dict[int, DuplicateCandidate] = {}
    for row, typed_name, new, match in scored:
        if row.family_id in carers:
            match = score_pair(new, _facts_of_row(row, carers[row.family_id]))
        if not match.likely:
            continue
        known = best.get(row.id)
        if known is not None and known.score >= match.points:
            continue
        best[row.id] = DuplicateCandidate(
            family_id=row.family_id,
            family_reference=row.reference,
            person_name=f"{row.given_name} {row.family_name}".strip(),
            birth_date=row.birth_date,
            postcode=row.postcode,
            score=match.points,
            reasons=match.reasons,
            person_id=row.id,
            typed_name=typed_name,
        )
    return sorted(best.values(), key=lambda c: (-c.score, c.family_id))[:limit]


def nhs_numbers_held_elsewhere(
    session: Session, values: Mapping[str, Any], family_id: int | None = None
) -> list[Problem]:
    """A warning for each typed NHS number already held by a child of another family, naming it.

    An NHS number belongs to one child, so a match means either the same child (add the referral to
    that family) or a number carried over or mistyped. It is a warning the user confirms, not a block:
    the paper may be right and the record wrong.
    """
    typed: dict[str, list[int]] = {}
    for index, item in enumerate(values.get("children") or []):
        if isinstance(item, Mapping):
            digits = nhs_digits(_text(item.get("nhs_number")))
            if digits.isdigit():
                typed.setdefault(digits, []).append(index)
    if not typed:
        return []
    stmt = (
        select(Person.nhs_number, Person.given_name, Person.family_name, Family.reference)
        .join(Family, Family.id == Person.family_id)
        .where(Person.nhs_number.in_(typed), Person.kind == CHILD)
        .order_by(Family.reference)
    )
    if family_id is not None:
        stmt = stmt.where(Person.family_id != family_id)
    problems = []
    for number, given, family, reference in session.execute(stmt):
        for index in typed[number]:
            problems.append(
                Problem(
                    path=f"children[{index}].nhs_number",
                    rule_id="DQ.nhs-held-elsewhere",
                    obligation=cite("DQ"),
                    severity=Severity.WARNING,
                    message=f"NHS number {number} is already held by {given} {family} of family "
                    f"{reference}: check it against the referral, or add the referral to {reference} "
                    "if this is the same child",
                )
            )
    return problems
