"""/sparql: the read-only SPARQL 1.1 Protocol endpoint and the Dutch query page (vendored @zazuko/yasgui).

GET `?query=` and POST (form `query=` or an `application/sparql-query` body). Results by content
negotiation (or `format=`): SPARQL JSON, XML, CSV and TSV; CONSTRUCT and DESCRIBE as Turtle, N-Triples
or JSON-LD. CORS for GET. Every refusal is `application/problem+json` in Dutch. The reader of the request
(`web.readers.current_reader`) decides which graph is queried; the library (`kast.sparql`) does the rest.
"""
import atexit
import base64
import functools
import hashlib
import os
import re
import threading
from pathlib import Path

from flask import Blueprint, current_app, render_template, request, url_for

from kast.queries import examples
from kast.sparql import guard, store
from kast.sparql.remote import RemoteError, RemoteStore
from kast.sparql.results import GRAPH_TYPES, RESULT_TYPES
from kast.sparql.runner import QueryFailed
from kast.sparql.service import Service, Settings

from .errors import problem
from .readers import current_reader
from .security import CSP
from .auth import CSRF_EXEMPT

bp = Blueprint("sparql", __name__)

FORMAT_PARAM = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values", "ttl": "text/turtle",
                "nt": "application/n-triples", "jsonld": "application/ld+json"}
MAX_BODY = 64 * 1024
EXPOSED = "Kast-Afgekapt, Kast-Rijen, Kast-Maximum-Rijen, Retry-After"
TITLES = {400: "Query niet uitgevoerd", 406: "Niet beschikbaar in dit formaat", 413: "Query te groot",
          415: "Onbekend soort verzoek", 429: "Te veel rekentijd gebruikt", 500: "Query afgebroken",
          502: "Externe SPARQL-store niet bereikbaar", 503: "Alle SPARQL-werkers bezet",
          504: "Query duurde te lang"}
CONFIG = {"KAST_SPARQL_TIMEOUT": ("timeout", float), "KAST_SPARQL_MAX_ROWS": ("cap", int),
          "KAST_SPARQL_WORKERS": ("workers", int), "KAST_SPARQL_QUEUE_WAIT": ("queue_wait", float),
          "KAST_SPARQL_BUDGET": ("budget", float), "KAST_SPARQL_WINDOW": ("window", float)}


def site():
    return current_app.extensions["kast"]


# One service per loaded kast, settings and external store, shared by every reader level (the service keeps
# a store per level itself) and by apps on the same data (web.site shares the kast the same way).
_services: dict[tuple, Service] = {}
_services_lock = threading.Lock()


def service() -> Service:
    """One service per loaded kast and settings (apps with the same data share the kast, see web.site)."""
    values = {}
    for key, (name, cast) in CONFIG.items():
        raw = current_app.config.get(key, os.environ.get(key))
        if raw not in (None, ""):
            values[name] = cast(raw)
    settings = Settings(**values)
    endpoint = current_app.config.get("KAST_SPARQL_ENDPOINT")

    def make():
        external = RemoteStore(endpoint, current_app.config.get("KAST_SPARQL_UPDATE_ENDPOINT") or
                               endpoint.rsplit("/query", 1)[0] + "/update") if endpoint else RemoteStore.from_env()
        made = Service(site().kast, settings=settings, remote=external)
        atexit.register(made.close)
        return made

    s = site()
    key = (id(s), s.generation, repr(settings), endpoint)
    with _services_lock:
        if key not in _services:
            for old in [k for k in _services if k[0] == key[0] and k[1] != key[1]]:   # published since: retire
                _services.pop(old).close()
            _services[key] = make()
        return _services[key]


def client_key() -> str:
    """Whose budget a query spends: the organisation of an account, else the address of the client."""
    reader = current_reader()
    if reader.org:
        return f"{reader.role}:{reader.org}"
    return request.remote_addr or "onbekend"


def failure(status: int, detail: str, retry_after: int | None = None):
    response = problem(status, detail, TITLES.get(status))
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


def _query_text():
    """(query, None) or (None, error response) by the SPARQL 1.1 Protocol."""
    if request.method == "GET":
        return request.args.get("query"), None
    if (request.content_length or 0) > MAX_BODY:
        return None, failure(413, f"het verzoek is groter dan {MAX_BODY // 1024} kB")
    kind = request.mimetype
    if kind == "application/sparql-update" or (kind == "application/x-www-form-urlencoded" and "update" in request.form):
        return None, failure(400, "de kast is alleen te lezen: SPARQL Update is niet toegestaan")
    if kind == "application/sparql-query":
        return request.get_data(as_text=True), None
    if kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return request.form.get("query"), None
    return None, failure(415, "stuur de query als formulierveld 'query' (application/x-www-form-urlencoded) of als "
                              "application/sparql-query")


def _negotiate():
    """(result format name, graph media type) or None when the client accepts none of what is offered."""
    chosen = request.values.get("format")
    if chosen:
        mediatype = FORMAT_PARAM.get(chosen)
        if mediatype is None:
            return None
        return RESULT_TYPES.get(mediatype, "json"), mediatype if mediatype in GRAPH_TYPES else "text/turtle"
    accept = request.accept_mimetypes
    if not accept:
        return "json", "text/turtle"
    result = accept.best_match(list(RESULT_TYPES))
    graph = accept.best_match(list(GRAPH_TYPES))
    if result is None and graph is None:
        return None
    return RESULT_TYPES.get(result, "json"), graph or "text/turtle"


