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
    labels = relation_labels(g)
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
    G = nx.MultiDiGraph(name="Actorenkaart")
    edges = []
    linked = set()
    for p in edge_properties(kast):
        key = curie(p, kast.vocab)
        local = key.split(":", 1)[-1]
        relation = labels.get(p, local)
        for s_, o in g.subject_objects(p):
            if s_ not in nodes or o not in nodes or o == s_:
                continue
            source, target = nodes[s_], nodes[o]
            if local in SYMMETRIC_LOCAL and source > target:
                source, target = target, source
            edges.append((source, target, key, relation))
            if local not in REGION_PROPERTIES:
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
    # names of the provinces and RIEC regions nodes name, for tooltips (not every one is a node of the map)
    regions = {v for _, d in G.nodes(data=True) for v in (d.get("province"), d.get("riec")) if v}
    G.graph["labels"] = {r: str(_one(facts, SKOS.prefLabel, kast.iri(r)) or r) for r in sorted(regions) if r in kast.items}
    _spread_context(G)
    return G


def _spread_context(G: nx.MultiDiGraph) -> None:
    """Give every node the lists `themes`, `instruments` and `regions` that filters use.

    Practices and instruments have their own themes; actors inherit those of the practices and
    instruments they are linked to. Regions are province and RIEC ids: a municipality's own, and
    for a practice those of the places it names.
    """
    themes, instruments, regions = defaultdict(set), defaultdict(set), defaultdict(set)
    kind = dict(G.nodes(data="kind"))
    for node, data in G.nodes(data=True):
        if kind[node] in ("thema", "ambitie"):
            themes[node].add(node)
        if kind[node] == "instrument":
            instruments[node].add(node)
        for key in ("province", "riec"):
            if data.get(key):
                regions[node].add(data[key])
        if data.get("type") == "provincie":
            regions[node].add(node)
        if data.get("riec") in G:   # a RIEC is the region of the municipalities that name it
            regions[data["riec"]].add(data["riec"])
    for u, v, pred in G.edges(data="predicate"):
        if pred == "kast:theme":
            themes[u].add(v)
        elif pred in ("prov:used", "kast:refersToInstrument"):
            instruments[u].add(v)
        elif pred == "dct:spatial":
            regions[u] |= regions[v]
    for u, v, pred in G.edges(data="predicate"):
        # actors (also the places a practice names) take the themes and instruments of what they offer, develop, support or do
        if kind[u] in ("praktijk", "instrument") and kind[v] == "actor":
            themes[v] |= themes[u]
            instruments[v] |= instruments[u] | ({u} if kind[u] == "instrument" else set())
    for node in G:
        G.nodes[node]["themes"] = sorted(themes[node])
        G.nodes[node]["instruments"] = sorted(instruments[node])
        G.nodes[node]["regions"] = sorted(regions[node])
