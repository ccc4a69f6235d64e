"""Publishing, archiving, bringing a proposal up to date and reverting (methods of Curation).

Publishing never merges what it cannot merge cleanly, never publishes a proposal with an error or an
unresolved privacy finding, and never lets anyone approve a proposal they wrote content for.
"""
import datetime as dt
from dataclasses import dataclass, field

from . import entry as entry_format
from . import kinds, meta
from .identity import Conflict, Editor, InvalidState, NotAllowed, NotFound, Rejected
from .merge import three_way

PUBLISH_HOOKS: list = []   # callables(PublishEvent), e.g. the incremental loader re-reading `paths`


@dataclass
class PublishEvent:
    """A change on the published branch: which commit, which files, which entry."""

    commit: str
    previous: str
    paths: list[str]
    entry_id: str
    action: str
    merged_fields: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"versie": self.commit, "vorige": self.previous, "bestanden": self.paths, "item": self.entry_id,
                "actie": self.action, "samengevoegd": self.merged_fields}


def _emit(event: PublishEvent) -> PublishEvent:
    for hook in list(PUBLISH_HOOKS):
        hook(event)
    return event


class Publishing:
    def _three_way_with_published(self, p: meta.Proposal, fields: dict, choices: dict | None = None):
        """(merged fields, fields taken from the published version, published head, its blob id)."""
        handler = kinds.of(p.kind)
        pub_head = self.repo.head(self.repo.published_ref)
        base = handler.read(self.repo, p.basis.encode(), p.path, p.entry_id) if p.basis else None
        current = handler.read(self.repo, pub_head, p.path, p.entry_id)
        if (base and base[1]) == (current and current[1]):
            return fields, [], pub_head, current
        result = three_way(base[0] if base else {}, fields, current[0] if current else {}, handler.managed)
        for key, choice in (choices or {}).items():
            if key in result.conflicts:
                value = result.conflicts.pop(key)["mijn" if choice == "mijn" else "huidig"]
                if value is None:
                    result.merged.pop(key, None)
                else:
                    result.merged[key] = value
        if result.conflicts:
            raise Conflict("de gepubliceerde versie is intussen op dezelfde velden gewijzigd: "
                           + ", ".join(result.conflicts) + ". Werk het voorstel eerst bij en kies per veld; "
                           "er is niets overschreven.", result.conflicts,
                           current[1] if current else "")
        return result.merged, result.theirs_applied, pub_head, current

    def publish(self, editor: Editor, proposal_id: str, comment: str = "") -> PublishEvent:
        """ter beoordeling → gepubliceerd: one commit on the published branch (four eyes)."""
        if not editor.curator:
            raise NotAllowed("alleen een redacteur kan publiceren")
        with self.repo.locked():
            p = self.proposal(editor, proposal_id)
            if p.status != "ter-review":
                raise InvalidState("alleen een voorstel dat ter beoordeling ligt, kan worden gepubliceerd")
            if editor.account in self.contributors(p):
                raise NotAllowed("vier ogen: u kunt geen voorstel goedkeuren dat u zelf hebt gedaan of gewijzigd")
            comment = self._check_comment(comment)
            pub_ref = self.repo.published_ref
            done = self.repo.walk(pub_ref, max_entries=1)   # the head: no walk through 10,000 trees
            if done and meta.parse(done[0].message).get("Voorstel") == p.id:   # published before a kill
                self._status_commit(editor, p, "gepubliceerd", "gepubliceerd", comment,
                                    Publicatie=done[0].id.decode())
                return PublishEvent(done[0].id.decode(), done[0].parents[0].decode(), [p.path], p.entry_id,
                                    "gepubliceerd")
            if p.new and p.entry_id in self.context().items:   # another proposal published this id meanwhile
                message = (f"het id '{p.entry_id}' bestaat intussen al in de kast; er is niets overschreven. "
                           "Trek dit voorstel in en stel het opnieuw voor met een ander id")
                raise Rejected(message, [{"veld": "id", "melding": message}])
            draft = self.draft(editor, proposal_id, validate=False)
            final, merged_fields, pub_head, _ = self._three_way_with_published(p, draft.fields)
            handler = kinds.of(p.kind)
            final = handler.stamp(final, dt.datetime.now(dt.timezone.utc).date().isoformat())
            self._check_publishable(final, p, draft.marked)
            trailers = {"Actie": "gepubliceerd", "Voorstel": p.id, "Item": p.entry_id, "Pad": p.path,
                        "Door": editor.account, "Rol": editor.role, "Indiener": p.proposer,
                        "Indiener-Naam": p.proposer_name, "Organisatie": p.organisation, "Toelichting": comment,
                        "Concept": p.head, "Samengevoegd": ", ".join(merged_fields), "Status": "gepubliceerd",
                        "Soort": "" if p.kind == "praktijk" else p.kind}
            what = kinds.a_new(handler.label).removeprefix("een ").capitalize() if p.new else "Gewijzigd"
            subject = f"{what}: {handler.title(final) or p.entry_id}"
            content = handler.content(self.repo, pub_head, p.path, p.entry_id, final, p.new)
            commit = self.repo.commit(pub_ref, {p.path: content}, editor.signature,
                                      meta.message(subject, trailers), pub_head)
            self._status_commit(editor, p, "gepubliceerd", "gepubliceerd", comment, Publicatie=commit.decode())
        self.context()   # knows the new id from now on
        return _emit(PublishEvent(commit.decode(), pub_head.decode(), [p.path], p.entry_id, "gepubliceerd",
                                  merged_fields))

    def _check_publishable(self, fields: dict, p: meta.Proposal, marked: dict) -> None:
        errors = [m for m in self._validate(p, fields) if m.severity == "fout"]
        if errors:
            raise Rejected("het voorstel bevat fouten en kan niet worden gepubliceerd",
                           [m.as_dict() for m in errors])
        findings = [f for f in self._scan(fields, p.entry_id, p.kind) if f.fingerprint not in marked]
        if findings:
            raise Rejected("het voorstel bevat mogelijk persoonsgegevens: haal ze weg, of een redacteur markeert "
                           "ze met een reden als geen persoonsgegeven", [f.as_dict() for f in findings])

    def update_from_published(self, editor: Editor, proposal_id: str, choices: dict | None = None):
        """Bring a proposal onto the current published version; `choices` settles conflicts per field
        ('mijn' keeps the proposal's value, 'huidig' the published one)."""
        from .workflow import SaveResult

        with self.repo.locked():
            p = self.proposal(editor, proposal_id)
            if p.proposer != editor.account and not editor.curator:
                raise NotAllowed("u kunt alleen uw eigen voorstellen bijwerken")
            if p.status not in ("concept", "ter-review"):
                raise InvalidState("dit voorstel is al afgerond")
            draft = self.draft(editor, proposal_id, validate=False)
            merged, merged_fields, pub_head, _ = self._three_way_with_published(p, draft.fields, choices)
            if pub_head.decode() == p.basis:
                return SaveResult(p, draft.version, False)
            state = dict(p.state(), Basis=pub_head.decode())
            trailers = dict(state, Actie="bijgewerkt", Status=p.status, Door=editor.account, Rol=editor.role,
                            Samengevoegd=", ".join(merged_fields))
            handler = kinds.of(p.kind)   # a list file is taken as published now, with this entry replaced
            content = handler.content(self.repo, pub_head, p.path, p.entry_id, merged, p.new)
            commit = self.repo.commit(self._ref(p.id), {p.path: content}, editor.signature,
                                      meta.message(f"Bijgewerkt: {p.entry_id}", trailers), p.head.encode())
            p = meta.Proposal.of(p.id, self.repo.commit_obj(commit))
        version = handler.version_at(self.repo, commit, p.path, p.entry_id)
        return SaveResult(p, version, True, merged_fields, self._validate(p, merged))

    def archive(self, editor: Editor, entry_id: str, reason: str) -> PublishEvent:
        """gepubliceerd → gearchiveerd (a redacteur; stays findable as archived, with the reason)."""
        if not editor.curator:
            raise NotAllowed("alleen een redacteur kan archiveren")
        if not meta.one_line(reason):
            raise Rejected("geef de reden van het archiveren", [{"veld": "toelichting", "melding": "verplicht"}])
        with self.repo.locked():
            current = self.published(entry_id, editor)
            if current is None:
                raise NotFound("dit item bestaat niet")
            fields, _ = current
            if fields.get("status") != "gepubliceerd":
                raise InvalidState("alleen een gepubliceerd item kan worden gearchiveerd")
            fields = dict(fields, status="gearchiveerd", gewijzigd=dt.datetime.now(dt.timezone.utc).date().isoformat())
            pub_ref, path = self.repo.published_ref, entry_format.path_of(entry_id)
            pub_head = self.repo.head(pub_ref)
            trailers = {"Actie": "gearchiveerd", "Item": entry_id, "Pad": path, "Door": editor.account,
                        "Rol": editor.role, "Toelichting": self._check_comment(reason), "Status": "gearchiveerd"}
            commit = self.repo.commit(pub_ref, {path: entry_format.serialise(fields)}, editor.signature,
                                      meta.message(f"Gearchiveerd: {fields.get('titel') or entry_id}", trailers),
                                      pub_head)
        return _emit(PublishEvent(commit.decode(), pub_head.decode(), [path], entry_id, "gearchiveerd"))

    def revert(self, editor: Editor, entry_id: str, commit: str, comment: str = "", kind: str = "praktijk"):
        """Propose the entry as it was at `commit` — a new change that goes through review."""
        current = self.published(entry_id, editor, kind)
        if current is None:
            raise NotFound("dit item bestaat niet")
        old = self.version_at(entry_id, commit, editor, kind)
        for key in kinds.of(kind).kept:   # relations the old version did not have go too: sent as empty
            old.setdefault(key, [])
        return self.propose(editor, old, entry_id, current[1], action="teruggezet", kind=kind,
                            extra={"Teruggezet-Naar": commit, "Toelichting": self._check_comment(comment)})
