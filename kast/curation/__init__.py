"""Curation of the kast on git: propose, edit, review and publish, with history, conflicts caught and
nothing lost. The web layer and the CLI only translate to these functions.

    from kast.curation import Editor, open_curation
    cur = open_curation()
    lid = Editor("account-17", "Beleidsadviseur Assen", "lid", "gm0106")
    result = cur.propose(lid, {"titel": "…", "soort": "best", …})
    cur.submit(lid, result.proposal.id)

    # a change to an actor, instrument or concept (one entry of a list file): the same workflow
    fields, version = cur.published("wet-bibob", kind="instrument")
    cur.propose(lid, dict(fields, beschrijving="…"), "wet-bibob", version, kind="instrument")

    # a new one, appended to a list file of its folder (for a concept: the file of its scheme)
    cur.propose(lid, {"naam": "…", "soort": "netwerk-of-programma", …}, kind="actor", file="drenthe.yaml",
                create=True)

For the web layer: every error has a Dutch message (`str(e)`) and an HTTP `status`: NotAllowed 403,
NotFound 404 (also for what the editor may not know exists), InvalidState 409, Conflict 409 (412 for a
PUT with a stale If-Match; `e.fields` has base/mine/current per field, `e.current_version` the new ETag),
Rejected 422 (`e.messages`: one dict per field), VersionRequired 428, RepoError 503. Versions (ETags) are
the `version` of SaveResult/Draft and the second value of `Curation.published(id)`. Call
`kast.curation.guard.warm_up()` when a server starts, so the name finder (deduce) is ready off the
request path.
"""
from .history import atom
from .identity import (Conflict, CurationError, Editor, InvalidState, NotAllowed, NotFound, Rejected,
                       VersionRequired)
from .publish import PUBLISH_HOOKS, PublishEvent
from .repo import ContentRepo, RepoError
from .workflow import Curation, Draft, SaveResult


def open_curation(names: bool = True) -> Curation:
    """The curation of the configured content repository (created on first use; see settings)."""
    from .settings import open_repo

    return Curation(open_repo(), names=names)


__all__ = ["Conflict", "ContentRepo", "Curation", "CurationError", "Draft", "Editor", "InvalidState",
           "NotAllowed", "NotFound", "PUBLISH_HOOKS", "PublishEvent", "Rejected", "RepoError", "SaveResult",
           "VersionRequired", "atom", "open_curation"]
