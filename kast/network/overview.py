"""The first view of the actor map: the organisations and how they relate, readable at a glance.

The whole map (hundreds of actors, instruments, themes and practices) drawn at once is a hairball whose
labels cannot be read. The overview keeps the organisations and the relations between them, and folds
everything else: each organisation's tooltip counts what it is linked to, and each folded kind becomes
one cluster node ("82 instrumenten") that opens the map with that kind when clicked.
"""
from collections import Counter

import networkx as nx

# Kinds of node that stay in the overview (organisations); the rest is folded.
ORGANISATIONS = ("actor", "gemeente", "provincie", "waterschap")
# Folded kinds: cluster id → (node types, Dutch plural, node types of the map the cluster opens).
CLUSTERS = {
    "instrumenten": (("instrument",), "instrumenten", ("actor", "instrument")),
    "themas": (("thema", "ambitie"), "thema's en ambities", ("actor", "thema", "ambitie")),
    "praktijken": (("praktijk",), "praktijken", ("actor", "gemeente", "praktijk")),
    "veiligheidsregios": (("veiligheidsregio",), "veiligheidsregio's", ("actor", "gemeente", "veiligheidsregio")),
    "politie-eenheden": (("politie-eenheid",), "politie-eenheden", ("actor", "politie-eenheid")),
}
PLURAL = {"instrument": ("instrument", "instrumenten"), "thema": ("thema", "thema's"),
          "ambitie": ("ambitie", "ambities"), "praktijk": ("praktijk", "praktijken"),
          "veiligheidsregio": ("veiligheidsregio", "veiligheidsregio's"),
          "politie-eenheid": ("politie-eenheid", "politie-eenheden")}
CLUSTER_PREFIX = "_samengevouwen-"   # "_" sorts before the (lower-case) ids: the clusters come first


def folded_counts(G: nx.Graph, node) -> str:
    """What a node is linked to outside the organisations, as Dutch text ("" when nothing).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("vng", type="actor"); G.add_node("bibob", type="instrument"); G.add_node("p", type="praktijk")
    >>> _ = G.add_edge("bibob", "vng"); _ = G.add_edge("p", "vng")
    >>> folded_counts(G, "vng")
    'verbonden met 1 instrument en 1 praktijk'
    """
    around = set(G.successors(node)) | set(G.predecessors(node)) if G.is_directed() else set(G[node])
    counts = Counter(G.nodes[m].get("type") for m in around if G.nodes[m].get("type") in PLURAL)
    parts = [f"{n} {PLURAL[t][n != 1]}" for t, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    if not parts:
        return ""
    return "verbonden met " + (", ".join(parts[:-1]) + " en " + parts[-1] if len(parts) > 1 else parts[0])


def overview(G: nx.MultiDiGraph) -> tuple[nx.MultiDiGraph, dict]:
    """(the organisations with their relations and one cluster node per folded kind, {cluster id: node
    types the cluster opens}).

    >>> from kast.loader import load
    >>> from kast.network import actor_map
    >>> H, opens = overview(actor_map(load(shacl=False)))
    >>> sorted({d["type"] for _, d in H.nodes(data=True)})
    ['actor', 'cluster', 'gemeente', 'provincie', 'waterschap']
    >>> opens["_samengevouwen-instrumenten"]
    ('actor', 'instrument')
    """
    keep = [n for n, t in G.nodes(data="type") if t in ORGANISATIONS]
    H = G.subgraph(keep).copy()
    H.graph.update(G.graph)
    for node in keep:
        H.nodes[node]["folded"] = folded_counts(G, node)
    opens = {}
    for key, (types, plural, shown) in CLUSTERS.items():
        count = sum(1 for _, t in G.nodes(data="type") if t in types)
        if not count:
            continue
        node = CLUSTER_PREFIX + key
        H.add_node(node, id=node, label=f"{count} {plural}", kind="cluster", type="cluster", typeLabel="samengevouwen",
                   aliases=[], folded=f"klik om de {plural} op de kaart te tonen")
        opens[node] = shown
    H.graph["note"] = ("Eerste weergave: de organisaties en hoe ze samenhangen. Instrumenten, thema's, praktijken, "
                       "veiligheidsregio's en politie-eenheden zijn samengevouwen tot de grijze blokken; klik op een "
                       "blok om die soort te tonen, of op een organisatie voor haar omgeving.")
    return H, opens
