"""The index on disk: built when missing, stale or corrupt; one writer at a time; any number of readers.

Each build goes into its own folder named after the data fingerprint; a small pointer file `current`
is swapped atomically when the build is complete, so a reader never sees half an index. A build takes
an exclusive file lock; a process that finds the lock taken serves the previous index and says so.
A change of a few files (`update`) is written the same way: into a copy of the current index, published
when complete; a published file is never written again.
"""
import fcntl
import hashlib
import json
import os
import sqlite3
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import xxhash

from .. import config
from ..visibility import LEVELS, hidden, hidden_among
from ..loader import Kast, load
from . import index as search_index
from .analysis import stems
from .increment import update as update_index
from .stamps import Stamps, restat, walk
from .documents import SEARCH_KINDS, DocumentBuilder

SCHEMA_VERSION = "6"
CHECKSUM = "zoek.xxh3"     # size and XXH3-128 of the index file, written when a build or change is complete


def _checksum(path: Path, copy_to: Path | None = None) -> str:
    """Size and XXH3-128 hash of a file: it detects damage, not tampering (whoever can write the index can
    write its checksum), at ten times the speed of SHA-256 (12 against 45 ms for the 40 MB of 10,000 practices).
    `copy_to`: also copy the file there, in the same pass (the hash is then that of what was copied)."""
    h = xxhash.xxh3_128()
    buffer = bytearray(1 << 20)
    view = memoryview(buffer)
    size = 0
    with open(path, "rb", buffering=0) as f, open(copy_to or os.devnull, "wb", buffering=0) as copy:
        while n := f.readinto(buffer):
            h.update(view[:n])
            size += n
            if copy_to:
                copy.write(view[:n])
    return f"{size} {h.hexdigest()}"


@dataclass
class OpenIndex:
    index: search_index.SearchIndex
    stale: bool = False
    message: str | None = None
    checksum: str | None = None   # of the file it was read from: a change of that file names it


