"""A Qt view that renders any :class:`~ehdesk.forms.model.FormDefinition`.

Each field's type is looked up in a table of input widget classes (:mod:`.registry`), in the manner of
guidata's item type → widget table, so the view never knows a field by name. Helpers that need no Qt
(dates, problem paths) live in their own modules and are tested without a QApplication. Which fields
are shown is not decided here but by :mod:`ehdesk.forms.relevance`, the validator's own function, so
the view and the validator cannot disagree.
"""

from ehdesk.gui.formview.environment import FormEnvironment
from ehdesk.gui.formview.view import FormView

__all__ = ["FormEnvironment", "FormView"]
