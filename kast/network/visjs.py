"""Data for vis-network and a standalone offline HTML page.

``vis_data`` turns a graph into plain dicts (nodes with precomputed x/y, edges, legend, meta) that
the web layer can cache and serve as JSON; ``offline_html`` wraps such data with the vendored
vis-network inlined, so the page loads nothing from any host. vis-network 10 shows a string
`title` with ``innerText`` (Popup.setText), so tooltips are plain text; labels are drawn on canvas.
The JSON in the page has ``<``, ``>`` and ``&`` escaped, so no label can end the script.
"""
import html
import json
import math
from pathlib import Path

import networkx as nx

from ..config import ROOT
from .export import text_rows
from .layout import declutter, positions

VIS_JS = ROOT / "web" / "static" / "vendor" / "vis-network" / "vis-network.min.js"
MAX_LABEL = 40
MAX_EDGES = 3000
FONT = 14                # label size in canvas pixels; the page never starts below 11 on screen (kaart.js)
CHAR = 8.6               # generous width of one character at FONT in pixels, for the label boxes
LINE = 22                # longest line of a wrapped label
DECLUTTER_UP_TO = 200    # nodes; above that labels are not readable anyway and the text version helps more

# Colour and shape per node type: the shape differs too, so colour is never the only cue.
STYLE = {
    "gemeente": ("#1f77b4", "dot"), "provincie": ("#17becf", "square"), "waterschap": ("#7fa7c9", "square"),
    "veiligheidsregio": ("#9467bd", "square"), "politie-eenheid": ("#393b79", "square"),
    "actor": ("#d62728", "dot"), "instrument": ("#2ca02c", "triangle"), "thema": ("#ff7f0e", "diamond"),
    "ambitie": ("#bcbd22", "diamond"), "praktijk": ("#8c564b", "star"), "cluster": ("#d9d9d9", "box"),
}
TYPE_NAMES = {
    "gemeente": "gemeente", "provincie": "provincie", "waterschap": "waterschap",
    "veiligheidsregio": "veiligheidsregio", "politie-eenheid": "politie-eenheid", "actor": "overige actor",
    "instrument": "instrument", "thema": "thema", "ambitie": "ambitie", "praktijk": "praktijk",
    "cluster": "samengevouwen (klik om te openen)",
}


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[:MAX_LABEL - 1].rstrip() + "…"


def display_label(data: dict, node) -> str:
    r"""The label drawn on the map: a long name becomes its abbreviation ("VNG", "CCV") when it has one,
    or else two lines; the tooltip keeps the full name.

    >>> display_label({"label": "Vereniging van Nederlandse Gemeenten", "aliases": ["VNG", "Vereniging NG"]}, "vng")
    'VNG'
    >>> display_label({"label": "Werkgroep Drentse aanpak ondermijning", "aliases": []}, "w")
    'Werkgroep Drentse\naanpak ondermijning'
    """
    text = str(data.get("label") or node)
    if len(text) <= LINE:
        return text
    short = [a for a in data.get("aliases") or () if 2 <= len(a) <= LINE and a[:1].isupper() and " " not in a.strip()]
    if short:
        return min(short, key=lambda a: (len(a), a))
    words, lines = text.split(), [""]
    for word in words:
        if lines[-1] and len(lines[-1]) + 1 + len(word) > LINE:
            if len(lines) == 2:
                lines[-1] = _short(lines[-1] + " " + word)[:LINE].rstrip() + "…"
                break
            lines.append(word)
        else:
            lines[-1] = (lines[-1] + " " + word).strip()
    return "\n".join(lines)


def label_box(label: str, size: float = 14) -> tuple[float, float]:
    """(width, height) in canvas pixels of a dot with its label under it."""
    lines = label.split("\n")
    return max(2 * size, max(len(line) for line in lines) * CHAR), 2 * size + len(lines) * (FONT + 4) + 4


