"""Search and browse, for the pages and the API alike: read the GET parameters, run the search index
or the graph listing, and return one plain dict that a template or the JSON API renders.

Every state is in the URL: q, pagina, paginagrootte, sorteer, and each facet as its own repeated
parameter (thema=a&thema=b). Anything else in the query string is taken as a facet. The API answers an
unknown facet with a clear Dutch message; the HTML pages ignore it, so a link with `utm_source` or
`fbclid` from a newsletter or a social network still opens the page.
"""
import re
from dataclasses import dataclass, field

from rdflib.namespace import DCTERMS, PROV

from kast.browse import BrowseError, listing
from kast.describe import label, practice_type
from kast.search import search
from kast.search.documents import FACETS, NOT_SET
from kast.search.engine import SearchError

from .kinds import BY_KIND, SORTS, Collection, facet_label
from .readers import current_reader

RESERVED = ("q", "pagina", "paginagrootte", "sorteer")
MAX_PAGE = 10_000
MAX_SIZE = 100
MAX_VALUES = 50
MAX_VALUE_LENGTH = 200


class BadRequest(ValueError):
    """Parameters that cannot be used; the message is Dutch and shown to the user."""


@dataclass
class Query:
    q: str = ""
    page: int = 1
    size: int = 10
    sort: str = "relevantie"
    facets: dict[str, list[str]] = field(default_factory=dict)
    default_size: int = 10

    def pairs(self, page: int | None = None, **changes) -> list[tuple[str, str]]:
        """The query as URL parameters, in a stable order; defaults are left out."""
        q = changes.get("q", self.q)
        sort = changes.get("sort", self.sort)
        facets = changes.get("facets", self.facets)
        out = [("q", q)] if q else []
        for name, values in facets.items():
            out += [(name, v) for v in values]
        if sort != "relevantie":
            out.append(("sorteer", sort))
        if self.size != self.default_size:
            out.append(("paginagrootte", str(self.size)))
        page = self.page if page is None else page
        if page != 1:
            out.append(("pagina", str(page)))
        return out


def _int(args, name: str, default: int, highest: int) -> int:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    # ASCII digits only ("²".isdigit() is true) and short, so int() never sees a 5000-digit string
    if not re.fullmatch(r"[0-9]{1,9}", raw) or not 1 <= int(raw) <= highest:
        raise BadRequest(f"'{name}' moet een geheel getal van 1 tot en met {highest:,} zijn".replace(",", "."))
    return int(raw)


def known_facets(collection: Collection | None) -> tuple[str, ...]:
    """The filters a page understands: the search index's facets, or those of a graph listing."""
    if collection is not None and collection.search_kind is None:
        return collection.facets
    return FACETS


def parse(args, default_size: int = 10, known: tuple[str, ...] | None = None) -> Query:
    """A query from request.args (a MultiDict); raises BadRequest with a Dutch message.

    With `known` (the HTML pages), parameters that are no filter of the page are ignored instead of
    reported, so tracking parameters added by mail programs and social networks do no harm."""
    q = " ".join((args.get("q") or "").split())
    if len(q) > 500:
        raise BadRequest("de zoekvraag is langer dan 500 tekens; maak hem korter")
    sort = args.get("sorteer") or "relevantie"
    if sort not in SORTS:
        raise BadRequest(f"onbekende sortering '{sort}'; kies uit: {', '.join(SORTS)}")
    facets: dict[str, list[str]] = {}
    for name in args:
        if name in RESERVED or (known is not None and name not in known):
            continue
        values = []
        for v in args.getlist(name):
            v = v.strip()
            if v and v not in values:
                values.append(v)
        if len(values) > MAX_VALUES or any(len(v) > MAX_VALUE_LENGTH for v in values):
            raise BadRequest(f"te veel of te lange waarden voor filter '{name}'")
        if values:
            facets[name] = values
    return Query(q, _int(args, "pagina", 1, MAX_PAGE), _int(args, "paginagrootte", default_size, MAX_SIZE),
                 sort, facets, default_size)


