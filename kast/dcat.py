"""The description of the kast as open data: DCAT-AP-NL 3.0 (catalogue, dataset, distributions, and the
SPARQL endpoint and the JSON API as data services), VoID (triples, classes, named graphs) and the SPARQL
1.1 Service Description of the endpoint, in one RDF graph.

Everything counted here is the public graph (`kast.visibility.ANONYMOUS`), so the description itself
says nothing about what only the network may see. Code lists are the EU authority tables (themes, access
rights, licence, language, file types) that DCAT-AP-NL prescribes; the values used are described in the
graph too, so a validator sees their classes. `tests/test_sparql_dcat.py` validates the result with
pyshacl against the DCAT-AP-NL 3.0 shapes in `ontology/dcat-ap-nl-3.0/`.
"""
import datetime as dt
from collections import Counter, defaultdict

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, SKOS, VOID, XSD

from .loader import Kast
from .sparql.store import GRAPH_SEGMENT, MANIFEST, level_graphs

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"

TITLE = "De Apothekerskast"
DESCRIPTION = ("Kennisgraaf van de aanpak van ondermijning: actoren, instrumenten, thema's, ambities en best en "
               "worst practices van gemeenten en hun partners, elk feit herleidbaar tot bronbestand en sectie.")
PUBLISHER_NAME = "Vereniging van Nederlandse Gemeenten"
DUMPS = {"ttl": ("Turtle", "text/turtle", "TURTLE"), "jsonld": ("JSON-LD", "application/ld+json", "JSON_LD"),
         "nt": ("N-Triples", "application/n-triples", "RDF_N_TRIPLES")}
THEMES = {"JUST": "Justitie, rechtsstelsel en openbare veiligheid", "GOVE": "Overheid en publieke sector"}
KEYWORDS = ("ondermijning", "georganiseerde criminaliteit", "bestuurlijke aanpak", "Wet Bibob", "RIEC",
            "gemeenten", "best practices")


def iris(base: str) -> dict[str, URIRef]:
    """The stable IRIs of the description (served by web/dcat.py)."""
    return {
        "document": URIRef(f"{base}dataset"),
        "catalogus": URIRef(f"{base}id/catalogus/apothekerskast"),
        "dataset": URIRef(f"{base}id/dataset/apothekerskast"),
        "contact": URIRef(f"{base}id/contactpunt/apothekerskast"),
        "sparql": URIRef(f"{base}id/dataservice/sparql"),
        "api": URIRef(f"{base}id/dataservice/api"),
        **{f"distributie-{fmt}": URIRef(f"{base}id/distributie/{fmt}") for fmt in (*DUMPS, "sparql", "api")},
    }


def _text(g: Graph, node, predicate, nl: str) -> None:
    g.add((node, predicate, Literal(nl, lang="nl")))


def _coded(g: Graph, table: str, code: str, kind: URIRef, label: str | None = None) -> URIRef:
    """A value of an EU authority table, typed as the profile expects."""
    node = URIRef(f"{EU}{table}/{code}")
    g.add((node, RDF.type, kind))
    if kind == SKOS.Concept:
        g.add((node, SKOS.inScheme, URIRef(f"{EU}{table}")))
    if label:
        _text(g, node, SKOS.prefLabel, label)
    return node


def _modified(kast: Kast) -> dt.date | None:
    dates = [v.toPython() for v in kast.graph.objects(None, DCTERMS.modified)]
    dates = [d for d in dates if isinstance(d, dt.date)]
    return max(dates) if dates else None


