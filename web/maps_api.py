"""The JSON twins of the network pages: /api/v1/kaart, /api/v1/netwerk and /api/v1/netwerk/groepen,
with the same parameters as /kaart and /netwerk. Errors are application/problem+json with the Dutch
message of kast.network (unknown node or no path: 404; a wrong parameter value: 400)."""
from flask import Blueprint, request, url_for

from kast.network import substantive

from . import maps_data as data
from .errors import API_VERSION, json_response, problem
from .kinds import BY_KIND
from .maps import EXPORTS, state
from .maps_groups import with_groups
from .templating import with_query

bp = Blueprint("netwerk_api", __name__, url_prefix="/api/v1")


@bp.after_request
def version(response):
    response.headers["API-Version"] = API_VERSION
    return response


def _links(G, node) -> dict:
    collection = BY_KIND[G.nodes[node]["type"]].name
    return {"self": {"href": url_for("api.item", collection=collection, item_id=node)},
            "html": {"href": url_for("entities.show", collection=collection, item_id=node)}}


def _view_links(pairs, api: str, html: str, table: str, export: str) -> dict:
    links = {"self": {"href": with_query(url_for(api), pairs)}, "html": {"href": with_query(url_for(html), pairs)},
             "tabel": {"href": with_query(url_for(table), pairs)}}
    for ext in EXPORTS:   # gexf, graphml, knopen, randen, offline
        name = "offline" if ext == "html" else ext.replace(".csv", "")
        links[name] = {"href": with_query(url_for(export, formaat=ext), pairs)}
    return links


def _metrics(m) -> dict:
    if m is None:
        return {"status": "wordt berekend", "toelichting": "De netwerkmaten worden berekend; vraag het over een "
                                                            "halve minuut opnieuw."}
    top = data.top_nodes(m)
    return {"status": "klaar", "toelichting": m.note,
            "graad": [{"id": n, "graad": d["degree"], "betweenness": d["betweenness"]} for n, d in top],
            "bruggen": [{"id": b["id"], "naam": b["label"], "betweenness": b["betweenness"],
                         "participatie": b["participation"], "gemeenschappen": b["communities"]} for b in m.bridges]}


def _graph(vis: dict, G) -> dict:
    return {
        "aantalKnooppunten": G.number_of_nodes(), "aantalVerbindingen": G.number_of_edges(),
        "getoondeKnooppunten": vis["meta"]["nodes"], "getoondeVerbindingen": vis["meta"]["edges"],
        "melding": vis["meta"]["note"] or None,
        "legenda": [{"type": i["type"], "naam": i["label"], "aantal": i["count"], "kleur": i["color"],
                     "vorm": i["shape"]} for i in vis["legend"]],
        "knooppunten": [{"id": n["id"], "naam": G.nodes[n["id"]].get("label", n["id"]), "type": n["group"],
                         "x": n["x"], "y": n["y"], "tooltip": n["title"], "_links": _links(G, n["id"])}
                        for n in vis["nodes"]],
        "verbindingen": [{"van": e["from"], "naar": e["to"], "tooltip": e["title"], "gewicht": e.get("value")}
                         for e in vis["edges"]],
    }


@bp.get("/kaart")
def kaart():
    st = state()
    try:
        q = data.parse_map(request.args, st)
        view = data.map_view(st, q)
    except data.BadParameter as error:
        return problem(400, str(error))
    except data.NotFound as error:
        return problem(404, str(error))
    G = view.G
    body = {"titel": "Actorenkaart",
            "filters": {"soort": list(q.types or ()), "thema": q.theme, "instrument": q.instrument, "regio": q.region,
                        "niveau": list(q.levels or ()), "focus": view.focus, "diepte": q.depth if view.focus else None,
                        "van": q.source, "naar": q.target, "zoek": q.search}}
    body.update(_graph(view.vis, G))
    body["pad"] = None if view.steps is None else [
        {"van": s.source, "naar": s.target, "relatie": s.relation, "zin": s.text(G)} for s in view.steps]
    body["gevonden"] = None if view.found is None else [
        {"id": n, "naam": G.nodes[n].get("label", n), "_links": _links(G, n)} for n in view.found]
    body["netwerkmaten"] = _metrics(st.metrics(("kaart",) + view.key, G))
    body["_links"] = _view_links(q.pairs(), "netwerk_api.kaart", "netwerk.actorenkaart", "netwerk.kaart_tabel",
                                 "netwerk.kaart_export")
    return json_response(body)


def _groups(view) -> list[dict]:
    labels = view.base.graph.get("labels", {})
    return [{"nummer": g.number, "reden": g.reason, "samenhang": g.cohesion, "opmerking": g.note or None,
             "leden": [{"id": m, "naam": n, "_links": _links(view.base, m)} for m, n in zip(g.members, g.labels)],
             "gedeeld": {kind: [{"id": i, "naam": labels.get(i, i), "aantal": c} for i, c in items]
                         for kind, items in g.shared.items()}} for g in view.groups]


def _peer_view(size_default=None):
    st = state()
    q = data.parse_peers(request.args, st, size_default)
    return data.peer_view(st, q)


