"""Form definitions and the rule engine (Qt-free).

Import what you need from the modules themselves (``ehdesk.forms.registry``, ``ehdesk.forms.validate``,
``ehdesk.forms.rules``); importing this package has no side effects.
"""
