"""The JSON API, /api/v1, after the Dutch REST API Design Rules: plural Dutch resource names, no
trailing slashes, an API-Version header, HAL-style _links for paging, errors as problem+json and the
OpenAPI 3 document at /api/v1/openapi.json. Every HTML page has its twin here."""
import re

from flask import Blueprint, current_app, request, url_for

from . import finder, openapi
from .dataset import dataset
from .entities import Unknown, find, model
from .errors import API_VERSION, json_response, problem
from .kinds import BY_KIND, BY_NAME, COLLECTIONS, NAMES
from .openapi import ID_PATTERN
from .templating import with_query

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def site():
    return current_app.extensions["kast"]


@bp.after_request
def version(response):
    response.headers["API-Version"] = API_VERSION
    return response


def href(endpoint: str, **values) -> dict:
    return {"href": url_for(endpoint, **values)}


@bp.get("")
def root():
    links = {c.name: href("api.collection", collection=c.name) for c in COLLECTIONS}
    links.update(self=href("api.root"), zoeken=href("api.zoeken"), dataset=href("api.dataset"),
                 openapi=href("api.openapi"), html=href("pages.home"))
    return json_response({"naam": "De Apothekerskast", "versie": API_VERSION, "_links": links})


def openapi_document():
    return json_response(openapi.document(site()), mimetype="application/json")


bp.add_url_rule("/openapi.json", "openapi", openapi_document, methods=["GET"])


def dataset_view():
    body = dataset(site())
    body["_links"] = {"self": href("api.dataset"), "html": href("pages.over")}
    return json_response(body)


bp.add_url_rule("/dataset", "dataset", dataset_view, methods=["GET"])


def results_body(found: dict, path: str, html_path: str) -> dict:
    query = found["query"]
    body = {
        "zoekvraag": query.q, "totaal": found["total"], "pagina": found["page"], "paginagrootte": found["size"],
        "aantalPaginas": found["pages"], "sortering": query.sort,
        "resultaten": [{
            "id": r["id"], "type": r["kind"], "naam": r["label"], "fragment": r["snippet"], "score": r["score"],
            "praktijktype": r.get("praktijktype"),
            "_links": {"self": href("api.item", collection=r["collection"], item_id=r["id"]),
                       "html": href("entities.show", collection=r["collection"], item_id=r["id"])},
        } for r in found["results"] if r["collection"]],
        "facetten": [{"naam": f["name"], "label": f["label"],
                      "waarden": [{"waarde": v["value"], "label": v["label"], "aantal": v["count"],
                                   "gekozen": v["selected"]} for v in f["values"]]} for f in found["facets"]],
        "filters": [{"facet": c["name"], "waarde": c["value"], "label": c["valueLabel"]} for c in found["chosen"]],
        "suggestie": found["suggestion"], "uitgebreidMet": found["expanded"], "verouderd": found["stale"],
        "melding": found["message"],
    }
    links = {"self": {"href": with_query(path, query.pairs())},
             "html": {"href": with_query(html_path, query.pairs())},
             "first": {"href": with_query(path, query.pairs(page=1))},
             "last": {"href": with_query(path, query.pairs(page=found["pages"]))}}
    if 1 < query.page <= found["pages"] + 1:
        links["prev"] = {"href": with_query(path, query.pairs(page=min(query.page - 1, found["pages"])))}
    if query.page < found["pages"]:
        links["next"] = {"href": with_query(path, query.pairs(page=query.page + 1))}
    body["_links"] = links
    return body


@bp.get("/zoeken")
def zoeken():
    query = finder.parse(request.args)
    found = finder.run(site(), query)
    return json_response(results_body(found, url_for("api.zoeken"), url_for("pages.zoeken")))


@bp.get("/<any(" + ", ".join(NAMES) + "):collection>")
def collection(collection: str):
    coll = BY_NAME[collection]
    query = finder.parse(request.args, default_size=20)
    found = finder.run(site(), query, coll)
    return json_response(results_body(found, url_for("api.collection", collection=collection),
                                      url_for(f"pages.{collection}")))


def entity_body(m: dict) -> dict:
    def item_links(collection: str, item_id: str) -> dict:
        return {"self": href("api.item", collection=collection, item_id=item_id),
                "html": href("entities.show", collection=collection, item_id=item_id)}

    body = {
        "id": m["id"], "type": m["kind"], "naam": m["label"], "iri": m["iri"],
        "velden": [{"veld": f["key"], "label": f["label"], "waarden": f["values"], "bronnen": f["sources"]}
                   for f in m["fields"]],
        "relaties": [{
            "relatie": g.key, "label": g.label, "richting": g.direction, "predicaat": g.predicate,
            "items": [{"id": link.id, "type": link.kind, "naam": link.label, "iri": link.iri,
                       "bronnen": [_citation(c) for c in link.sources],
                       "_links": item_links(BY_KIND[link.kind].name, link.id)} for link in g.links],
        } for g in m["groups"]],
        "bronnen": [_citation(c) for c in m["sources"]],
        "vergelijkbaar": [{"id": s["id"], "type": s["kind"], "naam": s["label"], "score": s["score"],
                           "gedeeld": s["gedeeld"], "_links": item_links(BY_KIND[s["kind"]].name, s["id"])}
                          for s in m["similar"]],
        "zelfdeAls": m["sameAs"],
    }
    if m["kind"] == "praktijk":
        contact = m["contact"]
        body["contact"] = {"organisatie": {"id": contact["organisatie"]["id"], "naam": contact["organisatie"]["label"]}
                           if contact["organisatie"] else None, "functie": contact["functie"]}
    if m.get("groeimodel"):   # an ambition with a scale in the groeimodel (issue 13)
        body["groeimodel"] = m["groeimodel"]
    body["_links"] = dict(item_links(m["collection"], m["id"]), iri={"href": m["iri"]})
    return body


def _citation(c: dict) -> dict:
    return {"nummer": c.get("nummer"), "bron": c["bron"], "document": c["document"], "bestand": c["bestand"],
            "sectie": c["sectie"], "sectietitel": c["sectietitel"], "onderbouwt": c["onderbouwt"],
            "citaat": c["citaat"]}


@bp.get("/<any(" + ", ".join(NAMES) + "):collection>/<item_id>")
def item(collection: str, item_id: str):
    s = site()
    if len(item_id) > 120 or not re.fullmatch(ID_PATTERN, item_id):
        return problem(400, "Een id heeft kleine letters, cijfers, punten en koppeltekens (hooguit 120 tekens), "
                            "bijvoorbeeld gm0106 of wet-bibob.")
    try:
        coll, found = find(s, collection, item_id)
    except Unknown as exc:
        return problem(404, str(exc))
    if BY_KIND[found.kind].name != collection:
        right = BY_KIND[found.kind].name
        return problem(404, f"'{item_id}' is een {BY_KIND[found.kind].singular}; zie /api/v1/{right}/{item_id}.")
    response = json_response(entity_body(model(s, item_id)))
    if found.kind in ("praktijk", "actor", "instrument", "thema", "ambitie"):   # the version for If-Match
        from .curation import published_version

        if (version := published_version(item_id, found.kind)) is not None:
            response.headers["ETag"] = f'"{version}"'
    return response
