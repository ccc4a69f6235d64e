"""Search, facets, suggestions and similar entries on the Whoosh index."""
import re
from dataclasses import dataclass, field

from whoosh import highlight, sorting
from whoosh.qparser import MultifieldParser, OrGroup
from whoosh.query import And, Every, Or, Term

from .documents import FACETS, NOT_SET
from .schema import dutch_analyzer
from .store import IndexStore, OpenIndex

TEXT_FIELDS = ["title", "labels", "summary", "body"]
MARK = re.compile(r'<mark class="[^"]*">')   # whoosh adds term classes; the pages style <mark> alone
CONCEPT_BOOST = 3.0
MAX_NGRAM = 5


class SearchError(ValueError):
    """A query the kast cannot run; the message is Dutch and meant for the user."""


@dataclass
class Results:
    query: str
    total: int
    results: list[dict]
    facets: dict[str, list[dict]]
    suggestion: str | None = None
    expanded: list[str] = field(default_factory=list)   # concept ids the query was expanded with
    stale: bool = False
    message: str | None = None

    def as_dict(self) -> dict:
        return {"query": self.query, "total": self.total, "results": self.results, "facets": self.facets,
                "suggestion": self.suggestion, "expanded": self.expanded, "stale": self.stale,
                "message": self.message}


_analyse = dutch_analyzer()
_words = dutch_analyzer(stem=False)


def concepts_in(query: str, labels: dict[str, list[str]]) -> list[str]:
    """Ids of concepts, instruments and actors whose (alternative) label occurs in the query."""
    tokens = [t.text for t in _analyse(query)]
    found = []
    for n in range(min(MAX_NGRAM, len(tokens)), 0, -1):
        for i in range(len(tokens) - n + 1):
            for item_id in labels.get(" ".join(tokens[i:i + n]), []):
                if item_id not in found:
                    found.append(item_id)
    return found


def _filters(kind: str | None, facets: dict[str, list[str]] | None):
    clauses = []
    if kind:
        clauses.append(Term("kind", kind))
    for name, values in (facets or {}).items():
        if name not in FACETS:
            raise SearchError(f"onbekend facet '{name}'; kies uit: {', '.join(FACETS)}")
        if values:
            clauses.append(Or([Term(f"f_{name}", v) for v in values]))
    return And(clauses) if clauses else None


def _suggest(searcher, query: str) -> str | None:
    corrector = searcher.corrector("spell")
    changed, words = False, []
    for token in _words(query, chars=True, removestops=False):
        word = token.text
        if len(word) > 3 and searcher.doc_frequency("spell", word) <= 1:
            options = corrector.suggest(word, limit=1, maxdist=2)
            if options and searcher.doc_frequency("spell", options[0]) > searcher.doc_frequency("spell", word):
                words.append(options[0])
                changed = True
                continue
        words.append(word)
    return " ".join(words) if changed else None


