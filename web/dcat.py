"""/dataset: the DCAT-AP-NL 3.0 description of the kast (with VoID and the SPARQL Service Description), at
a stable URI with content negotiation (Turtle, JSON-LD, N-Triples), and the IRIs it names.

A browser goes to /over, a JSON client to its twin /api/v1/dataset. The IRIs of the dataset, catalogue,
services, distributions and contact point (`kast.dcat.iris`) answer 303 See Other to this document.
"""
import threading

from flask import Blueprint, current_app, redirect, request, url_for

from kast.dcat import DUMPS, describe

from .errors import error_page

bp = Blueprint("dcat", __name__)

RDF_TYPES = {"text/turtle": ("turtle", "ttl"), "application/ld+json": ("json-ld", "jsonld"),
             "application/n-triples": ("nt", "nt")}
BY_SUFFIX = {suffix: mediatype for mediatype, (_, suffix) in RDF_TYPES.items()}


def site():
    return current_app.extensions["kast"]


_graphs: dict[tuple, object] = {}   # (site, generation) → graph: only the current one is kept
_bodies: dict[tuple, bytes] = {}
_lock = threading.Lock()


def description_body(mediatype: str) -> bytes:
    """The description in one format, made once per process and kast (it counts the whole public graph, the
    same for every reader)."""
    s = site()
    kast, key = s.kast, (id(s), s.generation)
    with _lock:
        if key not in _graphs:
            for old in [k for k in _graphs if k[0] == key[0]]:   # an older generation of this site: drop it
                _graphs.pop(old)
            for old in [k for k in _bodies if k[0][0] == key[0]]:   # and its serialisations
                _bodies.pop(old)
            _graphs[key] = describe(kast)
        graph = _graphs[key]
        if (key, mediatype) not in _bodies:
            fmt = RDF_TYPES[mediatype][0]
            if fmt == "json-ld":
                context = {p: str(ns) for p, ns in graph.namespaces() if p}
                body = graph.serialize(format="json-ld", context=context, auto_compact=True, encoding="utf-8")
            else:
                body = graph.serialize(format=fmt, encoding="utf-8")
            _bodies[(key, mediatype)] = body
        return _bodies[(key, mediatype)]


def rdf(mediatype: str):
    response = current_app.response_class(description_body(mediatype), mimetype=mediatype)
    response.headers["Vary"] = "Accept"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def _see_other(location: str):
    response = redirect(location, 303)
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/dataset")
def document():
    accept = request.accept_mimetypes
    best = accept.best_match(["text/html", *RDF_TYPES, "application/json"]) if accept else "text/turtle"
    if best in RDF_TYPES:
        return rdf(best)
    if best == "application/json":
        return _see_other(url_for("api.dataset"))
    return _see_other(url_for("pages.over"))


@bp.get("/dataset.<suffix>")
def document_as(suffix: str):
    if suffix not in BY_SUFFIX:
        return error_page(404, f"De beschrijving van de dataset is er als {', '.join('.' + s for s in BY_SUFFIX)}.")
    return rdf(BY_SUFFIX[suffix])


def _thing():
    """A thing named in the description: its description is /dataset (303, as for the kast's own IRIs)."""
    accept = request.accept_mimetypes
    best = accept.best_match(["text/html", *RDF_TYPES]) if accept else "text/turtle"
    return _see_other(url_for("dcat.document") if best in RDF_TYPES else url_for("pages.over"))


# Static rules: werkzeug prefers them over linkeddata's /id/<segment>/<slug>.
for _path in ("/id/dataset/apothekerskast", "/id/catalogus/apothekerskast", "/id/contactpunt/apothekerskast",
              "/id/dataservice/sparql", "/id/dataservice/api",
              *(f"/id/distributie/{fmt}" for fmt in (*DUMPS, "sparql", "api"))):
    bp.add_url_rule(_path, f"thing_{_path.rsplit('/', 2)[-2]}_{_path.rsplit('/', 1)[-1]}", _thing, methods=["GET"])