def _wants_page() -> bool:
    offers = ["text/html", *RESULT_TYPES, *GRAPH_TYPES]
    return request.method == "GET" and request.accept_mimetypes.best_match(offers) == "text/html"


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    if _wants_page() and "format" not in request.args:   # a browser: the query page, with this query
        return page(request.args.get("query", ""))
    text, error = _query_text()
    if error is not None:
        return error
    if not text and request.method == "GET":
        wanted = request.accept_mimetypes.best_match(list(GRAPH_TYPES)) if request.accept_mimetypes else None
        if wanted:   # SPARQL 1.1 Service Description: the endpoint describes itself (with DCAT and VoID)
            from .dcat import rdf
            return rdf(wanted)
    if not text:
        return failure(400, "geef een SPARQL-query mee in de parameter 'query' (GET of POST); de vragende pagina "
                            "staat op /sparql in een browser")
    chosen = _negotiate()
    if chosen is None:
        return failure(406, "kies een van: " + ", ".join([*RESULT_TYPES, *GRAPH_TYPES]))
    fmt, graph_mime = chosen
    source = request.args if request.method == "GET" else request.values
    try:
        answer = service().execute(text, current_reader(), fmt, graph_mime, client_key(),
                                   source.getlist("default-graph-uri"), source.getlist("named-graph-uri"))
    except guard.Refused as exc:
        return failure(400, str(exc))
    except RemoteError as exc:
        current_app.logger.warning("externe SPARQL-store: %s", exc)
        return failure(502, "de externe SPARQL-store antwoordt niet; probeer het later opnieuw", 30)
    except QueryFailed as exc:
        return failure(exc.status, str(exc), exc.retry_after)
    response = current_app.response_class(answer.body, mimetype=answer.mimetype)
    response.headers["Kast-Rijen"] = str(answer.rows)
    response.headers["Kast-Afgekapt"] = "ja" if answer.truncated else "nee"
    if answer.truncated:
        response.headers["Kast-Maximum-Rijen"] = str(service().settings.cap)
    response.headers["Vary"] = "Accept, Authorization, Cookie"
    # an account's answer may hold network practices: never in a shared cache
    response.headers["Cache-Control"] = "public, max-age=300" if current_reader().role == "anoniem" else "no-store"
    if fmt == "csv" and "format" in request.args:
        response.headers["Content-Disposition"] = 'attachment; filename="kast-resultaat.csv"'
    return response


@bp.after_request
def cors(response):
    """Browser tools of partners may read GET answers (also the errors) from another origin. With `*` a
    browser sends no cookies, so a cross-origin page only ever gets the anonymous answer; a partner's own
    tool may send its API token (Authorization), hence the preflight answer."""
    if request.path == "/sparql" and request.method in ("GET", "OPTIONS"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = EXPOSED
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET"
            response.headers["Access-Control-Allow-Headers"] = "Accept, Authorization"
            response.headers["Access-Control-Max-Age"] = "86400"
    return response


# The accounts layer checks CSRF on every POST; a SPARQL POST only reads (SPARQL 1.1 Protocol).
CSRF_EXEMPT.add("sparql.endpoint")


@functools.cache
def yasgui_style_hashes() -> str:
    """CSP hashes of the two fixed <style> elements that Yasr's column resizer adds (its layout rules and
    the drag cursor), read from the vendored file, so the CSP allows exactly those and no other inline style."""
    script = (Path(current_app.static_folder) / "vendor" / "yasgui" / "yasgui.min.js").read_text(encoding="utf-8")
    styles = re.findall(r"createStyle\(a,`([^`]*)`\)", script)
    cursor = re.search(r"dragCursor:`([^`]*)`", script)
    if cursor:
        styles.append(f"*{{cursor:{cursor.group(1)}!important}}")
    return " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in styles)


def page(query: str):
    s = site()
    prefixes = store.prefixes(s.kast)
    found = s.cached("sparql-examples", lambda: examples(s.kast))
    start = "\n".join(f"PREFIX {p}: <{prefixes[p]}>" for p in ("kast", "skos", "dct", "prov") if p in prefixes)
    start += "\n\nSELECT ?praktijk ?titel WHERE {\n  ?praktijk a kast:Practice ;\n    skos:prefLabel ?titel .\n}\nORDER BY ?titel\nLIMIT 20\n"
    settings = {"endpoint": url_for("sparql.endpoint"), "prefixen": prefixes, "start": start, "query": query,
                "voorbeelden": [{"naam": e["naam"], "vraag": e["vraag"], "query": e["query"]} for e in found]}
    limits = service().settings
    html = render_template("sparql.html", query=query, settings=settings, examples=found, base=s.base,
                           endpoint=url_for("sparql.endpoint"), absolute_endpoint=url_for("sparql.endpoint", _external=True),
                           limits=limits, reader_level=current_reader().level)
    response = current_app.response_class(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = CSP.replace("style-src 'self'", f"style-src 'self' {yasgui_style_hashes()}")
    return response