def search(query: str, kind: str | None = None, facets: dict[str, list[str]] | None = None, limit: int = 10,
           page: int = 1, store: IndexStore | None = None, opened: OpenIndex | None = None) -> Results:
    """Search the kast; every argument a user can type is checked and reported in Dutch.

    >>> r = search("13b")
    >>> "damoclesbeleid" in [hit["id"] for hit in r.results]
    True
    """
    if limit < 1 or limit > 1000 or page < 1:
        raise SearchError("limit moet tussen 1 en 1000 liggen en pagina minstens 1 zijn")
    opened = opened or (store or IndexStore()).open()
    ix = opened.index
    query = (query or "").strip()[:500]
    expanded = concepts_in(query, opened.labels) if query else []
    if query:
        parser = MultifieldParser(TEXT_FIELDS, ix.schema, group=OrGroup.factory(0.9))
        try:
            text_query = parser.parse(query)
        except Exception:  # whoosh is lenient; anything it still rejects is the user's syntax
            raise SearchError("de zoekvraag kan niet worden gelezen; laat bijzondere tekens weg") from None
        concept_query = [Term("concepts", c, boost=CONCEPT_BOOST) for c in expanded]
        q = Or([text_query, *concept_query]) if concept_query else text_query
    else:
        q = Every()
    groups = {name: sorting.FieldFacet(f"f_{name}", allow_overlap=True) for name in FACETS}
    with ix.searcher() as searcher:
        hits = searcher.search_page(q, page, pagelen=limit, filter=_filters(kind, facets), groupedby=groups,
                                    terms=True)
        hits.results.fragmenter = highlight.ContextFragmenter(maxchars=220, surround=60)
        hits.results.formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
        results = []
        for hit in hits:
            snippet = hit.highlights("body") or hit.highlights("summary") or _start(hit["summary"])
            snippet = MARK.sub("<mark>", snippet)
            results.append({"id": hit["id"], "kind": hit["kind"], "label": hit["title"],
                            "score": round(hit.score, 3), "snippet": snippet})
        facet_counts = {}
        for name in FACETS:
            groups_of = hits.results.groups(name)
            counts = sorted(((len(docs), value) for value, docs in groups_of.items()), key=lambda c: (-c[0], c[1]))
            facet_counts[name] = [{"value": value, "label": "niet ingevuld" if value == NOT_SET
                                   else opened.names.get(value, value), "count": count} for count, value in counts]
        suggestion = _suggest(searcher, query) if query else None
        return Results(query, hits.total, results, facet_counts, suggestion, expanded, opened.stale, opened.message)


def _start(text: str, length: int = 220) -> str:
    from html import escape

    text = " ".join(text.split())
    return escape(text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + " …")


def similar(item_id: str, limit: int = 5, store: IndexStore | None = None, opened: OpenIndex | None = None) -> list[dict]:
    """Practices and instruments most like `item_id`: shared concepts in the graph plus shared words.

    Score = 0.6 · Jaccard overlap of linked concepts + 0.4 · text similarity (normalised).
    """
    opened = opened or (store or IndexStore()).open()
    with opened.index.searcher() as searcher:
        docnum = searcher.document_number(id=item_id)
        if docnum is None:
            raise SearchError(f"geen item '{item_id}' in de zoekindex")
        own = searcher.stored_fields(docnum)
        mine = set(own["concepts"].split(",")) - {""}
        text_hits = searcher.more_like(docnum, "body" if own.get("body") else "summary", top=50)
        text_scores = {h["id"]: h.score for h in text_hits}
        top = max(text_scores.values(), default=1.0) or 1.0
        candidates = searcher.search(Or([Term("concepts", c) for c in mine - {item_id}]), limit=200) if mine else []
        pool = {h["id"]: h.fields() for h in [*candidates, *text_hits]}
        scored = []
        for other, fields in pool.items():
            if other == item_id or fields["kind"] not in ("praktijk", "instrument"):
                continue
            concepts = set(fields["concepts"].split(",")) - {""}
            score = 0.6 * _weighted_jaccard(mine, concepts) + 0.4 * text_scores.get(other, 0.0) / top
            scored.append({"id": other, "kind": fields["kind"], "label": fields["title"], "score": round(score, 3),
                           "gedeeld": sorted((mine & concepts) - {item_id, other})})
        return sorted(scored, key=lambda s: -s["score"])[:limit]


PLACE = re.compile(r"^(gm|pv|vr|ws)\d+$|^riec-|^politie-eenheid-")


def _weighted_jaccard(a: set[str], b: set[str]) -> float:
    """Overlap of linked concepts; a shared place counts less than a shared instrument or theme,
    since many practices of one region share all its municipalities."""
    def weight(c: str) -> float:
        return 0.2 if PLACE.match(c) else 1.0

    union = sum(weight(c) for c in a | b)
    return sum(weight(c) for c in a & b) / union if union else 0.0
