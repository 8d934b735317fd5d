"""The folded keys stored beside people and families so the duplicate check can find them by index.

A name keyed again is rarely spelt the same: accents left off, a middle name dropped, a double-barrelled
surname written with a space, given and family names swapped on the form. ``name_key`` keeps only what
survives all of those: the first given name and the family name run together, both folded
(``ehdesk.text.fold``), in alphabetical order so a swap gives the same key. "Zoë Anne Smith-Jones" and
"Smith Jones, Zoe" both give "smithjones zoe". Postcodes are compared without spaces ("LS62AB").

Keys are filled by the ORM on every insert and update (``ehdesk.storage.models`` registers the hooks),
so no service has to remember them; bulk loaders call these functions themselves.
"""

from __future__ import annotations

from ehdesk.text import fold, postcode_key

KEY_LENGTH = 400  # the column width; longer names are cut (the key only narrows a look-up)

__all__ = ["KEY_LENGTH", "aka_key", "name_key", "postcode_key"]


def name_key(given_name: str, family_name: str) -> str:
    """First given name and whole family name, folded and sorted: "" when both are blank."""
    given = fold(given_name).split()
    family = fold(family_name).replace(" ", "")
    parts = sorted(p for p in (given[0] if given else "", family) if p)
    return " ".join(parts)[:KEY_LENGTH]


def aka_key(also_known_as: str, family_name: str) -> str:
    """The key of an "also known as" name: a single word is a given name used with the family name
    ("Mo" for Mohammed Khan → "khan mo"); two or more words are a whole name, given name first."""
    words = fold(also_known_as).split()
    if not words:
        return ""
    if len(words) == 1:
        return name_key(words[0], family_name)
    return name_key(words[0], " ".join(words[1:]))
