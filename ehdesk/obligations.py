"""The guidance obligations ehdesk encodes (G1–G25), in ehdesk's own words, and what serves each one.

The coverage report answers "where does the application do this?" for each obligation: the rules,
prompts and fields of the form definitions that cite it, plus a short, declared list of elements that
live outside the forms (services, PDFs). The declared list is kept honest by hand: add an entry only
when the element exists and is tested.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from ehdesk.forms.model import Field, FormDefinition, Prompt, Repeat
from ehdesk.forms.obligation import Obligation
from ehdesk.forms.registry import FORMS
from ehdesk.forms.rules import rule_table

_G = Obligation  # short, for the table below

OBLIGATIONS: Mapping[Obligation, str] = MappingProxyType(
    {
        _G.G1: "Early Help does not need the family's consent before information is shared with it.",
        _G.G2: "Whoever refers a family should talk the referral through with the parents first.",
        _G.G3: "Every allocated family, new or existing, receives the privacy notice (copy or link).",
        _G.G4: "A casenote called 'privacy notice shared' on the casefile proves the notice was given.",
        _G.G5: "New families hear that we will talk to the professionals who support them, and why.",
        _G.G6: "Existing families hear that sharing no longer rests on consent but on public duties.",
        _G.G7: "Share only what is relevant, only with professionals who need it.",
        _G.G8: "If a family objected to an agency, find out why; contact it only when worried about a child.",
        _G.G9: "Always try to talk to the family first, unless a child's immediate safety is at risk.",
        _G.G10: "Tell the family before sharing, unless that would risk harm, hinder a criminal "
        "investigation or delay safeguarding.",
        _G.G11: "Tell the family what is being shared.",
        _G.G12: "Tell the family why it is needed.",
        _G.G13: "Tell the family what it will be used for.",
        _G.G14: "Tell the family who will receive it.",
        _G.G15: "Sharing must be proportionate, relevant, for the child's wellbeing and need-to-know.",
        _G.G16: "Sharing for any other purpose needs consent, or it may breach confidentiality.",
        _G.G17: "When a family worries about an agency, explore the barriers with them.",
        _G.G18: "Reassure the family that only relevant, proportionate information goes to those who "
        "need it.",
        _G.G19: "Managers record their oversight on the casefile, setting out how they decided.",
        _G.G20: "Early Help is voluntary; a decline goes to the line manager promptly for direction.",
        _G.G21: "On a decline, ask how the existing network can meet the family's needs.",
        _G.G22: "On a decline, decide who must be told that Early Help is closing.",
        _G.G23: "On a decline, ask whether it raises concerns for the children.",
        _G.G24: "On a decline, ask whether a threshold discussion (step up to social care) is needed.",
        _G.G25: "Policies and leaflets change; the texts are versioned data an authority replaces.",
    }
)

#: Elements outside the form definitions that serve an obligation: (obligation, what it does, the code
#: that does it as "module:attribute"). Kept short and true: a test imports every "where", so an element
#: is listed only once it exists.
DECLARED: tuple[tuple[Obligation, str, str], ...] = (
    (
        Obligation.G19,
        "only managers record decisions (service permission check)",
        "ehdesk.services.decisions:record_decision",
    ),
    (
        Obligation.G19,
        "a signed decision is locked: the storage guard refuses any change or deletion",
        "ehdesk.storage.guards:refuse_changes_to_locked_records",
    ),
    (
        Obligation.G25,
        "every record stores the policy pack's stamp (version + content fingerprint)",
        "ehdesk.policy.pack:PolicyPack",
    ),
    (
        Obligation.G25,
        "an authority's pack may reword any rule's message ([messages] in pack.toml)",
        "ehdesk.services.validation:validation_context",
    ),
)


def _field_elements(form: FormDefinition, f: Field, path: str) -> Iterable[tuple[Obligation, str]]:
    kind = "prompt" if isinstance(f, Prompt) else "field"
    key = f" [policy text '{f.policy_key}']" if isinstance(f, Prompt) and f.policy_key else ""
    for obligation in f.obligations:
        yield obligation, f"{kind} {form.id}.{path}{key}"
    if isinstance(f, Prompt) and f.policy_key:
        yield Obligation.G25, f"prompt {form.id}.{path} shows versioned policy text '{f.policy_key}'"
    if isinstance(f, Repeat):
        for sub in f.fields:
            yield from _field_elements(form, sub, f"{path}[].{sub.name}")


def coverage(forms: Iterable[FormDefinition] | None = None) -> dict[Obligation, list[str]]:
    """Each obligation G1–G25 with the rules, prompts, fields and declared elements that serve it.

    An obligation with an empty list is uncovered; ``ehdesk rules --coverage`` fails on it.
    """
    chosen = list(FORMS.values() if forms is None else forms)
    result: dict[Obligation, list[str]] = {obligation: [] for obligation in OBLIGATIONS}

    def add(obligation: Obligation, element: str) -> None:
        """File ``element`` under a guidance obligation; ``DQ`` serves none and is not reported."""
        if not obligation.is_guidance:
            return
        if obligation not in result:  # an ID with no wording here is a bug, not something to drop
            raise KeyError(f"{obligation} has no entry in OBLIGATIONS")
        if element not in result[obligation]:
            result[obligation].append(element)

    for row in rule_table(chosen):
        where = f"{row.form}.{row.field}" if row.field else row.form
        add(row.obligation, f"rule {row.rule_id} ({where})")
    for form in chosen:
        for f in form.fields():
            for obligation, element in _field_elements(form, f, f.name):
                add(obligation, element)
    for obligation, element, where in DECLARED:
        add(obligation, f"{element} ({where})")
    return result


def uncovered(report: Mapping[Obligation, list[str]]) -> list[Obligation]:
    return [obligation for obligation, elements in report.items() if not elements]
