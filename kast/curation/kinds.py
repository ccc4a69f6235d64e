"""The kinds of entry the curation edits, each with how it is found, read, written and checked.

One workflow (`workflow.py`, `publish.py`, `history.py`) serves every kind; what differs per kind lives
here. A practice is a file of its own (`practices/<id>.md`, version = the file's blob id). An actor,
instrument or concept is one entry of a list file (`kast.curation.listentry`, version = a hash of the
entry): the proposal records the kind and the file, and its commits carry the whole file with only that
entry replaced.

Who may do what is the same for every kind (see identity.py), except that only practices are archived
through the curation. A new actor, instrument or concept is appended to a list file of its folder: the one
the proposer picks from the existing files (for a concept: the file of its begrippenkader, which decides
whether it is a thema or an ambitie), or by default `DEFAULT_FILES` (actors and instruments in
`landelijk.yaml`; a concept has no default).
"""
import copy
from dataclasses import dataclass

from ..fields import FIELDS
from . import entry as entry_format
from . import listentry

# Free text where names of persons could hide (deduce looks only here); labels (naam, andere-namen,
# zoektermen) are names of organisations, instruments and concepts, checked for e-mail, numbers etc. only.
FREE_TEXT = {"beschrijving", "focus", "wettelijke-basis", "bronnen", "relaties"}
HISTORY_WALK = 500   # commits searched for an entry's earlier version


@dataclass(frozen=True)
class Practices:
    name: str = "praktijk"
    collection: str = "praktijken"
    label: str = "praktijk"
    creatable: bool = True
    managed: frozenset = frozenset(entry_format.MANAGED)
    kept: frozenset = frozenset()

    def locate(self, repo, commit: bytes | None, entry_id: str) -> str | None:
        try:
            path = entry_format.path_of(entry_id)
        except entry_format.EntryFormatError:   # no file can have this id (such as one from a URL)
            return None
        return path if repo.blob_id(commit, path) else None

    def new_path(self, entry_id: str, repo=None, commit=None, file: str | None = None,
                 loader_kind: str | None = None) -> str:
        return entry_format.path_of(entry_id)

    def start(self, fields: dict, entry_id: str, editor, today: str) -> dict:
        """The fields of a new entry as the workflow stores its first version: a concept, tied to a member's
        organisation."""
        fields.update({"id": entry_id, "status": "concept", "aangemaakt": today})
        if not editor.curator and editor.organisation:
            fields["actoren"] = list(dict.fromkeys((fields.get("actoren") or []) + [editor.organisation]))
            fields.setdefault("contact.organisatie", editor.organisation)
        return fields

    def version_at(self, repo, commit: bytes | None, path: str, entry_id: str) -> str | None:
        sha = repo.blob_id(commit, path)
        return sha.decode() if sha else None

    def read(self, repo, commit: bytes | None, path: str, entry_id: str) -> tuple[dict, str] | None:
        found = repo.read(commit, path)
        return (entry_format.parse(found[0]), found[1].decode()) if found else None

    def base(self, repo, version: str, path: str, entry_id: str, heads: list[bytes]) -> dict | None:
        data = repo.blob(version)
        return entry_format.parse(data) if data is not None else None

    def content(self, repo, commit: bytes | None, path: str, entry_id: str, fields: dict, new: bool = False) -> bytes:
        return entry_format.serialise(fields)

    def texts(self, fields: dict):
        """(field, text, look for names) for the privacy guard."""
        for key, text in entry_format.text_values(fields):
            yield key, text, True

    def title(self, fields: dict) -> str:
        return str(fields.get("titel") or fields.get("id") or "")

    def stamp(self, fields: dict, today: str) -> dict:
        """What publishing sets: status and dates."""
        out = dict(fields, status="gepubliceerd", gewijzigd=today)
        out.setdefault("aangemaakt", today)
        return out

    def validate(self, context, fields: dict, repo=None, commit=None, path=None) -> list:
        return context.validate(fields)


