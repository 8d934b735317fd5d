"""Management decisions on a family's casefile (G19; for a decline, G21–G24), by their own names.

A decision is a casefile record like any other: the generic record service (:mod:`ehdesk.services.casefile`)
validates it against the ``decision`` form, checks that only managers decide, stamps it with the form
and policy-pack versions it was made under, guards it with optimistic locking and the signing lock, and
audits it. Its spec (:mod:`ehdesk.services.specs`) adds what is a decision's own: the subject it is
about must be one of the same family's records, and who decided and when are recorded. These two
functions only name the subject in the decision's terms for callers that think in them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy.orm import Session

from ehdesk.policy import PolicyPack
from ehdesk.services import casefile
from ehdesk.services.actor import Actor
from ehdesk.services.specs import SPECS
from ehdesk.storage.models import Decision

FORM_ID = "decision"


def record_decision(
    session: Session,
    actor: Actor,
    family_id: int,
    values: Mapping[str, Any],
    *,
    subject: str,
    subject_id: int | None = None,
    policy: PolicyPack,
    confirmed_warnings: bool = False,
) -> Decision:
    """A manager's decision about ``subject`` (a decline, objection or share; ``subject_id`` names the
    family's own record of it)."""
    carried = {"subject": subject, "subject_id": subject_id}
    record = casefile.create(
        session,
        actor,
        SPECS[FORM_ID],
        family_id,
        values,
        policy=policy,
        carried=carried,
        confirmed_warnings=confirmed_warnings,
    )
    return cast(Decision, record)


def amend_decision(
    session: Session,
    actor: Actor,
    decision_id: int,
    values: Mapping[str, Any],
    *,
    version: int,
    policy: PolicyPack,
    confirmed_warnings: bool = False,
) -> Decision:
    """Correct an unsigned decision: only the manager who made it may; a signed one is locked (changes
    after signing are addenda)."""
    record = casefile.amend(
        session,
        actor,
        SPECS[FORM_ID],
        decision_id,
        values,
        version=version,
        policy=policy,
        confirmed_warnings=confirmed_warnings,
    )
    return cast(Decision, record)
