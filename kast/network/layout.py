"""Node positions computed ahead (so the browser needs no physics), deterministic under a seed.

Up to 500 nodes networkx's ``spring_layout`` (Fruchterman–Reingold); up to 1000 the same algorithm
in plain numpy (networkx would need scipy above 500 nodes); above that, communities are laid out
with ``spring_layout`` and each community's nodes on a small spiral around its place.
"""
import math

import networkx as nx

DENSE_LIMIT = 1000


def positions(G: nx.Graph, seed: int = 42, scale: float | None = None, single: float | None = None) -> dict:
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
    # In one fixed order: a map updated in place after a change holds its nodes in another order than a
    # fresh build, and every worker must draw the same picture (spring_layout and louvain follow the order).
    U.add_nodes_from(sorted(G, key=str))
    U.add_edges_from(sorted(((u, v) for u, v in G.edges() if u != v), key=lambda e: (str(e[0]), str(e[1]))))
    raw = _packed(U, seed, single_step=single / scale if single else None)
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


def _packed(U: nx.Graph, seed: int, gap: float = 0.05, aspect: float = 1.6, single_step: float | None = None) -> dict:
    """Each connected component laid out on its own (radius ~ √nodes): the largest first, the others in
    rows beneath it, as wide as the picture is (`aspect` = width/height of a screen), and single nodes
    on a grid under those, so isolated nodes neither squeeze the main component nor stretch the picture
    into a narrow column."""
    components = sorted((sorted(c, key=str) for c in nx.connected_components(U)), key=lambda c: (-len(c), str(c[0])))
    total = U.number_of_nodes()
    sizes = [2 * math.sqrt(len(c) / total) for c in components]
    area = sum((s + gap) ** 2 for s in sizes)
    width = max(sizes[0], math.sqrt(area * aspect))
    out = {}
    x, y, row = -width / 2, 0.0, 0.0
    singles = [c[0] for c in components if len(c) == 1]
    for members, size in zip(components, sizes):
        if len(members) == 1 and len(components) > 1:
            continue
        radius = size / 2
        local = _component(U.subgraph(members).copy(), seed)
        if x + size > width / 2 + 1e-9 and x > -width / 2:
            x, y, row = -width / 2, y + row + gap, 0.0
        cx, cy = x + size / 2, y + size / 2
        out.update({node: (cx + px * radius, cy + py * radius) for node, (px, py) in local.items()})
        x += size + gap
        row = max(row, size)
    if singles and len(components) > 1:
        step = single_step or max(gap * 3, 2 * math.sqrt(1 / total)) * 1.5
        per_row = max(1, int(width / step), math.ceil(math.sqrt(len(singles) * aspect)))
        top, left = y + row + gap * 2, -min(per_row, len(singles)) * step / 2
        for i, node in enumerate(singles):
            r, c = divmod(i, per_row)
            out[node] = (left + step * (c + 0.5), top + r * step * 0.5)
    elif singles:
        out[singles[0]] = (0.0, 0.0)
    # centre the whole picture on the origin
    xs, ys = [p[0] for p in out.values()], [p[1] for p in out.values()]
    mx, my = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return {node: (px - mx, py - my) for node, (px, py) in out.items()}


def declutter(pos: dict, boxes: dict, iterations: int = 400, margin: float = 10.0, prefer_x: float = 2.5) -> dict:
    """Move nodes apart until their boxes (node with its label, {node: (width, height)} in pixels) no
    longer overlap, so that every label can be read. Deterministic; the picture keeps its shape, only
    crowded spots widen.

    >>> out = declutter({"a": (0.0, 0.0), "b": (5.0, 0.0)}, {"a": (40, 20), "b": (40, 20)})
    >>> abs(out["a"][0] - out["b"][0]) >= 40 or abs(out["a"][1] - out["b"][1]) >= 20
    True
    """
    import numpy as np

    nodes = list(pos)
    if len(nodes) < 2:
        return dict(pos)
    xy = np.array([pos[n] for n in nodes], dtype=float)
    wh = np.array([boxes[n] for n in nodes], dtype=float) + margin
    order = np.arange(len(nodes))
    tie = np.sign(order[:, None] - order[None, :]).astype(float)   # separates nodes on the same spot
    for _ in range(iterations):
        dx = xy[:, 0][:, None] - xy[:, 0][None, :]
        dy = xy[:, 1][:, None] - xy[:, 1][None, :]
        ox = (wh[:, 0][:, None] + wh[:, 0][None, :]) / 2 - np.abs(dx)
        oy = (wh[:, 1][:, None] + wh[:, 1][None, :]) / 2 - np.abs(dy)
        np.fill_diagonal(ox, 0)
        overlap = (ox > 0) & (oy > 0)
        if not overlap.any():
            break
        sx = np.where(dx == 0, tie, np.sign(dx))
        sy = np.where(dy == 0, tie, np.sign(dy))
        along_x = overlap & (ox <= oy * prefer_x)
        along_y = overlap & (ox > oy * prefer_x)
        move = np.stack([(np.where(along_x, ox, 0) * sx).sum(axis=1),
                         (np.where(along_y, oy, 0) * sy).sum(axis=1)], axis=1)
        xy += move * 0.5 / np.maximum(1, overlap.sum(axis=1))[:, None] + move * 0.05
    return {n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in zip(nodes, xy)}


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


def group_positions(G: nx.Graph, groups: list[list], seed: int = 42, aspect: float = 1.6) -> dict:
    """Pixel positions that keep each group together: one cell of a grid as wide as a screen per group,
    groups that are linked next to each other (walking the graph of groups), each group's members on a
    small spiral in its cell. For the peer network with proposed groups, so that a coloured group is one
    patch. (`seed` is accepted for the same call as `positions`; the layout needs no randomness.)

    >>> G = nx.Graph([("a", "b"), ("c", "d"), ("b", "c")])
    >>> pos = group_positions(G, [["a", "b"], ["c", "d"]])
    >>> abs(pos["a"][0] - pos["b"][0]) < abs(pos["a"][0] - pos["d"][0])
    True
    """
    if G.number_of_nodes() == 0:
        return {}
    groups = [sorted(g, key=str) for g in groups if g]
    of = {node: i for i, members in enumerate(groups) for node in members}
    rest = sorted((node for node in G if node not in of), key=str)
    if rest:
        of.update({node: len(groups) for node in rest})
        groups.append(rest)
    C = nx.Graph()
    C.add_nodes_from(range(len(groups)))
    for u, v, w in G.edges(data="weight", default=1.0):
        a, b = of.get(u), of.get(v)
        if a is not None and b is not None and a != b:
            C.add_edge(a, b, weight=C.get_edge_data(a, b, {"weight": 0.0})["weight"] + float(w))
    order = []
    for component in sorted(nx.connected_components(C), key=lambda c: (-len(c), min(c))):
        order += list(nx.dfs_preorder_nodes(C.subgraph(component), source=min(component)))
    spread = 24.0   # pixels per √member: room for a dot and its label
    cell = 2 * spread * math.sqrt(max(len(g) for g in groups)) + 70.0
    columns = max(1, math.ceil(math.sqrt(len(groups) * aspect)))
    golden = math.pi * (3 - math.sqrt(5))
    out = {}
    for place, i in enumerate(order):
        members = groups[i]
        cx, cy = (place % columns) * cell * 1.15, (place // columns) * cell
        radius = spread * math.sqrt(len(members))
        for j, node in enumerate(members):
            r = radius * math.sqrt((j + 0.5) / len(members))
            out[node] = (round(cx + r * math.cos(j * golden), 1), round(cy + r * math.sin(j * golden), 1))
    return out
