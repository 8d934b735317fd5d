"""Users: setting up a new database (the first admin, the signing authority), logging in, and the
admins' user management (G7: only named, active users with a role act on a family's record; an
account change takes effect at the user's next action)."""

from __future__ import annotations

from ehdesk.desk.base import DeskBase
from ehdesk.domain import Role
from ehdesk.services import users
from ehdesk.services.actor import SYSTEM, Actor
from ehdesk.services.users import LoginAttempt, UserRow


class PeopleDesk(DeskBase):
    """Log-in and user management. Logging in is the one use case that needs no acting user."""

    def count_users(self) -> int:
        with self.db.read() as session:
            return users.count_users(session)

    def count_admins(self) -> int:
        with self.db.read() as session:
            return users.count_admins(session)

    def create_first_admin(
        self, username: str, full_name: str, password: str, *, beside_staff: bool = False
    ) -> Actor:
        """The first account of a new database (refused once anyone exists — or, ``beside_staff``, once an
        active admin exists); not logged in by it."""
        with self.db.session() as session:
            user = users.create_first_admin(session, username, full_name, password, beside_staff=beside_staff)
            session.flush()
            return Actor.from_user(user)

    def signing_authority_name(self) -> str | None:
        """The name on the current signing CA's certificate, or ``None`` before one is made."""
        from ehdesk.signing.authority import current_authority

        with self.db.read() as session:
            authority = current_authority(session)
            return authority.name if authority is not None else None

    def create_signing_authority(self, passphrase: str) -> str:
        """The authority's signing CA, named as the policy pack names the authority (set-up, done as the
        system before anyone logs in); returns the name."""
        from ehdesk.signing.authority import create_authority

        with self.db.session() as session:
            return create_authority(session, SYSTEM, self.policy.authority_name, passphrase).name

    def login(self, username: str, password: str) -> Actor:
        """Check the password in a unit of work of its own, so a failed attempt's count (and a success's
        reset of it) stands whatever the next use case does; the user then acts through this desk."""
        return self.finish_login(self.begin_login(username, password))

    def begin_login(self, username: str, password: str) -> LoginAttempt:
        """The first half of :meth:`login`: the user read and the attempt counted, committed. The caller
        may run the slow argon2 check (:meth:`LoginAttempt.check`, no database, GIL released) on a
        thread of its choosing, then must call :meth:`finish_login`; nobody acts until it has."""
        with self.db.session() as session:
            return users.start_login(session, username, password)

    def finish_login(self, attempt: LoginAttempt) -> Actor:
        """The second half of :meth:`login` (it checks the password itself if nobody has): the outcome
        settled and audited in a unit of work of its own; on success the user acts through this desk."""
        with self.db.session() as session:
            actor = users.finish_login(session, attempt)
        self.actor = actor
        return actor

    def list_users(self) -> list[UserRow]:
        with self._read() as (session, actor):
            return users.list_users(session, actor)

    def add_user(self, username: str, full_name: str, role: Role, password: str) -> int:
        """The new user's id, so a list can select them after reloading."""
        with self._write() as (session, actor):
            return users.create_user(session, actor, username, full_name, role, password).id

    def reset_password(self, user_id: int, new_password: str, *, version: int) -> str | None:
        """Reset a forgotten password; returns what the admin must be told about the person's signing
        certificate (the reset cannot re-seal it), or None."""
        with self._write() as (session, actor):
            users.reset_password(session, actor, user_id, new_password, version=version)
            return users.signing_notice_after_reset(session, user_id)

    def set_active(self, user_id: int, active: bool, *, version: int) -> None:
        with self._write() as (session, actor):
            users.set_active(session, actor, user_id, active, version=version)

    def change_role(self, user_id: int, role: Role, *, version: int) -> None:
        with self._write() as (session, actor):
            users.change_role(session, actor, user_id, role, version=version)

    def change_own_password(self, old_password: str, new_password: str) -> None:
        with self._write() as (session, actor):
            users.change_own_password(session, actor, old_password, new_password)
