"""Exports of any map or peer network: GEXF and GraphML (for Gephi), CSV node and edge lists, and
the graph as rows of text (the accessible alternative to the picture)."""
import csv
import io

import networkx as nx

from .base import label_of

LIST_SEPARATOR = "; "


def _scalar(value):
    """A value GEXF and GraphML can hold: lists become '; '-joined text, booleans 0/1, None nothing."""
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float, str)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return LIST_SEPARATOR.join(sorted(str(v) for v in value))
    return None   # dicts and other structures stay out of the file formats


def exportable(G: nx.Graph) -> nx.Graph:
    """A copy of G whose graph, node and edge attributes are all strings or numbers.

    >>> G = nx.Graph(labels={"a": "A"}, name="kaart")
    >>> G.add_node("a", themes=["t2", "t1"], tooi=None, ok=True)
    >>> H = exportable(G)
    >>> H.nodes["a"], H.graph
    ({'themes': 't1; t2', 'ok': 1}, {'name': 'kaart'})
    """
    H = G.__class__()
    H.graph.update({k: s for k, v in G.graph.items() if (s := _scalar(v)) is not None and not isinstance(v, (list, set))})
    for node, data in G.nodes(data=True):
        H.add_node(node, **{k: s for k, v in data.items() if (s := _scalar(v)) is not None})
    if G.is_multigraph():
        for u, v, key, data in G.edges(keys=True, data=True):
            H.add_edge(u, v, key=key, **{k: s for k, v_ in data.items() if (s := _scalar(v_)) is not None})
    else:
        for u, v, data in G.edges(data=True):
            H.add_edge(u, v, **{k: s for k, v_ in data.items() if (s := _scalar(v_)) is not None})
    return H


def to_gexf(G: nx.Graph) -> bytes:
    """GEXF 1.2 (Gephi); loads back with ``nx.read_gexf``."""
    out = io.BytesIO()
    nx.write_gexf(exportable(G), out)
    return out.getvalue()


def to_graphml(G: nx.Graph) -> bytes:
    """GraphML; loads back with ``nx.read_graphml``.

    >>> G = nx.Graph(); G.add_edge("a", "b", shared=["x", "y"])
    >>> H = nx.read_graphml(io.BytesIO(to_graphml(G)))
    >>> H["a"]["b"]["shared"]
    'x; y'
    """
    out = io.BytesIO()
    nx.write_graphml(exportable(G), out)
    return out.getvalue()


def _cell(value) -> str:
    text = "" if value is None else str(_scalar(value) if _scalar(value) is not None else "")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _columns(rows) -> list[str]:
    seen = {}
    for data in rows:
        for key in data:
            seen.setdefault(key, None)
    return list(seen)


def nodes_csv(G: nx.Graph) -> str:
    """One row per node: id first, then every attribute (lists '; '-joined).

    >>> G = nx.Graph(); G.add_node("gm0106", label="Assen", themes=["a", "b"])
    >>> print(nodes_csv(G), end="")
    id,label,themes
    gm0106,Assen,a; b
    """
    columns = [c for c in _columns(d for _, d in G.nodes(data=True)) if c != "id"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id"] + columns)
    for node, data in G.nodes(data=True):
        writer.writerow([_cell(node)] + [_cell(data.get(c)) for c in columns])
    return out.getvalue()


def edges_csv(G: nx.Graph) -> str:
    """One row per edge: source, target, then every attribute.

    >>> G = nx.MultiDiGraph(); _ = G.add_edge("wet-bibob", "ministerie-jenv", relation="aangeboden door")
    >>> print(edges_csv(G), end="")
    source,target,relation
    wet-bibob,ministerie-jenv,aangeboden door
    """
    columns = _columns(d for *_, d in G.edges(data=True))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["source", "target"] + columns)
    for u, v, data in G.edges(data=True):
        writer.writerow([_cell(u), _cell(v)] + [_cell(data.get(c)) for c in columns])
    return out.getvalue()


def text_rows(G: nx.Graph) -> list[dict]:
    """The graph as rows for an accessible table or list: each node with its kind and its
    neighbours, each neighbour with the relation written out as a sentence.

    Rows are ordered by kind, then name; neighbours by sentence.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("wet-bibob", label="Wet Bibob", typeLabel="instrument")
    >>> G.add_node("jenv", label="JenV", typeLabel="ministerie")
    >>> _ = G.add_edge("wet-bibob", "jenv", relation="aangeboden door")
    >>> [(r["label"], [n["text"] for n in r["neighbours"]]) for r in text_rows(G)]
    [('Wet Bibob', ['Wet Bibob aangeboden door JenV']), ('JenV', ['Wet Bibob aangeboden door JenV'])]
    """
    neighbours = {node: [] for node in G}
    for u, v, data in G.edges(data=True):
        relation = str(data.get("relation") or data.get("reason") or "verbonden met")
        if G.is_directed():
            text = f"{label_of(G, u)} {relation} {label_of(G, v)}"
        else:
            text = f"{label_of(G, u)} – {label_of(G, v)}: {relation}"
        neighbours[u].append({"id": v, "label": label_of(G, v), "relation": relation, "direction": "uit", "text": text})
        neighbours[v].append({"id": u, "label": label_of(G, u), "relation": relation,
                              "direction": "in" if G.is_directed() else "uit", "text": text})
    rows = []
    for node, data in G.nodes(data=True):
        kind = str(data.get("typeLabel") or data.get("type") or data.get("kind") or "")
        rows.append({"id": node, "label": label_of(G, node), "kind": kind,
                     "neighbours": sorted(neighbours[node], key=lambda n: (n["text"], str(n["id"])))})
    rows.sort(key=lambda r: (r["kind"], r["label"].casefold(), str(r["id"])))
    return rows
