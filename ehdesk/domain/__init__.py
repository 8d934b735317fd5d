"""Plain typed values shared by every layer: roles, person kinds, how a referral arrived."""

from ehdesk.domain.enums import PersonKind, Role

__all__ = ["PersonKind", "Role"]
