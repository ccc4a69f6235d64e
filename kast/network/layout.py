"""Node positions computed ahead (so the browser needs no physics), deterministic under a seed.

Up to 500 nodes networkx's ``spring_layout`` (Fruchterman–Reingold); up to 1000 the same algorithm
in plain numpy (networkx would need scipy above 500 nodes); above that, communities are laid out
with ``spring_layout`` and each community's nodes on a small spiral around its place.
"""
import math

import networkx as nx

DENSE_LIMIT = 1000


def positions(G: nx.Graph, seed: int = 42, scale: float | None = None) -> dict:
    """Pixel positions {node: (x, y)} for a graph; the same graph and seed give the same result.

    >>> pos = positions(nx.path_graph(4))
    >>> sorted(pos) == [0, 1, 2, 3] and pos == positions(nx.path_graph(4))
    True
    """
    n = G.number_of_nodes()
    if n == 0:
        return {}
    scale = scale or 60.0 * math.sqrt(n) + 100.0
    U = nx.Graph()   # a plain, simple, undirected copy: views of views make louvain crawl
    U.add_nodes_from(G)
    U.add_edges_from((u, v) for u, v in G.edges() if u != v)
    raw = _packed(U, seed)
    return {node: (round(float(x) * scale, 1), round(float(y) * scale, 1)) for node, (x, y) in raw.items()}


def _component(U: nx.Graph, seed: int) -> dict:
    n = U.number_of_nodes()
    if n == 1:
        return {next(iter(U)): (0.0, 0.0)}
    if n <= 500:
        return nx.spring_layout(U, seed=seed, weight=None, method="force")
    if n <= DENSE_LIMIT:
        return _dense_fr(U, seed)
    return _community_layout(U, seed)


def _packed(U: nx.Graph, seed: int, gap: float = 0.05) -> dict:
    """Each connected component laid out on its own (radius ~ √nodes): the largest in the middle,
    the others in rows beneath it, so isolated nodes do not squeeze the main component."""
    components = sorted((sorted(c, key=str) for c in nx.connected_components(U)), key=lambda c: (-len(c), str(c[0])))
    total = U.number_of_nodes()
    main = math.sqrt(len(components[0]) / total)
    width = max(2 * main, 1.0)
    out = {}
    x, y, row = -width / 2, main + 2 * gap, 0.0
    for i, members in enumerate(components):
        radius = math.sqrt(len(members) / total)
        local = _component(U.subgraph(members).copy() if i == 0 else U.subgraph(members), seed)
        if i == 0:
            out.update({node: (px * radius, py * radius) for node, (px, py) in local.items()})
            continue
        size = max(2 * radius, gap)
        if x + size > width / 2 and x > -width / 2:
            x, y, row = -width / 2, y + row + gap, 0.0
        cx, cy = x + size / 2, y + size / 2
        out.update({node: (cx + px * radius, cy + py * radius) for node, (px, py) in local.items()})
        x += size + gap
        row = max(row, size)
    return out


def _dense_fr(U: nx.Graph, seed: int, iterations: int = 50) -> dict:
    """Fruchterman–Reingold on a dense adjacency matrix (as networkx does below 500 nodes)."""
    import numpy as np

    nodes = list(U)
    index = {node: i for i, node in enumerate(nodes)}
    n = len(nodes)
    A = np.zeros((n, n))
    for u, v in U.edges():
        if u != v:
            A[index[u], index[v]] = A[index[v], index[u]] = 1.0
    rng = np.random.RandomState(seed)
    pos = rng.rand(n, 2)
    k = math.sqrt(1.0 / n)
    t = max(float(pos.max(axis=0).max() - pos.min(axis=0).min()), 1.0) * 0.1
    dt = t / (iterations + 1)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.linalg.norm(delta, axis=-1)
        np.clip(distance, 0.01, None, out=distance)
        force = k * k / distance ** 2 - A * distance / k
        displacement = np.einsum("ijk,ij->ik", delta, force)
        length = np.linalg.norm(displacement, axis=-1)
        length = np.where(length < 0.01, 0.1, length)
        pos += displacement * (t / length)[:, None]
        t -= dt
    pos -= pos.mean(axis=0)
    pos /= max(float(np.abs(pos).max()), 1e-9)
    return {node: tuple(pos[index[node]]) for node in nodes}


def _community_layout(U: nx.Graph, seed: int) -> dict:
    """Communities placed by a spring layout of the community graph; members on a spiral."""
    communities = sorted((sorted(c, key=str) for c in nx.community.louvain_communities(U, seed=seed)),
                         key=lambda c: (-len(c), str(c[0])))
    of = {node: i for i, c in enumerate(communities) for node in c}
    C = nx.Graph()
    C.add_nodes_from(range(len(communities)))
    for u, v in U.edges():
        if of[u] != of[v]:
            C.add_edge(of[u], of[v])
    centres = positions(C, seed=seed, scale=1.0) if len(communities) > 1 else {0: (0.0, 0.0)}
    total = U.number_of_nodes()
    out = {}
    golden = math.pi * (3 - math.sqrt(5))
    for i, members in enumerate(communities):
        cx, cy = centres[i]
        radius = 0.5 * math.sqrt(len(members) / total)
        for j, node in enumerate(members):
            r = radius * math.sqrt((j + 0.5) / len(members))
            out[node] = (cx + r * math.cos(j * golden), cy + r * math.sin(j * golden))
    return out
