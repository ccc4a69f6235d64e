"""Namespaces, and the minting of the kast's own IRIs (`{base}id/{type}/{slug}`)."""
from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

SCHEMA = Namespace("https://schema.org/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")

# The URI segment for each kind of entity (Dutch URI strategy: /id/{type}/{slug}).
SEGMENT = {
    "actor": "actor",
    "politie-eenheid": "actor",
    "gemeente": "gemeente",
    "provincie": "provincie",
    "waterschap": "waterschap",
    "veiligheidsregio": "veiligheidsregio",
    "instrument": "instrument",
    "thema": "thema",
    "ambitie": "ambitie",
    "begrippenkader": "begrippenkader",
    "praktijk": "praktijk",
    "bron": "bron",
    "bronsectie": "bronsectie",
}
ACTOR_KINDS = ("actor", "politie-eenheid", "gemeente", "provincie", "waterschap", "veiligheidsregio")
CONCEPT_KINDS = ("thema", "ambitie")


class Vocabulary:
    """All IRIs under one base: the ontology at `def/`, the things at `id/`.

    >>> v = Vocabulary("https://example.org/")
    >>> v.entity("instrument", "wet-bibob")
    rdflib.term.URIRef('https://example.org/id/instrument/wet-bibob')
    >>> v.kast.Practice
    rdflib.term.URIRef('https://example.org/def/Practice')
    """

    def __init__(self, base: str):
        self.base = base
        self.kast = Namespace(base + "def/")
        self.prefixes = {
            "kast": self.kast, "skos": SKOS, "dct": DCTERMS, "org": ORG, "prov": PROV, "owl": OWL,
            "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "schema": SCHEMA, "dcat": DCAT,
        }
        self.classes = {
            "actor": self.kast.Actor, "politie-eenheid": self.kast.PolitieEenheid,
            "gemeente": self.kast.Gemeente, "provincie": self.kast.Provincie,
            "waterschap": self.kast.Waterschap, "veiligheidsregio": self.kast.Veiligheidsregio,
            "instrument": self.kast.Instrument, "thema": self.kast.Theme, "ambitie": self.kast.Ambition,
            "begrippenkader": SKOS.ConceptScheme, "praktijk": self.kast.Practice,
            "bron": self.kast.SourceDocument, "bronsectie": self.kast.SourceSection,
        }

    def entity(self, kind: str, slug: str) -> URIRef:
        return URIRef(f"{self.base}id/{SEGMENT[kind]}/{slug}")

    def concept(self, scheme: str, slug: str) -> URIRef:
        """A value of a fixed list (ontology/lijsten.ttl), e.g. concept('bewijsniveau', 'beschreven')."""
        return URIRef(f"{self.base}id/{scheme}/{slug}")

    def section(self, source: str, section: str) -> URIRef:
        return self.entity("bronsectie", f"{source}-{section}")

    def resolve(self, curie: str) -> URIRef:
        prefix, local = curie.split(":", 1)
        return URIRef(self.prefixes[prefix] + local)

    def bind(self, graph) -> None:
        for prefix, ns in self.prefixes.items():
            graph.bind(prefix, ns, override=True)
        for kind in ("actor", "gemeente", "provincie", "waterschap", "veiligheidsregio", "instrument",
                     "thema", "ambitie", "praktijk", "bron", "bronsectie", "begrippenkader"):
            graph.bind(kind.replace("-", ""), Namespace(f"{self.base}id/{SEGMENT[kind]}/"), override=True)