def run(site, query: Query, collection: Collection | None = None) -> dict:
    """Search (or list) and return the view model; raises BadRequest for unknown facets."""
    kast = site.kast
    graph_listing = collection is not None and collection.search_kind is None
    if graph_listing and query.q:
        raise BadRequest("in deze lijst kan niet op tekst worden gezocht; gebruik de zoekpagina")
    try:
        if graph_listing:
            found = listing(kast, collection.kinds, collection.facets, query.facets, query.page, query.size,
                            site.hidden)
            found.update(query=query.q, suggestion=None, expanded=[], stale=False, message=None)
        else:
            kind = collection.search_kind if collection else None
            found = search(query.q, kind=kind, facets=query.facets, limit=query.size, page=query.page,
                           sort=query.sort, opened=site.opened(), reader=current_reader()).as_dict()
    except (SearchError, BrowseError) as exc:
        raise BadRequest(str(exc)) from None
    # The engine already leaves hidden practices out; this check also covers a stale index served while
    # a new one is built (a practice that has just become network-only must not show for a moment).
    results = [dict(r, kind=kast.items[r["id"]].kind) for r in found["results"]
               if r["id"] in kast.items and r["id"] not in site.hidden]
    for r in results:
        r["collection"] = BY_KIND[r["kind"]].name if r["kind"] in BY_KIND else None
        if r["kind"] == "praktijk":
            r["praktijktype"] = practice_type(kast, r["id"])
    total = found["total"]
    pages = max(1, -(-total // query.size))
    facets = []
    for name, counts in found["facets"].items():
        if collection and collection.search_kind and name == "soort":
            continue   # a list of one kind needs no "soort" filter
        chosen = query.facets.get(name, [])
        values = [dict(c, selected=c["value"] in chosen) for c in counts]
        seen = {c["value"] for c in counts}
        for value in chosen:   # a chosen value without hits must stay visible, so it can be removed
            if value not in seen:
                values.append({"value": value, "label": value_label(kast, value), "count": 0, "selected": True})
        facets.append({"name": name, "label": facet_label(name), "values": values})
    chosen = [{"name": name, "label": facet_label(name), "value": v,
               "valueLabel": _chosen_label(found["facets"].get(name, []), kast, v)}
              for name, values in query.facets.items() for v in values]
    return {
        "query": query, "total": total, "page": query.page, "pages": pages, "size": query.size,
        "beyond": query.page > pages, "results": results, "facets": facets, "chosen": chosen,
        "suggestion": found["suggestion"], "expanded": found["expanded"], "stale": found["stale"],
        "message": found["message"], "sortable": not graph_listing,
    }


def describe_results(kast, results: list[dict]) -> None:
    """What a result says at a glance on a page: best or worst practice, and where it happened (the
    places a practice names; for an organisation its province)."""
    k = kast.vocab.kast
    for r in results:
        item = kast.items.get(r["id"])
        if item is None:
            continue
        if r["kind"] == "praktijk":
            kind = kast.graph.value(item.iri, k.practiceKind)
            notation = str(kind).rstrip("/").rsplit("/", 1)[-1] if kind is not None else ""
            r["practiceKind"] = notation if notation in ("best", "worst") else None
            r["practiceKindLabel"] = label(kast, kind) if kind is not None else "praktijk"
            places = sorted({label(kast, p) for p in kast.graph.objects(item.iri, DCTERMS.spatial)}, key=str.casefold)
            if not places:   # a practice of national or regional organisations: who did it
                places = sorted({label(kast, a) for a in kast.graph.objects(item.iri, PROV.wasAssociatedWith)},
                                key=str.casefold)
                r["whereLabel"] = "Door"
            else:
                r["whereLabel"] = "In"
            r["where"] = (", ".join(places[:3]) + (f" en {len(places) - 3} meer" if len(places) > 3 else "")) \
                if places else None
        else:
            province = kast.graph.value(item.iri, k.province)
            r["where"] = label(kast, province) if province is not None else None


def value_label(kast, value: str) -> str:
    if value == NOT_SET:
        return "niet ingevuld"
    item = kast.items.get(value)
    return label(kast, item.iri) if item else value


def _chosen_label(counts: list[dict], kast, value: str) -> str:
    for c in counts:
        if c["value"] == value:
            return c["label"]
    return value_label(kast, value)