def describe(kast: Kast, graphs: dict[str, list[tuple]] | None = None) -> Graph:
    """The DCAT-AP-NL / VoID / Service Description graph of the public kast.

    `graphs` are the public file graphs (`kast.sparql.store.level_graphs(kast, "openbaar")`), computed
    when not given.

    >>> from kast.loader import load
    >>> g = describe(load(shacl=False))
    >>> (iris("https://data.apothekerskast.nl/")["dataset"], RDF.type, DCAT.Dataset) in g
    True
    """
    base = kast.vocab.base
    graphs = graphs if graphs is not None else level_graphs(kast, "openbaar")
    n = iris(base)
    g = Graph()
    for prefix, ns in {"dcat": DCAT, "dct": DCTERMS, "foaf": FOAF, "vcard": VCARD, "void": VOID, "sd": SD,
                       "skos": SKOS, "xsd": XSD}.items():
        g.bind(prefix, ns)

    # the code-list values and shared resources
    licence = _coded(g, "licence", "EUPL_1_2", DCTERMS.LicenseDocument)
    _text(g, licence, DCTERMS.title, "European Union Public Licence 1.2")
    public = _coded(g, "access-right", "PUBLIC", DCTERMS.RightsStatement, "openbaar")
    dutch = _coded(g, "language", "NLD", DCTERMS.LinguisticSystem, "Nederlands")
    themes = [_coded(g, "data-theme", code, SKOS.Concept, label) for code, label in THEMES.items()]
    netherlands = _coded(g, "country", "NLD", DCTERMS.Location, "Nederland")
    publisher = kast.iri("vng") or URIRef(f"{base}id/actor/vng")
    for kind in (FOAF.Agent, FOAF.Organization):
        g.add((publisher, RDF.type, kind))
    g.add((publisher, FOAF.name, Literal(PUBLISHER_NAME, lang="nl")))
    contact = n["contact"]
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal(f"{PUBLISHER_NAME}, beheer van De Apothekerskast", lang="nl")))
    g.add((contact, VCARD.hasURL, URIRef(f"{base}over")))
    about, landing, query_page = URIRef(f"{base}over"), URIRef(base), URIRef(f"{base}sparql")
    for page in (about, landing, query_page):
        g.add((page, RDF.type, FOAF.Document))
    ontology = URIRef(f"{base}def/")
    g.add((ontology, RDF.type, DCTERMS.Standard))
    _text(g, ontology, DCTERMS.title, "Ontologie van De Apothekerskast")

    def common(node, title: str, description: str) -> None:
        _text(g, node, DCTERMS.title, title)
        _text(g, node, DCTERMS.description, description)
        g.add((node, DCTERMS.identifier, Literal(str(node))))
        g.add((node, DCTERMS.publisher, publisher))
        g.add((node, DCTERMS.creator, publisher))
        g.add((node, DCAT.contactPoint, contact))
        g.add((node, DCTERMS.accessRights, public))
        g.add((node, DCTERMS.language, dutch))
        for theme in themes:
            g.add((node, DCAT.theme, theme))

    # the dataset
    dataset = n["dataset"]
    g.add((dataset, RDF.type, DCAT.Dataset))
    common(dataset, TITLE, DESCRIPTION)
    _text(g, dataset, DCTERMS.title, TITLE)
    g.add((dataset, DCTERMS.title, Literal("The Apothekerskast: knowledge graph of the Dutch approach to "
                                           "organised crime undermining local government", lang="en")))
    for word in KEYWORDS:
        g.add((dataset, DCAT.keyword, Literal(word, lang="nl")))
    g.add((dataset, DCTERMS.spatial, netherlands))
    g.add((dataset, DCTERMS.conformsTo, ontology))
    g.add((dataset, DCAT.landingPage, landing))
    g.add((dataset, FOAF.page, about))
    changed = _modified(kast)
    if changed:
        g.add((dataset, DCTERMS.modified, Literal(changed, datatype=XSD.date)))

    # distributions: the dumps, and access through the two services
    for fmt, (name, mediatype, filetype) in DUMPS.items():
        dist, url = n[f"distributie-{fmt}"], URIRef(f"{base}download/kast.{fmt}")
        g.add((dist, RDF.type, DCAT.Distribution))
        _text(g, dist, DCTERMS.title, f"De hele openbare graaf als {name}")
        g.add((dist, DCAT.accessURL, url))
        g.add((dist, DCAT.downloadURL, url))
        media = URIRef(IANA + mediatype)
        g.add((media, RDF.type, DCTERMS.MediaType))
        g.add((dist, DCAT.mediaType, media))
        g.add((dist, DCTERMS.format, _coded(g, "file-type", filetype, DCTERMS.MediaTypeOrExtent)))
        g.add((dist, DCTERMS.license, licence))
        g.add((dist, DCTERMS.language, dutch))
        g.add((dist, DCTERMS.conformsTo, ontology))
        g.add((dataset, DCAT.distribution, dist))
        g.add((dataset, VOID.dataDump, url))

    services = {
        "sparql": ("SPARQL-eindpunt van De Apothekerskast",
                   "Alleen-lezen SPARQL 1.1-eindpunt op de openbare graaf (Oxigraph): SELECT, ASK, CONSTRUCT en "
                   "DESCRIBE, antwoorden als SPARQL-JSON, -XML, CSV, TSV, Turtle, N-Triples of JSON-LD; met een "
                   "tijdslimiet, een maximum aantal rijen en rekentijd per gebruiker.",
                   URIRef(f"{base}sparql"), URIRef(f"{base}sparql"), "https://www.w3.org/TR/sparql11-protocol/",
                   "SPARQL 1.1 Protocol"),
        "api": ("JSON-API van De Apothekerskast",
                "REST-API volgens de API Design Rules van de NL API Strategie: zoeken met facetten, lijsten en "
                "items met hun relaties en bronnen.", URIRef(f"{base}api/v1"),
                URIRef(f"{base}api/v1/openapi.json"), "https://gitdocumentatie.logius.nl/publicatie/api/adr/",
                "API Design Rules (NL API Strategie)"),
    }
    for key, (title, text, endpoint, description, standard, standard_name) in services.items():
        service = n[key]
        g.add((service, RDF.type, DCAT.DataService))
        common(service, title, text)
        g.add((service, DCAT.endpointURL, endpoint))
        g.add((service, DCAT.endpointDescription, description))
        g.add((service, DCAT.servesDataset, dataset))
        g.add((service, DCTERMS.license, licence))
        g.add((service, DCAT.landingPage, endpoint if key == "sparql" else about))
        g.add((service, FOAF.page, about))
        g.add((URIRef(standard), RDF.type, DCTERMS.Standard))
        _text(g, URIRef(standard), DCTERMS.title, standard_name)
        g.add((service, DCTERMS.conformsTo, URIRef(standard)))
        for word in ("ondermijning", "open data", key.upper() if key == "api" else "SPARQL"):
            g.add((service, DCAT.keyword, Literal(word, lang="nl")))
        dist = n[f"distributie-{key}"]
        g.add((dist, RDF.type, DCAT.Distribution))
        _text(g, dist, DCTERMS.title, f"Toegang via het {title.split(' van ')[0]}")
        g.add((dist, DCAT.accessURL, endpoint))
        g.add((dist, DCAT.accessService, service))
        g.add((dist, DCTERMS.license, licence))
        g.add((dist, DCTERMS.language, dutch))
        g.add((dist, DCTERMS.conformsTo, URIRef(standard)))
        g.add((dataset, DCAT.distribution, dist))

    catalogue = n["catalogus"]
    g.add((catalogue, RDF.type, DCAT.Catalog))
    _text(g, catalogue, DCTERMS.title, "Catalogus van De Apothekerskast")
    _text(g, catalogue, DCTERMS.description, "De dataset en de diensten van De Apothekerskast.")
    g.add((catalogue, DCTERMS.publisher, publisher))
    g.add((catalogue, DCTERMS.creator, publisher))
    g.add((catalogue, DCAT.contactPoint, contact))
    g.add((catalogue, DCAT.dataset, dataset))
    g.add((catalogue, DCTERMS.language, dutch))
    for key in services:
        g.add((catalogue, DCAT.service, n[key]))
    g.add((n["document"], FOAF.primaryTopic, dataset))

    _void(g, kast, dataset, graphs)
    _service_description(g, n["sparql"], URIRef(f"{base}sparql"), dataset)
    return g


