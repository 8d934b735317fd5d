"""How ehdesk compares what people type, and how it lays out the policy texts it shows.

Comparing: one folding of names and one tidying of postcodes and NHS
numbers, shared by search, the duplicate check and storage so that each sees one form of each value.

Admins key names from paper as written: with or without accents, hyphens, apostrophes and spaces.
``fold`` maps all of those spellings to one comparable key ("Siân" → "sian", "O'Neill" → "oneill",
"Smith-Jones" → "smith jones", "Nguyễn" → "nguyen"), and leaves other scripts in their own letters
(Arabic loses only its optional vowel marks and the alef variants), so a name is found by its own script.

``unwrap`` turns a policy pack's wrapped text into its paragraphs, for the PDFs and the form view alike.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter plus a mark.
_LETTERS = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ı": "i",
        # Arabic: the hamza/madda forms of alef are spelt as plain alef by many writers; alef maksura as ya
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ـ": None,  # tatweel (a stretching stroke, not a letter)
    }
)
# Apostrophes of every kind join ("O'Neill" → "oneill"); other punctuation separates words.
_APOSTROPHES = re.compile(r"['’‘`´ʼ]")
_SEPARATORS = re.compile(r"[^\w]+|_")


def fold(text: str) -> str:
    """A name or phrase as ehdesk compares it: no case, accents, apostrophes or punctuation; words
    separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = _APOSTROPHES.sub("", bare.translate(_LETTERS))
    return " ".join(_SEPARATORS.sub(" ", bare).split())


def fold_words(text: str) -> list[str]:
    return fold(text).split()


_POSTCODE_SPACE = re.compile(r"\s+")


def postcode_key(text: str) -> str:
    """A postcode with no spaces, upper case: "ls6 2ab" and "LS62AB" both give "LS62AB"."""
    return _POSTCODE_SPACE.sub("", text).upper()


def tidy_postcode(text: str) -> str:
    """A UK postcode as printed: upper case, one space before the three-character inward code
    ("ls62ab" → "LS6 2AB"). Text too short to be a postcode is only upper-cased and trimmed."""
    key = postcode_key(text)
    if len(key) < 5:
        return " ".join(text.upper().split())
    return f"{key[:-3]} {key[-3:]}"


def nhs_digits(text: str) -> str:
    """An NHS number as its ten digits, whatever separators were typed ("943-476-59-19" → "9434765919").
    Text that holds anything but digits and separators is returned trimmed, for the validator to refuse."""
    stripped = re.sub(r"[\s\-./]", "", text)
    return stripped if stripped.isdigit() else text.strip()


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def unwrap(text: str) -> str:
    """Policy texts are written wrapped, like Markdown: a single line break continues the paragraph and a
    blank line ends it. Shown or printed one paragraph a line, so the wrapping goes first (else "…to
    help" and "your children" show as two lines, as the tester saw in the share form)."""
    paragraphs = (
        " ".join(line.strip() for line in block.splitlines()).strip() for block in _BLANK_LINE.split(text)
    )
    return "\n".join(p for p in paragraphs if p)
