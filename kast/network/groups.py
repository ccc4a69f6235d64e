"""Meeting groups: peers of about a given size that share a problem, each with its reason.

Louvain community detection (networkx, seeded) finds the clusters of the peer network; clusters
much larger than the asked size are split and tiny ones merged, both greedily by edge weight and
with every tie broken by id, so the same network, size and seed always give the same groups.
"""
import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import networkx as nx

from .base import NetworkError
from .peers import select_peers


@dataclass
class Group:
    """One proposed meeting group."""
    number: int
    members: list[str]
    labels: list[str]
    reason: str
    shared: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    cohesion: float = 0.0
    note: str = ""

    def __len__(self) -> int:
        return len(self.members)


def meeting_groups(G: nx.Graph, size: int, seed: int = 42, theme=None, region=None,
                   instrument=None) -> list[Group]:
    """Propose groups of about `size` municipalities from a peer network.

    Parameters
    ----------
    G : Graph
        A peer network (``peer_network``).
    size : int
        The wished group size (at least 2). Groups come out between about size/2 and 1.5 × size.
    seed : int
        Seed of the Louvain detection; the result is deterministic for a given seed.
    theme, region, instrument : str, optional
        Restrict the peers first (``select_peers``).

    Returns
    -------
    list of Group
        Numbered from 1, the most cohesive group first. Each has its members (ids), their names,
        a Dutch `reason` computed from the edges inside the group, the `shared` items per kind
        with how many members share them, its `cohesion` (total weight inside the group per pair)
        and the network's `note` (for example when a theme was widened).

    Examples
    --------
    >>> from kast.loader import load
    >>> from kast.network.peers import peer_network
    >>> G = peer_network(load(shacl=False))
    >>> groups = meeting_groups(G, 6, instrument="wet-bibob")
    >>> [len(g) for g in groups]
    [6, 6]
    >>> "Wet Bibob" in groups[0].reason
    True
    """
    if not isinstance(size, int) or size < 2:
        raise NetworkError("De groepsgrootte moet een geheel getal van minstens 2 zijn.")
    H = select_peers(G, theme=theme, region=region, instrument=instrument)
    if H.number_of_nodes() == 0:
        return []
    communities = nx.community.louvain_communities(H, weight="weight", seed=seed)
    communities = sorted((sorted(c) for c in communities), key=lambda c: (-len(c), c[0]))
    groups, pool = [], []
    for community in communities:
        n = round(len(community) / size)
        if n == 0:
            pool.extend(community)
        else:
            groups.extend(_chunk(H, community, n))
    if pool:
        n = round(len(pool) / size)
        if n or not groups:
            groups.extend(_chunk(H, sorted(pool), max(n, 1)))
        else:
            for node in sorted(pool):
                _join_best(H, groups, node, limit=size + size // 2)
    focus = _focus(H, theme, instrument)
    made = [_describe(H, members, focus) for members in groups]
    made.sort(key=lambda g: (-g.cohesion, g.members[0]))
    for number, group in enumerate(made, 1):
        group.number = number
        group.note = H.graph.get("note", "")
    _distinguish(H, made, size)
    return made


def _distinguish(H, groups: list[Group], size: int) -> None:
    """Groups with word for word the same reason (one cluster split to keep groups small) say so, and
    name their own strongest pair, so that no two proposals read alike."""
    seen: dict[str, list[int]] = {}
    for group in groups:
        earlier = seen.setdefault(group.reason, [])
        base = group.reason
        if earlier:
            numbers = " en ".join(", ".join(map(str, earlier)).rsplit(", ", 1))
            extra = (f" Deelt hetzelfde als groep {numbers}; apart gezet om de groepen ongeveer {size} groot te "
                     "houden.")
            pair = _strongest_pair(H, group.members)
            if pair:
                extra += f" Het sterkst verbonden hier: {pair}."
            group.reason = base + extra
        earlier.append(group.number)


def _strongest_pair(H, members: list) -> str:
    inside = [(d.get("weight", 0.0), u, v) for u, v, d in H.subgraph(members).edges(data=True) if not d.get("regionOnly")]
    if not inside:
        return ""
    _, u, v = max(inside, key=lambda t: (t[0], -members.index(t[1]) - members.index(t[2])))
    a, b = sorted((H.nodes[u].get("label", u), H.nodes[v].get("label", v)))
    return f"{a} en {b}"


def _chunk(H, nodes: list, n: int) -> list[list]:
    """Split `nodes` into n groups of even size, each grown greedily around its strongest node."""
    if n == 1:
        return [sorted(nodes)]
    q, r = divmod(len(nodes), n)
    targets = [q + 1] * r + [q] * (n - r)
    remaining = set(nodes)
    out = []
    for target in targets:
        strength = {v: sum(d.get("weight", 1.0) for u, d in H[v].items() if u in remaining) for v in remaining}
        start = min(remaining, key=lambda v: (-strength[v], v))
        group, affinity = [start], defaultdict(float)
        remaining.discard(start)
        for u, d in H[start].items():
            affinity[u] += d.get("weight", 1.0)
        while len(group) < target and remaining:
            best = min(remaining, key=lambda v: (-affinity[v], -strength[v], v))
            group.append(best)
            remaining.discard(best)
            for u, d in H[best].items():
                affinity[u] += d.get("weight", 1.0)
        out.append(sorted(group))
    return out


def _join_best(H, groups: list[list], node, limit: int) -> None:
    """Add a leftover node to the group it is most strongly linked to (ties: smaller, then first)."""
    def score(i):
        weight = sum(H[node][m].get("weight", 1.0) for m in groups[i] if H.has_edge(node, m))
        return (len(groups[i]) >= limit, -weight, len(groups[i]), i)
    best = min(range(len(groups)), key=score)
    groups[best].append(node)
    groups[best].sort()


KINDS = (("practices", "sharedPractices", "praktijk", "Gedeelde praktijken"),
         ("themes", "sharedThemes", "thema", "Gedeelde thema's"),
         ("instruments", "sharedInstruments", "instrument", "Gedeelde instrumenten"))


def _focus(H, theme, instrument) -> list[tuple[str, set, str]]:
    """What the groups were asked around: (node attribute, matching ids, Dutch sentence) per filter."""
    labels, concepts = H.graph.get("labels", {}), H.graph.get("concepts", {})
    out = []
    if theme is not None:
        scope = set(concepts.get(theme, {}).get("scope", [theme]))
        name = labels.get(theme, theme)
        if not any(scope & set(d.get("themes", ())) for _, d in H.nodes(data=True)):
            scope = set(concepts.get(theme, {}).get("near", []))
            for c in list(scope):
                scope |= set(concepts.get(c, {}).get("scope", ()))
            out.append(("themes", scope, f"Thema {name}: nog geen praktijk in de kast; {{count}} van {{n}} hebben een praktijk over een verwant thema."))
        else:
            out.append(("themes", scope, f"Thema {name}: {{count}} van {{n}} hebben er een praktijk over."))
    if instrument is not None:
        out.append(("instruments", {instrument}, f"Instrument {labels.get(instrument, instrument)}: {{count}} van {{n}} hebben er een praktijk mee."))
    return out


def _describe(H, members: list, focus=()) -> Group:
    labels = H.graph.get("labels", {})
    spec = H.graph.get("specificity", {})
    n = len(members)
    sentences = []
    for attr, scope, lead in focus:
        count = sum(1 for m in members if scope & set(H.nodes[m].get(attr, ())))
        sentences.append(lead.format(count=count, n=n))
    inside = H.subgraph(members)
    reach = {key: defaultdict(set) for key, *_ in KINDS}
    total = 0.0
    for u, v, d in inside.edges(data=True):
        total += d.get("weight", 1.0)
        for key, attr, *_ in KINDS:
            for item in d.get(attr, ()):
                reach[key][item].update((u, v))
    shared = {}
    for key, _, _, title in KINDS:
        ranked = sorted(reach[key].items(), key=lambda kv: (-len(kv[1]), -spec.get(kv[0], 1.0), kv[0]))
        shared[key] = [(item, len(who)) for item, who in ranked]
        if ranked:
            top = ", ".join(f"{labels.get(item, item)} ({len(who)} van {n})" for item, who in ranked[:3])
            sentences.append(f"{title}: {top}.")
    regions = []
    for attr, word in (("riec", "de regio van"), ("province", "")):
        counts = Counter(H.nodes[m].get(attr) for m in members if H.nodes[m].get(attr))
        if counts:
            region, count = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            name = " ".join(filter(None, (word, labels.get(region, region))))
            if count == n:
                regions.append(f"allen in {name}")
            elif count * 2 >= n:
                regions.append(f"{count} van {n} in {name}")
    if regions:
        sentences.append("Regio: " + "; ".join(regions) + ".")
    substance = any(reach[key] for key, *_ in KINDS)
    if regions and not substance:   # a region is context, not a reason of its own: say what is missing
        sentences.insert(len(sentences) - 1, "Nog geen gedeelde praktijk, thema of instrument in de kast; "
                                             "bij elkaar gezet op hun regio.")
    if not sentences:
        sentences.append("Deze gemeenten delen geen praktijk, thema, instrument of regio; ze zijn als restgroep samengevoegd.")
    pairs = n * (n - 1) / 2
    return Group(0, list(members), [H.nodes[m].get("label", m) for m in members], " ".join(sentences), shared,
                 round(total / pairs, 3) if pairs else 0.0)


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = str(value if value is not None else "")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def groups_csv(G: nx.Graph, groups: list[Group]) -> str:
    """The groups as CSV for invitations: one row per municipality.

    Columns: groep, gemeente (CBS-code), naam, tooi (URI), provincie, riec-regio, reden, opmerking.

    >>> G = nx.Graph(labels={"pv22": "Drenthe"})
    >>> G.add_node("gm0106", label="Assen", tooi="https://identifier.overheid.nl/tooi/id/gemeente/gm0106",
    ...            province="pv22", riec="")
    >>> print(groups_csv(G, [Group(1, ["gm0106"], ["Assen"], "=reden")]).splitlines()[1])
    1,gm0106,Assen,https://identifier.overheid.nl/tooi/id/gemeente/gm0106,Drenthe,,'=reden,
    """
    labels = G.graph.get("labels", {})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["groep", "gemeente", "naam", "tooi", "provincie", "riec-regio", "reden", "opmerking"])
    for group in groups:
        for member in group.members:
            data = G.nodes[member]
            writer.writerow([_cell(v) for v in (
                group.number, member, data.get("label", member), data.get("tooi", ""),
                labels.get(data.get("province"), data.get("province", "")),
                labels.get(data.get("riec"), data.get("riec", "")), group.reason, group.note)])
    return out.getvalue()
