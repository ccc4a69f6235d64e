"""Keep a built actor map and peer network current when practices change, instead of building them again.

Building either at 10,000 practices takes a second or more; a published change must show within 2 s in
every process (issue 10). A practice touches few nodes: itself, the organisations and places it names
and, in the peer network, the municipalities it names. These functions change only those, by the same
rules as `actor_map` and `peer_network` (the tests compare the result with a fresh build).

Only for changed practices: a change to an actor, instrument or theme file can reach every node, so
callers build the graphs again then (`UpdateRefused`).
"""
import networkx as nx
from rdflib.namespace import DCTERMS, PROV

from ..visibility import Reader, hidden_among
from .actormap import (MAP_KINDS, REFERENCE_KINDS, FewFacts, _node_data, edge_kinds, named_riecs, oriented,
                       set_context, set_region_labels)
from .peers import _label, _node, link, specificity


class UpdateRefused(ValueError):
    """This change cannot be applied to the graph in place; build it again."""


def _practices_only(kast, ids, other_in_graph) -> None:
    """UpdateRefused unless every id is a practice in the kast (or gone from it) and `other_in_graph(id)`
    says the graph does not hold it as something else."""
    for item_id in ids:
        item = kast.items.get(item_id)
        if (item is not None and item.kind != "praktijk") or other_in_graph(item_id):
            raise UpdateRefused(f"'{item_id}' is geen praktijk")


def _item_at(kast, node):
    """The id and item whose own IRI `node` is (not a citation or section node of it), or (None, None)."""
    item_id = kast.id_of(node)
    item = kast.items.get(item_id) if item_id else None
    return (item_id, item) if item is not None and item.iri == node else (None, None)


def _edges_at(kast, kinds: dict, item_id: str):
    """(source, target, key, relation, regional) of every map relation in the kast graph with the item at
    one end; the other end is an item of the kast (not necessarily on the map)."""
    g, iri = kast.graph, kast.iri(item_id)
    triples = [(iri, p, o) for p, o in g.predicate_objects(iri) if p in kinds] + \
              [(s, p, iri) for s, p in g.subject_predicates(iri) if p in kinds]
    for s, p, o in triples:
        if s == o:
            continue
        ends = []
        for node in (s, o):
            node_id, item = _item_at(kast, node)
            if item is None or item.kind not in MAP_KINDS:
                break
            ends.append(node_id)
        else:
            key, relation, regional = kinds[p]
            yield (*oriented(ends[0], ends[1], key), key, relation, regional)


class _MapUpdate:
    def __init__(self, G, kast, visibility):
        self.G, self.kast = G, kast
        self.kinds = edge_kinds(kast)
        self.facts = FewFacts(kast)
        self.visibility = visibility
        self.context: set = set()   # nodes whose themes, instruments and regions must be set again

    def kind(self, item_id: str) -> str | None:
        item = self.kast.items.get(item_id)
        return item.kind if item else None

    def on_map(self, item_id: str) -> bool:
        """Whether the item may be a node: a practice only when it is one already (its visibility did not change)."""
        return item_id in self.G if self.kind(item_id) == "praktijk" else self.kind(item_id) in MAP_KINDS

    def add(self, item_id: str) -> set:
        """Add the node with its edges to the nodes of the map; returns the other ends of all its relations."""
        G = self.G
        G.add_node(item_id, **_node_data(self.kast, self.facts, item_id, self.kast.items[item_id]))
        others = set()
        for source, target, key, relation, _ in _edges_at(self.kast, self.kinds, item_id):
            other = target if source == item_id else source
            others.add(other)
            if other in G:
                G.add_edge(source, target, key=key, predicate=key, relation=relation)
                self.context.add(other)
        self.context |= {item_id, G.nodes[item_id].get("riec")}   # a RIEC's regions: whether a node names it
        return others

    def remove(self, item_id: str) -> set:
        neighbours = set(self.G.predecessors(item_id)) | set(self.G.successors(item_id))
        self.context |= neighbours | {self.G.nodes[item_id].get("riec")}
        self.G.remove_node(item_id)
        return neighbours

    def linked(self, item_id: str) -> bool:
        """A municipality is on the map when a relation other than 'lies in' links it to something on it."""
        return any(not regional and self.on_map(target if source == item_id else source)
                   for source, target, _, _, regional in _edges_at(self.kast, self.kinds, item_id))

    def settle(self, candidates: set) -> None:
        """Municipalities and reference organisations near a change come or go by the rules of `actor_map`."""
        G, near = self.G, set()
        for m in sorted(c for c in candidates if self.kind(c) == "gemeente"):
            wanted = self.linked(m)
            if wanted and m not in G:
                near |= self.add(m)
            elif not wanted and m in G:
                near |= self.remove(m)
        for r in sorted(c for c in candidates | near if self.kind(c) in REFERENCE_KINDS and self.kind(c) != "gemeente"):
            if r in G and not G.degree(r):
                G.remove_node(r)
            elif r not in G and any((t if s == r else s) in G for s, t, *_ in _edges_at(self.kast, self.kinds, r)):
                self.add(r)


