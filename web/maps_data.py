"""The views behind the network pages: query parameters, and the maps, peer networks, layouts and
drawings built once per process and filter combination (cached in `maps_cache`, since building the actor
map, laying it out and computing betweenness take from half a second on the shipped data to many seconds
on a 10,000-practice corpus).
"""
from dataclasses import dataclass

from rdflib.namespace import SKOS

from kast.network import (NODE_TYPES, NetworkError, filter_map, focus, meeting_groups, overview, path,
                          resolve_node, search_nodes, select_peers, text_rows, vis_data)
from kast.network.names import by_words, close_names

from .maps_cache import SEED, State, base_map, base_peers, graph_weight, rows_weight

LEVELS = ("landelijk", "regionaal", "lokaal", "maatschappelijk")
MAX_TEXT = 200                  # longest free text we accept in a parameter
MAX_EDGES = 3000                # edges drawn per view (the heaviest); text version and exports have all
MAX_NODES = 2000                # nodes drawn per view (the best connected): vis-network then draws in < 1 s


class BadParameter(ValueError):
    """A parameter with a wrong value (400)."""


class NotFound(LookupError):
    """A node that is not in the map, or no path between two nodes (404); `suggestions` are
    [(id, name)] of nodes the user may have meant, shown as links."""

    def __init__(self, message: str, suggestions: list | None = None):
        super().__init__(message)
        self.suggestions = suggestions or []


# --------------------------------------------------------------------------- parameters

def _text(args, name: str) -> str | None:
    value = (args.get(name) or "").strip()
    if len(value) > MAX_TEXT:
        raise BadParameter(f"De waarde van '{name}' is te lang (hoogstens {MAX_TEXT} tekens).")
    return value or None


def _int(args, name: str, default, low: int, high: int, message: str):
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadParameter(message.format(value=raw))
    return int(raw)


def _choice(value, options: dict, what: str):
    if value is not None and value not in options:
        raise BadParameter(f"Onbekende {what} '{value}': kies er een uit de lijst.")
    return value


@dataclass(frozen=True)
class MapQuery:
    types: tuple | None = None
    theme: str | None = None
    instrument: str | None = None
    region: str | None = None
    levels: tuple | None = None
    focus: str | None = None
    depth: int = 1
    source: str | None = None
    target: str | None = None
    search: str | None = None
    overview: bool = False     # the first view: organisations only, the rest folded (kast.network.overview)

    def filter_key(self) -> tuple:
        return (self.types, self.theme, self.instrument, self.region, self.levels)

    def pairs(self, **changes) -> list[tuple[str, str]]:
        q = self.__dict__ | changes
        out = [("soort", t) for t in q["types"] or ()]
        out += [(n, q[k]) for n, k in (("thema", "theme"), ("instrument", "instrument"), ("regio", "region")) if q[k]]
        out += [("niveau", v) for v in q["levels"] or ()]
        if q["focus"]:
            out += [("focus", q["focus"]), ("diepte", str(q["depth"]))]
        out += [(n, q[k]) for n, k in (("van", "source"), ("naar", "target"), ("zoek", "search")) if q[k]]
        return out


def map_options(state: State) -> dict:
    """What the form offers, from the map itself: {theme|instrument|region: {id: label}}."""
    def build():
        G = base_map(state)
        by_label = lambda ids: dict(sorted(((i, G.nodes[i]["label"]) for i in ids), key=lambda kv: kv[1].casefold()))  # noqa: E731
        riecs = {d.get("riec") for _, d in G.nodes(data=True)} & set(G)
        return {
            "theme": by_label(n for n, d in G.nodes(data=True) if d["kind"] in ("thema", "ambitie")),
            "instrument": by_label(n for n, d in G.nodes(data=True) if d["kind"] == "instrument"),
            "region": by_label([n for n, d in G.nodes(data=True) if d["type"] == "provincie"] + sorted(riecs)),
        }
    return state.get(("opties", "kaart"), build)


MAP_PARAMETERS = ("soort", "thema", "instrument", "regio", "niveau", "focus", "van", "naar", "zoek")