@dataclass(frozen=True)
class ListEntries:
    """Entries of the list files in one folder of data/."""

    name: str              # the kind recorded in a proposal: actor | instrument | begrip
    folder: str
    collection: str
    label: str
    scheme: bool = False   # a theme file: a scheme with its concepts under 'begrippen'
    creatable: bool = True
    managed: frozenset = frozenset()
    kept: frozenset = frozenset({"relaties"})   # kept as they are when an edit leaves the key out (API)

    def _files(self, repo, commit: bytes | None) -> list[str]:
        if commit is None:
            return []
        return [f"{self.folder}/{n}" for n in sorted(repo.list_dir(commit, self.folder)) if n.endswith(".yaml")]

    def _entries(self, repo, commit: bytes | None, path: str) -> dict[str, dict]:
        sha = repo.blob_id(commit, path)
        if sha is None:
            return {}
        try:
            return listentry.entries(repo.blob(sha), self.scheme, key=sha)
        except listentry.ListFormatError:
            return {}

    def locate(self, repo, commit: bytes | None, entry_id: str) -> str | None:
        for path in self._files(repo, commit):
            if entry_id in self._entries(repo, commit, path):
                return path
        return None

    def files(self, repo, commit: bytes | None, loader_kind: str | None = None) -> list[tuple[str, str]]:
        """(path, label) of the files a new entry can go into; for concepts only the schemes of `loader_kind`
        (thema or ambitie), labelled with the scheme's name."""
        out = []
        for path in self._files(repo, commit):
            if not self.scheme:
                out.append((path, path.rsplit("/", 1)[-1]))
                continue
            try:
                kind, scheme = self.loader_kind(repo, commit, path)
            except Exception:   # an unreadable file takes no new entries
                continue
            if loader_kind in (None, kind):
                out.append((path, f"{scheme.get('naam') or path} ({path.rsplit('/', 1)[-1]})"))
        return out

    def new_path(self, entry_id: str, repo=None, commit=None, file: str | None = None,
                 loader_kind: str | None = None) -> str:
        """The list file a new entry goes into: `file` (a name or path in the folder), or the default of the
        kind. Raises ListFormatError (Dutch) when there is no such file for this kind."""
        file = (file or DEFAULT_FILES.get(self.name) or "").strip()
        if not file:
            raise listentry.ListFormatError(f"kies het {'begrippenkader' if self.scheme else 'bestand'} waarin "
                                            f"{the(self.label)} nieuwe {self.label} komt")
        name = file.rsplit("/", 1)[-1]
        path = f"{self.folder}/{name if name.endswith('.yaml') else name + '.yaml'}"
        choices = dict(self.files(repo, commit, loader_kind))
        if path not in choices:
            known = ", ".join(p.rsplit("/", 1)[-1] for p in choices)
            raise listentry.ListFormatError(f"onbekend bestand '{file[:60]}' voor {a_new(self.label)}; "
                                            f"kies uit: {known}")
        return path

    def start(self, fields: dict, entry_id: str, editor, today: str) -> dict:
        fields["id"] = entry_id
        return fields

    def read(self, repo, commit: bytes | None, path: str, entry_id: str) -> tuple[dict, str] | None:
        fields = self._entries(repo, commit, path).get(entry_id)   # shared by a cache: hand out a copy
        return (copy.deepcopy(fields), listentry.version_of(fields)) if fields is not None else None

    def version_at(self, repo, commit: bytes | None, path: str, entry_id: str) -> str | None:
        found = self.read(repo, commit, path, entry_id)
        return found[1] if found else None

    def base(self, repo, version: str, path: str, entry_id: str, heads: list[bytes]) -> dict | None:
        """The entry's fields at an earlier version: looked up in the history of its file."""
        seen = set()
        for head in heads:
            for commit in repo.walk(head, [path], max_entries=HISTORY_WALK):
                if commit.id in seen:
                    continue
                seen.add(commit.id)
                found = self.read(repo, commit.id, path, entry_id)
                if found and found[1] == version:
                    return found[0]
        return None

    def content(self, repo, commit: bytes | None, path: str, entry_id: str, fields: dict, new: bool = False) -> bytes:
        """The list file with the entry replaced, or for a new entry not yet in it, appended."""
        from .identity import InvalidState

        found = repo.read(commit, path)
        try:
            if found is None:
                raise listentry.ListFormatError(f"het bestand {path} bestaat niet (meer)")
            if new and entry_id not in self._entries(repo, commit, path):
                return listentry.append(found[0], dict(fields, id=entry_id), self.scheme)
            return listentry.replace(found[0], entry_id, fields, self.scheme)
        except listentry.ListFormatError as exc:   # removed or moved meanwhile by hand: nothing is written
            raise InvalidState(f"{exc}; het voorstel kan zo niet worden opgeslagen of gepubliceerd") from None

    def texts(self, fields: dict):
        for key, text in entry_format.text_values(fields):
            yield key, text, key.split(".")[0] in FREE_TEXT

    def title(self, fields: dict) -> str:
        return str(fields.get("naam") or fields.get("id") or "")

    def stamp(self, fields: dict, today: str) -> dict:
        return dict(fields)

    def loader_kind(self, repo, commit: bytes | None, path: str) -> tuple[str, dict | None]:
        """The loader's kind of the entries in `path` (a concept is a thema or an ambitie by its scheme)."""
        if not self.scheme:
            return self.name, None
        found = repo.read(commit, path)
        scheme = listentry.scheme_of(found[0]) if found else {}
        return ("ambitie" if scheme.get("soort") == "ambitie" else "thema"), scheme

    def validate(self, context, fields: dict, repo=None, commit=None, path=None) -> list:
        kind, scheme = self.loader_kind(repo, commit, path) if repo is not None else (self.name, None)
        return context.validate_listed(kind, fields, path or f"{self.folder}/onbekend.yaml", scheme)

    @property
    def field_specs(self):
        return FIELDS["thema" if self.scheme else self.name]


NEUTER = frozenset({"instrument", "thema", "begrip"})   # het-woorden: "het nieuwe instrument", "een nieuw thema"


def the(label: str) -> str:
    """The Dutch definite article of a kind's label (de actor, het instrument)."""
    return "het" if label in NEUTER else "de"


def this(label: str) -> str:
    return "dit" if label in NEUTER else "deze"


def a_new(label: str) -> str:
    """'een nieuwe actor', 'een nieuw instrument'."""
    return f"een {'nieuw' if label in NEUTER else 'nieuwe'} {label}"


PRACTICES = Practices()
DEFAULT_FILES = {"actor": "landelijk.yaml", "instrument": "landelijk.yaml"}   # a concept has no default
KINDS = {
    "praktijk": PRACTICES,
    "actor": ListEntries("actor", "actors", "actoren", "actor"),
    "instrument": ListEntries("instrument", "instruments", "instrumenten", "instrument"),
    "begrip": ListEntries("begrip", "themes", "themas", "thema", scheme=True),
}
# The loader's kinds (and the site's collections) → the kind that edits them.
BY_LOADER_KIND = {"praktijk": "praktijk", "actor": "actor", "instrument": "instrument", "thema": "begrip",
                  "ambitie": "begrip"}


def of(kind: str | None):
    """The handler of a proposal's (or a loader's) kind; practices by default (older proposals)."""
    return KINDS.get(BY_LOADER_KIND.get(kind or "praktijk", kind or "praktijk"), PRACTICES)
