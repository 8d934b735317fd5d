"""Subcommands of the ``ehdesk`` command line, one module each.

Each module has ``register(subparsers)``, which adds its parser and sets ``func`` to a ``run(args) -> int``.
``ehdesk.cli`` lists the modules explicitly: importing a module never registers anything by itself.
"""