def parse_map(args, state: State, first_view: bool = False) -> MapQuery:
    """The map a request asks for. With `first_view` (the drawing page), a request that chooses nothing
    gets the overview; the text version and the exports keep the whole map."""
    options = map_options(state)
    types = tuple(sorted({t for t in args.getlist("soort") if t}))
    for t in types:
        _choice(t, NODE_TYPES, "soort")
    levels = tuple(sorted({v for v in args.getlist("niveau") if v}))
    for v in levels:
        _choice(v, dict.fromkeys(LEVELS), "niveau")
    depth = _int(args, "diepte", 1, 1, 3, "De diepte moet 1, 2 of 3 zijn, niet {value}.")
    source, target = _text(args, "van"), _text(args, "naar")
    if bool(source) != bool(target):
        raise BadParameter("Vul voor een pad zowel 'van' als 'naar' in.")
    return MapQuery(
        types=types if types and set(types) != set(NODE_TYPES) else None,
        theme=_choice(_text(args, "thema"), options["theme"], "thema"),
        instrument=_choice(_text(args, "instrument"), options["instrument"], "instrument"),
        region=_choice(_text(args, "regio"), options["region"], "regio"),
        levels=levels if levels and set(levels) != set(LEVELS) else None,
        focus=_text(args, "focus"), depth=depth, source=source, target=target, search=_text(args, "zoek"),
        overview=first_view and not any((args.get(name) or "").strip() for name in MAP_PARAMETERS))


@dataclass(frozen=True)
class PeerQuery:
    theme: str | None = None
    region: str | None = None
    instrument: str | None = None
    everyone: bool = False
    size: int | None = None

    def key(self) -> tuple:
        return (self.theme, self.region, self.instrument, self.everyone)

    def pairs(self, **changes) -> list[tuple[str, str]]:
        q = self.__dict__ | changes
        out = [(n, q[k]) for n, k in (("thema", "theme"), ("regio", "region"), ("instrument", "instrument")) if q[k]]
        if q["everyone"]:
            out.append(("alle", "1"))
        if q["size"]:
            out.append(("grootte", str(q["size"])))
        return out


def peer_options(state: State) -> dict:
    """What the peer form offers: every theme, the instruments some municipality has a practice with,
    and every province and RIEC region (read from the kast, so the network of all 342 is not needed)."""
    def build():
        kast = state.site.kast
        G = base_peers(state, False)
        labels = dict(G.graph["labels"])   # a copy: the base graph is shared by every request
        names = lambda ids: dict(sorted(((i, labels.get(i, i)) for i in set(ids)), key=lambda kv: kv[1].casefold()))  # noqa: E731
        riecs = {kast.id_of(o) for o in kast.graph.objects(None, kast.vocab.kast.riecRegion)}
        provinces = [i for i, item in kast.items.items() if item.kind == "provincie"]
        for region in provinces + sorted(r for r in riecs if r):
            labels.setdefault(region, str(kast.graph.value(kast.iri(region), SKOS.prefLabel) or region))
        return {"theme": names(G.graph["concepts"]),
                "instrument": names(i for _, ins in G.nodes(data="instruments") for i in ins or ()),
                "region": names(provinces + sorted(r for r in riecs if r))}
    return state.get(("opties", "peers"), build)


def parse_peers(args, state: State, size_default=None) -> PeerQuery:
    options = peer_options(state)
    size = _int(args, "grootte", size_default, 2, 20, "De groepsgrootte moet een getal van 2 tot en met 20 zijn, niet '{value}'.")
    return PeerQuery(theme=_choice(_text(args, "thema"), options["theme"], "thema"),
                     region=_choice(_text(args, "regio"), options["region"], "regio"),
                     instrument=_choice(_text(args, "instrument"), options["instrument"], "instrument"),
                     everyone=(args.get("alle") or "") in ("1", "ja", "on", "true"), size=size)


# --------------------------------------------------------------------------- the actor map

def pick(G, text: str):
    """A node by id or name (resolve_node), or else by an exact other name such as 'VNG', or else the one
    node whose name, other names and kind hold every word typed ("gemeente Assen", "riec noord-nederland").
    When that is not one node, NotFound suggests the nearest by name."""
    try:
        return resolve_node(G, text)
    except NetworkError:
        pass
    hits = search_nodes(G, text, limit=2)
    exact = [h for h in hits if text.casefold() in (a.casefold() for a in G.nodes[h].get("aliases") or ())]
    if len(exact) == 1:
        return exact[0]
    candidates = by_words(G, text)
    if len(candidates) == 1:
        return candidates[0]
    suggestions = candidates or search_nodes(G, text, limit=8) or close_names(G, text)
    names = [(n, G.nodes[n].get("label", n)) for n in suggestions[:8]]
    message = f"Onbekend knooppunt '{text}': dat id of die naam staat niet in deze kaart."
    if names:
        message += " Bedoelde u een van deze?" if len(names) > 1 else " Bedoelde u dit?"
    raise NotFound(message, names)


