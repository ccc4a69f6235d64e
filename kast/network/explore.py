"""Looking around in a map: filters, search, the neighbourhood of a node and the path between two."""
from dataclasses import dataclass

import networkx as nx

from .base import NetworkError, fold, label_of, resolve_node


def narrower_closure(G: nx.Graph, concept) -> set:
    """The concept and every concept below it (edges 'skos:broader' point from narrow to broad).

    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("hennep", "drugs", key="skos:broader", predicate="skos:broader")
    'skos:broader'
    >>> sorted(narrower_closure(G, "drugs"))
    ['drugs', 'hennep']
    """
    found, todo = {concept}, [concept]
    while todo:
        node = todo.pop()
        for u, _, pred in G.in_edges(node, data="predicate"):
            if pred == "skos:broader" and u not in found:
                found.add(u)
                todo.append(u)
    return found


def filter_map(G: nx.MultiDiGraph, types=None, theme=None, instrument=None, region=None,
               levels=None) -> nx.MultiDiGraph:
    """The part of a map that matches every given filter (a copy; the map itself is unchanged).

    Parameters
    ----------
    types : iterable of str, optional
        Node types to keep (see ``NODE_TYPES``): "actor" keeps every actor, "gemeente" only
        municipalities, and so on; the rest is switched off.
    theme : str, optional
        A theme or ambition id: keeps the nodes whose `themes` include it or a narrower concept,
        and the theme's direct neighbours.
    instrument : str, optional
        An instrument id: keeps the nodes whose `instruments` include it and its direct neighbours.
    region : str, optional
        A province (pv..) or RIEC id: keeps the nodes in that region, the region itself, and what
        the practices there are linked to (their actors, instruments and themes).
    levels : iterable of str, optional
        Actor levels to keep (landelijk, regionaal, lokaal, maatschappelijk); other kinds stay.

    Examples
    --------
    >>> from kast.loader import load
    >>> from kast.network import actor_map
    >>> G = actor_map(load(shacl=False))
    >>> H = filter_map(G, region="pv22", types={"gemeente", "praktijk", "provincie"})
    >>> sorted({d for _, d in H.nodes(data="type")})
    ['gemeente', 'praktijk', 'provincie']
    >>> "gm0106" in H and "gm0014" not in H
    True
    """
    keep = set(G)
    if theme is not None:
        theme = resolve_node(G, theme)
        scope = narrower_closure(G, theme)
        keep &= {n for n, ts in G.nodes(data="themes") if scope & set(ts or ())} | _around(G, theme)
    if instrument is not None:
        instrument = resolve_node(G, instrument)
        keep &= {n for n, ins in G.nodes(data="instruments") if instrument in (ins or ())} | _around(G, instrument)
    if region is not None:
        region = resolve_node(G, region)
        inside = {n for n, rs in G.nodes(data="regions") if region in (rs or ())} | {region}
        practices = [n for n in inside if G.nodes[n]["kind"] == "praktijk"]
        keep &= inside.union(*(_around(G, p) for p in practices))
    if levels is not None:
        levels = set(levels)
        keep = {n for n in keep if G.nodes[n]["kind"] != "actor" or G.nodes[n].get("level") in levels}
    if types is not None:
        types = set(types)
        unknown = types - _known_types(G)
        if unknown:
            raise NetworkError("Onbekende soort(en): " + ", ".join(sorted(unknown)) + ".")
        keep = {n for n in keep if G.nodes[n].get("type") in types or G.nodes[n].get("kind") in types}
    return G.subgraph(keep).copy()


def _known_types(G) -> set:
    from .actormap import NODE_TYPES
    return set(NODE_TYPES) | {d for _, d in G.nodes(data="type")} | {d for _, d in G.nodes(data="kind")}


def _around(G, node) -> set:
    return {node} | set(G.predecessors(node)) | set(G.successors(node)) if G.is_directed() \
        else {node} | set(G[node])


