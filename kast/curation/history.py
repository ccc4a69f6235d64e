"""History of entries and proposals, the version at any point, and "nieuw en gewijzigd" (with Atom).

Everything here reads the published branch (and, for a proposal, its own branch); what is hidden from
the reader stays hidden: an entry the reader may not see now has no history and no feed item for them.
"""
from ..visibility import ANONYMOUS
from . import kinds, meta
from .diff import changes
from .identity import Editor, NotFound

PUBLIC_ACTIONS = ("gepubliceerd", "gearchiveerd", "begin")


class Histories:
    def published_version(self) -> str:
        """The commit id of what is published now (cheap: one ref read); poll it to notice publications."""
        return self.repo.head(self.repo.published_ref).decode()

    def changed_since(self, version: str) -> list[str]:
        """Files (paths under the data folder) changed on the published branch since `version`: what a
        process that loaded `version` has to re-read."""
        head = self.repo.head(self.repo.published_ref)
        return [] if head.decode() == version else self.repo.changed_paths(version.encode(), head)

    def _fields_at(self, commit_id: bytes, path: str, entry_id: str | None = None, kind: str = "praktijk") -> dict | None:
        found = kinds.of(kind).read(self.repo, commit_id, path, entry_id)
        return found[0] if found else None

    def _path(self, entry_id: str, kind: str) -> str:
        path = kinds.of(kind).locate(self.repo, self.repo.head(self.repo.published_ref), entry_id)
        if path is None:
            raise NotFound("dit item bestaat niet")
        return path

    def _visible_or_404(self, entry_id: str, editor: Editor | None, kind: str = "praktijk") -> None:
        """Raise NotFound unless the entry is published and `editor` (None: an anonymous visitor) sees it."""
        from ..visibility import PUBLIC_STATUS, Reader

        found = self.published(entry_id, kind=kind)
        reader = Reader(editor.role, editor.organisation) if editor else ANONYMOUS
        if found is None or (found[0].get("zichtbaarheid") or "openbaar") not in reader.visible or not (
                reader.sees_unpublished or (found[0].get("status") or "gepubliceerd") in PUBLIC_STATUS):
            raise NotFound("dit item bestaat niet")

    def _entry_commits(self, path: str, limit: int | None = None, entry_id: str | None = None,
                       kind: str = "praktijk") -> list:
        """Commits on the published branch that changed the entry in `path`, newest first. The curation's
        own commits name their file and entry in trailers, so only commits made by other tools need a
        comparison (of the file, or for a list file of the entry's own version)."""
        handler = kinds.of(kind)
        out = []
        for commit in self.repo.walk(self.repo.published_ref):
            t = meta.parse(commit.message)
            if t.get("Actie") in ("gepubliceerd", "gearchiveerd"):
                touched = t.get("Pad") == path and (entry_id is None or t.get("Item") == entry_id)
            else:
                parent = commit.parents[0] if commit.parents else None
                touched = (self.repo.blob_id(commit.id, path) != self.repo.blob_id(parent, path) and
                           handler.version_at(self.repo, commit.id, path, entry_id)
                           != handler.version_at(self.repo, parent, path, entry_id))
            if touched:
                out.append(commit)
                if limit and len(out) >= limit:
                    break
        return out

    def history(self, entry_id: str, editor: Editor | None = None, limit: int = 100,
                kind: str = "praktijk") -> list[dict]:
        """Each published change of an entry, newest first: who, when, why, and what changed per field.
        `editor` None is an anonymous visitor: a hidden entry has no history for them (NotFound)."""
        self._visible_or_404(entry_id, editor, kind)
        path, handler = self._path(entry_id, kind), kinds.of(kind)
        out = []
        for commit in self._entry_commits(path, limit, entry_id, kind):
            new = self._fields_at(commit.id, path, entry_id, kind)
            old = self._fields_at(commit.parents[0], path, entry_id, kind) if commit.parents else None
            event = meta.Event.of(commit)
            out.append(dict(event.as_dict(), versie=event.commit,
                            inhoud=handler.version_at(self.repo, commit.id, path, entry_id),
                            wijzigingen=[c.as_dict() for c in changes(old, new)]))
        return out

    def version_at(self, entry_id: str, commit: str, editor: Editor | None = None, kind: str = "praktijk") -> dict:
        """The fields of an entry as they were published at `commit` (NotFound as in `history`)."""
        self._visible_or_404(entry_id, editor, kind)
        try:
            commit_id = commit.encode()
            obj = self.repo.commit_obj(commit_id)
        except (KeyError, ValueError, AssertionError):
            raise NotFound("deze versie bestaat niet") from None
        path = self._path(entry_id, kind)
        published = {c.id for c in self._entry_commits(path, None, entry_id, kind)}
        fields = self._fields_at(obj.id, path, entry_id, kind) if obj.id in published else None
        if fields is None:
            raise NotFound("deze versie bestaat niet")
        return fields

    def proposal_history(self, editor: Editor, proposal_id: str) -> list[dict]:
        """Every step of a proposal, newest first, with the per-field changes of each save."""
        p = self.proposal(editor, proposal_id)
        out = []
        for commit in self.repo.walk(p.head.encode()):
            t = meta.parse(commit.message)
            if t.get("Voorstel") != p.id:
                break
            event = meta.Event.of(commit)
            item = event.as_dict()
            if event.action in meta.CONTENT_ACTIONS | {"teruggezet"}:
                old = self._fields_at(commit.parents[0], p.path, p.entry_id, p.kind) if commit.parents else None
                item["wijzigingen"] = [c.as_dict() for c in changes(
                    old, self._fields_at(commit.id, p.path, p.entry_id, p.kind))]
            out.append(item)
        return out

    def recent_changes(self, limit: int = 50, theme: str | None = None, reader=ANONYMOUS) -> list[dict]:
        """Published changes, newest first ("nieuw en gewijzigd"); `theme` keeps those about that theme."""
        from ..visibility import PUBLIC_STATUS

        head = self.repo.head(self.repo.published_ref)
        out = []
        for commit in self.repo.walk(self.repo.published_ref, max_entries=limit * 20):
            t = meta.parse(commit.message)
            if t.get("Actie") not in ("gepubliceerd", "gearchiveerd") or not t.get("Pad"):
                continue
            path, entry_id, kind = t["Pad"], t.get("Item"), t.get("Soort") or "praktijk"
            handler = kinds.of(kind)
            now = self._fields_at(head, path, entry_id, kind)
            if now is None:
                continue
            visible = (now.get("zichtbaarheid") or "openbaar") in reader.visible and (
                reader.sees_unpublished or (now.get("status") or "gepubliceerd") in PUBLIC_STATUS)
            if not visible or (theme and theme not in (now.get("themas") or [])):
                continue
            then = self._fields_at(commit.id, path, entry_id, kind) or {}
            old = self._fields_at(commit.parents[0], path, entry_id, kind) if commit.parents else None
            event = meta.Event.of(commit)
            out.append({"item": entry_id, "titel": handler.title(then) or entry_id,
                        "collectie": _collection(self.repo, handler, head, path), "itemsoort": handler.name,
                        "samenvatting": then.get("samenvatting") or then.get("beschrijving", ""),
                        "soort": "nieuw" if old is None else t["Actie"],
                        "wanneer": event.when, "door": event.name, "versie": event.commit,
                        "wijzigingen": [] if old is None else [c.summary() for c in changes(old, then)]})
            if len(out) >= limit:
                break
        return out


