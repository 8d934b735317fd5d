"""What `ehdesk rules --coverage` declares beyond the forms exists: each element names real code."""

from __future__ import annotations

import importlib

import pytest

from ehdesk.obligations import DECLARED, OBLIGATIONS


@pytest.mark.parametrize(("obligation", "element", "where"), DECLARED)
def test_each_declared_element_names_code_that_exists(obligation: str, element: str, where: str) -> None:
    module_name, attribute = where.split(":")
    assert obligation in OBLIGATIONS
    assert element
    assert callable(getattr(importlib.import_module(module_name), attribute))
