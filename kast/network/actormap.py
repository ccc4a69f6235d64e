"""The actor map: actors, instruments, themes, ambitions and practices with their relations.

Every edge is a triple of the kast graph between two nodes of the map; its `relation` is the Dutch
`rdfs:label` the ontology gives the property (``kast:offeredBy`` → "aangeboden door",
``prov:used`` → "gebruikt instrument"), read as "source relation target".
"""
from collections import defaultdict

import networkx as nx
from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, SKOS

from ..visibility import Reader, hidden
from ..vocab import ACTOR_KINDS
from .base import notation

MAP_KINDS = ACTOR_KINDS + ("instrument", "thema", "ambitie", "praktijk")

# Node types a user can switch on and off, with the Dutch names a page shows for them.
NODE_TYPES = {
    "actor": "overige actoren", "gemeente": "gemeenten", "provincie": "provincies",
    "waterschap": "waterschappen", "veiligheidsregio": "veiligheidsregio's",
    "politie-eenheid": "politie-eenheden", "instrument": "instrumenten", "thema": "thema's",
    "ambitie": "ambities", "praktijk": "praktijken",
}

# Properties that say where an organisation lies; a municipality with only these edges is not
# "linked" to anything in the map.
REFERENCE_KINDS = ("gemeente", "provincie", "waterschap", "veiligheidsregio", "politie-eenheid")
REGION_PROPERTIES = ("province", "riecRegion", "veiligheidsregio", "policeUnit")
# Properties that never become edges (they point to values, documents or the TOOI, not to nodes).
SKIPPED = {SKOS.inScheme, SKOS.topConceptOf, SKOS.hasTopConcept, SKOS.narrower, OWL.sameAs,
           DCTERMS.source, PROV.qualifiedDerivation, DCTERMS.publisher}
SYMMETRIC_LOCAL = {"collaboratesWith", "related"}


def curie(iri: URIRef, vocab) -> str:
    """A short name for a property, e.g. 'kast:offeredBy' or 'prov:used'."""
    for prefix, ns in vocab.prefixes.items():
        if str(iri).startswith(str(ns)):
            return f"{prefix}:{str(iri)[len(str(ns)):]}"
    return str(iri)


def relation_labels(graph) -> dict[URIRef, str]:
    """Dutch label of every property that has one in the ontology (``rdfs:label`` with @nl)."""
    return {s: str(o) for s, o in graph.subject_objects(RDFS.label)
            if getattr(o, "language", None) == "nl" and isinstance(s, URIRef)}


def _facts(kast) -> dict:
    """One scan per property of what node data needs: {property: {subject: [objects]}}."""
    g, k = kast.graph, kast.vocab.kast
    out = {}
    for prop in (SKOS.prefLabel, SKOS.altLabel, k.actorType, k.level, k.province, k.riecRegion,
                 k.practiceKind):
        table = defaultdict(list)
        for s, o in g.subject_objects(prop):
            table[s].append(o)
        out[prop] = table
    return out


class FewFacts:
    """`_facts` for a few nodes: each value looked up in the graph when asked (a reload changes a handful)."""

    def __init__(self, kast):
        self.graph = kast.graph

    def __getitem__(self, prop):
        return self._Property(self.graph, prop)

    class _Property:
        def __init__(self, graph, prop):
            self.graph, self.prop = graph, prop

        def get(self, subject, default=None):
            return list(self.graph.objects(subject, self.prop)) or default


def _one(facts, prop, subject):
    values = facts[prop].get(subject)
    return values[0] if values else None


