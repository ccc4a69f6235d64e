"""Curation of the kast on git: propose, edit, review and publish, with history, conflicts caught and
nothing lost. The web layer and the CLI only translate to these functions.

    from kast.curation import Editor, open_curation
    cur = open_curation()
    lid = Editor("account-17", "Beleidsadviseur Assen", "lid", "gm0106")
    result = cur.propose(lid, {"titel": "…", "soort": "best", …})
    cur.submit(lid, result.proposal.id)
"""
from .history import atom
from .identity import Conflict, CurationError, Editor, InvalidState, NotAllowed, NotFound, Rejected
from .publish import PUBLISH_HOOKS, PublishEvent
from .repo import ContentRepo
from .workflow import Curation, Draft, SaveResult


def open_curation(names: bool = True) -> Curation:
    """The curation of the configured content repository (created on first use; see settings)."""
    from .settings import open_repo

    return Curation(open_repo(), names=names)


__all__ = ["Conflict", "ContentRepo", "Curation", "CurationError", "Draft", "Editor", "InvalidState",
           "NotAllowed", "NotFound", "PUBLISH_HOOKS", "PublishEvent", "Rejected", "SaveResult", "atom",
           "open_curation"]
