"""Names a package offers without importing their modules until first asked for (PEP 562).

``ehdesk.desk`` and ``ehdesk.signing`` each list what they offer and the module that holds it: the GUI
logs people in through ``ehdesk.desk.people`` while the other areas' services are still being imported
behind the login dialog, and a screen that catches a signing error must not bring in reportlab,
cryptography and pyHanko (start-up, issue 18). Importing any module of a package runs its
``__init__`` first, so an ``__init__`` that imported everything would undo both.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """The ``__getattr__`` for ``package`` (``__getattr__ = lazy_names(__name__, {...})``): each name of
    ``homes`` is imported from its module on first use and kept in the package, so later look-ups are
    plain attribute reads; any other name is an ``AttributeError`` as usual."""
    namespace = vars(sys.modules[package])

    def __getattr__(name: str) -> Any:  # noqa: N807 (the module hook's own name)
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        namespace[name] = value
        return value

    return __getattr__
