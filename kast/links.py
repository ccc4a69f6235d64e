"""What the kast says about one entity, arranged for reading: its fields, everything linked to it in
both directions, and the citations behind each statement. The web pages and the JSON API both call
these functions, so a page and its JSON twin always show the same facts.

Public views leave out the practices that `kast.visibility.hidden` names.
"""
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from . import config
from .describe import label, sources_of
from .fields import FIELDS
from .loader import Kast

REF_TYPES = ("ref", "refs")

# predicate (CURIE) → (API key outgoing, API key incoming, Dutch label for the incoming direction).
# The outgoing label is the predicate's rdfs:label in the ontology.
INVERSE = {
    "dct:publisher": ("uitgever", "uitgegevenBronnen", "gaf bronnen uit"),
    "dct:spatial": ("gemeenteOfRegio", "praktijkenHier", "praktijken hier"),
    "kast:advises": ("adviseert", "geadviseerdDoor", "wordt geadviseerd door"),
    "kast:coordinates": ("coordineert", "gecoordineerdDoor", "wordt gecoördineerd door"),
    "kast:supports": ("ondersteunt", "ondersteundDoor", "wordt ondersteund door"),
    "kast:funds": ("financiert", "gefinancierdDoor", "wordt gefinancierd door"),
    "kast:chairs": ("zitVoor", "voorgezetenDoor", "wordt voorgezeten door"),
    "kast:commissions": ("isOpdrachtgeverVan", "opdrachtgever", "opdrachtgever"),
    "kast:represents": ("vertegenwoordigt", "vertegenwoordigdDoor", "wordt vertegenwoordigd door"),
    "kast:facilitates": ("faciliteert", "gefaciliteerdDoor", "wordt gefaciliteerd door"),
    "kast:participatesIn": ("neemtDeelAan", "deelnemers", "deelnemers"),
    "kast:collaboratesWith": ("werktSamenMet", "werktSamenMet", "werkt samen met"),   # symmetric
    "kast:contactOrganisation": ("contactorganisatie", "contactVoorPraktijken", "contact voor praktijken"),
    "kast:offeredBy": ("aangebodenDoor", "biedtAan", "biedt instrumenten aan"),
    "kast:developedBy": ("ontwikkeldDoor", "ontwikkelde", "ontwikkelde instrumenten"),
    "kast:supportedBy": ("ondersteundDoor", "ondersteuntInstrumenten", "ondersteunt instrumenten"),
    "kast:theme": ("themas", "bijDitThema", "instrumenten en praktijken bij dit thema"),
    "kast:refersToInstrument": ("noemtInstrumenten", "genoemdIn", "genoemd in ambities en thema's"),
    "kast:province": ("provincie", "inDeProvincie", "gemeenten in de provincie"),
    "kast:veiligheidsregio": ("veiligheidsregio", "inDeVeiligheidsregio", "gemeenten in de veiligheidsregio"),
    "kast:policeUnit": ("politieEenheid", "inDeEenheid", "gemeenten en veiligheidsregio's in deze eenheid"),
    "kast:riecRegion": ("riecRegio", "inDeRiecRegio", "gemeenten en veiligheidsregio's in deze RIEC-regio"),
    "org:subOrganizationOf": ("valtOnder", "onderdelen", "onderdelen"),
    "org:memberOf": ("isLidVan", "leden", "leden"),
    "prov:used": ("instrumenten", "gebruiktInPraktijken", "gebruikt in praktijken"),
    "prov:wasAssociatedWith": ("betrokkenActoren", "betrokkenBijPraktijken", "betrokken bij praktijken"),
    "skos:broader": ("breder", "smaller", "smallere begrippen"),
    "skos:related": ("verwant", "verwant", "verwante begrippen"),   # symmetric
    "skos:inScheme": ("begrippenkader", "begrippen", "begrippen in dit kader"),
}
SYMMETRIC = {"kast:collaboratesWith", "skos:related"}
SKIPPED = {"skos:hasTopConcept", "skos:topConceptOf"}   # repeat skos:inScheme/broader


@dataclass
class Link:
    id: str
    kind: str
    label: str
    iri: str
    sources: list[dict] = field(default_factory=list)   # citations of this one statement


@dataclass
class LinkGroup:
    key: str            # stable camelCase key (API)
    label: str          # Dutch, for the page
    direction: str      # "uit" (this entity states it) or "in" (another entity states it)
    predicate: str
    links: list[Link] = field(default_factory=list)


