"""The curation workflow: propose, save, submit, send back, publish, archive — authorised here.

A proposal is a branch ``voorstel/<id>`` that starts at the published version it changes (its *basis*).
Saves are commits on that branch; the work tree (what the site shows) is not touched. Publishing puts the
merged result on the published branch as one new commit whose only parent is the published head: the
draft's own commits (which may have held text that was later removed, such as a name) never become part
of the published history. Every version is a blob id (the ETag); saving onto an older version merges
field by field, or raises Conflict and overwrites nothing.
"""
import datetime as dt
import secrets
import threading
from dataclasses import dataclass, field

from ..readers import ID_PATTERN
from ..visibility import PUBLIC_STATUS, Reader
from . import entry as entry_format
from . import guard, kinds, meta
from .identity import Conflict, Editor, InvalidState, NotAllowed, NotFound, Rejected, VersionRequired
from .bulk import Bulk
from .history import Histories
from .merge import three_way
from .publish import Publishing
from .queues import Queues
from .repo import DRAFT_PREFIX, ContentRepo
from .validation import Context

@dataclass
class Draft:
    proposal: meta.Proposal
    fields: dict
    version: str
    messages: list = field(default_factory=list)
    findings: list = field(default_factory=list)      # not (yet) marked as not personal
    marked: dict = field(default_factory=dict)        # fingerprint → reason

    def as_dict(self) -> dict:
        return {"voorstel": self.proposal.as_dict(), "velden": entry_format.nest(self.fields),
                "versie": self.version, "meldingen": [m.as_dict() for m in self.messages],
                "vondsten": [f.as_dict() for f in self.findings],
                "vrijgegeven": [{"vondst": k, "reden": v} for k, v in self.marked.items()]}


@dataclass
class SaveResult:
    proposal: meta.Proposal
    version: str
    saved: bool
    merged_fields: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    findings: list = field(default_factory=list)

    @property
    def note(self) -> str:
        if not self.saved:
            return "Niets veranderd; er is niets opgeslagen."
        if self.merged_fields:
            return ("Opgeslagen. Iemand anders had intussen andere velden gewijzigd; die wijzigingen zijn "
                    "samengevoegd met de uwe: " + ", ".join(self.merged_fields) + ".")
        return "Opgeslagen."

    def as_dict(self) -> dict:
        return {"voorstel": self.proposal.as_dict(), "versie": self.version, "opgeslagen": self.saved,
                "samengevoegd": self.merged_fields, "bericht": self.note,
                "meldingen": [m.as_dict() for m in self.messages], "vondsten": [f.as_dict() for f in self.findings]}


