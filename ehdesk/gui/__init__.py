"""The PySide6 front end. The only package in ehdesk that imports Qt.

Slots here call the core services (``ehdesk.services``) through :mod:`ehdesk.gui.backend`; they never
touch the database themselves, so everything the GUI can do is also testable (and permission-checked)
without a window.
"""
