"""Lists of entities straight from the graph, with facet counts, for the kinds the search index does not
tell apart (a municipality and a ministry are both 'actor' there). Same result shape as search.
"""
from html import escape

from rdflib import URIRef
from rdflib.namespace import DCTERMS

from .describe import label
from .loader import Kast
from .search.documents import NOT_SET   # the same "not set" value as the search facets


# facet name → property (CURIE) whose values are entities or fixed-list values
FACETS = {
    "actorsoort": "kast:actorType",
    "niveau": "kast:level",
    "provincie": "kast:province",
    "veiligheidsregio": "kast:veiligheidsregio",
    "riec": "kast:riecRegion",
}


class BrowseError(ValueError):
    """A filter the list does not have; the message is Dutch and meant for the user."""


def _value_id(kast: Kast, node) -> str:
    return kast.id_of(node) or str(node).rsplit("/", 1)[-1]


def listing(kast: Kast, kinds: tuple[str, ...], facet_names: tuple[str, ...],
            chosen: dict[str, list[str]] | None = None, page: int = 1, size: int = 20,
            hide: set[str] = frozenset()) -> dict:
    """Entities of `kinds`, sorted by name, filtered on `chosen` facet values (OR within one facet,
    AND between facets), one page of them, and the facet counts of the filtered set.

    >>> from kast.loader import load
    >>> r = listing(load(shacl=False), ("gemeente",), ("provincie", "riec"), {"provincie": ["pv22"]})
    >>> r["total"], r["results"][0]["label"]
    (12, 'Aa en Hunze')
    """
    chosen = {k: v for k, v in (chosen or {}).items() if v}
    for name in chosen:
        if name not in facet_names:
            raise BrowseError(f"onbekend filter '{name}'; kies uit: {', '.join(facet_names)}")
    g = kast.graph
    props = {name: kast.vocab.resolve(FACETS[name]) for name in facet_names}
    rows = []
    for item_id, item in kast.items.items():
        if item.kind not in kinds or item_id in hide:
            continue
        values = {}
        for name, prop in props.items():
            found = {_value_id(kast, v) for v in g.objects(item.iri, prop) if isinstance(v, URIRef)}
            values[name] = found or {NOT_SET}
        rows.append((item_id, item, values))
    selected = [r for r in rows if all(set(v) & r[2][name] for name, v in chosen.items())]
    counts: dict[str, dict[str, int]] = {name: {} for name in facet_names}
    names: dict[str, str] = {}
    for _, item, values in selected:
        for name, found in values.items():
            for value in found:
                counts[name][value] = counts[name].get(value, 0) + 1
    for name in facet_names:
        for value in counts[name]:
            if value not in names:
                names[value] = "niet ingevuld" if value == NOT_SET else _label_of(kast, props[name], value)
    selected.sort(key=lambda r: label(kast, r[1].iri).casefold())
    start = (page - 1) * size
    results = [{"id": item_id, "kind": item.kind, "label": label(kast, item.iri), "score": None,
                "snippet": _snippet(kast, item.iri)} for item_id, item, _ in selected[start:start + size]]
    facets = {name: [{"value": v, "label": names[v], "count": n}
                     for v, n in sorted(counts[name].items(), key=lambda c: (-c[1], names[c[0]].casefold()))]
              for name in facet_names}
    return {"total": len(selected), "results": results, "facets": facets}


def _label_of(kast: Kast, prop, value: str) -> str:
    item = kast.items.get(value)
    if item:
        return label(kast, item.iri)
    for node in kast.graph.objects(None, prop):   # a fixed-list value: find its concept
        if str(node).rsplit("/", 1)[-1] == value:
            return label(kast, node)
    return value


def _snippet(kast: Kast, iri, length: int = 220) -> str:
    text = " ".join(str(kast.graph.value(iri, DCTERMS.description) or "").split())
    if len(text) > length:
        text = text[:length].rsplit(" ", 1)[0] + " …"
    return escape(text)