def _void(g: Graph, kast: Kast, dataset: URIRef, graphs: dict[str, list[tuple]]) -> None:
    """VoID: size, classes with their number of instances, and the named graphs grouped by folder."""
    base = kast.vocab.base
    g.add((dataset, RDF.type, VOID.Dataset))
    classes: Counter = Counter()
    subjects = set()
    total = 0
    by_folder: dict[str, list[int]] = defaultdict(list)
    for name, triples in graphs.items():
        total += len(triples)
        rel = name[len(base + GRAPH_SEGMENT):]
        by_folder[rel.split("/", 1)[0] if "/" in rel else rel].append(len(triples))
        for s, p, o in triples:
            subjects.add(s)
            if p == RDF.type:
                classes[o] += 1
    g.add((dataset, VOID.triples, Literal(total, datatype=XSD.integer)))
    g.add((dataset, VOID.distinctSubjects, Literal(len(subjects), datatype=XSD.integer)))
    g.add((dataset, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    g.add((dataset, VOID.documents, Literal(len(graphs), datatype=XSD.integer)))
    g.add((dataset, VOID.uriSpace, Literal(f"{base}id/")))
    g.add((dataset, VOID.sparqlEndpoint, URIRef(f"{base}sparql")))
    for vocabulary in (URIRef(f"{base}def/"), URIRef(str(SKOS)), URIRef(str(DCTERMS)), URIRef(str(PROV)),
                       URIRef(str(ORG)), URIRef(str(OWL))):
        g.add((dataset, VOID.vocabulary, vocabulary))
    for cls, count in sorted(classes.items()):
        part = URIRef(f"{dataset}#klasse-{str(cls).rstrip('/#').rsplit('/', 1)[-1].rsplit('#', 1)[-1]}")
        g.add((dataset, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(count, datatype=XSD.integer)))
    for folder, sizes in sorted(by_folder.items()):
        subset = URIRef(f"{dataset}#graven-{folder}")
        g.add((dataset, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        _text(g, subset, DCTERMS.title, f"de benoemde graven onder {base}{GRAPH_SEGMENT}{folder}"
                                         + ("" if folder in (MANIFEST,) else "/…"))
        g.add((subset, VOID.documents, Literal(len(sizes), datatype=XSD.integer)))
        g.add((subset, VOID.triples, Literal(sum(sizes), datatype=XSD.integer)))


def _service_description(g: Graph, service: URIRef, endpoint: URIRef, dataset: URIRef) -> None:
    """SPARQL 1.1 Service Description: what the endpoint speaks and which dataset it answers from."""
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, endpoint))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                "Turtle", "N-Triples", "JSON-LD"):
        g.add((service, SD.resultFormat, FORMATS[fmt]))
    default = URIRef(f"{dataset}#sparql-dataset")
    g.add((service, SD.defaultDataset, default))
    g.add((default, RDF.type, SD.Dataset))
    g.add((default, DCTERMS.source, dataset))