def _pick(G, text: str, parameter: str):
    try:
        return pick(G, text)
    except NotFound as error:
        error.parameter = parameter   # the suggestions replace this parameter
        raise


@dataclass
class MapView:
    query: MapQuery
    G: object            # the graph of this view (filtered, focused): table, exports, metrics
    vis: dict            # vis_data of the drawn part (cached)
    key: tuple
    drawn: object = None  # the part of G that is drawn (G itself up to MAX_NODES nodes)
    focus: str | None = None
    steps: list | None = None
    found: list | None = None
    highlight: dict | None = None


def filtered_map(state: State, q: MapQuery):
    base = base_map(state)
    if q.filter_key() == (None,) * 5:
        return base

    def build():
        H = filter_map(base, theme=q.theme, instrument=q.instrument, region=q.region, levels=q.levels)
        if q.types is not None:
            H = H.subgraph([n for n, t in H.nodes(data="type") if t in q.types]).copy()
        return H
    return state.get(("gefilterd",) + q.filter_key(), build, graph_weight)


def overview_view(state: State, q: MapQuery, title: str) -> MapView:
    """The first view: organisations and their relations, the other kinds folded into clusters."""
    def build():
        H, opens = overview(base_map(state))
        organisations = H.subgraph([n for n in H if n not in opens]).copy()
        vis = vis_data(H, seed=SEED, title=title, max_edges=MAX_EDGES)
        vis["opens"] = {c: list(types) for c, types in opens.items()}
        return organisations, H, vis
    G, drawn, vis = state.get(("overzicht",), build, lambda entry: graph_weight(entry[1]))
    return MapView(q, G, vis, ("overzicht",), drawn, highlight={"nodes": [], "edges": [], "fit": False})


def map_view(state: State, q: MapQuery, title: str = "Actorenkaart") -> MapView:
    if q.overview:
        return overview_view(state, q, title)
    F = filtered_map(state, q)
    centre = _pick(F, q.focus, "focus") if q.focus else None
    steps = None
    if q.source:
        a, b = _pick(F, q.source, "van"), _pick(F, q.target, "naar")
        try:
            steps = state.get(("pad",) + q.filter_key() + (a, b), lambda: path(F, a, b))
        except NetworkError as error:
            raise NotFound(str(error)) from None
    on_path = tuple(sorted({s.source for s in steps or ()} | {s.target for s in steps or ()}))
    key = q.filter_key() + ((centre, q.depth, on_path) if centre else (None,))

    def build():
        G = F
        if centre:
            G = F.subgraph(set(focus(F, centre, q.depth)) | set(on_path)).copy()
        return (G,) + drawing(G, title, [centre] if centre else [], on_path)
    G, drawn, vis = state.get(("beeld",) + key, build, graph_weight)
    found = search_nodes(G, q.search, limit=20) if q.search else None
    view = MapView(q, G, vis, key, drawn, centre, steps, found)
    view.highlight = highlight(vis, [centre] if centre else [], steps or [], found or [])
    return view


def drawing(G, title: str, *keep) -> tuple:
    """(the drawn graph, its vis data). Above MAX_NODES nodes only the best connected are drawn (and
    whatever must be seen: the focus, the path); the note says so. A picture of 10,000 dots says
    nothing and vis-network needs seconds for it; the text version and the exports keep everything."""
    n = G.number_of_nodes()
    D, note = G, ""
    if n > MAX_NODES:
        must = {k for group in keep for k in group if k in G}
        ranked = sorted(G, key=lambda v: (v not in must, -G.degree(v), str(v)))
        D = G.subgraph(ranked[:MAX_NODES]).copy()
        note = (f"Getekend: de {MAX_NODES} best verbonden van de {n} knooppunten; zoek, filter of kies een focus "
                "om de rest te zien.")
    vis = vis_data(D, seed=SEED, title=title, max_edges=MAX_EDGES)
    if note:
        vis["meta"]["note"] = " ".join(filter(None, (note, vis["meta"]["note"])))
    return D, vis