def _node_data(kast, facts, item_id, item) -> dict:
    k = kast.vocab.kast
    kind = "actor" if item.kind in ACTOR_KINDS else item.kind
    label = _one(facts, SKOS.prefLabel, item.iri)
    data = {"id": item_id, "label": str(label) if label is not None else item_id, "kind": kind, "type": item.kind,
            "aliases": sorted(str(a) for a in facts[SKOS.altLabel].get(item.iri, ()))}
    if kind == "actor":
        actor_type = _one(facts, k.actorType, item.iri)
        data["actorType"] = notation(actor_type)
        type_label = _one(facts, SKOS.prefLabel, actor_type) if actor_type is not None else None
        data["typeLabel"] = str(type_label) if type_label is not None else "actor"
        data["level"] = notation(_one(facts, k.level, item.iri))
        for key, prop in (("province", k.province), ("riec", k.riecRegion)):
            value = _one(facts, prop, item.iri)
            if value is not None:
                data[key] = kast.id_of(value) or ""
    elif kind == "praktijk":
        data["practiceKind"] = notation(_one(facts, k.practiceKind, item.iri))
        data["typeLabel"] = f"{data['practiceKind']} practice"
    else:
        data["typeLabel"] = kind
    return data


def edge_properties(kast) -> list:
    """The properties that can link two nodes: the ontology's object properties and the reused
    ones a practice, concept or organisation uses (prov:used, dct:spatial, skos:broader …)."""
    g = kast.graph
    props = set(g.subjects(RDF.type, OWL.ObjectProperty)) | {
        PROV.wasAssociatedWith, PROV.used, DCTERMS.spatial, SKOS.broader, SKOS.related, ORG.memberOf,
        ORG.subOrganizationOf}
    return sorted(props - SKIPPED, key=str)


def actor_map(kast, municipalities: str = "linked", visibility=("openbaar",)) -> nx.MultiDiGraph:
    """The actor map of the kast as a MultiDiGraph keyed by item id.

    Parameters
    ----------
    kast : Kast
        A loaded kast (``kast.loader.load``).
    municipalities : "linked" | "all" | "none"
        "linked" (default) keeps only the municipalities that a practice or an actor relation names
        (all 342 would drown the map in nodes that only say which province they lie in), and drops
        provinces, water boards, safety regions and police units that have no edge at all.
    visibility : iterable of str
        Practices of these visibilities are shown (default only "openbaar"; pass
        ``("openbaar", "netwerk")`` for members of the network), or a `kast.visibility.Reader`. Only
        published practices appear, unless the reader is a curator.

    Returns
    -------
    MultiDiGraph
        Nodes carry id, label, kind (actor/instrument/thema/ambitie/praktijk), type (the actor
        subkind: gemeente, provincie, waterschap, veiligheidsregio, politie-eenheid or actor),
        actorType, typeLabel, level, province and riec (ids, where known), themes, instruments and
        regions (lists of ids, for filtering). Edges carry relation (Dutch), predicate (CURIE) and
        key (the CURIE).

    Examples
    --------
    >>> from kast.loader import load
    >>> G = actor_map(load(shacl=False))
    >>> G.nodes["riec-noord-nederland"]["kind"], G.nodes["gm0106"]["type"], G.nodes["gm0106"]["province"]
    ('actor', 'gemeente', 'pv22')
    >>> G["wet-bibob"]["ministerie-jenv"]["kast:offeredBy"]["relation"]
    'aangeboden door'
    """
    if municipalities not in ("linked", "all", "none"):
        raise ValueError("municipalities moet 'linked', 'all' of 'none' zijn")
    invisible = hidden(kast, visibility if isinstance(visibility, Reader) else tuple(visibility))
    g = kast.graph
    facts = _facts(kast)
    nodes = {}
    for item_id, item in kast.items.items():
        if item.kind not in MAP_KINDS:
            continue
        if item_id in invisible:
            continue
        if item.kind == "gemeente" and municipalities == "none":
            continue
        nodes[item.iri] = item_id
    G = nx.MultiDiGraph(name="Actorenkaart", municipalities=municipalities)
    edges = []
    linked = set()
    for p, (key, relation, regional) in edge_kinds(kast).items():
        for s_, o in g.subject_objects(p):
            if s_ not in nodes or o not in nodes or o == s_:
                continue
            source, target = oriented(nodes[s_], nodes[o], key)
            edges.append((source, target, key, relation))
            if not regional:
                linked.update((source, target))
    for iri, item_id in nodes.items():
        item = kast.items[item_id]
        if item.kind == "gemeente" and municipalities == "linked" and item_id not in linked:
            continue
        G.add_node(item_id, **_node_data(kast, facts, item_id, item))
    for source, target, key, relation in edges:
        if source in G and target in G:
            G.add_edge(source, target, key=key, predicate=key, relation=relation)
    if municipalities == "linked":   # reference organisations (provinces, water boards …) with no edge at all
        G.remove_nodes_from([n for n, d in G.nodes(data=True) if d["type"] in REFERENCE_KINDS and not G.degree(n)])
    set_region_labels(G, kast, facts)
    _spread_context(G)
    return G