def search_nodes(G: nx.Graph, text: str, limit: int | None = None) -> list:
    """Nodes whose id, label or other names contain `text` (case- and accent-insensitive).

    Exact matches come first, then names that start with the text, then the rest; ties by label.

    >>> G = nx.Graph()
    >>> G.add_node("riec-nn", label="RIEC Noord-Nederland", aliases=["RIEC NN"])
    >>> G.add_node("vng", label="Vereniging van Nederlandse Gemeenten", aliases=["VNG"])
    >>> search_nodes(G, "nederland")
    ['riec-nn', 'vng']
    >>> search_nodes(G, "vng")
    ['vng']
    """
    wanted = fold(text)
    if not wanted:
        return []
    ranked = []
    for node, data in G.nodes(data=True):
        names = [fold(node), fold(data.get("label") or "")] + [fold(a) for a in data.get("aliases") or ()]
        if any(wanted == n for n in names):
            rank = 0
        elif any(n.startswith(wanted) for n in names):
            rank = 1
        elif any(wanted in n for n in names):
            rank = 2
        else:
            continue
        ranked.append((rank, fold(label_of(G, node)), str(node)))
    ranked.sort()
    return [node for *_, node in ranked][:limit]


def focus(G: nx.Graph, node: str, depth: int = 1) -> nx.Graph:
    """The neighbourhood of a node up to `depth` steps (1 to 3), ignoring edge direction.

    >>> G = nx.path_graph(["a", "b", "c", "d", "e"])
    >>> sorted(focus(G, "c", 1))
    ['b', 'c', 'd']
    >>> try:
    ...     focus(G, "c", 4)
    ... except NetworkError as error:
    ...     print(error)
    De diepte moet 1, 2 of 3 zijn, niet 4.
    """
    if depth not in (1, 2, 3):
        raise NetworkError(f"De diepte moet 1, 2 of 3 zijn, niet {depth}.")
    node = resolve_node(G, node)
    # nx.ego_graph(undirected=True) copies the whole graph with its edge data first (3 s on the 10,000-practice map)
    view = G.to_undirected(as_view=True) if G.is_directed() else G
    return G.subgraph(nx.single_source_shortest_path_length(view, node, cutoff=depth)).copy()


@dataclass(frozen=True)
class Step:
    """One step of a path: `source` —relation→ `target`; `forward` is False when the relation
    points the other way (the text then reads from target to source)."""
    source: str
    target: str
    relation: str
    forward: bool

    def text(self, G) -> str:
        a, b = (self.source, self.target) if self.forward else (self.target, self.source)
        return f"{label_of(G, a)} {self.relation} {label_of(G, b)}"


def path(G: nx.Graph, a: str, b: str) -> list[Step]:
    """The shortest path from `a` to `b`, ignoring edge direction, as steps with their relation.

    Raises NetworkError (Dutch) when a node is unknown or there is no path.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("vng", label="VNG"); G.add_node("ccv", label="CCV"); G.add_node("x", label="X")
    >>> _ = G.add_edge("ccv", "vng", relation="ondersteunt")
    >>> [s.text(G) for s in path(G, "vng", "ccv")]
    ['CCV ondersteunt VNG']
    >>> try:
    ...     path(G, "vng", "x")
    ... except NetworkError as error:
    ...     print(error)
    Er is geen verbinding tussen VNG en X in deze kaart.
    """
    a, b = resolve_node(G, a), resolve_node(G, b)
    view = G.to_undirected(as_view=True) if G.is_directed() else G
    try:
        nodes = nx.shortest_path(view, a, b)
    except nx.NetworkXNoPath:
        raise NetworkError(f"Er is geen verbinding tussen {label_of(G, a)} en {label_of(G, b)} "
                           "in deze kaart.") from None
    return [_step(G, u, v) for u, v in zip(nodes, nodes[1:])]


def _step(G, u, v) -> Step:
    for source, target, forward in ((u, v, True), (v, u, False)):
        if G.has_edge(source, target):
            data = G.get_edge_data(source, target)
            if G.is_multigraph():
                data = data[sorted(data, key=str)[0]]
            return Step(u, v, str(data.get("relation") or "verbonden met"), forward)
    raise AssertionError("a path step without an edge")