def highlight(vis: dict, nodes: list, steps: list, found: list) -> dict:
    """The nodes and edges to emphasise: the focus, the path (its edges in either direction), hits."""
    pairs = {frozenset((s.source, s.target)) for s in steps}
    ids = list(dict.fromkeys(list(nodes) + [s.source for s in steps] + [s.target for s in steps] + list(found)))
    edges = [e["id"] for e in vis["edges"] if frozenset((e["from"], e["to"])) in pairs] if pairs else []
    return {"nodes": [str(n) for n in ids], "edges": edges, "fit": bool(steps or found),
            "pad": bool(steps)}   # a path: fade everything else


def top_nodes(m, n: int = 10) -> list:
    """The n nodes with the most neighbours (ties: higher betweenness, then id)."""
    return sorted(m.nodes.items(), key=lambda kv: (-kv[1]["degree"], -kv[1]["betweenness"], str(kv[0])))[:n]


def table_rows(state: State, view: MapView) -> list:
    return state.get(("rijen", "kaart") + view.key, lambda: text_rows(view.G), rows_weight)


# --------------------------------------------------------------------------- the peer network

@dataclass
class PeerView:
    query: PeerQuery
    base: object
    G: object
    vis: dict
    key: tuple
    drawn: object = None
    groups: list | None = None


def peer_view(state: State, q: PeerQuery, title: str = "Netwerk van gemeenten") -> PeerView:
    base = base_peers(state, q.everyone)

    def build():
        G = select_peers(base, theme=q.theme, region=q.region, instrument=q.instrument)
        drawn, vis = drawing(G, title)
        explain_edges(G, vis)
        return G, drawn, vis
    G, drawn, vis = state.get(("peerbeeld",) + q.key(), build, graph_weight)
    groups = None
    if q.size:
        groups = state.get(("groepen",) + q.key() + (q.size,), lambda: meeting_groups(
            base, q.size, seed=SEED, theme=q.theme, region=q.region, instrument=q.instrument))
    return PeerView(q, base, G, vis, q.key(), drawn, groups)


def shared_names(G, data: dict, limit: int | None = 3) -> list[tuple[str, list[str]]]:
    """What two municipalities share, by name: [(Dutch heading, names)]."""
    labels, spec = G.graph.get("labels", {}), G.graph.get("specificity", {})
    out = []
    for attr, title in (("sharedPractices", "praktijken"), ("sharedInstruments", "instrumenten"),
                        ("sharedThemes", "thema's")):
        # the most telling first: what few municipalities share says more than what all have
        ids = sorted(data.get(attr) or (), key=lambda i: (-spec.get(i, 1.0), labels.get(i, i)))
        items = [labels.get(i, i) for i in ids]
        if items:
            out.append((title, items[:limit] + ([f"en nog {len(items) - limit}"] if limit and len(items) > limit else [])))
    return out


def explain_edges(G, vis: dict) -> None:
    """Edge tooltips (plain text) that say why two municipalities are linked and how strongly; a link
    that is only a shared region is drawn light and dashed (context, not a reason)."""
    for edge in vis["edges"]:
        data = G.edges[edge["from"], edge["to"]]
        if data.get("regionOnly"):
            edge.update(dashes=True, color={"color": "#c8c8c8"})
        lines = [edge["title"], f"gewicht {data.get('weight', 0):g}".replace(".", ",")]
        lines += [f"gedeelde {title}: {', '.join(names)}" for title, names in shared_names(G, data)]
        edge["title"] = "\n".join(lines)


def peer_edges(G) -> list[dict]:
    """All edges, heaviest first, with their reason: the text alternative of the peer network."""
    out = []
    for u, v, d in G.edges(data=True):
        a, b = sorted((u, v), key=lambda n: G.nodes[n].get("label", n))
        out.append({"a": a, "b": b, "aName": G.nodes[a].get("label", a), "bName": G.nodes[b].get("label", b),
                    "weight": d.get("weight", 0.0), "reason": d.get("reason", ""), "shared": shared_names(G, d, None)})
    out.sort(key=lambda e: (-e["weight"], e["aName"], e["bName"]))
    return out
