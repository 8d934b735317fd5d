"""Plain typed values shared by every layer: roles, person kinds, how a referral arrived."""

from ehdesk.domain.enums import FamilyStatus, PersonKind, Role

__all__ = ["FamilyStatus", "PersonKind", "Role"]