def _today() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class Curation(Publishing, Histories, Queues, Bulk):
    def __init__(self, repo: ContentRepo, names: bool = True):
        self.repo = repo
        self.names = names            # the deduce name check; only tests of other things turn it off
        self._context: Context | None = None
        self._context_head: bytes | None = None
        self._context_lock = threading.Lock()

    # ------------------------------------------------------------------ context and reading

    def context(self) -> Context:
        """The validation context of the current published version (rebuilt only when needed)."""
        head = self.repo.head(self.repo.published_ref)
        with self._context_lock:
            if self._context is None:
                self._context = Context(self.repo.path)
            elif head != self._context_head:
                paths = self.repo.changed_paths(self._context_head, head) if self._context_head else ["*"]
                if all(entry_format.id_of(p) for p in paths):
                    for p in paths:
                        if self.repo.blob_id(head, p):
                            self._context.add_practice(entry_format.id_of(p))
                else:
                    self._context = Context(self.repo.path)
            self._context_head = head
            return self._context

    def published(self, entry_id: str, editor: Editor | None = None, kind: str = "praktijk") -> tuple[dict, str] | None:
        """(fields, version) of the published entry of `kind` (kast.curation.kinds), or None. Hidden entries
        answer None for `editor`, and so does an id no entry file can have (such as one from a URL)."""
        handler, head = kinds.of(kind), self.repo.head(self.repo.published_ref)
        path = handler.locate(self.repo, head, entry_id)
        found = handler.read(self.repo, head, path, entry_id) if path else None
        if found is None:
            return None
        if editor is not None and not self._may_see(editor, found[0]):
            return None
        return found

    def _validate(self, p_or_kind, fields: dict, path: str | None = None) -> list:
        """The loader's rules for the entry's kind (one validator: kast.curation.validation)."""
        kind = p_or_kind.kind if isinstance(p_or_kind, meta.Proposal) else p_or_kind
        path = p_or_kind.path if isinstance(p_or_kind, meta.Proposal) else path
        return kinds.of(kind).validate(self.context(), fields, self.repo, self.repo.head(self.repo.published_ref),
                                       path)

    def _may_see(self, editor: Editor, fields: dict) -> bool:
        reader = Reader(editor.role, editor.organisation)
        visibility = fields.get("zichtbaarheid") or "openbaar"
        status = fields.get("status") or "gepubliceerd"
        return visibility in reader.visible and (reader.sees_unpublished or status in PUBLIC_STATUS)

    def _ref(self, proposal_id: str) -> bytes:
        if not isinstance(proposal_id, str) or not ID_PATTERN.match(proposal_id):
            raise NotFound("dit voorstel bestaat niet")
        return DRAFT_PREFIX + proposal_id.encode()

    def proposal(self, editor: Editor, proposal_id: str) -> meta.Proposal:
        head = self.repo.head(self._ref(proposal_id))
        if head is None:
            raise NotFound("dit voorstel bestaat niet")
        p = meta.Proposal.of(proposal_id, self.repo.commit_obj(head))
        if not editor.curator and p.proposer != editor.account:
            raise NotFound("dit voorstel bestaat niet")   # another member's proposal is not theirs to know
        return p

    def draft(self, editor: Editor, proposal_id: str, validate: bool = True) -> Draft:
        p = self.proposal(editor, proposal_id)
        fields, version = kinds.of(p.kind).read(self.repo, p.head.encode(), p.path, p.entry_id) or (None, None)
        if fields is None:
            raise NotFound("dit voorstel heeft geen inhoud")
        marked = self._marks(p)
        findings = [f for f in self._scan(fields, p.entry_id, p.kind) if f.fingerprint not in marked]
        messages = self._validate(p, fields) if validate else []
        return Draft(p, fields, version, messages, findings, marked)

    def _marks(self, p: meta.Proposal) -> dict[str, str]:
        marks = {}
        for commit in self.repo.walk(p.head.encode()):
            t = meta.parse(commit.message)
            if t.get("Voorstel") != p.id:
                break
            if t.get("Actie") == "vrijgegeven" and t.get("Vondst"):
                marks.setdefault(t["Vondst"], t.get("Toelichting", ""))
        return marks

    def contributors(self, p: meta.Proposal) -> set[str]:
        """Accounts that wrote content of this proposal: none of them may approve it (four eyes)."""
        out = {p.proposer}
        for commit in self.repo.walk(p.head.encode()):
            t = meta.parse(commit.message)
            if t.get("Voorstel") != p.id:
                break
            if t.get("Actie") in meta.CONTENT_ACTIONS:
                out.add(t.get("Door", ""))
        return out

    def _scan(self, fields: dict, salt: str, kind: str = "praktijk") -> list:
        """Privacy findings; names of persons (deduce) only in the kind's free text, not in the names of
        organisations, instruments and concepts."""
        allowed = self.context().places if self.names else frozenset()
        out = []
        for key, text, names in kinds.of(kind).texts(fields):
            out += guard.scan_text(key, text, salt, names=self.names and names, allowed=allowed)
        return out

    def _check_comment(self, text: str) -> str:
        """A comment goes into a commit message: it may hold no personal data at all."""
        text = meta.one_line(text)
        if len(text) > 1000:
            raise Rejected("de toelichting is te lang (hooguit 1000 tekens)", [])
        found = guard.scan_text("toelichting", text, names=self.names,
                                allowed=self.context().places if self.names else frozenset())
        if found:
            raise Rejected("de toelichting bevat mogelijk persoonsgegevens; schrijf haar zonder namen, "
                           "adressen of nummers van personen", [f.as_dict() for f in found])
        return text

    # ------------------------------------------------------------------ proposing and saving

    def propose(self, editor: Editor, fields: dict, entry_id: str | None = None, version: str | None = None,
                override: str | None = None, action: str = "aangemaakt", extra: dict | None = None,
                kind: str = "praktijk", file: str | None = None, create: bool = False) -> SaveResult:
        """A new proposal: a new entry (entry_id None or unknown) or a change to a published entry of
        `kind` (a practice, actor, instrument or concept: kast.curation.kinds).

        For a change, `version` is the published version the editor started from; when the entry was
        published anew since then, the edit is merged onto the current version (or Conflict). A new entry
        gets its id from the field `id`, or else from its title or name (lowercase, hyphens); a new actor,
        instrument or concept goes into the list file `file` (kinds.ListEntries.new_path); `create` refuses an
        id that is already there instead of proposing a change to it. A key left out
        that the kind keeps (an actor's `relaties`) stays as it is; a key sent empty is emptied.
        """
        handler = kinds.of(kind)
        sent = {str(k).split(".")[0] for k in fields}
        fields = entry_format.flatten(fields)
        derived = not (entry_id or fields.get("id"))
        entry_id = entry_id or fields.get("id") or self._new_id(handler, fields)
        taken = (f"het id '{entry_id}'{' (gemaakt van de naam)' if derived else ''} bestaat al in de kast; "
                 f"kies een ander id{' of een andere naam' if derived else ''}")
        if not isinstance(entry_id, str) or not ID_PATTERN.match(entry_id):
            message = f"ongeldig id {entry_id!r}: gebruik kleine letters, cijfers en koppeltekens"
            raise Rejected(message, [{"veld": "id", "melding": message}])
        with self.repo.locked():
            pub_ref = self.repo.published_ref
            pub_head = self.repo.head(pub_ref)
            path = handler.locate(self.repo, pub_head, entry_id)
            current = handler.read(self.repo, pub_head, path, entry_id) if path else None
            if current is not None and not self._may_see(editor, current[0]):
                raise NotFound("dit item bestaat niet")
            new = current is None
            merged_fields = []
            if create and not new:
                raise Rejected(taken, [{"veld": "id", "melding": taken}])
            if new and (version or not handler.creatable):   # a change of something that is not there
                raise NotFound(f"{kinds.this(handler.label)} {handler.label} bestaat niet")
            if new:
                if entry_id in self.context().items:
                    raise Rejected(taken, [{"veld": "id", "melding": taken}])
                try:
                    path = handler.new_path(entry_id, self.repo, pub_head, file,
                                            kind if kind in ("thema", "ambitie") else None)
                except ValueError as exc:   # no such list file for this kind (Dutch message)
                    raise Rejected(str(exc), [{"veld": "bestand", "melding": str(exc)}]) from None
                fields = handler.start(fields, entry_id, editor, _today().isoformat())
            else:
                if file and file.rsplit("/", 1)[-1].removesuffix(".yaml") != path.rsplit("/", 1)[-1].removesuffix(".yaml"):
                    message = f"dit item staat in {path}; een item verhuist niet naar een ander bestand"
                    raise Rejected(message, [{"veld": "bestand", "melding": message}])
                cur_fields, cur_version = current
                fields.update({k: cur_fields[k] for k in handler.kept if k not in sent and k in cur_fields})
                if version and version != cur_version:
                    base = handler.base(self.repo, version, path, entry_id, [pub_head])
                    if base is None:
                        raise NotFound("de versie waarvan u uitging bestaat niet")
                    fields, merged_fields = self._merge(base, fields, cur_fields, cur_version, handler.managed)
                for key in handler.managed:
                    fields.pop(key, None)
                    if key in cur_fields:
                        fields[key] = cur_fields[key]
                fields["id"] = entry_id
            findings = self._guard_for_save(fields, entry_id, override, kind)
            proposal_id = f"{entry_id[:48]}-{secrets.token_hex(3)}"
            state = {"Voorstel": proposal_id, "Item": entry_id, "Pad": path, "Nieuw": "ja" if new else "nee",
                     "Indiener": editor.account, "Indiener-Naam": editor.name,
                     "Organisatie": editor.organisation or "", "Aangemaakt": _now(), "Ingediend": "",
                     "Basis": pub_head.decode(), "Soort": "" if handler.name == "praktijk" else handler.name}
            trailers = dict(state, Actie=action, Status="concept", Door=editor.account, Rol=editor.role,
                            Override=override and self._check_comment(override), **(extra or {}))
            what = kinds.a_new(handler.label).removeprefix("een ") if new else "wijziging"
            subject = f"Voorstel {what}: {handler.title(fields) or entry_id}"
            content = handler.content(self.repo, pub_head, path, entry_id, fields, new)
            commit = self.repo.commit(self._ref(proposal_id), {path: content}, editor.signature,
                                      meta.message(subject, trailers), None, parents=[pub_head])
            p = meta.Proposal.of(proposal_id, self.repo.commit_obj(commit))
        version = handler.version_at(self.repo, commit, path, entry_id)
        return SaveResult(p, version, True, merged_fields, self._validate(p, fields), findings)

    @staticmethod
    def _new_id(handler, fields: dict) -> str:
        """An id from the title (practice) or name (actor, instrument, concept): lowercase and hyphens."""
        title = str(fields.get("titel") or "") if handler.name == "praktijk" else str(fields.get("naam") or "")
        if not title.strip() and handler.name != "praktijk":
            message = f"geef {kinds.the(handler.label)} {handler.label} een naam (het id wordt daarvan gemaakt) of een id"
            raise Rejected(message, [{"veld": "naam", "melding": "verplicht"}])
        return entry_format.slug(title)

    def _merge(self, base: dict, mine: dict, current: dict, current_version: str,
               managed=entry_format.MANAGED) -> tuple[dict, list]:
        result = three_way(base, mine, current, managed)
        if not result.clean:
            raise Conflict("iemand anders heeft intussen dezelfde velden gewijzigd: "
                           + ", ".join(result.conflicts) + ". Er is niets overschreven; kies per veld.",
                           result.conflicts, current_version)
        return result.merged, result.theirs_applied

    def _guard_for_save(self, fields: dict, entry_id: str, override: str | None, kind: str = "praktijk") -> list:
        findings = self._scan(fields, entry_id, kind)
        blocking = [f for f in findings if f.blocking]
        if blocking and not override:
            raise Rejected("niet opgeslagen: de tekst bevat mogelijk persoonsgegevens. Haal ze weg, of geef "
                           "aan waarom het geen persoonsgegevens zijn.", [f.as_dict() for f in blocking])
        return findings

    def save(self, editor: Editor, proposal_id: str, fields: dict, version: str, autosave: bool = False,
             override: str | None = None) -> SaveResult:
        """Save an edit of a proposal that started from `version` (the ETag the editor loaded)."""
        if not version:
            raise VersionRequired("geef de versie waarvan u uitging (If-Match); zo gaat geen wijziging verloren")
        sent = {str(k).split(".")[0] for k in fields}
        fields = entry_format.flatten(fields)
        ref = self._ref(proposal_id)
        with self.repo.locked():
            p = self.proposal(editor, proposal_id)
            if not editor.curator and p.proposer != editor.account:
                raise NotAllowed("u kunt alleen uw eigen voorstellen bewerken")
            if p.status not in ("concept", "ter-review"):
                raise InvalidState(f"dit voorstel is {meta.STATUS_LABELS.get(p.status, p.status)} en kan niet "
                                   "meer worden bewerkt")
            if not editor.curator and p.status == "ter-review":
                raise InvalidState("dit voorstel wordt beoordeeld; wacht tot het is teruggestuurd of trek het in")
            handler = kinds.of(p.kind)
            current, sha = handler.read(self.repo, p.head.encode(), p.path, p.entry_id)
            fields.update({k: current[k] for k in handler.kept if k not in sent and k in current})
            merged_fields = []
            if version != sha:
                base = handler.base(self.repo, version, p.path, p.entry_id, [p.head.encode()])
                if base is None:
                    raise NotFound("de versie waarvan u uitging bestaat niet")
                fields, merged_fields = self._merge(base, fields, current, sha, handler.managed)
            for key in handler.managed | {"id"}:
                fields.pop(key, None)
                if key in current:
                    fields[key] = current[key]
            if fields == current:
                return SaveResult(p, sha, False)
            findings = self._guard_for_save(fields, p.entry_id, override, p.kind)
            trailers = dict(p.state(), Actie="autosave" if autosave else "opgeslagen", Status=p.status,
                            Door=editor.account, Rol=editor.role, Override=override and self._check_comment(override))
            subject = f"{'Automatisch bewaard' if autosave else 'Opgeslagen'}: {handler.title(fields) or p.entry_id}"
            content = handler.content(self.repo, p.head.encode(), p.path, p.entry_id, fields, p.new)
            commit = self.repo.commit(ref, {p.path: content}, editor.signature,
                                      meta.message(subject, trailers), p.head.encode())
            p = meta.Proposal.of(proposal_id, self.repo.commit_obj(commit))
        version = handler.version_at(self.repo, commit, p.path, p.entry_id)
        messages = [] if autosave else self._validate(p, fields)
        return SaveResult(p, version, True, merged_fields, messages, findings)

    # ------------------------------------------------------------------ status changes

    def _status_commit(self, editor: Editor, p: meta.Proposal, action: str, status: str, comment: str,
                       **extra) -> meta.Proposal:
        state = p.state()
        if action == "ingediend":
            state["Ingediend"] = _now()
        trailers = dict(state, Actie=action, Status=status, Door=editor.account, Rol=editor.role,
                        Toelichting=comment, **extra)
        subject = f"{meta.ACTION_LABELS.get(action, action).capitalize()}: {p.entry_id}"
        commit = self.repo.commit(self._ref(p.id), {}, editor.signature, meta.message(subject, trailers),
                                  p.head.encode())
        return meta.Proposal.of(p.id, self.repo.commit_obj(commit))

    def submit(self, editor: Editor, proposal_id: str, comment: str = "") -> meta.Proposal:
        """concept → ter beoordeling; only when it validates (privacy warnings may remain for review)."""
        with self.repo.locked():
            p = self.proposal(editor, proposal_id)
            if p.proposer != editor.account and not editor.curator:
                raise NotAllowed("u kunt alleen uw eigen voorstellen indienen")
            if p.status != "concept":
                raise InvalidState(f"alleen een concept kan ter beoordeling worden aangeboden; dit voorstel is "
                                   f"{meta.STATUS_LABELS.get(p.status, p.status)}")
            errors = [m for m in self.draft(editor, proposal_id).messages if m.severity == "fout"]
            if errors:
                raise Rejected("het voorstel is nog niet volledig of bevat fouten", [m.as_dict() for m in errors])
            return self._status_commit(editor, p, "ingediend", "ter-review", self._check_comment(comment))

    def send_back(self, editor: Editor, proposal_id: str, comment: str) -> meta.Proposal:
        """ter beoordeling → concept, with a comment for the proposer."""
        if not editor.curator:
            raise NotAllowed("alleen een redacteur kan een voorstel terugsturen")
        if not meta.one_line(comment):
            raise Rejected("geef een toelichting: wat moet er nog gebeuren?", [{"veld": "toelichting",
                                                                                 "melding": "verplicht"}])
        with self.repo.locked():
            p = self.proposal(editor, proposal_id)
            if p.status != "ter-review":
                raise InvalidState("alleen een voorstel dat ter beoordeling ligt, kan worden teruggestuurd")
            return self._status_commit(editor, p, "teruggestuurd", "concept", self._check_comment(comment))

    def withdraw(self, editor: Editor, proposal_id: str, comment: str = "") -> meta.Proposal:
        with self.repo.locked():
            p = self.proposal(editor, proposal_id)
            if p.proposer != editor.account and not editor.curator:
                raise NotAllowed("u kunt alleen uw eigen voorstellen intrekken")
            if p.status not in ("concept", "ter-review"):
                raise InvalidState("dit voorstel is al afgerond")
            return self._status_commit(editor, p, "ingetrokken", "ingetrokken", self._check_comment(comment))

    def mark_not_personal(self, editor: Editor, proposal_id: str, fingerprint: str, reason: str) -> meta.Proposal:
        """A redacteur records that a privacy finding is not personal data, and why."""
        if not editor.curator:
            raise NotAllowed("alleen een redacteur kan een vondst als 'geen persoonsgegeven' markeren")
        if not meta.one_line(reason):
            raise Rejected("geef de reden waarom dit geen persoonsgegeven is", [{"veld": "reden",
                                                                                  "melding": "verplicht"}])
        with self.repo.locked():
            draft = self.draft(editor, proposal_id, validate=False)
            if fingerprint not in {f.fingerprint for f in draft.findings}:
                raise NotFound("deze vondst bestaat niet (meer) in dit voorstel")
            return self._status_commit(editor, draft.proposal, "vrijgegeven", draft.proposal.status,
                                       self._check_comment(reason), Vondst=fingerprint)
