"""Turn the graph into flat search documents: texts to match and the values to facet on.

A document's `concepts` holds every entity it is linked to, plus the broader themes of its themes, so a
query that names a concept (or a broader theme) finds it even when the text never uses the words.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS

from ..loader import Kast

NOT_SET = "_geen"       # facet value for "not set", so curators see gaps
SEARCH_KINDS = {"praktijk": "praktijk", "instrument": "instrument", "thema": "thema", "ambitie": "ambitie",
                "actor": "actor", "politie-eenheid": "actor", "gemeente": "actor", "provincie": "actor",
                "waterschap": "actor", "veiligheidsregio": "actor"}
TERMS = ("theme", "problem", "approach", "mechanism", "result", "lessons", "transferability", "contactOrganisation",
         "startYear", "endYear", "practiceKind", "practiceNature", "evidenceLevel", "legalBasis", "offeredBy",
         "developedBy", "supportedBy", "refersToInstrument", "focus", "province", "riecRegion")
FACETS = ("soort", "praktijksoort", "aard", "thema", "instrument", "actor", "provincie", "riec", "bewijsniveau", "jaar")
# The kinds a facet is counted over (the rest: every kind). Instruments and themes have no year, so they
# are no "niet ingevuld" of the year facet.
FACET_KINDS = {"praktijksoort": ("praktijk",), "aard": ("praktijk",), "bewijsniveau": ("praktijk",),
               "jaar": ("praktijk",), "provincie": ("praktijk", "actor"), "riec": ("praktijk", "actor"),
               "instrument": ("praktijk", "thema", "ambitie"), "actor": ("praktijk", "instrument")}


@dataclass
class Document:
    id: str
    kind: str
    title: str
    labels: list[str] = field(default_factory=list)
    summary: str = ""
    body: str = ""
    concepts: set[str] = field(default_factory=set)
    facets: dict[str, set[str]] = field(default_factory=dict)


class DocumentBuilder:
    def __init__(self, kast: Kast):
        self.kast = kast
        self.g = kast.graph
        self.k = kast.vocab.kast
        self._ancestors: dict[URIRef, set[str]] = {}
        self.riec_regions = set(self.g.objects(None, self.k.riecRegion))
        self._regions: dict = {}
        # rdflib's Namespace makes a new URIRef at every attribute access: resolve the terms once
        self.terms = SimpleNamespace(**{name: self.k[name] for name in TERMS})

    def ident(self, node) -> str | None:
        return self.kast.id_of(node)

    def text(self, node, *props) -> str:
        return "\n\n".join(str(v) for p in props for v in self.g.objects(node, p))

    def ancestors(self, concept: URIRef) -> set[str]:
        """The concept and everything broader, transitively (cycles are tolerated)."""
        if concept not in self._ancestors:
            seen, todo = set(), [concept]
            while todo:
                c = todo.pop()
                if c in seen:
                    continue
                seen.add(c)
                todo.extend(self.g.objects(c, SKOS.broader))
            self._ancestors[concept] = {i for i in map(self.ident, seen) if i}
        return self._ancestors[concept]

    def regions(self, places) -> tuple[set[str], set[str]]:
        """Provinces and RIEC regions of the places a practice names (a place may be one itself)."""
        provinces, riecs = set(), set()
        for p in places:
            if p not in self._regions:
                self._regions[p] = self._regions_of(p)
            found_provinces, found_riecs = self._regions[p]
            provinces |= found_provinces
            riecs |= found_riecs
        return provinces, riecs

    def _regions_of(self, p) -> tuple[set[str], set[str]]:
        g, k = self.g, self.k
        provinces, riecs = set(), set()
        if (p, RDF.type, k.Provincie) in g:
            provinces.add(self.ident(p))
        if p in self.riec_regions:
            riecs.add(self.ident(p))
        provinces.update(map(self.ident, g.objects(p, k.province)))
        riecs.update(map(self.ident, g.objects(p, k.riecRegion)))
        return provinces, riecs

    def build(self) -> list[Document]:
        docs = []
        for item_id, item in self.kast.items.items():
            kind = SEARCH_KINDS.get(item.kind)
            if kind:
                docs.append(self.document(item_id, item.kind, kind, item.iri))
        return docs

    def document(self, item_id: str, item_kind: str, kind: str, iri: URIRef) -> Document:
        k = self.terms
        facts: dict = defaultdict(list)   # one look-up of the subject instead of twenty (10,000 practices)
        for (_, p, o), _ in self.g.store.triples((iri, None, None), None):   # the store itself: one generator
            facts[p].append(o)                                              # less per triple than the Graph's

        def values(*props):
            return [v for p in props for v in facts.get(p, ())]

        def text(*props):
            return "\n\n".join(str(v) for v in values(*props))

        title = text(SKOS.prefLabel)
        labels = [str(v) for v in values(SKOS.altLabel, SKOS.hiddenLabel, SKOS.notation)]
        doc = Document(item_id, kind, title, labels)
        themes = set(values(k.theme))
        linked = set(themes)
        if kind == "praktijk":
            doc.summary = text(DCTERMS.abstract)
            doc.body = text(k.problem, k.approach, k.mechanism, k.result, k.lessons, k.transferability)
            instruments = set(values(PROV.used))
            actors = set(values(PROV.wasAssociatedWith, k.contactOrganisation))
            places = set(values(DCTERMS.spatial))
            linked |= instruments | actors | places
            provinces, riecs = self.regions(places)
            start, end = (values(k.startYear) or [None])[0], (values(k.endYear) or [None])[0]
            years = set()
            if start is not None:
                years = {str(y) for y in range(int(str(start)), int(str(end or start)) + 1)}
            doc.facets = {
                "praktijksoort": {self.ident(v) or str(v).rsplit("/", 1)[-1] for v in values(k.practiceKind)},
                "instrument": {self.ident(i) for i in instruments},
                "actor": {self.ident(a) for a in actors},
                "provincie": provinces, "riec": riecs, "jaar": years,
                "bewijsniveau": {str(v).rsplit("/", 1)[-1] for v in values(k.evidenceLevel)},
                "aard": {str(v).rsplit("/", 1)[-1] for v in values(k.practiceNature)},
            }
        elif kind == "instrument":
            doc.summary = text(DCTERMS.description)
            doc.body = text(k.legalBasis)
            actors = set(values(k.offeredBy, k.developedBy, k.supportedBy))
            linked |= actors
            doc.facets = {"actor": {self.ident(a) for a in actors}}
        elif kind in ("thema", "ambitie"):
            doc.summary = text(DCTERMS.description)
            linked |= set(values(SKOS.broader)) | set(values(k.refersToInstrument))
            themes |= set(values(SKOS.broader))
            doc.facets = {"instrument": {self.ident(i) for i in values(k.refersToInstrument)}}
        else:  # actors
            doc.summary = text(DCTERMS.description, k.focus)
            province = (values(k.province) or [None])[0]
            riec = (values(k.riecRegion) or [None])[0]
            doc.facets = {"provincie": {self.ident(province)} if province else set(),
                          "riec": {self.ident(riec)} if riec else set()}
        doc.facets["thema"] = {a for t in themes for a in self.ancestors(t)}
        doc.facets["soort"] = {kind}
        doc.concepts = {self.ident(n) for n in linked if self.ident(n)} | doc.facets["thema"] | {item_id}
        for name in FACETS:
            values_ = {v for v in doc.facets.get(name, set()) if v}
            doc.facets[name] = values_ or {NOT_SET}
        return doc

    def label_index(self) -> dict[str, list[str]]:
        """Every preferred, alternative and hidden label of a concept, instrument or actor → their ids.

        When a label belongs to a theme and to a broader theme of it, only the narrower one keeps it: "hennep"
        means the hennep theme, not all of organised crime. The search analyser normalises both sides, so
        "Motorbendes" and "motorbende" meet.
        """
        labels: dict[str, list[str]] = {}
        for item_id, item in self.kast.items.items():
            if item.kind not in SEARCH_KINDS or item.kind == "praktijk":
                continue
            for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
                for label in self.g.objects(item.iri, prop):
                    ids = labels.setdefault(str(label), [])
                    if item_id not in ids:
                        ids.append(item_id)
        for label, ids in labels.items():
            if len(ids) > 1:
                broader = {a for i in ids for a in self.ancestors(self.kast.iri(i)) - {i}}
                labels[label] = [i for i in ids if i not in broader]
        for label, intent in self.intent_labels().items():
            labels.setdefault(label, []).append(intent)
        return labels

    def intent_labels(self) -> dict[str, str]:
        """Words of a question that ask for a kind of answer, from the vocabulary (ontology/lijsten.ttl):
        a label of a practice kind → 'praktijksoort=worst' …, a label of the scheme itself → 'soort=praktijk'."""
        scheme = self.kast.vocab.entity("begrippenkader", "praktijksoort")
        out = {str(label): "soort=praktijk" for label in self.g.objects(scheme, SKOS.hiddenLabel)}
        for concept in self.g.subjects(SKOS.inScheme, scheme):
            notation = self.g.value(concept, SKOS.notation)
            for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
                for label in self.g.objects(concept, prop):
                    out[str(label)] = f"praktijksoort={notation}"
        return out

    def places(self) -> set[str]:
        """Ids of municipalities, provinces, water boards, safety regions, police units and RIEC regions."""
        kinds = {"gemeente", "provincie", "waterschap", "veiligheidsregio", "politie-eenheid"}
        out = {i for i, item in self.kast.items.items() if item.kind in kinds}
        return out | {self.ident(r) for r in self.riec_regions if self.ident(r)}

    def list_labels(self, *schemes: str) -> dict[str, str]:
        """Display labels of fixed-list values (e.g. 'worst' → 'worst practice')."""
        out = {}
        for scheme in schemes:
            for concept in self.g.subjects(SKOS.inScheme, self.kast.vocab.entity("begrippenkader", scheme)):
                out[str(self.g.value(concept, SKOS.notation))] = str(self.g.value(concept, SKOS.prefLabel))
        return out