def grid_below(pos: dict, nodes: list, boxes: dict, gap: float = 12.0) -> dict:
    """Unlinked nodes in rows under the picture (as wide as it, or wider when there are many), so they
    neither shrink nor stretch the linked part.

    >>> grid_below({"a": (0.0, 0.0)}, ["b", "c"], {"a": (50, 40), "b": (50, 40), "c": (50, 40)})
    {'b': (-31.0, 58.0), 'c': (31.0, 58.0)}
    """
    if not nodes:
        return {}
    step_x = max(boxes[n][0] for n in nodes) + gap
    step_y = max(boxes[n][1] for n in nodes) + gap
    if pos:
        xs = [x for x, _ in pos.values()]
        left, right = min(xs), max(xs)
        top = max(y + boxes[n][1] / 2 for n, (_, y) in pos.items()) + gap + step_y / 2
    else:
        left = right = top = 0.0
    per_row = max(1, int((right - left) // step_x) + 1, math.ceil(math.sqrt(len(nodes) * 2)))
    per_row = min(per_row, len(nodes))
    start = (left + right) / 2 - (per_row - 1) * step_x / 2
    return {node: (round(start + (i % per_row) * step_x, 1), round(top + (i // per_row) * step_y, 1))
            for i, node in enumerate(nodes)}


def _tooltip(node, data: dict, names: dict) -> str:
    """Plain text: the full name, its kind and where it belongs, by name (never an id)."""
    lines = [str(data.get("label") or node), f"soort: {data.get('typeLabel') or data.get('type') or data.get('kind')}"]
    for key, name in (("level", "niveau"), ("province", "provincie"), ("riec", "RIEC-regio"), ("practiceKind", "praktijk")):
        if data.get(key):
            value = str(data[key])
            lines.append(f"{name}: {names.get(value, value)}")
    if data.get("folded"):
        lines.append(data["folded"])
    return "\n".join(lines)


def _names(G: nx.Graph) -> dict:
    names = dict(G.graph.get("labels") or {})
    names.update({str(n): str(d.get("label")) for n, d in G.nodes(data=True) if d.get("label")})
    names.update({"best": "best practice", "worst": "worst practice"})
    return names


def vis_data(G: nx.Graph, seed: int = 42, pos: dict | None = None, max_edges: int | None = MAX_EDGES,
             title: str = "") -> dict:
    """Plain, JSON-ready data for vis-network, with positions computed ahead (physics off).

    Several relations between the same two nodes become one edge whose tooltip lists them all.
    When there are more than `max_edges` edges, the heaviest are kept (ties by node ids) and
    ``meta`` says so. The result depends only on the graph and the seed: cache it per view.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="A <b>", type="actor"); G.add_node("b", label="B", type="thema")
    >>> _ = G.add_edge("a", "b", relation="thema")
    >>> d = vis_data(G)
    >>> d["nodes"][0]["label"], d["edges"][0]["title"], d["meta"]["edges"]
    ('A <b>', 'A <b> thema B', 1)
    """
    labels = {node: display_label(data, node) for node, data in G.nodes(data=True)}
    if pos is None:
        n = G.number_of_nodes()
        if n <= DECLUTTER_UP_TO:   # a compact start; declutter then makes room where labels collide
            boxes = {node: label_box(labels[node]) for node in G}
            singles = sorted((node for node in G if not any(v != node for v in nx.all_neighbors(G, node))), key=str)
            linked = G.subgraph([node for node in G if node not in set(singles)])
            pos = declutter(positions(linked, seed=seed, scale=20.0 * math.sqrt(max(len(linked), 1)) + 60.0), boxes) \
                if len(linked) else {}
            pos.update(grid_below(pos, singles, boxes))
        else:
            pos = positions(G, seed=seed)
    names = _names(G)
    nodes = []
    for node, data in G.nodes(data=True):
        kind = data.get("type") or data.get("kind") or "actor"
        x, y = pos[node]
        nodes.append({"id": str(node), "label": labels[node], "title": _tooltip(node, data, names),
                      "group": kind, "x": x, "y": y})
    pairs = {}
    for u, v, data in G.edges(data=True):
        key = (u, v) if G.is_directed() else tuple(sorted((u, v), key=str))
        entry = pairs.setdefault(key, {"relations": [], "weight": 0.0})
        relation = str(data.get("relation") or data.get("reason") or "verbonden met")
        if relation not in entry["relations"]:
            entry["relations"].append(relation)
        entry["weight"] += float(data.get("weight", 1.0))
    ordered = sorted(pairs.items(), key=lambda kv: (-kv[1]["weight"], str(kv[0][0]), str(kv[0][1])))
    shown = ordered if max_edges is None else ordered[:max_edges]
    label = G.nodes
    weighted = any("weight" in d for *_, d in G.edges(data=True))
    edges = []
    for i, ((u, v), entry) in enumerate(shown):
        a, b = str(label[u].get("label") or u), str(label[v].get("label") or v)
        if G.is_directed():
            text = "\n".join(f"{a} {r} {b}" for r in entry["relations"])
        else:
            text = f"{a} – {b}\n" + "\n".join(entry["relations"])
        edge = {"id": i, "from": str(u), "to": str(v), "title": text}
        if G.is_directed():
            edge["arrows"] = "to"
        if weighted:
            edge["value"] = round(entry["weight"], 3)
        edges.append(edge)
    counts = {}
    for n in nodes:
        counts[n["group"]] = counts.get(n["group"], 0) + 1
    legend = [{"type": t, "label": TYPE_NAMES.get(t, t), "count": counts[t], "color": STYLE.get(t, ("#777", "dot"))[0],
               "shape": STYLE.get(t, ("#777", "dot"))[1]} for t in sorted(counts)]
    meta = {"title": title or str(G.graph.get("name") or ""), "nodes": len(nodes), "edges": len(edges),
            "allEdges": len(pairs), "layout": f"vooraf berekend, seed {seed}", "note": str(G.graph.get("note") or "")}
    if len(edges) < len(pairs):
        meta["note"] = (meta["note"] + " " if meta["note"] else "") + \
            f"Getoond: de {len(edges)} sterkste van {len(pairs)} verbindingen."
    return {"nodes": nodes, "edges": edges, "legend": legend, "meta": meta, "options": vis_options()}


def vis_options() -> dict:
    """vis-network options: physics off (positions are given), groups styled per node type."""
    return {
        "physics": False,
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": True},
        "nodes": {"size": 14, "font": {"size": FONT, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {"color": {"color": "#999999", "highlight": "#333333"}, "smooth": False,
                  "scaling": {"min": 1, "max": 6}},
        "groups": {t: {"color": c, "shape": s} for t, (c, s) in STYLE.items()},
    }


def safe_json(data) -> str:
    """JSON that can stand inside an HTML <script> element: <, > and & are \\u-escaped.

    >>> safe_json({"label": "</script><img src=x>"})
    '{"label": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


PAGE = """<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 1rem; color: #1a1a1a; }}
#kaart {{ height: 75vh; border: 1px solid #8a8a8a; }}
.legenda li {{ display: inline-block; margin-right: 1rem; }}
.legenda span {{ display: inline-block; width: .9em; height: .9em; margin-right: .3em; vertical-align: middle; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{summary}</p>
<ul class="legenda">{legend}</ul>
<div id="kaart" role="img" aria-label="Netwerkweergave van {title}; dezelfde inhoud staat als tabel onder de weergave."></div>
<details>
<summary>Tekstversie: alle knooppunten met hun verbindingen</summary>
<table>
<thead><tr><th scope="col">Knooppunt</th><th scope="col">Soort</th><th scope="col">Verbindingen</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</details>
</main>
<script>
{library}
</script>
<script id="kaart-data" type="application/json">{data}</script>
<script>
(function () {{
  var data = JSON.parse(document.getElementById("kaart-data").textContent);
  var container = document.getElementById("kaart");
  var network = new vis.Network(container,
    {{nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)}}, data.options);
  network.fit();
}})();
</script>
</body>
</html>
"""


def offline_html(G_or_data, title: str = "Netwerk", vis_js: Path | str | None = None, seed: int = 42) -> str:
    """A standalone HTML page with vis-network inlined: it loads nothing from any host.

    `G_or_data` is a graph or the (cached) result of ``vis_data``. All text is escaped; the page
    forbids any network request with a Content-Security-Policy and carries a text version (a
    table of every node and its connections) for people who cannot use the picture.
    """
    if isinstance(G_or_data, nx.Graph):
        G = G_or_data
        data = vis_data(G, seed=seed, title=title)
        rows = text_rows(G)
    else:
        data, rows = G_or_data, G_or_data.get("rows") or _rows_from_data(G_or_data)
    library = Path(vis_js or VIS_JS).read_text(encoding="utf-8").replace("</script", "<\\/script")
    e = html.escape
    meta = data["meta"]
    summary = f"{meta['nodes']} knooppunten en {meta['edges']} verbindingen. {meta.get('note', '')}".strip()
    legend = "".join(f'<li><span style="background:{e(item["color"])}"></span>{e(item["label"])} ({item["count"]})</li>'
                     for item in data["legend"])
    table = "\n".join(
        f"<tr><td>{e(r['label'])}</td><td>{e(r['kind'])}</td><td>"
        + ("<ul>" + "".join(f"<li>{e(n['text'])}</li>" for n in r["neighbours"]) + "</ul>" if r["neighbours"] else "geen")
        + "</td></tr>" for r in rows)
    return PAGE.format(title=e(title), summary=e(summary), legend=legend, rows=table, library=library,
                       data=safe_json({k: v for k, v in data.items() if k != "rows"}))


def _rows_from_data(data: dict) -> list[dict]:
    """Text rows rebuilt from vis data (when no graph is at hand)."""
    names = {n["id"]: n["title"].split("\n", 1)[0] for n in data["nodes"]}
    neighbours = {n["id"]: [] for n in data["nodes"]}
    for edge in data["edges"]:
        for end in (edge["from"], edge["to"]):
            neighbours[end].append({"text": edge["title"].replace("\n", "; ")})
    return [{"label": names[n["id"]], "kind": n["group"], "neighbours": neighbours[n["id"]]} for n in data["nodes"]]
