"""Who is central and who bridges: degree, betweenness, communities and participation."""
from dataclasses import dataclass, field

import networkx as nx

SAMPLE_ABOVE = 1000   # exact betweenness up to this many nodes; above it, k-sampling
SAMPLE_K = 100


@dataclass
class Metrics:
    """Per node: degree (distinct neighbours), betweenness, community (index) and participation.

    `bridges` lists the nodes that link communities, strongest first; `note` says in Dutch how
    betweenness was computed (exactly, or estimated from k sample nodes with a fixed seed).
    """
    nodes: dict[str, dict]
    communities: list[list[str]]
    bridges: list[dict] = field(default_factory=list)
    sampled_k: int | None = None
    note: str = ""

    @property
    def clusters(self) -> list[list[str]]:
        """The communities of more than one node (a node alone links nothing)."""
        return [c for c in self.communities if len(c) > 1]

    @property
    def alone(self) -> int:
        return sum(1 for c in self.communities if len(c) == 1)


def simple_undirected(G: nx.Graph) -> nx.Graph:
    """One undirected edge per linked pair; its weight is the summed weight (1 per relation).

    >>> M = nx.MultiDiGraph([("a", "b"), ("b", "a"), ("a", "c")])
    >>> sorted(simple_undirected(M).edges(data="weight"))
    [('a', 'b', 2.0), ('a', 'c', 1.0)]
    """
    U = nx.Graph()
    # In one fixed order (louvain follows it): a graph updated in place holds its nodes in another order
    # than a fresh build, and both must give the same communities.
    U.add_nodes_from(sorted(G.nodes(data=True), key=lambda nd: str(nd[0])))
    for u, v, w in sorted(G.edges(data="weight", default=1.0), key=lambda e: (str(e[0]), str(e[1]))):
        if u == v:
            continue
        if U.has_edge(u, v):
            U[u][v]["weight"] += float(w)
        else:
            U.add_edge(u, v, weight=float(w))
    return U


def participation(U: nx.Graph, community_of: dict) -> dict:
    """Participation coefficient 1 − Σ_c (k_ic / k_i)²: 0 for a node whose links stay inside one
    community, near 1 for one whose links spread evenly over many.

    >>> U = nx.Graph([("a", "b"), ("a", "c")])
    >>> participation(U, {"a": 0, "b": 0, "c": 1})["a"]
    0.5
    """
    out = {}
    for node in U:
        k = U.degree(node)
        if not k:
            out[node] = 0.0
            continue
        counts = {}
        for neighbour in U[node]:
            c = community_of[neighbour]
            counts[c] = counts.get(c, 0) + 1
        out[node] = round(1.0 - sum((n / k) ** 2 for n in counts.values()), 4)
    return out


def metrics(G: nx.Graph, seed: int = 42, k: int | None = None, top: int = 10) -> Metrics:
    """Centrality and bridging in a map or peer network.

    Parameters
    ----------
    seed : int
        Seed for Louvain communities and for betweenness sampling.
    k : int, optional
        Sample size for betweenness. Default: exact up to 1000 nodes, else 100 sample nodes
        (a 10,000-practice map then takes seconds instead of minutes).
    top : int
        How many bridges to list.

    Examples
    --------
    >>> G = nx.barbell_graph(4, 1)
    >>> m = metrics(G)
    >>> len(m.communities), m.bridges[0]["id"] in (3, 4, 5)
    (2, True)
    >>> m.note
    'Betweenness exact berekend over 9 knooppunten.'
    """
    U = simple_undirected(G)
    n = U.number_of_nodes()
    if n == 0:
        return Metrics({}, [], note="Lege graaf.")
    if k is None and n > SAMPLE_ABOVE:
        k = SAMPLE_K
    if k is not None and k < n:
        note = (f"Betweenness geschat uit een steekproef van {k} van de {n} knooppunten "
                f"(seed {seed}); de volgorde is betrouwbaar, de waarden bij benadering.")
    else:
        k = None
        note = f"Betweenness exact berekend over {n} knooppunten."
    bare = nx.Graph(U.edges())   # no attributes: faster breadth-first searches
    bare.add_nodes_from(U)
    betweenness = nx.betweenness_centrality(bare, k=k, seed=seed if k else None)
    communities = sorted((sorted(c, key=str) for c in nx.community.louvain_communities(U, weight="weight", seed=seed)),
                         key=lambda c: (-len(c), str(c[0])))
    community_of = {node: i for i, c in enumerate(communities) for node in c}
    part = participation(U, community_of)
    nodes = {node: {"degree": U.degree(node), "betweenness": round(betweenness[node], 6),
                    "community": community_of[node], "participation": part[node]} for node in U}
    bridges = []
    for node, data in nodes.items():
        reached = {community_of[v] for v in U[node]} | {community_of[node]}
        if len(reached) > 1:
            bridges.append({"id": node, "label": U.nodes[node].get("label", str(node)),
                            "betweenness": data["betweenness"], "participation": data["participation"],
                            "communities": len(reached),
                            "score": round(data["betweenness"] * data["participation"], 6)})
    bridges.sort(key=lambda b: (-b["score"], -b["betweenness"], str(b["id"])))
    return Metrics(nodes, communities, bridges[:top], k, note)