def edge_kinds(kast) -> dict:
    """{property: (key, Dutch relation, whether it only says where an organisation lies)} for `edge_properties`."""
    labels = relation_labels(kast.graph)
    table = {}
    for p in edge_properties(kast):
        key = curie(p, kast.vocab)
        local = key.split(":", 1)[-1]
        table[p] = (key, labels.get(p, local), local in REGION_PROPERTIES)
    return table


def oriented(source: str, target: str, key: str) -> tuple[str, str]:
    """A symmetric relation (werkt samen met, verwant aan) is stored once, from the smaller id."""
    if key.split(":", 1)[-1] in SYMMETRIC_LOCAL and source > target:
        return target, source
    return source, target


def set_region_labels(G, kast, facts) -> None:
    """Names of the provinces and RIEC regions nodes name, for tooltips (not every one is a node of the map)."""
    regions = {v for _, d in G.nodes(data=True) for v in (d.get("province"), d.get("riec")) if v}
    G.graph["labels"] = {r: str(_one(facts, SKOS.prefLabel, kast.iri(r)) or r) for r in sorted(regions) if r in kast.items}


def _spread_context(G: nx.MultiDiGraph) -> None:
    """Give every node the lists `themes`, `instruments` and `regions` that filters use (see `context_of`)."""
    named = named_riecs(G)
    own: dict = {}
    for node in G:
        set_context(G, node, named, own)


def named_riecs(G) -> set:
    """The RIEC nodes some node of the map names as its region."""
    return {riec for _, riec in G.nodes(data="riec") if riec in G}


def _own(G, node, kind: str) -> tuple[set, set]:
    """The themes and instruments a node has itself: a theme or instrument is its own, plus what its edges name."""
    themes = {node} if kind in ("thema", "ambitie") else set()
    instruments = {node} if kind == "instrument" else set()
    for _, target, predicate in G.out_edges(node, data="predicate"):
        if predicate == "kast:theme":
            themes.add(target)
        elif predicate in ("prov:used", "kast:refersToInstrument"):
            instruments.add(target)
    return themes, instruments


def _own_regions(G, node, named: set) -> set:
    data = G.nodes[node]
    regions = {data[key] for key in ("province", "riec") if data.get(key)}
    if data.get("type") == "provincie" or node in named:
        regions.add(node)
    return regions


def set_context(G: nx.MultiDiGraph, node, named: set, own: dict | None = None) -> None:
    """Set a node's lists `themes`, `instruments` and `regions`, which filters use.

    Practices and instruments have their own themes and instruments; actors (also the places a practice names)
    take those of the practices and instruments linked to them. Regions are province and RIEC ids: a
    municipality's own, a province itself, a RIEC that some node names, and for a practice those of the places
    it names (``dct:spatial``). `named` is `named_riecs(G)`; `own` caches `_own` across calls.
    """
    own = {} if own is None else own

    def own_of(n):
        if n not in own:
            own[n] = _own(G, n, G.nodes[n]["kind"])
        return own[n]

    themes, instruments = (set(x) for x in own_of(node))
    if G.nodes[node]["kind"] == "actor":
        for source in G.predecessors(node):
            if G.nodes[source]["kind"] in ("praktijk", "instrument"):
                t, i = own_of(source)
                themes |= t
                instruments |= i
    regions = _own_regions(G, node, named)
    for _, target, predicate in G.out_edges(node, data="predicate"):
        if predicate == "dct:spatial":
            regions |= _own_regions(G, target, named)
    G.nodes[node].update(themes=sorted(themes), instruments=sorted(instruments), regions=sorted(regions))
