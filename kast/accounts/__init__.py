"""Accounts, roles per organisation, login sessions, personal API tokens and the audit log.

Everything personal or confidential lives in the database (SQLAlchemy; SQLite by default, PostgreSQL
through $KAST_DATABASE_URL), never in `data/` or the graph. Every operation is authorised here.
"""
from .models import Account, ApiToken, AuditEvent
from .rules import SYSTEM
from .service import AccountError, Accounts, LoginFailed, NotAllowed, TooManyAttempts

__all__ = ["Account", "ApiToken", "AuditEvent", "SYSTEM", "AccountError", "Accounts", "LoginFailed",
           "NotAllowed", "TooManyAttempts"]
