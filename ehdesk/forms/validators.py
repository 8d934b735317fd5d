"""Data-quality checks a UK admin team needs, and factories that wrap them as registered rules.

The plain ``is_*`` functions answer one question about one value and never raise, so the GUI can use
them while the user types. The ``*_rule`` factories turn them into :class:`~ehdesk.forms.model.Rule`
objects with an ID, the obligation ``DQ`` (data quality) and a message that says what to do, so they
appear in ``ehdesk rules`` like every other rule. We lean on the field's libraries (``phonenumbers``,
``email-validator``, ``python-stdnum``) rather than hand-written patterns; the postcode is the one
exception because no postcode library is well kept, so it is a regex of the official format.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from ehdesk.forms.conditions import Condition, Scope
from ehdesk.forms.model import Check, Rule, Severity, ValidationContext
from ehdesk.forms.obligation import Obligation

# The official UK postcode format (outward code: area + district; inward code: sector + unit), with
# GIR 0AA, the one historic exception. Letters that never appear in a position are excluded.
_POSTCODE = re.compile(
    r"^(?:GIR ?0AA|"
    r"(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2})$"
)

#: How far in the past an expected delivery date may be before we ask for the birth date instead.
EDD_GRACE = timedelta(weeks=6)
#: A pregnancy lasts at most about 42 weeks, so a later expected date is a typing mistake.
EDD_HORIZON = timedelta(weeks=42)
CHILD_AGE_LIMIT = 18
SEND_AGE_LIMIT = 25


# --- plain checks --------------------------------------------------------------------------------
# The libraries are imported by the checks that use them, on the first value checked: the form
# definitions are imported on every start (the Desk's record specs hold them), and ``phonenumbers``
# and ``email-validator`` alone took longer to import (~50 ms) than everything else in the forms
# (start-up, issue 18).


def normalise_postcode(value: str) -> str:
    """Upper case with one space before the inward code, the way Royal Mail prints it."""
    compact = re.sub(r"\s+", "", value).upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def is_uk_postcode(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    return bool(_POSTCODE.match(normalise_postcode(value)))


@dataclass(frozen=True)
class _PhoneFacts:
    """What the three phone checks ask about one written number, answered from one parse."""

    possible: bool
    valid: bool
    service: bool


_NOT_A_NUMBER = _PhoneFacts(possible=False, valid=False, service=False)


@lru_cache(maxsize=512)
def _phone_facts(value: str) -> _PhoneFacts:
    """Parse once and answer every phone question for ``value``.

    Each phone field carries three rules (refused, unlisted, service number) asking four questions of
    the same text, and each question used to parse it again: four parses per number were over a third
    of validating a referral (issue 18). The answers depend only on the text, so they are cached.
    """
    if len(value) > 40:
        return _NOT_A_NUMBER
    import phonenumbers
    from phonenumbers import shortnumberinfo

    try:
        parsed = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        return _NOT_A_NUMBER
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    return _PhoneFacts(
        possible=reason == phonenumbers.ValidationResult.IS_POSSIBLE,  # "local only" lacks its area code
        valid=bool(phonenumbers.is_valid_number(parsed)),
        service=bool(shortnumberinfo.is_valid_short_number_for_region(parsed, "GB")),
    )


def is_uk_phone(value: Any) -> bool:
    """A number Ofcom has allocated (landline or mobile), written in UK or international form."""
    return isinstance(value, str) and _phone_facts(value).valid


def is_possible_uk_phone(value: Any) -> bool:
    """A number of a length and shape a phone number can have (allocated or not).

    Ofcom's allocation changes faster than the ``phonenumbers`` data, so a real-looking number in a
    range it does not list is kept as written (with a warning) rather than refused.
    """
    return isinstance(value, str) and _phone_facts(value).possible


def is_uk_service_number(value: Any) -> bool:
    """A short number ``phonenumbers`` knows for the UK: 101 (police, not an emergency), 111 (NHS), 105,
    116 123, 999 … Referrers write them ("ring 101, ref 1234"); they are real numbers, though of a
    service rather than of the person, so they are kept with a warning, never refused."""
    return isinstance(value, str) and _phone_facts(value).service


def is_email(value: Any) -> bool:
    """Syntax only: no network look-up, because the desk may be offline and records arrive on paper."""
    if not isinstance(value, str):
        return False
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(value, check_deliverability=False)
    except (EmailNotValidError, ValueError, TypeError):
        return False
    return True


def is_nhs_number(value: Any) -> bool:
    """Ten digits (spaces or dashes allowed) whose modulus-11 check digit is right."""
    if not isinstance(value, str):
        return False
    from stdnum.gb import nhs

    try:
        return bool(nhs.is_valid(value))
    except Exception:  # stdnum raises its own errors for odd input; a check never raises
        return False


def as_date(value: Any) -> date | None:
    """A cleaned date value (ISO text or a date) as a date; ``None`` for anything else."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def age_on(birth: date, on: date) -> int:
    """Whole years between a birth date and a day, the way birthdays count them."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


# --- rule factories ------------------------------------------------------------------------------


def _dq_rule(
    rule_id: str,
    message: str,
    check: Check,
    why: str,
    *,
    severity: Severity = Severity.ERROR,
    when: Condition | None = None,
) -> Rule:
    """A data-quality rule: it keeps the record accurate rather than serving one obligation."""
    return Rule(
        id=rule_id,
        obligation=Obligation.DQ,
        severity=severity,
        message=message,
        check=check,
        why=why,
        when=when,
    )


def _on_value(test: Callable[[Any], bool]) -> Check:
    """A rule check that looks only at the field's own value."""
    return lambda value, _scope, _ctx: test(value)


