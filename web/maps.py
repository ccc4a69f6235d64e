"""The network pages (issue 5): the actor map at /kaart and the peer network of municipalities at
/netwerk, each with a text version (/kaart/tabel, /netwerk/tabel), exports of the current view and,
for the peer network, meeting groups as CSV. The JSON twins are in web/maps_api.py; the state
(parameters, cached graphs and metrics) in web/maps_data.py.

The picture is drawn by web/static/kaart.js with the vendored vis-network, from a JSON data block
that is never executed. vis-network's standalone build inserts five <style> elements of its own; the
Content-Security-Policy of these pages allows exactly those by hash (no 'unsafe-inline').
"""
import base64
import hashlib
import html
import re
from functools import lru_cache

from flask import Blueprint, current_app, render_template, request, url_for

from kast.network import (NODE_TYPES, WEIGHTS, edges_csv, groups_csv, nodes_csv, offline_html, safe_json,
                          substantive, to_gexf, to_graphml)
from kast.network.overview import ORGANISATIONS
from kast.network.visjs import VIS_JS

from . import maps_cache as cache
from . import maps_data as data
from .maps_groups import group_style, with_groups
from .kinds import BY_KIND
from .security import CSP
from .templating import with_query

bp = Blueprint("netwerk", __name__)

TABLE_PAGE = 100
EXPORTS = {   # extension → (label, mimetype)
    "gexf": ("GEXF (Gephi)", "application/gexf+xml"),
    "graphml": ("GraphML", "application/graphml+xml"),
    "knopen.csv": ("CSV: knooppunten", "text/csv; charset=utf-8"),
    "randen.csv": ("CSV: verbindingen", "text/csv; charset=utf-8"),
    "html": ("Offline HTML-kaart (werkt zonder internet)", "text/html; charset=utf-8"),
}
EXPORT_RULE = "<any(" + ", ".join(f'"{e}"' for e in EXPORTS) + "):formaat>"
LEVEL_NAMES = {"landelijk": "landelijk", "regionaal": "regionaal", "lokaal": "lokaal", "maatschappelijk": "maatschappelijk"}


def state() -> cache.State:
    return cache.state_of(current_app.extensions["kast"])


@lru_cache(maxsize=1)
def csp() -> str:
    """The site's policy plus the hashes of vis-network's own <style> blocks (the CSS strings it passes
    to its style injector) and of the empty <style> it inserts before filling it."""
    js = VIS_JS.read_text(encoding="utf-8") if VIS_JS.exists() else ""
    blocks = [""] + [m[1:-1] for m in re.findall(r"""[\w$]\(("(?:\.vis|div\.vis)[^"\\]*"|'(?:\.vis|div\.vis)[^'\\]*')\)""", js)]
    hashes = " ".join("'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'"
                      for b in blocks)
    return CSP.replace("style-src 'self'", f"style-src 'self' {hashes}")


@bp.after_request
def policy(response):
    if response.mimetype == "text/html" and "Content-Disposition" not in response.headers:
        response.headers["Content-Security-Policy"] = csp()
    return response


bp.add_app_template_global(data.top_nodes, "top_nodes")


@bp.app_template_global()
def kaart_url(item_id: str) -> str | None:
    """The place of an item on the actor map, or None when the map does not show it."""
    return url_for("netwerk.actorenkaart", focus=item_id) if item_id in cache.base_map(state()) else None


