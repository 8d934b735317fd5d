"""A keyboard user picks a choice by typing its first letter: the letters must tell the choices apart."""

from __future__ import annotations

from ehdesk.forms.definitions.share import INFORMED_HOW


def test_each_way_of_telling_the_family_starts_with_its_own_letter() -> None:
    firsts = [option.label[0].lower() for option in INFORMED_HOW.options]
    assert len(set(firsts)) == len(firsts)
    assert firsts == ["i", "p", "l", "e"]