@dataclass
class FieldValue:
    key: str            # the key in the data file, e.g. "wettelijke-basis" or "periode.van"
    label: str
    values: list[dict]  # {"waarde": text, "code": notation of a fixed-list value or None}
    sources: list[dict] = field(default_factory=list)   # citations that name this field


# ------------------------------------------------------------------ visibility

def public_triples(kast: Kast, hide: set[str], subjects=None):
    """The triples of the whole graph without hidden practices, their citation nodes (`iri#…`) and every
    triple naming them: the one filter behind the downloads and the SPARQL stores. With `subjects`, only
    the triples of those subjects."""
    iris = {str(kast.items[i].iri) for i in hide}

    def gone(node) -> bool:
        if not isinstance(node, URIRef):
            return False
        text = str(node)
        return text in iris or ("#" in text and text.split("#", 1)[0] in iris)

    triples = kast.graph if subjects is None else (t for s in subjects for t in kast.graph.triples((s, None, None)))
    for t in triples:
        if not (iris and (gone(t[0]) or gone(t[2]))):
            yield t


def public_graph(kast: Kast, hide: set[str]) -> Graph:
    """The whole graph without hidden practices, their citation nodes and every triple naming them."""
    if not hide:
        return kast.graph
    g = Graph()
    for prefix, ns in kast.graph.namespaces():
        g.bind(prefix, ns, override=True)
    for t in public_triples(kast, hide):
        g.add(t)
    return g


# ------------------------------------------------------------------ one entity

def _curie(kast: Kast, p: URIRef) -> str:
    return kast.graph.namespace_manager.normalizeUri(p)


def _item_of(kast: Kast, node) -> tuple[str, str] | None:
    """(id, kind) if `node` is an entity of the kast (not a section, citation or list value)."""
    item_id = kast.id_of(node) if isinstance(node, URIRef) else None
    item = kast.items.get(item_id) if item_id else None
    return (item_id, item.kind) if item and item.iri == node else None


def _supporting(kast: Kast, iri: URIRef, predicate: URIRef) -> list[dict]:
    wanted = label(kast, predicate)
    return [c for c in sources_of(kast, iri) if wanted in c["onderbouwt"]]


def _statement_sources(kast: Kast, s: URIRef, p: URIRef, o: URIRef) -> list[dict]:
    """Citations of a reified relation (actor relations carry their own sources)."""
    g = kast.graph
    out = []
    for statement in g.subjects(RDF.subject, s):
        if (statement, RDF.predicate, p) in g and (statement, RDF.object, o) in g:
            out += sources_of(kast, statement)
    return out


def links(kast: Kast, item_id: str, hide: set[str] = frozenset()) -> list[LinkGroup]:
    """Every entity linked to `item_id`, outgoing and incoming, grouped by relation.

    >>> from kast.loader import load
    >>> groups = {g.key: g for g in links(load(shacl=False), "wet-bibob")}
    >>> "gebruiktInPraktijken" in groups and "genoemdIn" in groups
    True
    """
    g = kast.graph
    iri = kast.items[item_id].iri
    groups: dict[tuple[str, str], LinkGroup] = {}

    def add(direction: str, p: URIRef, node, sources: list[dict]) -> None:
        found = _item_of(kast, node)
        curie = _curie(kast, p)
        if not found or found[0] in hide or found[0] == item_id or curie in SKIPPED:
            return
        keys = INVERSE.get(curie)
        if curie in SYMMETRIC:
            direction = "uit"
        if direction == "uit":
            key, text = (keys[0] if keys else curie.replace(":", "_")), label(kast, p)
        else:
            key, text = (keys[1], keys[2]) if keys else (f"{curie.replace(':', '_')}_in", f"{label(kast, p)} (omgekeerd)")
        group = groups.setdefault((direction, key), LinkGroup(key, text, direction, str(p)))
        if all(link.id != found[0] for link in group.links):
            group.links.append(Link(found[0], found[1], label(kast, node), str(node), sources))

    for p, o in g.predicate_objects(iri):
        if _item_of(kast, o):
            add("uit", p, o, _statement_sources(kast, iri, p, o) or _supporting(kast, iri, p))
    for s, p in g.subject_predicates(iri):
        if _item_of(kast, s):
            add("in", p, s, _statement_sources(kast, s, p, iri) or _supporting(kast, s, p))
    if kast.items[item_id].kind == "gemeente":
        _regional_practices(kast, iri, groups, hide)
    out = list(groups.values())
    for group in out:
        group.links.sort(key=lambda link: link.label.casefold())
    return sorted(out, key=lambda grp: (grp.direction != "uit", grp.label))


