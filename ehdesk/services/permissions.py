"""Who may do what. Services call :func:`require`; the GUI may hide what a role cannot do, but hiding
is a courtesy, not the control."""

from __future__ import annotations

from enum import StrEnum

from ehdesk.domain import Role
from ehdesk.errors import PermissionDenied
from ehdesk.services.actor import Actor


class Permission(StrEnum):
    MANAGE_USERS = "manage users"
    CREATE_REFERRAL = "key in referrals"
    VIEW_FAMILIES = "look up families"
    RECORD_SHARING = "record information sharing, objections and declines"
    SHARE_PRIVACY_NOTICE = "share privacy-notice packs"
    ALLOCATE = "allocate families to workers"
    DECIDE = "record management decisions"
    SIGN_DECISION = "sign management decisions"
    VIEW_AUDIT = "check the audit trail"
    VIEW_ACCESS_LOG = "read who opened which family"


_WORKER = {
    Permission.VIEW_FAMILIES,
    Permission.RECORD_SHARING,
    Permission.SHARE_PRIVACY_NOTICE,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(
        {Permission.MANAGE_USERS, Permission.CREATE_REFERRAL, Permission.VIEW_FAMILIES, Permission.VIEW_AUDIT}
    ),
    Role.WORKER: frozenset(_WORKER),
    Role.MANAGER: frozenset(
        _WORKER
        | {
            Permission.CREATE_REFERRAL,
            Permission.ALLOCATE,
            Permission.DECIDE,
            Permission.SIGN_DECISION,
            Permission.VIEW_AUDIT,
            Permission.VIEW_ACCESS_LOG,
        }
    ),
}


def allowed(actor: Actor, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[actor.role]


def require(actor: Actor, permission: Permission) -> None:
    """Raise :class:`PermissionDenied` naming what was refused and who can do it."""
    if allowed(actor, permission):
        return
    who = [role.title.lower() + "s" for role, perms in ROLE_PERMISSIONS.items() if permission in perms]
    raise PermissionDenied(
        f"{actor.username} ({actor.role.title.lower()}) cannot {permission.value}; "
        f"only {' and '.join(who)} can — ask one of them"
    )
