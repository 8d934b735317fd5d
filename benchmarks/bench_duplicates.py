"""Measure the duplicate check: how often it is right, and how long one referral's check takes.

Quality: labelled pairs (a child on record, a child being keyed) are generated from realistic names
with the slips admins and referrers make (typos, accents, hyphen/space, given/family swapped,
nicknames, middle names, missing birth date, moved house) and true non-matches that look alike (twins,
siblings, same-name children born on other days, same-name children elsewhere). Every "on record"
child is stored, and each typed child goes through ``find_duplicates`` itself, so the figures include
the indexed look-ups as well as the scoring; a pair is flagged when its record's child is returned.

Speed: 100,000 families are seeded in bulk (one insert per table per batch) on SQLite and on a
PostgreSQL server this script starts; then the check of one new referral (half near-duplicates, half
new children) is timed against a bare birth-date look-up in the same run.

Writes its own section of docs/benchmarks.md, between the markers below, leaving the rest alone.
Run: `.venv/bin/python benchmarks/bench_duplicates.py [--pairs N] [--families N]`.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ehdesk.domain import Role  # noqa: E402
from ehdesk.services.actor import Actor  # noqa: E402
from ehdesk.services.duplicates import THRESHOLD, find_duplicates  # noqa: E402
from ehdesk.storage.database import Database  # noqa: E402
from ehdesk.storage.lookup_keys import aka_key, name_key, postcode_key  # noqa: E402
from ehdesk.storage.models import Family, Person  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
import summary  # noqa: E402
from seed import seed  # noqa: E402

ADMIN = Actor(id=None, username="bench", full_name="Benchmark", role=Role.ADMIN)
BEGIN, END = "<!-- bench_duplicates: begin -->", "<!-- bench_duplicates: end -->"

GIVEN = [
    "Ava",
    "Amelia",
    "Olivia",
    "Isla",
    "Mia",
    "Zoë",
    "Siân",
    "Chloé",
    "Renée",
    "Aoife",
    "Niamh",
    "Saoirse",
    "Aisha",
    "Fatima",
    "Maryam",
    "Amira",
    "Hana",
    "Lily",
    "Grace",
    "Ella",
    "Freya",
    "Evie",
    "Poppy",
    "Isabella",
    "Sophie",
    "Charlotte",
    "Florence",
    "Matilda",
    "Rosie",
    "Imogen",
    "Phoebe",
    "Ruby",
    "Oliver",
    "Noah",
    "Leo",
    "Oscar",
    "Arthur",
    "Harry",
    "George",
    "Theo",
    "Jack",
    "Freddie",
    "Alfie",
    "Thomas",
    "William",
    "James",
    "Joshua",
    "Samuel",
    "Muhammad",
    "Yusuf",
    "Ibrahim",
    "Omar",
    "Ali",
    "Hamza",
    "Zakariya",
    "Kacper",
    "Jakub",
    "Szymon",
    "Mateusz",
    "Tomás",
    "Seán",
    "Ciarán",
    "Dáithí",
    "José",
    "Andrés",
    "Hélène",
    "Jérôme",
    "Björn",
    "Søren",
    "Łukasz",
    "Dương",
    "Minh",
    "Anh",
    "Thảo",
    "Nguyệt",
    "Bảo",
    "Kwame",
    "Kofi",
    "Ama",
    "Chidi",
    "Adebayo",
    "Oluwaseun",
    "Tunde",
    "Precious",
    "Blessing",
    "Priya",
    "Arjun",
    "Rohan",
    "Anjali",
    "Harpreet",
    "Gurpreet",
    "Jaspreet",
]
MIDDLE = [
    "Anne",
    "Rose",
    "May",
    "Louise",
    "Jane",
    "Grace",
    "Marie",
    "James",
    "John",
    "Lee",
    "Ali",
    "Kumar",
    "David",
    "Thomas",
]
FAMILY = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Patel",
    "Khan",
    "Ahmed",
    "Hussain",
    "Ali",
    "Begum",
    "Akhtar",
    "Shah",
    "Singh",
    "Kaur",
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Wójcik",
    "Kowalczyk",
    "Ó Briain",
    "Ó Súilleabháin",
    "Mac Giolla",
    "Müller",
    "Schäfer",
    "O'Neill",
    "O'Connor",
    "McDonald",
    "MacLeod",
    "D'Souza",
    "De Souza",
    "Fernández",
    "García",
    "Okafor",
    "Mensah",
    "Adeyemi",
    "Boateng",
    "Osei",
    "Mbeki",
    "Chowdhury",
    "Rahman",
    "Islam",
    "Uddin",
    "Miah",
    "Sharma",
    "Gupta",
    "Kapoor",
    "Sandhu",
    "Dhillon",
]
SHORT_FORMS = {  # the benchmark's own list: some are in the matcher's table, some are not
    "William": "Bill",
    "Thomas": "Tom",
    "Samuel": "Sam",
    "Joshua": "Josh",
    "Isabella": "Izzy",
    "Charlotte": "Lottie",
    "Florence": "Flo",
    "Matilda": "Tilly",
    "Imogen": "Immy",
    "Freddie": "Fred",
    "Alfie": "Alf",
    "James": "Jamie",
    "Muhammad": "Mohammed",
    "Yusuf": "Joseph",
    "Oluwaseun": "Seun",
    "Adebayo": "Bayo",
    "Zakariya": "Zak",
    "Jakub": "Kuba",
    "Harry": "Henry",
    "Sophie": "Sophia",
    "Rosie": "Rose",
    "Evie": "Eve",
}


@dataclass(frozen=True)
class Child:
    given: str
    family: str
    born: date | None
    postcode: str
    carers: tuple[tuple[str, str], ...]
    nhs: str = ""
    aka: str = ""


def _nhs(rng: random.Random) -> str:
    while True:
        digits = [rng.randrange(10) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def _postcode(rng: random.Random) -> str:
    area = rng.choice(["LS", "M", "B", "BD", "HX", "WF", "S", "L", "NE", "E", "SW"])
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{area}{rng.randrange(1, 30)} {rng.randrange(1, 10)}{rng.choice(letters)}{rng.choice(letters)}"


def _surname(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return f"{rng.choice(FAMILY)}-{rng.choice(FAMILY)}"
    return rng.choice(FAMILY)


def _child(rng: random.Random, *, family: str | None = None, born: date | None = None) -> Child:
    given = rng.choice(GIVEN) + (f" {rng.choice(MIDDLE)}" if rng.random() < 0.35 else "")
    family = family or _surname(rng)
    born = born or date(2008, 1, 1) + timedelta(days=rng.randrange(6400))
    carers = tuple(
        (rng.choice(GIVEN), family if rng.random() < 0.7 else _surname(rng))
        for _ in range(rng.randrange(1, 3))
    )
    nhs = _nhs(rng) if rng.random() < 0.3 else ""
    return Child(given, family, born, _postcode(rng), carers, nhs)


# -- what happens between the first record and the next referral --------------------------------------
def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    letter = rng.choice("aeiounrstlmh")
    if kind == 0:
        return word[:i] + word[i + 1 :]  # a letter dropped
    if kind == 1:
        return word[:i] + letter + word[i:]  # a letter added
    if kind == 2:
        return word[:i] + letter + word[i + 1 :]  # a letter wrong
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]  # two letters swapped


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def typo_given(rng: random.Random, c: Child) -> Child:
    words = c.given.split()
    return replace(c, given=" ".join([_typo(rng, words[0]), *words[1:]]))


def typo_family(rng: random.Random, c: Child) -> Child:
    return replace(c, family=_typo(rng, c.family))


def accents(rng: random.Random, c: Child) -> Child:
    return replace(c, given=_strip_accents(c.given), family=_strip_accents(c.family).upper())


def hyphen_space(rng: random.Random, c: Child) -> Child:
    if "-" in c.family:
        parts = c.family.split("-")
        parts[-1] = parts[-1][:-1] if rng.random() < 0.5 else parts[-1]  # and a letter fewer
        return replace(c, family=rng.choice([" ", ""]).join(parts))
    if " " in c.family or "'" in c.family:
        return replace(c, family=c.family.replace(" ", "").replace("'", ""))
    return replace(c, family=c.family.lower())


def swapped(rng: random.Random, c: Child) -> Child:
    return replace(c, given=c.family, family=c.given.split()[0])


def nickname(rng: random.Random, c: Child) -> Child:
    first = c.given.split()[0]
    return replace(c, given=SHORT_FORMS.get(first, first.lower()))


def middle_name(rng: random.Random, c: Child) -> Child:
    words = c.given.split()
    return replace(c, given=words[0] if len(words) > 1 else f"{words[0]} {rng.choice(MIDDLE)}")


def no_birth_date(rng: random.Random, c: Child) -> Child:
    return replace(c, born=None)


def moved_house(rng: random.Random, c: Child) -> Child:
    return replace(c, postcode=_postcode(rng), carers=c.carers[:1])


def postcode_spacing(rng: random.Random, c: Child) -> Child:
    return replace(c, postcode=c.postcode.replace(" ", "").lower())


def birth_date_slip(rng: random.Random, c: Child) -> Child:
    """A day out, or day and month the wrong way round (an American-style date)."""
    if c.born is None:
        return c
    if c.born.day > 12 or rng.random() < 0.5:
        return replace(c, born=c.born + timedelta(days=rng.choice([-1, 1])))
    return replace(c, born=date(c.born.year, c.born.day, c.born.month))


def new_surname(rng: random.Random, c: Child) -> Child:
    return replace(c, family=_surname(rng))


SLIPS: dict[str, Callable[[random.Random, Child], Child]] = {
    "typo in given name": typo_given,
    "typo in family name": typo_family,
    "accents left off": accents,
    "hyphen / space": hyphen_space,
    "given / family swapped": swapped,
    "nickname or short form": nickname,
    "middle name dropped or added": middle_name,
    "missing birth date": no_birth_date,
    "moved house": moved_house,
    "postcode spacing": postcode_spacing,
    "birth date slip": birth_date_slip,
    "family name changed": new_surname,
}


def twin(rng: random.Random, c: Child) -> Child:
    first = c.given.split()[0]
    other = rng.choice([g for g in GIVEN if g != first and g.lower() not in first.lower()])
    return replace(c, given=other, nhs="", aka="")


def sibling(rng: random.Random, c: Child) -> Child:
    return replace(twin(rng, c), born=date(2008, 1, 1) + timedelta(days=rng.randrange(6400)))


def same_name_other_child(rng: random.Random, c: Child) -> Child:
    other = _child(rng, family=c.family)
    return replace(other, given=c.given)


def same_name_same_area(rng: random.Random, c: Child) -> Child:
    other = same_name_other_child(rng, c)
    return replace(other, postcode=c.postcode[:-3] + other.postcode[-3:])


def same_birthday_stranger(rng: random.Random, c: Child) -> Child:
    return replace(_child(rng), born=c.born)


def unrelated_same_surname_no_date(rng: random.Random, c: Child) -> Child:
    return replace(_child(rng, family=c.family), born=None, postcode=_postcode(rng))


LOOKALIKES: dict[str, Callable[[random.Random, Child], Child]] = {
    "twin": twin,
    "sibling": sibling,
    "same name, born another day": same_name_other_child,
    "same name, same area, another day": same_name_same_area,
    "same birth date, someone else": same_birthday_stranger,
    "same surname, no birth date": unrelated_same_surname_no_date,
}


def labelled_pairs(count: int, seed: int = 13) -> Iterator[tuple[Child, Child, bool, str]]:
    """Two thirds true duplicates (one to three slips each), one third look-alikes."""
    rng = random.Random(seed)
    slips, lookalikes = list(SLIPS), list(LOOKALIKES)
    for n in range(count):
        record = _child(rng)
        if n % 3 == 2:
            kind = lookalikes[(n // 3) % len(lookalikes)]
            yield record, LOOKALIKES[kind](rng, record), False, kind
            continue
        chosen = [slips[n // 3 % len(slips)], *rng.sample(slips, rng.choice([0, 0, 1, 2]))]
        typed = record
        for name in dict.fromkeys(chosen):
            typed = SLIPS[name](rng, typed)
        if rng.random() < 0.5:
            typed = replace(typed, nhs="")
        yield record, typed, True, chosen[0]


# -- storing and asking ----------------------------------------------------------------------------------
def _rows(family_id: int, children: list[Child]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    first = children[0]
    family = {
        "id": family_id,
        "reference": f"EH-{family_id:06d}",
        "display_name": first.family[:200],
        "postcode": first.postcode,
        "postcode_key": postcode_key(first.postcode),
    }
    people = [
        {
            "family_id": family_id,
            "kind": "child",
            "given_name": c.given,
            "family_name": c.family,
            "birth_date": c.born,
            "nhs_number": c.nhs,
            "name_key": name_key(c.given, c.family),
            "aka_key": aka_key(c.aka, c.family) if c.aka else "",
            "data": {"also_known_as": c.aka} if c.aka else {},
        }
        for c in children
    ]
    people += [
        {
            "family_id": family_id,
            "kind": "carer",
            "given_name": g,
            "family_name": f,
            "name_key": name_key(g, f),
        }
        for g, f in first.carers
    ]
    return family, people


def store(db: Database, families: Iterator[list[Child]], batch: int = 10_000) -> int:
    """Bulk insert through ``benchmarks/seed.py``: one write per table per batch of families."""
    return seed(db, (_rows(n, children) for n, children in enumerate(families, start=1)), batch=batch)


def referral_of(c: Child) -> dict[str, Any]:
    return {
        "postcode": c.postcode,
        "children": [
            {
                "given_name": c.given,
                "family_name": c.family,
                "birth_date": c.born.isoformat() if c.born else "",
                "nhs_number": c.nhs,
                "also_known_as": c.aka,
            }
        ],
        "carers": [{"given_name": g, "family_name": f} for g, f in c.carers],
    }


@dataclass
class Quality:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, flagged: bool, label: bool) -> None:
        if flagged and label:
            self.tp += 1
        elif flagged:
            self.fp += 1
        elif label:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def measure_quality(pairs: int) -> tuple[Quality, dict[str, Quality], list[str]]:
    data = list(labelled_pairs(pairs))
    overall, by_kind, misses = Quality(), {}, []
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{Path(folder) / 'pairs.sqlite3'}")
        db.upgrade()
        store(db, ([record] for record, _, _, _ in data))
        with db.read() as session:
            for n, (record, typed, label, kind) in enumerate(data, start=1):
                found = find_duplicates(session, ADMIN, referral_of(typed), limit=50)
                person_id = session.scalar(
                    select(Person.id).where(Person.family_id == n, Person.kind == "child")
                )
                flagged = any(c.person_id == person_id for c in found)
                overall.add(flagged, label)
                by_kind.setdefault(kind, Quality()).add(flagged, label)
                if flagged != label and len(misses) < 12:
                    misses.append(f"{'missed' if label else 'false alarm'} ({kind}): {record} / {typed}")
        db.dispose()
    return overall, by_kind, misses


# -- speed -----------------------------------------------------------------------------------------------
def seeded_families(count: int, seed: int = 99) -> Iterator[list[Child]]:
    rng = random.Random(seed)
    for _ in range(count):
        first = _child(rng)
        yield [
            first,
            *(
                replace(_child(rng, family=first.family), postcode=first.postcode, carers=first.carers)
                for _ in range(rng.randrange(0, 3))
            ),
        ]


def measure_speed(db: Database, families: int, queries: int = 200) -> dict[str, Any]:
    db.upgrade()
    start = time.perf_counter()
    store(db, seeded_families(families))  # refreshes the planner statistics too
    seeded = time.perf_counter() - start
    rng = random.Random(5)
    with db.read() as session:
        sample = session.execute(
            select(Person.given_name, Person.family_name, Person.birth_date, Family.postcode)
            .join(Family, Family.id == Person.family_id)
            .where(Person.kind == "child", Person.id % 97 == 0)
            .limit(queries)
        ).all()
    typed = []
    for n, (given, family, born, postcode) in enumerate(sample):
        child = Child(given, family, born, postcode, (("Sam", family),))
        typed.append(typo_given(rng, child) if n % 2 else _child(rng))
    check, baseline = [], []
    for child in typed * 3:
        values = referral_of(child)
        with db.read() as session:
            t0 = time.perf_counter()
            find_duplicates(session, ADMIN, values)
            check.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            session.execute(
                select(Person.id).where(Person.birth_date == (child.born or date(2015, 1, 1)))
            ).all()
            baseline.append(time.perf_counter() - t0)
    db.dispose()

    def pct(values: list[float], q: float) -> float:
        return sorted(values)[int(q * (len(values) - 1))] * 1000

    return {
        "seeded": seeded,
        "check": (statistics.median(check) * 1000, pct(check, 0.95)),
        "baseline": (statistics.median(baseline) * 1000, pct(baseline, 0.95)),
    }


def section_lines(
    pairs: int,
    quality: tuple[Quality, dict[str, Quality], list[str]],
    speed: dict[str, dict[str, Any]],
    families: int,
) -> list[str]:
    overall, by_kind, _ = quality
    total = Counter({k: q.tp + q.fn + q.fp + q.tn for k, q in by_kind.items()})
    lines = [
        BEGIN,
        "## Duplicate check (`benchmarks/bench_duplicates.py`)",
        "",
        f"Quality over {pairs:,} labelled pairs, each typed child run through `find_duplicates` against the",
        f"stored records (look-ups and scoring; threshold {THRESHOLD:g} points).",
        "Goal: recall ≥ 97 %, precision ≥ 90 %.",
        "",
        "| | pairs | precision | recall |",
        "|---|---|---|---|",
        f"| **all pairs** | {pairs:,} | {overall.precision:.1%} | {overall.recall:.1%} |",
    ]
    for kind, q in sorted(by_kind.items(), key=lambda kv: (kv[1].tp + kv[1].fn == 0, kv[0])):
        if q.tp + q.fn:
            lines.append(f"| duplicate: {kind} | {total[kind]} | | {q.recall:.1%} |")
        else:
            lines.append(f"| look-alike, not a duplicate: {kind} | {total[kind]} | flagged {q.fp} | |")
    lines += [
        "",
        f"Speed of one referral's check at {families:,} families (200 referrals, half near-duplicates, three",
        "rounds; each in its own read session). Goal ≤ 5 ms median (issue 18), < 50 ms at worst.",
        f"Load average when measured: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (p95 suffers most",
        "on a busy machine; re-run on a quiet one).",
        "",
        "| database | seeding (s) | check median (ms) | check p95 (ms) "
        "| birth-date look-up alone, median / p95 (ms) |",
        "|---|---|---|---|---|",
    ]
    for name, figures in speed.items():
        (cm, cp), (bm, bp) = figures["check"], figures["baseline"]
        summary.add(
            "duplicates",
            f"{name.split(' (')[0]}: median {cm:.2f} ms (p95 {cp:.2f})",
            f"birth-date look-up alone {bm:.2f} ms",
            "≤ 5 ms median",
        )
        lines.append(f"| {name} | {figures['seeded']:.1f} | {cm:.2f} | {cp:.2f} | {bm:.2f} / {bp:.2f} |")
    return [*lines, "", END]


def write_section(lines: list[str]) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    section = "\n".join(lines)
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def measure_all(pairs: int, families: int) -> list[str]:
    """Quality, then speed on a SQLite file and on the PostgreSQL server the test run uses."""
    quality = measure_quality(pairs)
    overall, _by_kind, misses = quality
    print(f"precision {overall.precision:.1%}  recall {overall.recall:.1%}  ({overall})", file=sys.stderr)
    for line in misses:
        print("  " + line, file=sys.stderr)
    from tests.pgserver import PostgresServer  # the same throwaway server the test run starts

    speed: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as folder:
        speed["SQLite file"] = measure_speed(
            Database(f"sqlite:///{Path(folder) / 'bench.sqlite3'}"), families
        )
    server = PostgresServer.start()
    try:
        speed[f"PostgreSQL {server.version()}"] = measure_speed(Database(server.empty_database()), families)
    finally:
        server.stop()
    return section_lines(pairs, quality, speed, families)


def report() -> str:
    """``make bench``: this script's section (3,000 pairs, 100,000 families), returned, not written."""
    lines = measure_all(3000, 100_000)
    return "\n".join(line for line in lines if line not in (BEGIN, END)) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=3000)
    parser.add_argument("--families", type=int, default=100_000)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    lines = measure_all(args.pairs, args.families)
    print("\n".join(lines))
    if not args.no_write:
        write_section(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