class IndexStore:
    def __init__(self, root: Path | str | None = None, data_dir=None, base: str | None = None):
        self.root = Path(root or os.environ.get("KAST_INDEX") or config.var_dir() / "index")
        self.data_dir = config.data_dir(data_dir)
        self.base = base
        self._held: OpenIndex | None = None   # the index this process opened or wrote last
        self._stamps: tuple[Stamps, Stamps] | None = None   # data and ontology files at the last fingerprint

    # ------------------------------------------------------------------ freshness

    def fingerprint(self, changed=None) -> str:
        """Changes whenever a data or ontology file, the base IRI or the schema changes.

        `changed`: the data files that changed since this store's last fingerprint, when the caller knows
        them (a published change names its files): only those are looked at again, not every file. It then
        describes the files as this process took them in: a file changed meanwhile but not named (and so not
        read) keeps its old size and time, and the index made with it does not claim that file's new state."""
        stamps = self._stamps
        data = restat(self.data_dir, stamps[0], changed) if stamps and changed is not None else None
        stamps = (data, stamps[1]) if data is not None else (walk(self.data_dir), walk(config.DEFAULT_ONTOLOGY))
        self._stamps = stamps
        h = hashlib.sha256(f"{SCHEMA_VERSION}|{config.base_iri(self.base)}|{self.data_dir.resolve()}".encode())
        for files in stamps:
            h.update("".join(sorted(files.values())).encode())
            h.update(b"\0")
        return h.hexdigest()[:20]

    def _current(self) -> str | None:
        try:
            return (self.root / "current").read_text(encoding="utf-8").strip() or None
        except OSError:
            return None

    def _open(self, name: str | None, held: OpenIndex | None = None, actual: str | None = None) -> OpenIndex | None:
        """The index in folder `name`, or None when it is missing, truncated or corrupt (then it is rebuilt).

        SQLite itself notices a damaged page only when a query reads it, which would serve part of an index;
        so each build or change records the file's size and hash and every open checks them first (12 ms at
        10,000 practices). `held`: an index this process has open; when the file is that one, or a change of
        it (`increment.update`), its structures are reused and only the changed rows are read. `actual`: the
        file's checksum when the caller has just read all of it."""
        if not name:
            return None
        path = self.root / name / search_index.FILE
        try:
            checksum = (self.root / name / CHECKSUM).read_text(encoding="utf-8").strip()
            if checksum != (actual or _checksum(path)):
                return None
            index = None
            if held is not None and held.checksum == checksum and held.index.path == path:
                index = held.index
            elif held is not None and held.checksum:
                index = search_index.SearchIndex.following(held.index, path, held.checksum)
            opened = OpenIndex(index or search_index.SearchIndex(path), checksum=checksum)
        except (OSError, sqlite3.Error, KeyError, ValueError):   # missing, half-written or corrupt: rebuild
            return None
        self._held = opened
        return opened

    # ------------------------------------------------------------------ opening

    def open(self, progress=None, kast: Kast | None = None) -> OpenIndex:
        """A usable index for the current data, rebuilding it when needed.

        `kast`, when the caller has already loaded this data folder, saves loading it a second time.
        """
        fingerprint = self.fingerprint()
        current = self._current()
        if current == fingerprint:
            opened = self._open(current)
            if opened:
                return opened
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                previous = self._open(current)
                if previous:
                    previous.stale = True
                    previous.message = ("de zoekindex wordt op dit moment bijgewerkt; deze resultaten komen "
                                        "uit de vorige versie van de data")
                    return previous
                fcntl.flock(lock, fcntl.LOCK_EX)   # nothing to serve: wait for the other builder
                opened = self._open(self._current())
                if opened:
                    return opened
            self._build(fingerprint, progress, kast)
        return self._open(fingerprint)

    # ------------------------------------------------------------------ building

    def rebuild(self, progress=None, kast: Kast | None = None) -> OpenIndex:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            fingerprint = self.fingerprint()
            self._build(fingerprint, progress, kast)
        return self._open(fingerprint)

    def _build(self, fingerprint: str, progress=None, kast: Kast | None = None) -> None:
        kast = kast or load(self.data_dir, base=self.base, shacl=False)
        builder = DocumentBuilder(kast)
        order = sorted((search_index.KIND_ORDER.get(SEARCH_KINDS[item.kind], 9), item_id)
                       for item_id, item in kast.items.items() if item.kind in SEARCH_KINDS)

        def docs():   # one at a time, in index order: the documents of 10,000 practices never all in memory
            for _, item_id in order:
                item = kast.items[item_id]
                yield builder.document(item_id, item.kind, SEARCH_KINDS[item.kind], item.iri)

        hidden_ids = self._hidden(kast)
        tmp = Path(tempfile.mkdtemp(prefix="bouw-", dir=self.root))
        search_index.write(tmp / search_index.FILE, docs(), lambda: self._meta(kast, builder, hidden_ids),
                           progress, total=len(order), hidden=hidden_ids)
        self._publish(tmp, fingerprint)

    @staticmethod
    def _hidden(kast) -> dict[str, list[str]]:
        """Per reader level that does not see everything, the ids it may not see (kast.visibility)."""
        return {level: sorted(hidden(kast, LEVELS[level])) for level in search_index.HIDDEN_LEVELS}

    @classmethod
    def _hidden_after(cls, kast: Kast, index: search_index.SearchIndex, ids: set[str]) -> dict[str, list[str]]:
        """Hidden ids per level after a change of `ids`: the others keep their state (a practice's visibility
        is in its own file); the changed ones are judged by the one rule on a graph of just their facts."""
        row = index.db.execute("SELECT value FROM meta WHERE key = 'hidden'").fetchone()
        before = json.loads(row[0]) if row else {}
        return {level: sorted((set(before.get(level, ())) - ids) | hidden_among(kast, ids, LEVELS[level]))
                for level in search_index.HIDDEN_LEVELS}

    def _meta(self, kast: Kast, builder: DocumentBuilder, hidden_ids=None, previous=None) -> dict:
        """What the index keeps besides its documents. `previous`: an index whose concept labels and places
        still hold, because only practices changed since: a practice file writes triples about its own nodes
        only (kast/reload.py), and neither `label_index` nor `places` reads those."""
        if previous is not None:
            labels, places = previous.labels, sorted(previous.places)
        else:
            labels, places = self._labels(builder), sorted(builder.places())
        return {"labels": labels, "list_labels": builder.list_labels("praktijksoort", "praktijkaard", "bewijsniveau"),
                "places": places, "hidden": self._hidden(kast) if hidden_ids is None else hidden_ids}

    @staticmethod
    def _labels(builder: DocumentBuilder) -> dict[str, list[str]]:
        """Analysed label → ids of the concepts, instruments and actors it names."""
        labels: dict[str, list[str]] = {}
        for label, item_ids in builder.label_index().items():
            key = " ".join(stems(label))
            for item_id in item_ids if key else ():
                if item_id not in labels.setdefault(key, []):
                    labels[key].append(item_id)
        return labels

    def _publish(self, tmp: Path, fingerprint: str) -> str:
        """Put a finished index folder in place and point `current` at it (atomically); returns its checksum."""
        checksum = _checksum(tmp / search_index.FILE)
        (tmp / CHECKSUM).write_text(checksum, encoding="utf-8")
        target = self.root / fingerprint
        if target.exists():
            shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)
        pointer = self.root / f".current-{os.getpid()}"
        pointer.write_text(fingerprint, encoding="utf-8")
        previous = self._current()
        os.replace(pointer, self.root / "current")
        self._clean(keep={fingerprint, previous})
        return checksum

    # ------------------------------------------------------------------ updating

    def update(self, kast: Kast, changed=(), removed=(), fingerprint: str | None = None) -> OpenIndex:
        """Bring the index up to date after `kast.loader.reload`: only the rows of the changed and removed
        items (and of items whose concepts point at them) are rewritten, in a copy of the current index that
        replaces it atomically, as a build does. `changed` may be the result of `reload` itself.

        `fingerprint`: the data's fingerprint taken before the changed files were read (so the index never
        claims a newer state than it holds). When the current index already has it, another process (a second
        web worker) took in the same change: that index is opened, not written again, and when it is a change
        of the index this process holds, only its changed rows are read.
        Falls back to a full build when there is no usable index to start from.
        """
        if hasattr(changed, "changed"):
            changed, removed = changed.changed, changed.removed
        changed, removed = set(changed), set(removed)
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            fingerprint = fingerprint or self.fingerprint()
            current = self._current()
            if current == fingerprint and (opened := self._open(current, held=self._held)):
                return opened
            tmp = Path(tempfile.mkdtemp(prefix="bijwerken-", dir=self.root))
            copied = None
            try:   # a published file is never written again: change a copy (checked as it is copied)
                if current:
                    copied = _checksum(self.root / current / search_index.FILE, copy_to=tmp / search_index.FILE)
            except OSError:
                pass
            base = self._open(current, held=self._held, actual=copied) if copied else None
            if base is None:
                shutil.rmtree(tmp, ignore_errors=True)
                self._build(fingerprint, kast=kast)
                return self._open(fingerprint)
            index = base.index
            affected = set(changed)
            for item_id in changed | removed:   # documents that name a changed item as a concept
                bits = index.concepts.get(item_id, 0)
                affected |= {index.ids[n] for n in search_index.numbers_of(bits)}
            builder = DocumentBuilder(kast)
            docs = [builder.document(i, kast.items[i].kind, SEARCH_KINDS[kast.items[i].kind], kast.items[i].iri)
                    for i in sorted(affected) if i in kast.items and kast.items[i].kind in SEARCH_KINDS]
            kinds = {i: kast.items[i].kind if i in kast.items else index.kinds[index.number[i]]
                     if i in index.number else None for i in changed | removed}
            only_practices = all(kind == "praktijk" for kind in kinds.values())
            meta = self._meta(kast, builder, self._hidden_after(kast, index, removed | affected),
                              previous=index if only_practices else None)
            update_index(tmp / search_index.FILE, docs, removed | affected, meta, source=base.checksum)
            checksum = self._publish(tmp, fingerprint)
            path = self.root / fingerprint / search_index.FILE
            new = search_index.SearchIndex.following(index, path, base.checksum) or search_index.SearchIndex(path)
            self._held = OpenIndex(new, checksum=checksum)
            return self._held

    def _clean(self, keep: set) -> None:
        """Remove old builds, keeping the previous one for readers that still have it open."""
        for child in self.root.iterdir():
            if child.is_dir() and child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)