def _collection(repo, handler, head: bytes, path: str) -> str:
    """The site's collection of an entry (a concept of an ambition scheme is an ambitie)."""
    if getattr(handler, "scheme", False) and handler.loader_kind(repo, head, path)[0] == "ambitie":
        return "ambities"
    return handler.collection


def atom(items: list[dict], site: str, title: str = "De Apothekerskast: nieuw en gewijzigd",
         feed_path: str = "/nieuw.atom") -> bytes:
    """An Atom feed of `recent_changes` items (feedgen)."""
    from feedgen.feed import FeedGenerator

    site = site.rstrip("/")
    fg = FeedGenerator()
    fg.id(site + feed_path)
    fg.title(title)
    fg.language("nl")
    fg.link(href=site + feed_path, rel="self")
    fg.link(href=site + "/", rel="alternate")
    fg.author({"name": "De Apothekerskast"})
    fg.updated(items[0]["wanneer"] if items else "1970-01-01T00:00:00+00:00")
    for item in reversed(items):   # feedgen prepends
        e = fg.add_entry()
        url = f"{site}/{item.get('collectie', 'praktijken')}/{item['item']}"
        e.id(f"{url}#{item['versie']}")
        label = {"nieuw": "Nieuw", "gearchiveerd": "Gearchiveerd"}.get(item["soort"], "Gewijzigd")
        e.title(f"{label}: {item['titel']}")
        e.link(href=url)
        e.updated(item["wanneer"])
        e.author({"name": item["door"]})
        e.summary(item["samenvatting"] + ("\n\n" + "\n".join(item["wijzigingen"]) if item["wijzigingen"] else ""))
    return fg.atom_str(pretty=True)