def _dates_in_order(other_field: str, *, value_is_later: bool) -> Check:
    """This date and ``other_field``'s (same scope) are in order; passes while either is unknown."""

    def check(value: Any, scope: Scope, _ctx: ValidationContext) -> bool:
        mine, other = as_date(value), as_date(scope.get(other_field))
        if mine is None or other is None:
            return True
        return mine >= other if value_is_later else mine <= other

    return check


def postcode_rule(rule_id: str = "DQ.postcode") -> Rule:
    return _dq_rule(
        rule_id,
        "Enter a full UK postcode, for example SW1A 1AA",
        _on_value(is_uk_postcode),
        "The postcode finds the family's locality team and helps spot a family already known to us.",
    )


def phone_rule(rule_id: str = "DQ.phone") -> Rule:
    """Refuses only a number no phone can have (too short, too long, letters); a UK service number
    such as 101 is a number (see :func:`phone_service_rule`)."""
    return _dq_rule(
        rule_id,
        "Enter a UK phone number with its area code, for example 0161 496 0000 or 07400 123456",
        _on_value(lambda value: is_possible_uk_phone(value) or is_uk_service_number(value)),
        "A mistyped number means the family or professional cannot be reached.",
    )


def phone_unlisted_rule(rule_id: str = "DQ.phone-unlisted") -> Rule:
    """Warns about a possible number in a range not known to be allocated: kept as written."""
    return _dq_rule(
        rule_id,
        "This number is not in a range known to be in use: check it against the referral, and "
        "save it as written if that is what the paper says",
        _on_value(lambda value: not is_possible_uk_phone(value) or is_uk_phone(value)),
        "New number ranges are allocated all the time; a number the paper gives is kept as written.",
        severity=Severity.WARNING,
    )


def phone_service_rule(rule_id: str = "DQ.phone-service") -> Rule:
    """Warns that a short service number (101, 111 …) reaches a service, not the person: kept as written."""
    return _dq_rule(
        rule_id,
        "This is a short service number (such as 101 or 111), which reaches a public service "
        "rather than this person: look on the paper for their own number, and save this as written if "
        "it is all the paper gives",
        _on_value(lambda value: not is_uk_service_number(value)),
        "A service line is a real number the paper gives, but nobody can call the referrer back on it.",
        severity=Severity.WARNING,
    )


def phone_rules() -> tuple[Rule, Rule, Rule]:
    """Every phone check: impossible numbers are refused; unlisted ones and service numbers (101)
    are only warned about."""
    return (phone_rule(), phone_unlisted_rule(), phone_service_rule())


def email_rule(rule_id: str = "DQ.email") -> Rule:
    return _dq_rule(
        rule_id,
        "Enter an e-mail address like name@example.org",
        _on_value(is_email),
        "Information sent to a mistyped address may reach the wrong person.",
    )


