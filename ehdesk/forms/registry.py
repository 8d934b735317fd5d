"""The forms ehdesk knows, collected explicitly (importing a definition registers nothing by itself)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ehdesk.errors import NotFound
from ehdesk.forms.definitions import decision, decline, objection, privacy_notice, referral, share
from ehdesk.forms.model import FormDefinition


class UnknownForm(NotFound, KeyError):
    """A form ID that is not in the registry. Also a ``KeyError``, as a mapping look-up would raise."""

    exit_code = 2

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown form"


FORMS: Mapping[str, FormDefinition] = MappingProxyType(
    {
        form.id: form
        for form in (
            referral.FORM,
            share.FORM,
            objection.FORM,
            privacy_notice.FORM,
            decline.FORM,
            decision.FORM,
        )
    }
)


def get_form(form_id: str) -> FormDefinition:
    try:
        return FORMS[form_id]
    except (KeyError, TypeError):
        known = ", ".join(FORMS)
        raise UnknownForm(f"no form called '{form_id}': the forms are {known}") from None
