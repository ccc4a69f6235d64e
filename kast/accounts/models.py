"""The tables of the accounts database: accounts, login sessions, API tokens and the audit log.

Personal and confidential data lives here, never in `data/` or the graph. Secrets (passwords, session
keys, API tokens) are stored only as hashes.
"""
import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def now() -> dt.datetime:
    """UTC without tzinfo: SQLite and PostgreSQL then store and compare the same values."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)        # the login name
    display_name: Mapped[str] = mapped_column(String(120))               # shown in history and commits
    organisation: Mapped[str] = mapped_column(String(100), index=True)   # an organisation id in the graph
    role: Mapped[str] = mapped_column(String(20))                        # lid | redacteur | beheerder
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    external_id: Mapped[str | None] = mapped_column(String(255), unique=True, nullable=True)   # issuer|sub (SSO)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    password_changed: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class LoginSession(Base):
    """A server-side session: the cookie holds a random key, this row its hash. Deleting the row ends the
    session everywhere, so a copied cookie stops working after logout (Flask-Login's own cookie would not)."""
    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(80))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))      # the first characters, so an owner can recognise it
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    last_used: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    revoked: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class AuditEvent(Base):
    """Who did what, when and from where. Never a secret and never content."""
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, index=True)
    event: Mapped[str] = mapped_column(String(40), index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True)      # who did it (None: the CLI)
    account_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)   # whom it concerns
    address: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    detail: Mapped[str] = mapped_column(String(200), default="")