def nhs_number_rule(rule_id: str = "DQ.nhs-number") -> Rule:
    return _dq_rule(
        rule_id,
        "Check the NHS number: it needs 10 digits, and as typed its check digit does not match",
        _on_value(is_nhs_number),
        "The NHS number matches the child to health records; a wrong one links the wrong child.",
    )


def not_future_rule(rule_id: str = "DQ.not-future", what: str = "This date") -> Rule:
    def check(value: Any, _scope: Scope, ctx: ValidationContext) -> bool:
        day = as_date(value)
        return day is None or day <= ctx.today

    return _dq_rule(
        rule_id,
        message=f"{what} cannot be in the future: check the day, month and year",
        check=check,
        why="A date after today is a typing mistake and would make ages and timescales wrong.",
    )


def not_before_rule(
    rule_id: str, other_field: str, message: str, *, why: str = "", when: Condition | None = None
) -> Rule:
    """This date must not be earlier than another date in the same scope (when both are known)."""
    return _dq_rule(rule_id, message, _dates_in_order(other_field, value_is_later=True), why, when=when)


def birth_before_referral_rule(
    rule_id: str = "DQ.born-before-referral", referral_field: str = "received_on"
) -> Rule:
    """A child cannot be born after the referral about them arrived (unborn children use the EDD)."""
    return _dq_rule(
        rule_id,
        "The birth date is after the date the referral was received: check both dates, "
        "or mark the child as unborn",
        _dates_in_order(referral_field, value_is_later=False),
        "A referral cannot be about a child born after it arrived; one of the dates is mistyped.",
    )


def _age_at_referral(value: Any, scope: Scope, ctx: ValidationContext, referral_field: str) -> int | None:
    birth = as_date(value)
    if birth is None:
        return None
    on = as_date(scope.get(referral_field)) or ctx.today
    return age_on(birth, on)


def _is_send(scope: Scope, send_field: str) -> bool:
    return scope.get(send_field) is True


def child_age_rule(
    rule_id: str = "DQ.child-age", referral_field: str = "received_on", send_field: str = "send"
) -> Rule:
    """Early Help is for children under 18; with SEND it may continue to 25 (that case only warns)."""

    def check(value: Any, scope: Scope, ctx: ValidationContext) -> bool:
        age = _age_at_referral(value, scope, ctx, referral_field)
        if age is None:
            return True
        limit = SEND_AGE_LIMIT if _is_send(scope, send_field) else CHILD_AGE_LIMIT - 1
        return age <= limit

    return _dq_rule(
        rule_id,
        message="The child must be under 18 on the day the referral was received (up to 25 with special "
        "educational needs or a disability): check the birth date",
        check=check,
        why="Early Help serves children and young people; adults are referred to adult services.",
    )


def send_age_rule(
    rule_id: str = "DQ.child-age-send", referral_field: str = "received_on", send_field: str = "send"
) -> Rule:
    def check(value: Any, scope: Scope, ctx: ValidationContext) -> bool:
        age = _age_at_referral(value, scope, ctx, referral_field)
        if age is None or not _is_send(scope, send_field):
            return True
        return not CHILD_AGE_LIMIT <= age <= SEND_AGE_LIMIT

    return _dq_rule(
        rule_id,
        severity=Severity.WARNING,
        message="This young person is 18 or over: confirm they have special educational needs or a "
        "disability and that Early Help is the right service",
        check=check,
        why="Support can continue to 25 for young people with SEND, but it is unusual and worth a check.",
    )


def expected_delivery_rule(rule_id: str = "DQ.expected-delivery") -> Rule:
    def check(value: Any, _scope: Scope, ctx: ValidationContext) -> bool:
        day = as_date(value)
        if day is None:
            return True
        return ctx.today - EDD_GRACE <= day <= ctx.today + EDD_HORIZON

    weeks = EDD_GRACE.days // 7
    return _dq_rule(
        rule_id,
        message=f"The expected delivery date must be no more than {weeks} weeks ago and within the next "
        "42 weeks: if the baby has been born, untick 'unborn' and enter the birth date",
        check=check,
        why="An old expected date usually means the baby has been born and the record needs the birth date.",
    )


def max_length_message(limit: int) -> str:
    return f"Shorten this to {limit} characters or fewer"
