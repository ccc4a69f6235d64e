"""Who edits, and the errors the library raises for the web layer to translate.

Authorisation happens here, in the library, so the CLI, the pages and the API follow one rule:

- a *lid* proposes new entries and changes, and edits and withdraws their own proposals;
- a *redacteur* (and a *beheerder*) also edits any proposal, reviews, sends back, publishes, archives
  and marks privacy findings as not personal;
- nobody approves (publishes) a proposal they proposed or changed: four eyes.
"""
from dataclasses import dataclass

from ..errors import UserError
from ..visibility import ROLES   # one list of roles for accounts, visibility and curation
from .repo import Signature


@dataclass(frozen=True)
class Editor:
    """An account as the library needs it: id, display name, role and organisation (an id in the graph)."""

    account: str
    name: str
    role: str
    organisation: str | None = None

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"onbekende rol {self.role!r}; kies uit {', '.join(ROLES)}")
        if not self.account:
            raise ValueError("een redacteur heeft een account-id")

    @property
    def curator(self) -> bool:
        return self.role in ("redacteur", "beheerder")

    @property
    def signature(self) -> Signature:
        return Signature(self.name, self.account)


class CurationError(UserError):
    """Base class: `str(error)` is a Dutch message fit for the user."""


class NotAllowed(CurationError):
    """The editor may not do this (HTTP 403)."""

    status = 403


class NotFound(CurationError):
    """No such entry or proposal, or the editor may not know it exists (HTTP 404)."""

    status = 404


class InvalidState(CurationError):
    """The proposal is not in a status where this action applies (HTTP 409)."""

    status = 409


class VersionRequired(CurationError):
    """An edit without the version it started from (HTTP 428: send If-Match)."""

    status = 428


class Rejected(CurationError):
    """Validation or privacy findings stop the action; `messages` has one entry per field (HTTP 422)."""

    status = 422

    def __init__(self, text: str, messages: list):
        super().__init__(text)
        self.messages = messages


class Conflict(CurationError):
    """Someone else changed the same fields since the editor's version (HTTP 409/412).

    `fields` maps each conflicting field to its value at the common version, the editor's value and the
    current value, so both versions can be shown side by side. Nothing was overwritten.
    """

    status = 409

    def __init__(self, text: str, fields: dict, current_version: str):
        super().__init__(text)
        self.fields = fields
        self.current_version = current_version
