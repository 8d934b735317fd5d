"""Given names that are the same name for the duplicate check: short forms and common spellings.

A referral from a school may say "Alfie" where the health visitor wrote "Alfred", or "Mohammed" where
the GP has "Muhammad". A short form that is the start of the full name ("Sam" / "Samuel") needs no
table; the others are listed here, folded (``ehdesk.text.fold``), one group of equivalent names a line.
"""

from __future__ import annotations

_GROUPS = """
alfred alfie alf
william will bill billy liam
robert rob bob bobby robbie
richard rich rick ricky dick
edward ed eddie ted teddy ned
james jim jimmy jamie
john jack johnny
henry harry hal
margaret maggie meg peggy greta
elizabeth liz lizzie beth betty eliza elsie libby
catherine katherine kate katie cathy kathryn kat
charles charlie chuck
charlotte lottie charlie
victoria vicky tori
rebecca becky becca
abigail abbie abby gail
isabella isabel isabelle izzy bella
isobel isabel isla
olivia liv livvy
amelia millie amy
mohammed muhammad mohamed mohammad muhammed
yusuf yousef yousuf joseph
ibrahim abraham
sian sion
sophie sophia sofia
zoe zoey
leah lea lia
aisha ayesha aysha
aaliyah aliyah
freddie frederick fred freddy
theodore theo ted
anthony tony ant
susan sue susie
jennifer jenny jen
daniel dan danny
michael mike mikey mick
thomas tom tommy
joshua josh
benjamin ben benji
matthew matt
christopher chris kit
nicholas nick nicky
alexander alex alec sandy
alexandra alex lexi sasha
"""

_SAME: dict[str, frozenset[str]] = {}
for _line in _GROUPS.strip().splitlines():
    _group = frozenset(_line.split())
    for _name in _group:
        _SAME[_name] = _SAME.get(_name, frozenset()) | _group


def same_given_name(a: str, b: str) -> bool:
    """True when two folded given names are one name: equal, a listed short form or spelling, or one
    the start of the other (three letters at least)."""
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 3 and longer.startswith(shorter):
        return True
    return b in _SAME.get(a, frozenset())