def node_urls(G, key: tuple) -> dict:
    """Entity page of every node (the URL scheme of web.entities), cached per view."""
    def build():
        return {str(n): url_for("entities.show", collection=BY_KIND[t].name, item_id=n)
                for n, t in G.nodes(data="type") if t in BY_KIND}
    return state().get(("urls",) + key, build, lambda urls: len(urls) // 10 + 1)


def page_json(key: tuple, vis: dict, G, highlight: dict | None, urls: dict | None = None) -> str:
    """The JSON block kaart.js draws from; the large part is serialised once per view."""
    graph = state().get(("json",) + key, lambda: safe_json(
        {"nodes": vis["nodes"], "edges": vis["edges"], "options": vis["options"],
         "urls": urls if urls is not None else node_urls(G, key)}), cache.text_weight)
    return '{"graaf": ' + graph + ', "nadruk": ' + safe_json(highlight or {}) + "}"


def overview_urls(view) -> dict:
    """In the first view a click opens: an organisation's surroundings, a cluster's kind on the map."""
    urls = {n: url_for("netwerk.actorenkaart", focus=n) for n in view.G}
    for cluster, types in view.vis.get("opens", {}).items():
        urls[cluster] = with_query(url_for("netwerk.actorenkaart"), [("soort", t) for t in types])
    return urls


def describe(vis: dict, what: str, table: str) -> str:
    meta = vis["meta"]
    return (f"{what}: {meta['nodes']} knooppunten en {meta['edges']} getekende verbindingen. "
            f"Dezelfde inhoud staat als tekst in de tabelversie ({table}).")


def export_links(endpoint: str, pairs) -> list[dict]:
    return [{"href": with_query(url_for(endpoint, formaat=ext), pairs), "label": label, "ext": ext}
            for ext, (label, _) in EXPORTS.items()]


def render(template: str, status: int = 200, **context):
    return current_app.response_class(render_template(template, **context), status=status, mimetype="text/html")


def download(body, ext: str, name: str):
    mimetype = EXPORTS.get(ext, (None, "text/csv; charset=utf-8"))[1]
    response = current_app.response_class(body, mimetype=mimetype.split(";")[0])
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --------------------------------------------------------------------------- actor map

def _map_request(args, first_view: bool = False):
    """(view, error message, status): a view, or why there is none. An unknown node's suggestions are
    kept in `request_suggestions` for the error box."""
    st = state()
    try:
        q = data.parse_map(args, st, first_view)
        return data.map_view(st, q), None, 200
    except data.BadParameter as error:
        return None, str(error), 400
    except data.NotFound as error:
        request.environ["kast.suggestions"] = suggestion_links(error)
        return None, str(error), 404


def suggestion_links(error) -> list[dict]:
    """Links to the same view with the node the user probably meant, by name."""
    parameter = getattr(error, "parameter", None)
    if not parameter:
        return []
    keep = [(k, v) for k, v in request.args.items(multi=True) if k not in (parameter, "pagina")]
    return [{"href": with_query(request.path, keep + [(parameter, node)]), "label": name}
            for node, name in error.suggestions]


def _map_context(view) -> dict:
    st = state()
    args = request.args
    pairs = view.query.pairs() if view else list(args.items(multi=True))
    shown = set(ORGANISATIONS) if view and view.query.overview else set(NODE_TYPES)
    context = dict(
        args=args, view=view, options=data.map_options(st), node_types=NODE_TYPES, levels=LEVEL_NAMES,
        chosen_types=set(args.getlist("soort")) or shown, chosen_levels=set(args.getlist("niveau")),
        suggestions=request.environ.get("kast.suggestions", []),
        table_url=with_query(url_for("netwerk.kaart_tabel"), pairs),
        alternate=with_query(url_for("netwerk_api.kaart"), pairs),
        actors=[(n, d["label"]) for n, d in cache.base_map(st).nodes(data=True) if d["kind"] == "actor"])
    if view:
        context.update(exports=export_links("netwerk.kaart_export", pairs),
                       steps=[s.text(view.G) for s in view.steps or ()],
                       labels=dict(view.G.nodes(data="label")))
    return context


@bp.get("/kaart")
def actorenkaart():
    view, error, status = _map_request(request.args, first_view=True)
    context = _map_context(view)
    if view:
        urls = overview_urls(view) if view.query.overview else None
        context.update(
            data_json=page_json(("kaart",) + view.key, view.vis, view.drawn, view.highlight, urls),
            metrics=state().metrics(("kaart",) + view.key, view.G),
            description=describe(view.vis, "Actorenkaart", context["table_url"]))
    return render("kaart.html", status, error=error, **context)


@bp.get("/kaart/tabel")
def kaart_tabel():
    view, error, status = _map_request(request.args)
    context = _map_context(view)
    if view:
        rows = data.table_rows(state(), view)
        context.update(paging(rows, view.query.pairs()), metrics=state().metrics(("kaart",) + view.key, view.G))
    return render("kaart_tabel.html", status, error=error, **context)


def paging(rows: list, pairs: list) -> dict:
    pages = max(1, -(-len(rows) // TABLE_PAGE))
    raw = request.args.get("pagina", "1")
    number = min(max(int(raw), 1), pages) if raw.isdigit() else 1
    link = lambda n: with_query(request.path, pairs + [("pagina", str(n))])  # noqa: E731
    return {"rows": rows[(number - 1) * TABLE_PAGE:number * TABLE_PAGE], "total": len(rows), "page": number,
            "pages": pages, "prev": link(number - 1) if number > 1 else None,
            "next": link(number + 1) if number < pages else None, "first_row": (number - 1) * TABLE_PAGE + 1}


@bp.get("/kaart/export." + EXPORT_RULE)
def kaart_export(formaat: str):
    view, error, status = _map_request(request.args)
    if not view:
        return render("kaart.html", status, error=error, **_map_context(None))
    return download(export(view.G, view.vis, formaat, "Actorenkaart", ("kaart",) + view.key), formaat,
                    filename("actorenkaart", formaat))


def filename(stem: str, formaat: str) -> str:
    return f"{stem}-{formaat}" if "." in formaat else f"{stem}.{formaat}"


def export(G, vis: dict, formaat: str, title: str, key: tuple, extra: str = ""):
    if formaat == "gexf":
        return to_gexf(G)
    if formaat == "graphml":
        return to_graphml(G)
    if formaat == "knopen.csv":
        return nodes_csv(G)
    if formaat == "randen.csv":
        return edges_csv(G)
    rows = state().get(("rijen",) + key, lambda: data.text_rows(G), cache.rows_weight)   # same key as the table
    page = offline_html(dict(vis, rows=rows), title=title)
    return page.replace("<details>", extra + "<details>", 1) if extra else page


# --------------------------------------------------------------------------- peer network

def _peer_request(args, size_default=None):
    st = state()
    try:
        q = data.parse_peers(args, st, size_default)
        return data.peer_view(st, q), None, 200
    except data.BadParameter as error:
        return None, str(error), 400


def _peer_context(view) -> dict:
    args = request.args
    pairs = view.query.pairs() if view else list(args.items(multi=True))
    context = dict(args=args, view=view, options=data.peer_options(state()), weights=WEIGHTS,
                   alone_text="nog niets met een andere gemeente gedeeld (een gedeelde regio telt hier niet mee)",
                   table_url=with_query(url_for("netwerk.netwerk_tabel"), pairs),
                   alternate=with_query(url_for("netwerk_api.netwerk"), pairs))
    if view:
        context.update(exports=export_links("netwerk.netwerk_export", pairs),
                       groups_csv=with_query(url_for("netwerk.groepen_csv"), pairs) if view.groups is not None else None,
                       labels=view.base.graph.get("labels", {}))
    return context


@bp.get("/netwerk")
def gemeenten():
    view, error, status = _peer_request(request.args)
    context = _peer_context(view)
    if view:
        key = ("peers",) + view.key + ((view.query.size,) if view.groups else ())
        vis = state().get(("gegroepeerd",) + key, lambda: with_groups(view.vis, view.groups, view.drawn),
                          lambda v: len(v["nodes"]) + len(v["edges"])) if view.groups else view.vis
        context.update(data_json=page_json(key, vis, view.drawn, None),
                       metrics=peer_metrics(view),
                       group_style=group_style,
                       description=describe(vis, "Netwerk van gemeenten", context["table_url"]))
    return render("netwerk.html", status, error=error, **context)


def peer_metrics(view):
    """Who is most connected counts what municipalities share, not the region they merely lie in."""
    return state().metrics(("peers", "inhoud") + view.key, substantive(view.G))


@bp.get("/netwerk/tabel")
def netwerk_tabel():
    view, error, status = _peer_request(request.args)
    context = _peer_context(view)
    if view:
        edges = state().get(("peerrijen",) + view.key, lambda: data.peer_edges(view.G), cache.rows_weight)
        context.update(paging(edges, view.query.pairs()), metrics=peer_metrics(view))
    return render("netwerk_tabel.html", status, error=error, **context)


@bp.get("/netwerk/groepen.csv")
def groepen_csv():
    view, error, status = _peer_request(request.args, size_default=6)
    if not view:
        return render("netwerk.html", status, error=error, **_peer_context(None))
    return download(groups_csv(view.base, view.groups), "csv", f"groepen-van-{view.query.size}.csv")


def groups_section(view) -> str:
    """The proposed groups as HTML for the offline page (every text escaped)."""
    e = html.escape
    items = "".join(f"<li><strong>{e(', '.join(g.labels))}</strong><br>{e(g.reason)}</li>" for g in view.groups)
    return f"<h2>Voorgestelde groepen van ongeveer {view.query.size}</h2>\n<ol>{items}</ol>\n"


@bp.get("/netwerk/export." + EXPORT_RULE)
def netwerk_export(formaat: str):
    view, error, status = _peer_request(request.args)
    if not view:
        return render("netwerk.html", status, error=error, **_peer_context(None))
    G, vis, key = view.G, view.vis, ("peers",) + view.key
    extra = ""
    if view.groups:   # the groups travel along: as a node attribute (Gephi) and as a list (offline HTML)
        G = G.copy()
        for g in view.groups:
            for m in g.members:
                if m in G:
                    G.nodes[m]["groep"] = g.number
        vis, key, extra = with_groups(vis, view.groups), key + (view.query.size,), groups_section(view)
    return download(export(G, vis, formaat, "Netwerk van gemeenten", key, extra), formaat,
                    filename("netwerk-van-gemeenten", formaat))
