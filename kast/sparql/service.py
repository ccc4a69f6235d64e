"""The SPARQL service of one process: a store per visibility level (built lazily, on disk, for the
workers to open read-only), the guard, the worker pool and the budget per client.

    service = Service(kast, workdir)
    answer = service.execute(text, reader, "json", "text/turtle", client="203.0.113.5")

With `remote` (a `RemoteStore`), the public level lives in the external store instead: it is brought
in sync on first use, and public queries are sent there. Other levels always stay in this process.
"""
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..loader import Kast
from ..visibility import ANONYMOUS, LEVELS, Reader
from . import guard, store
from .remote import RemoteStore
from .runner import Budget, Busy, Pool


@dataclass
class Settings:
    timeout: float = 10.0          # seconds a query may run
    cap: int = 10_000              # rows (or triples) in one answer
    workers: int = 2               # concurrent queries
    queue_wait: float = 10.0       # seconds a query waits for a free worker
    budget: float = 60.0           # seconds of query time per client ...
    window: float = 60.0           # ... in this many seconds
    memory_mb: int | None = 2048   # address space of a worker


class Service:
    def __init__(self, kast: Kast, workdir: Path | str | None = None, settings: Settings | None = None,
                 remote: RemoteStore | None = None):
        self.kast = kast
        self.settings = settings or Settings()
        self.remote = remote
        self._own_workdir = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="kast-sparql-"))
        self.pool = Pool(self.settings.workers, self.settings.timeout, self.settings.queue_wait,
                         self.settings.memory_mb)
        self.budget = Budget(self.settings.budget, self.settings.window)
        self.prefixes = store.prefixes(kast)
        self._levels: dict[str, tuple[str | None, frozenset]] = {}   # level → (store path, graph names)
        self._locks = {level: threading.Lock() for level in LEVELS}

    @property
    def base(self) -> str:
        return self.kast.vocab.base

    def level(self, level: str) -> tuple[str | None, frozenset]:
        """The store path (None: the external store) and graph names of a level, built on first use."""
        with self._locks[level]:
            if level not in self._levels:
                graphs = store.level_store_graphs(self.kast, level)
                if self.remote is not None and level == "openbaar":
                    self.remote.sync(self.kast, level)
                    path = None
                else:
                    target = self.workdir / level
                    shutil.rmtree(target, ignore_errors=True)
                    self.workdir.mkdir(parents=True, exist_ok=True)
                    built = store.build(graphs, target)
                    del built   # closed: the workers open it read-only
                    path = str(target)
                self._levels[level] = (path, frozenset(graphs))
            return self._levels[level]

    def graph_names(self, reader: Reader = ANONYMOUS) -> list[str]:
        return sorted(self.level(reader.level)[1])

    def execute(self, text: str, reader: Reader = ANONYMOUS, fmt: str = "json", graph_mime: str = "text/turtle",
                client: str = "", default_graphs=(), named_graphs=()):
        """Guard, budget and run one query; raises `guard.Refused` or `runner.QueryFailed` (Dutch messages)."""
        path, names = self.level(reader.level)
        checked = guard.check(text, self.base, names.__contains__)
        for iri in [*default_graphs, *named_graphs]:
            if iri not in names:
                raise guard.Refused(f"default-graph-uri en named-graph-uri mogen alleen graven van de kast noemen; "
                                    f"<{iri}> is er geen")
        key = client or "anoniem"
        self.budget.check(key)
        job = {"text": text, "form": checked.form, "fmt": fmt, "graph_mime": graph_mime, "cap": self.settings.cap,
               "base": self.base, "prefixes": self.prefixes, "has_dataset": bool(checked.graphs),
               "default_graphs": list(default_graphs), "named_graphs": list(named_graphs),
               "store": path, "remote": self.remote.query_url if path is None and self.remote else None}
        started = time.monotonic()
        try:
            return self.pool.run(job)
        except Busy:
            started = None   # it never ran: costs the client nothing
            raise
        finally:
            if started is not None:
                self.budget.spend(key, time.monotonic() - started)

    def close(self) -> None:
        """Stop the workers and remove the stores; a later query starts and builds them again."""
        self.pool.close()
        for level, lock in self._locks.items():
            with lock:
                self._levels.pop(level, None)
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
