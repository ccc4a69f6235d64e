"""The per-process cache behind the network pages: base graphs for the life of the process, an LRU of
views weighed by size, and metrics computed once per view (in a background thread for large views).
"""
import threading
from collections import OrderedDict

from kast.network import actor_map, metrics, peer_network
from kast.visibility import ANONYMOUS, LEVELS

from .readers import current_reader

SYNC_NODES, SYNC_EDGES = 1000, 20_000   # views up to this size get their metrics within the request
CACHE_BUDGET = 600_000          # "elements" held by cached views: nodes + edges of graphs, rows, 200 characters
                                # of JSON (a full 10k-corpus view is ~120,000); the base graphs are kept apart
SEED = 42


class State:
    """Per loaded kast: the base graphs, an LRU of views and the metrics (computed once per view)."""

    def __init__(self, site, reader=ANONYMOUS):
        self.site = site
        self.reader = reader
        self._lock = threading.Lock()
        self._base: dict = {}
        self._lru: OrderedDict = OrderedDict()
        self._weight = 0
        self._pending: dict = {}        # key → lock of the request computing it
        self._background: set = set()   # metrics keys being computed in a thread

    def get(self, key, compute, weight=lambda value: 1):
        """The cached value for key; the first request computes it, concurrent ones wait for it."""
        with self._lock:
            if key in self._lru:
                self._lru.move_to_end(key)
                return self._lru[key][0]
            lock = self._pending.setdefault(key, threading.Lock())
        with lock:
            with self._lock:
                if key in self._lru:
                    return self._lru[key][0]
            try:
                value = compute()
                self._store(key, value, weight(value))
            finally:
                with self._lock:
                    self._pending.pop(key, None)
            return value

    def _store(self, key, value, weight: int) -> None:
        with self._lock:
            self._lru[key] = (value, weight)
            self._weight += weight
            while self._weight > CACHE_BUDGET and len(self._lru) > 1:
                _, (_, w) = self._lru.popitem(last=False)
                self._weight -= w

    def peek(self, key):
        with self._lock:
            entry = self._lru.get(key)
            return entry[0] if entry else None

    def base(self, key, compute):
        """A graph every view starts from, kept for the life of the process."""
        with self._lock:
            if key in self._base:
                return self._base[key]
        value = self.get(("basis",) + key, compute, lambda G: 0)
        with self._lock:
            self._base.setdefault(key, value)
        return value

    def metrics(self, key, G):
        """Metrics of a view, or None while a thread computes them (large views only)."""
        key = ("maten",) + key
        done = self.peek(key)
        if done is not None:
            return done
        if G.number_of_nodes() <= SYNC_NODES and G.number_of_edges() <= SYNC_EDGES:
            return self.get(key, lambda: metrics(G, seed=SEED))
        with self._lock:
            if key in self._background:
                return None
            self._background.add(key)

        def work():
            try:
                self.get(key, lambda: metrics(G, seed=SEED))
            finally:
                with self._lock:
                    self._background.discard(key)

        threading.Thread(target=work, name="kast-netwerkmaten", daemon=True).start()
        return None


_states_lock = threading.Lock()


def state_of(site) -> State:
    """The cache of the current reader's level: each level sees other practices, so it has its own graphs."""
    reader = current_reader()
    with _states_lock:
        states = site.__dict__.setdefault("_netwerk_states", {})
        if reader.level not in states:
            states[reader.level] = State(site, LEVELS[reader.level])
        return states[reader.level]


def text_weight(text) -> int:
    return len(text) // 200 + 1


def rows_weight(rows) -> int:
    return sum(len(r.get("neighbours") or r.get("shared") or ()) + 1 for r in rows) + 1


def graph_weight(entry) -> int:
    G = entry[0] if isinstance(entry, tuple) else entry
    return G.number_of_nodes() + G.number_of_edges()


def base_map(state: State):
    """The actor map; `actor_map` leaves out the practices the public may not see."""
    return state.base(("kaart",), lambda: actor_map(state.site.kast, visibility=state.reader))


def base_peers(state: State, everyone: bool):
    return state.base(("peers", everyone), lambda: peer_network(state.site.kast, include_all=everyone,
                                                                visibility=state.reader))
