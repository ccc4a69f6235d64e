"""The in-memory store of the kast's one graph: three indexes (spo, pos, osp) and nothing else.

rdflib's default `Memory` store also records, per triple, the graphs (contexts) it is in: two more sets of
all triples and an event object per added triple. The kast's graph is one graph (which file made a triple
is in `kast.file_of`), so that bookkeeping buys nothing. rdflib's `SimpleMemory` drops it, but keeps a
dictionary at the end of every index path (`spo[s][p] = {o: 1}`), while almost every subject has one
value per property, almost every literal one subject, and so on: 600 bytes per triple. This store keeps a
single value as itself and makes the dictionary only for a second one (insertion order kept, as in
`SimpleMemory`). At 10,000 practices (325,000 triples) that is ~1/3 of the store's memory, and the
validating child process (a fork) copies fewer pages (docs/prestaties.md).

pyshacl wraps the graph it validates in an rdflib `Dataset` over the same store, which rdflib only allows
for a store that says it is context- and graph-aware. This one says so and keeps every triple in the one
graph: for a single graph that is what a context-aware store would answer too (every pattern, in any
context, meets all triples). Do not put named graphs in it.
"""
from rdflib import Graph
from rdflib.plugins.stores.memory import SimpleMemory

_NONE = object()


def _put(level: dict, key, value) -> bool:
    """Add `value` under `key`; False when it was there already."""
    have = level.get(key, _NONE)
    if have is _NONE:
        level[key] = value
        return True
    if type(have) is dict:
        if value in have:
            return False
        have[value] = 1
        return True
    if have == value:
        return False
    level[key] = {have: 1, value: 1}
    return True


def _drop(index: dict, first, key, value) -> None:
    level = index[first]
    have = level[key]
    if type(have) is dict:
        del have[value]
        if have:
            return
    del level[key]
    if not level:
        del index[first]


def _members(values):
    return list(values) if type(values) is dict else (values,)


def _has(values, value) -> bool:
    return value in values if type(values) is dict else values == value


class OneGraphStore(SimpleMemory):
    context_aware = True
    graph_aware = True

    def __init__(self, configuration=None, identifier=None):
        super().__init__(configuration, identifier)
        self._spo: dict = {}
        self._pos: dict = {}
        self._osp: dict = {}
        self._count = 0

    def add(self, triple, context, quoted: bool = False) -> None:
        s, p, o = triple
        po = self._spo.get(s)
        if po is None:
            po = self._spo[s] = {}
        if not _put(po, p, o):
            return
        os_ = self._pos.get(p)
        if os_ is None:
            os_ = self._pos[p] = {}
        _put(os_, o, s)
        sp = self._osp.get(o)
        if sp is None:
            sp = self._osp[o] = {}
        _put(sp, s, p)
        self._count += 1

    def remove(self, triple_pattern, context=None) -> None:
        for (s, p, o), _ in list(self.triples(triple_pattern)):
            _drop(self._spo, s, p, o)
            _drop(self._pos, p, o, s)
            _drop(self._osp, o, s, p)
            self._count -= 1

    def triples(self, triple_pattern, context=None):
        """Every stored triple matching the pattern (None matches anything), with no contexts. Each level is
        copied before it is walked (as rdflib's `Memory` does): a reload may change the graph while a request
        of another thread walks it."""
        s, p, o = triple_pattern
        none = ()
        if s is not None:
            po = self._spo.get(s)
            if po is None:
                return
            if p is not None:
                values = po.get(p, _NONE)
                if values is _NONE:
                    return
                if o is not None:
                    if _has(values, o):
                        yield (s, p, o), iter(none)
                    return
                for one in _members(values):
                    yield (s, p, one), iter(none)
                return
            for pred, values in list(po.items()):
                if o is not None:
                    if _has(values, o):
                        yield (s, pred, o), iter(none)
                    continue
                for one in _members(values):
                    yield (s, pred, one), iter(none)
        elif p is not None:
            os_ = self._pos.get(p)
            if os_ is None:
                return
            if o is not None:
                values = os_.get(o, _NONE)
                if values is not _NONE:
                    for one in _members(values):
                        yield (one, p, o), iter(none)
                return
            for obj, values in list(os_.items()):
                for one in _members(values):
                    yield (one, p, obj), iter(none)
        elif o is not None:
            sp = self._osp.get(o)
            if sp is None:
                return
            for subj, values in list(sp.items()):
                for one in _members(values):
                    yield (subj, one, o), iter(none)
        else:
            for subj, po in list(self._spo.items()):
                for pred, values in list(po.items()):
                    for one in _members(values):
                        yield (subj, pred, one), iter(none)

    def __len__(self, context=None) -> int:
        return self._count

    def contexts(self, triple=None):
        return iter(())

    def add_graph(self, graph) -> None:   # every graph over this store is the one graph
        pass

    def remove_graph(self, graph) -> None:
        raise NotImplementedError("de graaf van de kast heeft geen benoemde grafen")


def new_graph() -> Graph:
    """An empty graph on a `OneGraphStore`."""
    return Graph(store=OneGraphStore())