def update_actor_map(G: nx.MultiDiGraph, kast, ids, visibility=("openbaar",)) -> None:
    """Bring an actor map made by ``actor_map(kast, "linked", visibility)`` up to date, in place, after the
    practices `ids` were changed, added or removed in `kast` (``kast.reload``).

    Raises UpdateRefused when an id is not a practice or the map was made with other municipalities.

    >>> from kast.loader import load
    >>> from kast.network import actor_map
    >>> kast = load(shacl=False)
    >>> G = actor_map(kast)
    >>> practice = next(n for n, kind in G.nodes(data="kind") if kind == "praktijk")
    >>> _ = kast.graph.remove((kast.iri(practice), None, None)); del kast.items[practice]
    >>> update_actor_map(G, kast, {practice})
    >>> practice in G, sorted(G) == sorted(actor_map(kast))
    (False, True)
    """
    if G.graph.get("municipalities") != "linked":
        raise UpdateRefused("alleen een kaart met de gekoppelde gemeenten")
    ids = set(ids)
    _practices_only(kast, ids, lambda i: i in G and G.nodes[i].get("kind") not in (None, "praktijk"))
    reader = visibility if isinstance(visibility, Reader) else tuple(visibility)
    work = _MapUpdate(G, kast, reader)
    candidates = set()
    for item_id in sorted(ids & set(G)):
        candidates |= work.remove(item_id)
    present = set(ids & set(kast.items)) - hidden_among(kast, ids & set(kast.items), reader)
    for item_id in sorted(present):   # an edge between two changed practices is added with the second
        candidates |= work.add(item_id)
    work.settle(candidates)
    named = named_riecs(G)
    own: dict = {}
    for node in sorted(work.context & set(G)):
        set_context(G, node, named, own)
    set_region_labels(G, kast, work.facts)


def _places(kast, practice_id: str) -> set:
    """The municipalities a practice names (its places and the organisations it was done by)."""
    g, iri = kast.graph, kast.iri(practice_id)
    found = set()
    for predicate in (DCTERMS.spatial, PROV.wasAssociatedWith):
        for o in g.objects(iri, predicate):
            item_id, item = _item_at(kast, o)
            if item is not None and item.kind == "gemeente":
                found.add(item_id)
    return found


def _named_items(kast, practice_id: str, predicate) -> set:
    found = (_item_at(kast, o)[0] for o in kast.graph.objects(kast.iri(practice_id), predicate))
    return {item_id for item_id in found if item_id}


def _sets(data: dict) -> dict:
    out = {key: set(data[key]) for key in ("practices", "themes", "instruments")}
    out.update(riec=data["riec"], province=data["province"])
    return out


def update_peer_network(G: nx.Graph, kast, ids, visibility=("openbaar",)) -> None:
    """Bring a peer network made by ``peer_network(kast, include_all=…, visibility=…)`` (no filters) up to
    date, in place, after the practices `ids` were changed, added or removed in `kast`.

    Only the municipalities the practices name (before and after) get new profiles; edges are computed again
    for them and for the pairs that share an item whose specificity changed. Raises UpdateRefused when an id
    is not a practice or the network was made with filters.
    """
    if any(G.graph.get("filters", {}).values()) or "include_all" not in G.graph:
        raise UpdateRefused("alleen een netwerk zonder filters")
    ids = set(ids)
    _practices_only(kast, ids, G.__contains__)   # the nodes are municipalities
    reader = visibility if isinstance(visibility, Reader) else tuple(visibility)
    known = ids & set(kast.items)
    present = known - hidden_among(kast, known, reader)
    places = {p: _places(kast, p) for p in present}
    affected = {n for n, practices in G.nodes(data="practices") if ids.intersection(practices)}
    affected |= {m for found in places.values() for m in found}
    k = kast.vocab.kast
    labels = dict(G.graph["labels"])
    for p in ids:
        labels.pop(p, None)
    for m in sorted(affected):
        practices = (set(G.nodes[m]["practices"]) - ids if m in G else set()) | {p for p in present if m in places[p]}
        profile = {"practices": practices, "themes": set(), "instruments": set()}
        for p in practices:
            profile["themes"] |= _named_items(kast, p, k.theme)
            profile["instruments"] |= _named_items(kast, p, PROV.used)
        if practices or G.graph["include_all"]:
            G.add_node(m, **_node(kast, m, profile, labels))
        elif m in G:
            G.remove_node(m)
    sets = {n: _sets(data) for n, data in G.nodes(data=True)}
    needed = {x for s in sets.values() for key in ("practices", "themes", "instruments") for x in s[key]}
    needed |= {s[key] for s in sets.values() for key in ("riec", "province") if s[key]} | set(G.graph["concepts"])
    labels = {x: labels[x] if x in labels else _label(kast.graph, kast.iri(x)) for x in needed}
    population = sum(1 for item in kast.items.values() if item.kind == "gemeente")
    spec = specificity({n: {key: s[key] for key in ("practices", "themes", "instruments")} for n, s in sets.items()},
                       population)
    old = G.graph["specificity"]
    moved = {x for x in set(spec) | set(old) if spec.get(x) != old.get(x)}
    pairs = {tuple(sorted((m, n))) for m in affected if m in G for n in G if n != m}
    if moved:
        holders: dict = {}
        for n, s in sets.items():
            for x in moved.intersection(s["practices"] | s["themes"] | s["instruments"]):
                holders.setdefault(x, []).append(n)
        for members in holders.values():
            members.sort()
            pairs |= {(a, b) for i, a in enumerate(members) for b in members[i + 1:]}
    for a, b in pairs:
        edge = link(sets[a], sets[b], spec)
        if edge:
            G.add_edge(a, b, **edge)
        elif G.has_edge(a, b):
            G.remove_edge(a, b)
    G.graph.update(labels=labels, specificity=spec)
