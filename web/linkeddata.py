"""Linked Data: the kast's IRIs answer with content negotiation, and the whole graph can be downloaded.

/id/{type}/{slug} is the thing itself. A browser gets 303 See Other to the page about it; a client
asking for text/turtle, application/ld+json or application/n-triples gets the entity's triples,
including its citation nodes. /def/… are the ontology's terms. Only the path is mapped: the host of
the IRIs (the base, https://data.apothekerskast.nl/ by default) may differ from the serving host.
"""
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kast.dumps import FORMATS as DUMP_FORMATS
from kast.describe import label
from kast.links import entity_graph

from .errors import error_page
from .kinds import BY_KIND, SEGMENTS
from .readers import current_reader

bp = Blueprint("linkeddata", __name__)
BATCH = 500   # subjects per write of a download (~1 MB): one write per subject costs the server 0.2–0.4 s

RDF_TYPES = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt"}
OFFERED = ["text/html", *RDF_TYPES, "application/json"]


def site():
    return current_app.extensions["kast"]


def negotiate() -> str:
    """The best media type for this request; a client that states nothing gets HTML."""
    if not request.accept_mimetypes:
        return "text/html"
    return request.accept_mimetypes.best_match(OFFERED) or "text/html"


def rdf_response(graph: Graph, mediatype: str):
    fmt = RDF_TYPES[mediatype]
    if fmt == "json-ld":
        context = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
        body = graph.serialize(format="json-ld", context=context, auto_compact=True)
    else:
        body = graph.serialize(format=fmt)
    mimetype = "text/turtle" if fmt == "turtle" else mediatype   # Flask adds the charset to text/*
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Vary"] = "Accept"
    return response


def see_other(location: str):
    response = redirect(location, 303)
    response.headers["Vary"] = "Accept"
    return response


def term_graph(node: URIRef) -> Graph:
    """A resource that is not an entity (a fixed-list value, a source section, an ontology term)."""
    g = site().kast.graph
    out = Graph()
    for prefix, ns in g.namespaces():
        out.bind(prefix, ns, override=True)
    for p, o in g.predicate_objects(node):
        out.add((node, p, o))
    return out


@bp.get("/id/<segment>/<path:slug>")
def thing(segment: str, slug: str):
    s = site()
    kast = s.kast
    mediatype = negotiate()
    item = kast.items.get(slug)
    if item is not None and s.public(slug) and SEGMENTS.get(segment) is BY_KIND.get(item.kind):
        collection = BY_KIND[item.kind].name
        if mediatype in RDF_TYPES:
            return rdf_response(entity_graph(kast, item.iri), mediatype)
        if mediatype == "application/json":
            return see_other(url_for("api.item", collection=collection, item_id=slug))
        return see_other(url_for("entities.show", collection=collection, item_id=slug))
    node = URIRef(f"{s.base}id/{segment}/{slug}")
    if item is not None or "#" in slug or (node, None, None) not in kast.graph:
        # an entity under the wrong type, a hidden practice, or nothing at all
        return error_page(404, f"De kast kent geen {segment} met id '{slug}'.")
    if segment == "bronsectie" and mediatype not in RDF_TYPES:
        source, _, section = slug.partition("-")
        if s.public(source):
            return see_other(url_for("entities.show", collection="bronnen", item_id=source) + f"#sectie-{section}")
    if mediatype in RDF_TYPES:
        return rdf_response(term_graph(node), mediatype)
    return term_page(node)


@bp.get("/def/")
@bp.get("/def/<term>")
def ontology(term: str = ""):
    s = site()
    node = URIRef(f"{s.base}def/{term}")
    if (node, None, None) not in s.kast.graph:
        return error_page(404, f"De ontologie van de kast heeft geen term '{term}'.")
    mediatype = negotiate()
    if mediatype in RDF_TYPES:
        return rdf_response(term_graph(node), mediatype)
    return term_page(node)


def term_page(node: URIRef):
    kast = site().kast
    g = kast.graph
    rows = []
    for p, o in sorted(g.predicate_objects(node)):
        if p in (SKOS.prefLabel,) or (p == RDFS.label and getattr(o, "language", "nl") != "nl"):
            continue
        target = None
        if isinstance(o, URIRef):
            text = str(o)
            target = local_path(text)
            shown = label(kast, o)
        else:
            shown = str(o)
        if getattr(o, "language", None) not in (None, "nl"):
            continue
        rows.append({"property": label(kast, p), "value": shown, "href": target})
    terms = []
    if str(node).endswith("/def/"):
        for t in sorted(set(g.subjects(RDF.type, None))):
            if isinstance(t, URIRef) and str(t).startswith(str(node)) and t != node:
                terms.append({"label": label(kast, t), "href": local_path(str(t)), "name": str(t)[len(str(node)):]})
    response = current_app.response_class(
        render_template("term.html", node=str(node), title=label(kast, node), rows=rows, terms=terms,
                        alternate=request.path, alternate_type="application/ld+json"), mimetype="text/html")
    response.headers["Vary"] = "Accept"
    return response


def local_path(iri: str) -> str | None:
    """The path on this site for an IRI under the kast's base; other IRIs (TOOI, W3C) are left alone."""
    base = site().base
    if not iri.startswith(base):
        return None
    return "/" + iri[len(base):]


@bp.get("/download/kast.<fmt>")
def download(fmt: str):
    if fmt not in DUMP_FORMATS:
        return error_page(404, f"Geen download in formaat '{fmt}'; kies uit: {', '.join(DUMP_FORMATS)}.")
    kast = site()
    chunks = kast.dump(fmt)   # the parts of 22,000 subjects: sent in batches, not as one joined copy of 25–60 MB
    batches = (b"".join(chunks[i:i + BATCH]) for i in range(0, len(chunks), BATCH))
    response = current_app.response_class(batches, mimetype=DUMP_FORMATS[fmt])
    response.content_length = sum(map(len, chunks))
    response.headers["Content-Disposition"] = f'attachment; filename="kast.{fmt}"'
    # A published change must show at once, and what a member sees is not for a shared cache: revalidate
    # every time, against the version of the files loaded and the reader's level.
    level = current_reader().level
    response.headers["Cache-Control"] = ("public" if level == "openbaar" else "private") + ", no-cache"
    response.set_etag(f"{kast.loaded_fingerprint}-{level}-{fmt}")
    return response.make_conditional(request)