def _regional_practices(kast: Kast, iri: URIRef, groups: dict, hide: set[str]) -> None:
    """Practices in the municipality's province, safety region or RIEC region (not already listed)."""
    g, k = kast.graph, kast.vocab.kast
    direct = {link.id for grp in groups.values() if grp.key == "praktijkenHier" for link in grp.links}
    group = LinkGroup("praktijkenInDeRegio", "praktijken in de provincie of regio", "in", str(DCTERMS.spatial))
    for p in (k.province, k.veiligheidsregio, k.riecRegion):
        for region in g.objects(iri, p):
            for practice in g.subjects(DCTERMS.spatial, region):
                found = _item_of(kast, practice)
                if found and found[0] not in direct and found[0] not in hide:
                    direct.add(found[0])
                    group.links.append(Link(found[0], found[1], label(kast, practice), str(practice)))
    if group.links:
        groups[("in", group.key)] = group


def fields(kast: Kast, item_id: str) -> list[FieldValue]:
    """The entity's own values (texts, years, fixed-list values), in the order of the file format;
    references to other entities are in `links`."""
    g = kast.graph
    item = kast.items[item_id]
    citations = sources_of(kast, item.iri)
    out = []
    for f in FIELDS.get(item.kind, ()):
        if f.type in REF_TYPES or not f.predicate:
            continue
        predicate = kast.vocab.resolve(f.predicate)
        values = []
        for v in sorted(g.objects(item.iri, predicate), key=str):
            if isinstance(v, Literal):
                values.append({"waarde": str(v), "code": None})
            else:
                notation = g.value(v, SKOS.notation)
                values.append({"waarde": label(kast, v) if notation is not None else str(v),
                               "code": str(notation) if notation is not None else None})
        if values:
            name = label(kast, predicate)
            out.append(FieldValue(f.key, name, values, [c for c in citations if name in c["onderbouwt"]]))
    return out


def recent(kast: Kast, n: int = 8, hide: set[str] = frozenset(), data_dir=None) -> list[dict]:
    """The most recently changed practices, instruments and actors: the `gewijzigd` date where the
    data gives one, else the file's modification time."""
    g = kast.graph
    root = config.data_dir(data_dir).resolve().parent
    mtimes: dict[str, dt.date] = {}
    rows = []
    for item_id, item in kast.items.items():
        if item.kind not in ("praktijk", "instrument", "actor") or item_id in hide:
            continue
        when = g.value(item.iri, DCTERMS.modified) or g.value(item.iri, DCTERMS.created)
        date = when.toPython() if isinstance(when, Literal) else None
        if not isinstance(date, dt.date):
            file = item.entry.file
            if file not in mtimes:
                path = Path(file) if Path(file).is_absolute() else root / file
                try:
                    mtimes[file] = dt.date.fromtimestamp(path.stat().st_mtime)
                except OSError:
                    mtimes[file] = dt.date.min
            date = mtimes[file]
        rows.append({"id": item_id, "kind": item.kind, "label": label(kast, item.iri), "datum": date})
    rows.sort(key=lambda r: (r["datum"], r["id"]), reverse=True)
    return rows[:n]


def entity_graph(kast: Kast, iri: URIRef) -> Graph:
    """The triples about one entity: its own, those of its citation and relation nodes (`iri#…`),
    and the labels of what it links to, so a client can show names without a second request."""
    g = kast.graph
    out = Graph()
    for prefix, ns in g.namespaces():
        out.bind(prefix, ns, override=True)
    own = f"{iri}#"
    todo = [iri, *(s for s in g.subjects(RDF.subject, iri) if str(s).startswith(own))]
    seen = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in g.predicate_objects(node):
            out.add((node, p, o))
            if isinstance(o, URIRef) and str(o).startswith(own):
                todo.append(o)
            elif isinstance(o, URIRef) and p != RDF.type:
                for prop in (SKOS.prefLabel, DCTERMS.title):
                    for name in g.objects(o, prop):
                        out.add((o, prop, name))
    return out
