"""The in-memory store of the kast's one graph: rdflib's `SimpleMemory`, which keeps a triple in three
dictionaries (spo, pos, osp) and nothing else.

rdflib's default `Memory` store also records, per triple, the graphs (contexts) it is in: two more sets of
all triples and an event object per added triple. The kast's graph is one graph (which file made a triple
is in `kast.file_of`), so that bookkeeping buys nothing: at 10,000 practices `SimpleMemory` fills in ~60 %
of the time, answers look-ups by subject in half the time and holds ~50 MB less (docs/prestaties.md).

pyshacl wraps the graph it validates in an rdflib `Dataset` over the same store, which rdflib only allows
for a store that says it is context- and graph-aware. This one says so and stores every triple in the one graph: for
a single graph, that is what a context-aware store would answer too (every pattern, in any context, meets
all triples). Do not put named graphs in it.
"""
from rdflib import Graph
from rdflib.plugins.stores.memory import SimpleMemory


class OneGraphStore(SimpleMemory):
    context_aware = True
    graph_aware = True

    def contexts(self, triple=None):
        return iter(())

    def add_graph(self, graph) -> None:   # every graph over this store is the one graph
        pass

    def remove_graph(self, graph) -> None:
        raise NotImplementedError("de graaf van de kast heeft geen benoemde grafen")


def new_graph() -> Graph:
    """An empty graph on a `OneGraphStore`."""
    return Graph(store=OneGraphStore())
