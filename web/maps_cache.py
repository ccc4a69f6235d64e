"""The per-process cache behind the network pages: base graphs for the life of the process, an LRU of
views weighed by size, and metrics computed once per view (in a background thread for large views).
"""
import logging
import threading
from collections import OrderedDict

from kast.network import actor_map, metrics, peer_network
from kast.network.update import UpdateRefused, update_actor_map, update_peer_network
from kast.visibility import ANONYMOUS, LEVELS

from . import heap
from .readers import current_reader

SYNC_NODES, SYNC_EDGES = 1000, 20_000   # views up to this size get their metrics within the request
CACHE_BUDGET = 600_000          # "elements" held by cached views: nodes + edges of graphs, rows, 200 characters
                                # of JSON (a full 10k-corpus view is ~120,000); the base graphs are kept apart
SEED = 42
log = logging.getLogger(__name__)


class State:
    """Per loaded kast: the base graphs, an LRU of views and the metrics (computed once per view)."""

    def __init__(self, site, reader=ANONYMOUS, base: dict | None = None, graphs_lock=None):
        self.site = site
        self.reader = reader
        self._lock = threading.Lock()
        self._base: dict = dict(base or {})
        self.graphs_lock = graphs_lock or threading.Lock()   # held while base graphs change or are copied
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
                with self.graphs_lock:   # G may be a base graph, which a reload changes in place
                    H = G.copy()
                self.get(key, lambda: metrics(H, seed=SEED))
                heap.settle()   # now, while the worker is idle, not in the next request (web.heap)
            finally:
                with self._lock:
                    self._background.discard(key)

        threading.Thread(target=work, name="kast-netwerkmaten", daemon=True).start()
        return None


    def carried_over(self, changed: set) -> "State":
        """A new state for the kast after the practices `changed` were taken in: the base graphs updated in
        place (`kast.network.update`), every view dropped. A base graph that cannot be updated is built again
        on next use."""
        kept = {}
        with self.graphs_lock:
            for key, G in self._base.items():
                try:
                    if key == ("kaart",):
                        update_actor_map(G, self.site.kast, changed, self.reader)
                    else:
                        update_peer_network(G, self.site.kast, changed, self.reader)
                    kept[key] = G
                except UpdateRefused:
                    pass
                except Exception:   # never let a map break taking in a change: build this one again instead
                    log.exception("kaart of netwerk niet bijgewerkt; wordt opnieuw gebouwd")
        return State(self.site, self.reader, kept, self.graphs_lock)


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
