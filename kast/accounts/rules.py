"""Who may do what with accounts: the one place where these rules live (CKAN-style roles per
organisation plus a site-wide administrator).

- a *lid* manages only their own password and API tokens;
- a *redacteur* may also create *lid* accounts (for the municipalities and partners they curate with);
- a *beheerder* manages every account: create with any role, change role and organisation, disable.

`SYSTEM` is the command line on the server: whoever has a shell there already has the database.
"""
from ..visibility import ROLES

SYSTEM = None   # the actor for `kast user …`


def role_of(actor) -> str:
    return "systeem" if actor is SYSTEM else actor.role


def may_create(actor, role: str) -> bool:
    """
    >>> from types import SimpleNamespace as A
    >>> may_create(A(role="redacteur"), "lid"), may_create(A(role="redacteur"), "beheerder"), may_create(None, "beheerder")
    (True, False, True)
    """
    if role not in ROLES:
        return False
    return actor is SYSTEM or actor.role == "beheerder" or (actor.role == "redacteur" and role == "lid")


def may_manage(actor) -> bool:
    """Change another account's role or organisation, or disable it."""
    return actor is SYSTEM or actor.role == "beheerder"


def may_list(actor) -> bool:
    return actor is SYSTEM or actor.role in ("redacteur", "beheerder")
