"""Everything the kast knows about one entity: labels, properties, neighbours and sources."""
import difflib

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from .loader import Kast

HIDDEN = {DCTERMS.identifier, DCTERMS.source, PROV.qualifiedDerivation, SKOS.prefLabel}


def find(kast: Kast, query: str) -> tuple[str | None, list[str]]:
    """Resolve an id, IRI or (alternative) name to an id; otherwise return suggestions.

    >>> from kast.loader import load
    >>> find(load(shacl=False), "Assen")
    ('gm0106', [])
    """
    if query in kast.items:
        return query, []
    for item_id, item in kast.items.items():
        if str(item.iri) == query:
            return item_id, []
    wanted = query.casefold()
    by_label = {}
    for prop in (SKOS.prefLabel, SKOS.altLabel):
        for s, label in kast.graph.subject_objects(prop):
            item_id = kast.id_of(s)
            if item_id and item_id in kast.items:
                by_label.setdefault(str(label).casefold(), set()).add(item_id)
    if wanted in by_label and len(by_label[wanted]) == 1:
        return next(iter(by_label[wanted])), []
    options = sorted(by_label.get(wanted, set())) or difflib.get_close_matches(query, list(kast.items), n=5)
    return None, options


def label(kast: Kast, node) -> str:
    if isinstance(node, Literal):
        return str(node)
    g = kast.graph
    for prop in (SKOS.prefLabel, DCTERMS.title, RDFS.label):
        values = list(g.objects(node, prop))
        if values:
            dutch = [v for v in values if getattr(v, "language", None) == "nl"]
            return str((dutch or values)[0])
    return g.namespace_manager.normalizeUri(node) if isinstance(node, URIRef) else str(node)


def _ref(kast: Kast, node) -> dict:
    if isinstance(node, Literal):
        return {"waarde": str(node)}
    return {"id": kast.id_of(node), "label": label(kast, node), "iri": str(node)}


def describe(kast: Kast, item_id: str) -> dict:
    g, item = kast.graph, kast.items[item_id]
    iri = item.iri
    properties, incoming = {}, {}
    for p, o in sorted(g.predicate_objects(iri)):
        if p not in HIDDEN:
            properties.setdefault(label(kast, p), []).append(_ref(kast, o))
    for s, p in sorted(g.subject_predicates(iri)):
        if kast.id_of(s) and "#" not in str(s) and p != RDF.object:
            incoming.setdefault(label(kast, p), []).append(_ref(kast, s))
    return {
        "id": item_id, "iri": str(iri), "soort": item.kind, "label": label(kast, iri),
        "bestand": item.entry.file, "eigenschappen": properties, "verwijzingen": incoming,
        "bronnen": sources_of(kast, iri),
    }


def sources_of(kast: Kast, iri: URIRef) -> list[dict]:
    """Every citation of `iri`: document, section, the fields it supports and its quote."""
    g, k = kast.graph, kast.vocab.kast
    out = []
    for derivation in g.objects(iri, PROV.qualifiedDerivation):
        section = g.value(derivation, PROV.entity)
        doc = g.value(section, DCTERMS.isPartOf)
        quote = g.value(derivation, k.quote)
        out.append({
            "bron": str(g.value(doc, DCTERMS.identifier)), "document": label(kast, doc),
            "bestand": str(g.value(doc, k.fileName)), "sectie": str(g.value(section, DCTERMS.identifier)),
            "sectietitel": label(kast, section),
            "onderbouwt": sorted(label(kast, f) for f in g.objects(derivation, k.supportsField)),
            "citaat": str(quote) if quote else None,
        })
    return sorted(out, key=lambda c: (c["bron"], c["sectie"]))


def as_text(d: dict) -> str:
    lines = [f"{d['label']}  ({d['soort']}, id {d['id']})", d["iri"], f"bestand: {d['bestand']}", ""]
    for name, values in d["eigenschappen"].items():
        shown = [v.get("label") or v.get("waarde", "") for v in values]
        text = "; ".join(s.replace("\n", " ") for s in shown)
        lines.append(f"{name}: {text[:300] + '…' if len(text) > 300 else text}")
    if d["verwijzingen"]:
        lines += ["", "Wordt genoemd door:"]
        for name, values in d["verwijzingen"].items():
            lines.append(f"  {name}: " + "; ".join(v["label"] for v in values))
    if d["bronnen"]:
        lines += ["", "Bronnen:"]
        for c in d["bronnen"]:
            fields = f" — onderbouwt {', '.join(c['onderbouwt'])}" if c["onderbouwt"] else ""
            lines.append(f"  {c['bron']} §{c['sectie']} {c['sectietitel']} ({c['bestand']}){fields}")
    return "\n".join(lines)


def practice_type(kast: Kast, item_id: str) -> str | None:
    """'best practice · voornemen of afspraak': what a practice is, for result lists; None for other kinds."""
    item = kast.items.get(item_id)
    if item is None or item.kind != "praktijk":
        return None
    k = kast.vocab.kast
    parts = [label(kast, v) for p in (k.practiceKind, k.practiceNature) for v in kast.graph.objects(item.iri, p)]
    return " · ".join(parts) or None
