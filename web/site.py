"""Everything one process serves from: the loaded kast, the open search index and cached dumps.

Loaded once per process and shared by every request (and by apps created with the same config, as in
the tests). A published change is taken in place (`refresh` → `reload`) under the write lock of `versions`;
every request reads under its read lock (`web.live`), so no request sees a change half made. The search
index opens its own SQLite connection per thread.
"""
import threading
from pathlib import Path

from fasteners import ReaderWriterLock

from kast import config
from kast.links import public_graph
from kast.visibility import LEVELS, Reader, hidden, hidden_among
from kast.loader import Kast, load
from kast.dumps import Downloads
from kast.search import IndexStore
from kast.stats import stats

from . import heap
from .readers import current_reader


_sites: dict[tuple, "Site"] = {}
_sites_lock = threading.Lock()


class Site:
    def __init__(self, data_dir: Path, index_dir, base: str | None):
        self.data_dir = data_dir
        self.base_arg = base
        self.store = IndexStore(index_dir, data_dir, base)
        self._lock = threading.RLock()   # cached() may call opened()
        self._dump_lock = threading.Lock()   # a large dump takes seconds; searches must not wait
        self.generation = 0   # goes up with every change taken in; caches elsewhere key on (site, generation)
        self.versions = ReaderWriterLock()   # requests read (web.live); taking in a change writes
        self._repo = self._content_repo()
        self.published = self._published_head(settled=True)
        self._load()

    def _load(self) -> None:
        self.loaded_fingerprint = self.store.fingerprint()
        self.kast: Kast = load(self.data_dir, base=self.base_arg, shacl=False)
        self._opened = None
        self._hidden = {level: frozenset(hidden(self.kast, reader)) for level, reader in LEVELS.items()}
        self._downloads: dict[str, Downloads] = {}   # per reader level; kept up to date by `reload`
        self._derived()
        heap.release()   # the loaded kast out of reach of full collections; an earlier one, now garbage, freed


    def _derived(self, practices: set | None = None) -> None:
        """Everything computed from the loaded kast, dropped so it is computed again on next use. When only
        the practices `practices` changed, the base graphs of the maps and networks are updated instead."""
        self._stats = None
        self._cache: dict[tuple[str, str], object] = {}
        self._graphs: dict[str, object] = {}
        states = self.__dict__.pop("_netwerk_states", None)
        if states and practices is not None:
            self._netwerk_states = {level: state.carried_over(practices) for level, state in states.items()}
        self.generation += 1
        heap.changed()

    @property
    def stats(self) -> dict:
        """The counts of the kast, computed on first use after a change (a scan of the whole graph)."""
        with self._lock:
            if self._stats is None:
                self._stats = stats(self.kast)
            return self._stats

    def _content_repo(self):
        try:
            from kast.curation import ContentRepo

            return ContentRepo(self.data_dir) if (self.data_dir / ".git").exists() else None
        except Exception:   # not a content repository (a plain data folder, a synthetic corpus)
            return None

    def _published_head(self, settled: bool = False) -> str | None:
        """The commit the content repository publishes (one small file read), or None without one.

        `settled`: wait until the work tree holds that commit. A writer moves the branch first and then writes
        the files (kast.curation.repo); under the repository lock no writer is between the two, and a checkout
        a killed writer left half done is finished first. Files read after this are that commit or newer."""
        if self._repo is None:
            return None
        try:
            if settled:
                with self._repo.locked():
                    head = self._repo.head(self._repo.published_ref)
            else:
                head = self._repo.head(self._repo.published_ref)
            return head.decode() if head else None
        except Exception:   # the repository is unreadable right now: keep what is loaded
            return None

    @classmethod
    def for_config(cls, cfg) -> "Site":
        data_dir = config.data_dir(cfg.get("KAST_DATA")).resolve()
        key = (str(data_dir), str(cfg.get("KAST_INDEX")), cfg.get("KAST_BASE_IRI"))
        with _sites_lock:
            if key not in _sites:
                _sites[key] = cls(data_dir, cfg.get("KAST_INDEX"), cfg.get("KAST_BASE_IRI"))
            return _sites[key]

    def refresh(self) -> bool:
        """Take in what was published since it was loaded (in this or another process); True when something
        changed. Only the changed files are read again (`reload`); a plain data folder without a content
        repository is compared by its files and loaded again when they changed."""
        head = self._published_head()
        if head is None:
            if self.store.fingerprint() == self.loaded_fingerprint:
                return False
            with self.versions.write_lock(), self._lock:
                self._load()
                return True
        if head == self.published:
            return False
        with self.versions.write_lock(), self._lock:
            head = self._published_head(settled=True)
            if head is None or head == self.published:
                return False
            paths = self._repo.changed_paths(self.published.encode(), head.encode()) if self.published else None
            result = self.reload(paths) if paths else None
            if result is None or not result.ok:   # nothing to go on, or a file refused: read everything
                self._load()
            self.published = head
            return True

    @property
    def base(self) -> str:
        return self.kast.vocab.base

    def opened(self):
        """The search index, opened once; reopened only while it was a stale copy (being rebuilt)."""
        with self._lock:
            if self._opened is None or self._opened.stale:
                # Index the graph already loaded, unless the files changed since it was loaded.
                same = self.store.fingerprint() == self.loaded_fingerprint
                self._opened = self.store.open(kast=self.kast if same else None)
            return self._opened

    # ------------------------------------------------------------------ what the current reader may see
    # Every view asks these, so the visibility rule of `kast.visibility` holds in every output. Outside a
    # request (warming caches at start-up) the reader is anonymous.

    def hidden_for(self, reader: Reader) -> frozenset[str]:
        return self._hidden[reader.level]

    @property
    def hidden(self) -> frozenset[str]:
        """Ids of the practices the reader of the current request may not see."""
        return self.hidden_for(current_reader())

    def public(self, item_id: str) -> bool:
        """Whether the item exists for the reader of the current request (else it answers 404)."""
        return item_id in self.kast.items and item_id not in self.hidden

    def cached(self, key: str, compute):
        """A value computed once per process and reader level (the kast does not change while it is served)."""
        key = (current_reader().level, key)
        with self._lock:
            if key not in self._cache:
                self._cache[key] = compute()
            return self._cache[key]

    def public_graph(self):
        """The graph the current reader may see."""
        level = current_reader().level
        with self._dump_lock:
            if level not in self._graphs:
                self._graphs[level] = public_graph(self.kast, self._hidden[level])
            return self._graphs[level]

    def reload(self, changed_paths):
        """Take in changed files (`kast.loader.reload`: only those files are read and validated), update
        their rows in the search index (`IndexStore.update`) and drop this process's derived views; when only
        practices changed, the base graphs of the maps and networks are updated instead (`kast.network.update`).
        A refused file changes nothing; the result lists the messages and what changed.

        Other worker processes keep their own loaded kast until they reload the same files or restart.
        """
        from kast.loader import reload as reload_files

        with self.versions.write_lock(), self._lock, self._dump_lock:
            fingerprint = self.store.fingerprint(changed=changed_paths)   # before reading: only these files changed
            result = reload_files(self.kast, changed_paths)
            if result.changed or result.removed:
                self._opened = self.store.update(self.kast, result, fingerprint=fingerprint)
                self.loaded_fingerprint = fingerprint
                ids = result.changed | result.removed   # visibility is in a practice's own file: judge only these
                self._hidden = {level: frozenset((self._hidden[level] - ids) | hidden_among(self.kast, result.changed, reader))
                                for level, reader in LEVELS.items()}
                for level, downloads in self._downloads.items():
                    downloads.update(self.kast, self._hidden[level], result.subjects)
                self._derived(ids if result.only_practices else None)
            return result

    def dump(self, fmt: str) -> list[bytes]:
        """The whole graph the current reader may see in one format, as the pieces to send: written per
        subject and after a change only for the changed subjects (kast.dumps)."""
        level = current_reader().level
        with self._dump_lock:
            if level not in self._downloads:
                self._downloads[level] = Downloads(self.kast, self._hidden[level])
            return self._downloads[level].chunks(fmt)
