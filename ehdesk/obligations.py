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
from ehdesk.forms.registry import FORMS
from ehdesk.forms.rules import rule_table

OBLIGATIONS: Mapping[str, str] = MappingProxyType(
    {
        "G1": "Early Help does not need the family's consent before information is shared with it.",
        "G2": "Whoever refers a family should talk the referral through with the parents first.",
        "G3": "Every allocated family, new or existing, receives the privacy notice (copy or link).",
        "G4": "A casenote called 'privacy notice shared' on the casefile proves the notice was given.",
        "G5": "New families hear that we will talk to the professionals who support them, and why.",
        "G6": "Existing families hear that sharing no longer rests on consent but on public duties.",
        "G7": "Share only what is relevant, only with professionals who need it.",
        "G8": "If a family objected to an agency, find out why; contact it only when worried about a child.",
        "G9": "Always try to talk to the family first, unless a child's immediate safety is at risk.",
        "G10": "Tell the family before sharing, unless that would risk harm, hinder a criminal "
        "investigation or delay safeguarding.",
        "G11": "Tell the family what is being shared.",
        "G12": "Tell the family why it is needed.",
        "G13": "Tell the family what it will be used for.",
        "G14": "Tell the family who will receive it.",
        "G15": "Sharing must be proportionate, relevant, for the child's wellbeing and need-to-know.",
        "G16": "Sharing for any other purpose needs consent, or it may breach confidentiality.",
        "G17": "When a family worries about an agency, explore the barriers with them.",
        "G18": "Reassure the family that only relevant, proportionate information goes to those who need it.",
        "G19": "Managers record their oversight on the casefile, setting out how they decided.",
        "G20": "Early Help is voluntary; a decline goes to the line manager promptly for direction.",
        "G21": "On a decline, ask how the existing network can meet the family's needs.",
        "G22": "On a decline, decide who must be told that Early Help is closing.",
        "G23": "On a decline, ask whether it raises concerns for the children.",
        "G24": "On a decline, ask whether a threshold discussion (step up to social care) is needed.",
        "G25": "Policies and leaflets change; the texts are versioned data an authority replaces.",
    }
)

#: Elements outside the form definitions that serve an obligation: (obligation, what it does, the code
#: that does it as "module:attribute"). Kept short and true: a test imports every "where", so an element
#: is listed only once it exists.
DECLARED: tuple[tuple[str, str, str], ...] = (
    (
        "G19",
        "only managers record decisions (service permission check)",
        "ehdesk.services.decisions:record_decision",
    ),
    (
        "G19",
        "a signed decision is locked: the storage guard refuses any change or deletion",
        "ehdesk.storage.guards:refuse_changes_to_locked_records",
    ),
    (
        "G25",
        "every record stores the policy pack's stamp (version + content fingerprint)",
        "ehdesk.policy.pack:PolicyPack",
    ),
    (
        "G25",
        "an authority's pack may reword any rule's message ([messages] in pack.toml)",
        "ehdesk.services.validation:validation_context",
    ),
)


def _field_elements(form: FormDefinition, f: Field, path: str) -> Iterable[tuple[str, str]]:
    kind = "prompt" if isinstance(f, Prompt) else "field"
    key = f" [policy text '{f.policy_key}']" if isinstance(f, Prompt) and f.policy_key else ""
    for obligation in f.obligations:
        yield obligation, f"{kind} {form.id}.{path}{key}"
    if isinstance(f, Prompt) and f.policy_key:
        yield "G25", f"prompt {form.id}.{path} shows versioned policy text '{f.policy_key}'"
    if isinstance(f, Repeat):
        for sub in f.fields:
            yield from _field_elements(form, sub, f"{path}[].{sub.name}")


def coverage(forms: Iterable[FormDefinition] | None = None) -> dict[str, list[str]]:
    """Each obligation G1–G25 with the rules, prompts, fields and declared elements that serve it.

    An obligation with an empty list is uncovered; ``ehdesk rules --coverage`` fails on it.
    """
    chosen = list(FORMS.values() if forms is None else forms)
    result: dict[str, list[str]] = {obligation: [] for obligation in OBLIGATIONS}

    def add(obligation: str, element: str) -> None:
        if obligation in result and element not in result[obligation]:
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


def uncovered(report: Mapping[str, list[str]]) -> list[str]:
    return [obligation for obligation, elements in report.items() if not elements]