@bp.get("/netwerk")
def netwerk():
    try:
        view = _peer_view()
    except data.BadParameter as error:
        return problem(400, str(error))
    q, G = view.query, view.G
    body = {"titel": "Netwerk van gemeenten",
            "filters": {"thema": q.theme, "regio": q.region, "instrument": q.instrument, "alle": q.everyone,
                        "grootte": q.size},
            "gewichten": dict(view.base.graph.get("weights", {}))}
    body.update(_graph(with_groups(view.vis, view.groups), G))
    labels = view.base.graph.get("labels", {})
    for edge in body["verbindingen"]:
        d = G.edges[edge["van"], edge["naar"]]
        edge.update(reden=d.get("reason", ""), gedeeld={
            key: [{"id": i, "naam": labels.get(i, i)} for i in d.get(attr, ())]
            for key, attr in (("praktijken", "sharedPractices"), ("instrumenten", "sharedInstruments"),
                              ("themas", "sharedThemes"))}, zelfdeRiec=bool(d.get("sameRiec")),
            zelfdeProvincie=bool(d.get("sameProvince")))
    body["groepen"] = None if view.groups is None else _groups(view)
    body["netwerkmaten"] = _metrics(state().metrics(("peers", "inhoud") + view.key, substantive(G)))
    body["_links"] = _view_links(q.pairs(), "netwerk_api.netwerk", "netwerk.gemeenten", "netwerk.netwerk_tabel",
                                 "netwerk.netwerk_export")
    return json_response(body)


@bp.get("/netwerk/groepen")
def groepen():
    try:
        view = _peer_view(size_default=6)
    except data.BadParameter as error:
        return problem(400, str(error))
    q = view.query
    return json_response({
        "grootte": q.size, "filters": {"thema": q.theme, "regio": q.region, "instrument": q.instrument,
                                       "alle": q.everyone},
        "melding": view.G.graph.get("note") or None, "groepen": _groups(view),
        "_links": {"self": {"href": with_query(url_for("netwerk_api.groepen"), q.pairs())},
                   "html": {"href": with_query(url_for("netwerk.gemeenten"), q.pairs())},
                   "csv": {"href": with_query(url_for("netwerk.groepen_csv"), q.pairs())}}})


# --------------------------------------------------------------------------- OpenAPI

def _param(name: str, description: str, schema: dict | None = None, many: bool = False) -> dict:
    schema = schema or {"type": "string", "maxLength": data.MAX_TEXT}
    if many:
        return {"name": name, "in": "query", "description": description, "style": "form", "explode": True,
                "schema": {"type": "array", "items": schema}}
    return {"name": name, "in": "query", "description": description, "schema": schema}


def openapi_paths() -> dict:
    """The three resources for the OpenAPI document (web/openapi.py)."""
    from kast.network import NODE_TYPES

    maps, peers_ = data.map_options(state()), data.peer_options(state())
    ids = lambda options: {"type": "string", "enum": list(options)}  # noqa: E731
    problem_ = {"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Probleem"}}}}
    version_header = {"API-Version": {"description": "Versie van de API (semver)", "schema": {"type": "string"}}}
    ok = lambda text: {"description": text, "headers": version_header,  # noqa: E731
                       "content": {"application/json": {"schema": {"type": "object"}}}}
    peers = [_param("thema", "Id van een thema of ambitie", ids(peers_["theme"])),
             _param("regio", "Id van een provincie of RIEC-regio", ids(peers_["region"])),
             _param("instrument", "Id van een instrument", ids(peers_["instrument"])),
             _param("alle", "1 = ook gemeenten zonder praktijk", {"type": "string", "enum": ["1"]}),
             _param("grootte", "Groepsgrootte voor voorstellen van groepen", {"type": "integer", "minimum": 2, "maximum": 20})]
    kaart = [_param("soort", "Soorten knooppunten", {"type": "string", "enum": list(NODE_TYPES)}, many=True),
             _param("thema", "Id van een thema of ambitie", ids(maps["theme"])),
             _param("instrument", "Id van een instrument", ids(maps["instrument"])),
             _param("regio", "Id van een provincie of RIEC-regio", ids(maps["region"])),
             _param("niveau", "Niveau van actoren", {"type": "string", "enum": list(data.LEVELS)}, many=True),
             _param("focus", "Id of naam van het knooppunt in het midden"),
             _param("diepte", "Stappen rond de focus", {"type": "integer", "minimum": 1, "maximum": 3}),
             _param("van", "Begin van een pad (id of naam)"), _param("naar", "Eind van een pad (id of naam)"),
             _param("zoek", "Zoeken in de namen van de knooppunten")]

    def get(op: str, summary: str, params: list, not_found: bool) -> dict:
        responses = {"200": ok(summary), "400": dict(problem_, description="Ongeldige parameter")}
        if not_found:
            responses["404"] = dict(problem_, description="Onbekend knooppunt of geen pad")
        return {"get": {"operationId": op, "summary": summary, "tags": ["netwerken"], "parameters": params,
                        "responses": responses}}
    return {"/kaart": get("kaart", "De actorenkaart (gefilterd, met focus, pad en netwerkmaten)", kaart, True),
            "/netwerk": get("netwerk", "Het netwerk van gemeenten, met de reden van elke verbinding", peers, False),
            "/netwerk/groepen": get("groepen", "Voorstel van groepen voor een netwerkbijeenkomst", peers, False)}
