"""Everything one process serves from: the loaded kast, the open search index and cached dumps.

Loaded once per process and shared by every request (and by apps created with the same config, as in
the tests). The graph is only read after loading; rdflib's in-memory store is safe for concurrent
readers. The search index opens its own SQLite connection per thread.
"""
import threading
from pathlib import Path

from kast import config
from kast.links import public_graph
from kast.visibility import hidden
from kast.loader import Kast, load
from kast.search import IndexStore
from kast.stats import stats

DUMP_FORMATS = {"ttl": ("turtle", "text/turtle; charset=utf-8"),
                "jsonld": ("json-ld", "application/ld+json"),
                "nt": ("nt", "application/n-triples")}

_sites: dict[tuple, "Site"] = {}
_sites_lock = threading.Lock()


class Site:
    def __init__(self, data_dir: Path, index_dir, base: str | None):
        self.data_dir = data_dir
        self.store = IndexStore(index_dir, data_dir, base)
        self.loaded_fingerprint = self.store.fingerprint()
        self.kast: Kast = load(data_dir, base=base, shacl=False)
        self.hidden: set[str] = hidden(self.kast)
        self.stats = stats(self.kast)
        self._opened = None
        self._dumps: dict[str, bytes] = {}
        self._cache: dict[str, object] = {}
        self._public = None
        self._lock = threading.RLock()   # cached() may call opened()
        self._dump_lock = threading.Lock()   # a large dump takes seconds; searches must not wait

    @classmethod
    def for_config(cls, cfg) -> "Site":
        data_dir = config.data_dir(cfg.get("KAST_DATA")).resolve()
        key = (str(data_dir), str(cfg.get("KAST_INDEX")), cfg.get("KAST_BASE_IRI"))
        with _sites_lock:
            if key not in _sites:
                _sites[key] = cls(data_dir, cfg.get("KAST_INDEX"), cfg.get("KAST_BASE_IRI"))
            return _sites[key]

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

    def cached(self, key: str, compute):
        """A value computed once per process (the kast does not change while it is served)."""
        with self._lock:
            if key not in self._cache:
                self._cache[key] = compute()
            return self._cache[key]

    def public(self, item_id: str) -> bool:
        return item_id in self.kast.items and item_id not in self.hidden

    def public_graph(self):
        with self._dump_lock:
            if self._public is None:
                self._public = public_graph(self.kast, self.hidden)
            return self._public

    def reload(self, changed_paths):
        """Take in changed files (`kast.loader.reload`: only those files are read and validated), update
        their rows in the search index (`IndexStore.update`) and drop this process's derived views. A refused
        file changes nothing; the result lists the messages and what changed.

        Other worker processes keep their own loaded kast until they reload the same files or restart.
        """
        from kast.loader import reload as reload_files

        with self._lock, self._dump_lock:
            result = reload_files(self.kast, changed_paths)
            if result.changed or result.removed:
                self._opened = self.store.update(self.kast, result)
                self.loaded_fingerprint = self.store.fingerprint()
                self.hidden = hidden(self.kast)
                self.stats = stats(self.kast)
                self._dumps.clear()
                self._cache.clear()
                self._public = None
                self.__dict__.pop("_netwerk_state", None)   # maps and networks are built again on next use
            return result

    def dump(self, fmt: str) -> bytes:
        """The whole public graph in one format, serialised once per process."""
        with self._dump_lock:
            graph = self._public if self._public is not None else public_graph(self.kast, self.hidden)
            self._public = graph
            if fmt not in self._dumps:
                options = {}
                if fmt == "jsonld":   # compact, with the kast's prefixes as the context
                    options = {"context": {p: str(ns) for p, ns in graph.namespaces() if p}, "auto_compact": True}
                self._dumps[fmt] = graph.serialize(format=DUMP_FORMATS[fmt][0], encoding="utf-8", **options)
            return self._dumps[fmt]
