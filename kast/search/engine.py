"""Search, facets, suggestions and similar entries.

Ranking: a document's score is its FTS5 bm25 score for the query's words, plus CONCEPT_BOOST when it is
linked to a concept the query names (a label, abbreviation or search term of a theme, instrument or
actor), plus SELF_BOOST when it *is* that concept, plus PRACTICE_BOOST for a practice, plus INTENT_BOOST when
the question asks for its kind; and practices take every other place from the second on while they are a
fair answer (`blend`). The question words (such as "wat ging mis", "valkuilen", "wat werkt" or "ervaringen" are
hidden labels of the practice kinds in ontology/lijsten.ttl: data, not code). Words that occur in more than COMMON of all documents
only add to the score of documents that match a rarer word of the query (as Lucene's common-terms
query), so "aanpak van 13b in de gemeente" is not slowed down, or swamped, by "gemeente".
"""
import heapq
import re
from dataclasses import dataclass, field

from whoosh.spelling import ListCorrector

from .analysis import stem, words
from .documents import FACET_KINDS, FACETS, NOT_SET
from .highlight import snippet
from .index import COMMON, SearchIndex, bits_view, has, numbers_of, to_bits
from .store import IndexStore, OpenIndex
from ..visibility import ANONYMOUS, Reader

CONCEPT_BOOST = 3.0
SELF_BOOST = 2.0
PRACTICE_BOOST = 2.0    # the kast exists for "what did others do": a matching practice goes before a like instrument
FAIR = 0.4              # practices take every other place of the ranking while they score at least this share of the best
INTENT_BOOST = 4.0      # a question that asks for worst practices ("wat ging mis", "valkuilen") or best ones
MAX_NGRAM = 5
SORTS = ("relevantie", "titel", "nieuwste")
PHRASE = re.compile(r'"([^"]*)"')


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


def concepts_in(query: str, labels: dict[str, list[str]]) -> list[str]:
    """Ids of concepts, instruments and actors whose (alternative) label occurs in the query.

    >>> concepts_in("aanpak bedreigde wethouders", {"bedreigd wethouder": ["intimidatie"], "aanpak": ["x"]})
    ['intimidatie', 'x']
    """
    tokens = [stem(w) for w in words(query)]
    found = []
    for n in range(min(MAX_NGRAM, len(tokens)), 0, -1):
        for i in range(len(tokens) - n + 1):
            for item_id in labels.get(" ".join(tokens[i:i + n]), []):
                if item_id not in found:
                    found.append(item_id)
    return found


def fts_query(query: str, df: dict[str, int], total: int) -> str | None:
    """The FTS5 MATCH expression: quoted phrases and words, common words only alongside rare ones.

    Every term is quoted, so nothing a user types is read as FTS5 syntax.

    >>> fts_query('bibob "eerlijke horeca" in de gemeente aanpak', {"bibob": 5, "gemeent": 90, "aanpak": 30}, 100)
    '("eerlijk horeca" OR "bibob") OR (("gemeent" OR "aanpak") AND ("eerlijk horeca" OR "bibob"))'
    """
    phrases = [" ".join(stem(w) for w in words(p)) for p in PHRASE.findall(query)]
    terms = list(dict.fromkeys([*filter(None, phrases), *(stem(w) for w in words(PHRASE.sub(" ", query)))]))
    if not terms:
        return None
    quoted = {t: '"' + t.replace('"', '""') + '"' for t in terms}
    rare = [quoted[t] for t in terms if " " in t or df.get(t, 0) <= COMMON * total]
    common = [quoted[t] for t in terms if quoted[t] not in rare]
    if not rare or not common:
        return " OR ".join(quoted.values())
    rare_part = " OR ".join(rare)
    return f"({rare_part}) OR (({' OR '.join(common)}) AND ({rare_part}))"


def _filter(ix: SearchIndex, kind: str | None, facets: dict[str, list[str]] | None) -> tuple[int, dict[str, int]]:
    """The kind filter and, per facet, the OR of its chosen values (AND between facets)."""
    for name, values in (facets or {}).items():
        if name not in FACETS:
            raise SearchError(f"onbekend facet '{name}'; kies uit: {', '.join(FACETS)}")
    base = ix.all
    if kind:
        if kind not in ix.kind_bits:
            raise SearchError(f"onbekende soort '{kind}'; kies uit: {', '.join(ix.kind_bits)}")
        base = ix.kind_bits[kind]
    per_facet = {}
    for name, values in (facets or {}).items():
        if values:
            bits = 0
            for v in values:
                bits |= ix.facets[name].get(v, 0)
            per_facet[name] = bits
    return base, per_facet


def _facet_counts(ix: SearchIndex, hits: int, chosen: dict[str, int], names: dict[str, str]) -> dict[str, list]:
    """Counts per facet value; each facet is counted without its own filter, so several values can be chosen,
    and only over the kinds it applies to (FACET_KINDS), so "niet ingevuld" counts real gaps."""
    out = {}
    for name in FACETS:
        within = hits
        if name in FACET_KINDS:
            kinds = 0
            for kind in FACET_KINDS[name]:
                kinds |= ix.kind_bits.get(kind, 0)
            within &= kinds
        for other, bits in chosen.items():
            if other != name:
                within &= bits
        counts = [(c, value) for value, bits in ix.facets[name].items() if (c := (within & bits).bit_count())]
        counts.sort(key=lambda c: (-c[0], c[1]))
        out[name] = [{"value": value, "label": "niet ingevuld" if value == NOT_SET else names.get(value, value),
                      "count": count} for count, value in counts]
    return out


def _suggest(ix: SearchIndex, query: str, level: str = "openbaar") -> str | None:
    """The query with each unknown or once-seen word replaced by the most frequent known word at the
    smallest edit distance (one edit first, then two for words longer than five letters: two edits in a
    short word make another word altogether, "drop" → "drie")."""
    changed, out = False, []
    for word in words(query):
        df = ix.word_df(word, level) if len(word) > 3 else 2
        best = None
        for maxdist in (1, 2) if df <= 1 else ():
            if maxdist == 2 and len(word) <= 5:
                break
            # Typos rarely hit the first two letters; fixing them keeps the automaton small (40 → 2 ms).
            options = [o for o in ListCorrector(ix.wordlist(level)).suggest(word, limit=5, maxdist=maxdist, prefix=2)
                       if ix.word_df(o, level) > df]
            best = max(options, key=lambda o: (ix.word_df(o, level), o), default=None)
            if best:
                break
        changed |= best is not None
        out.append(best or word)
    return " ".join(out) if changed else None


def _top(ix: SearchIndex, rows: list, hits: int, text_bits: int, concept_bits: int, own: set[int],
         want: int, intent_bits: int = 0) -> list[tuple[float, int]]:
    """The `want` best (score, number) among `hits`: text hits by bm25 plus boosts, then the named concepts
    and the documents linked to them (practices and what the question asks for first, then the index's
    static order)."""
    size = len(ix.ids)
    in_hits, in_concepts = bits_view(hits, size), bits_view(concept_bits, size)
    practices = ix.kind_bits.get("praktijk", 0)
    in_practices, in_intent = bits_view(practices, size), bits_view(intent_bits, size)

    def extra(n: int) -> float:
        return PRACTICE_BOOST * has(in_practices, n) + INTENT_BOOST * has(in_intent, n)

    if text_bits & ~hits:   # filters drop some text hits
        rows = [(n, score) for n, score in rows if has(in_hits, n)]
    scored = [(score + CONCEPT_BOOST * has(in_concepts, n) + SELF_BOOST * (n in own) + extra(n), n) for n, score in rows]
    scored += [(CONCEPT_BOOST + SELF_BOOST + extra(n), n) for n in own if has(in_hits, n) and not text_bits >> n & 1]
    linked_only = hits & concept_bits & ~text_bits
    for n in own:
        linked_only &= ~(1 << n)
    # the linked documents the boosts favour first, so a short page still shows them
    favoured = linked_only & (practices | intent_bits)
    picked = _first(favoured & intent_bits, want) + _first(favoured & ~intent_bits, want)
    picked += _first(linked_only & ~favoured, want)
    scored += [(CONCEPT_BOOST + extra(n), n) for n in picked]
    order = lambda s: (-s[0], s[1])  # noqa: E731
    # a question for a kind of practice puts that kind first; any other gives practices every other place
    favoured, every = (in_intent, 1) if intent_bits & hits else (in_practices, 2)
    return blend(heapq.nsmallest(want, [x for x in scored if has(favoured, x[1])], key=order),
                 heapq.nsmallest(want, [x for x in scored if not has(favoured, x[1])], key=order), want, every)


def blend(practices: list, others: list, want: int, every: int = 2) -> list:
    """Practices (or the kind a question asks for) and other entries, each best first, merged so that
    practices get every `every`-th place from the second on (every place with 1), as long as one is a fair
    answer (at least FAIR × the best score); otherwise by score. A prefix of the result does not depend on
    `want`, so pages stay consistent.

    >>> blend([(5.0, 1), (4.6, 2)], [(9.0, 3), (8.0, 4), (7.0, 5)], 5)
    [(9.0, 3), (5.0, 1), (8.0, 4), (4.6, 2), (7.0, 5)]
    >>> blend([(1.0, 1)], [(9.0, 3), (8.0, 4)], 3)   # a practice far below the best keeps its place
    [(9.0, 3), (8.0, 4), (1.0, 1)]
    """
    top = max([s for s, _ in practices[:1] + others[:1]], default=0.0)
    out, i, j = [], 0, 0
    while len(out) < want and (i < len(practices) or j < len(others)):
        p = practices[i] if i < len(practices) else None
        o = others[j] if j < len(others) else None
        turn = len(out) % every == 1 % every and p is not None and p[0] >= FAIR * top
        if p is not None and (o is None or turn or (-p[0], p[1]) <= (-o[0], o[1])):
            out.append(p)
            i += 1
        else:
            out.append(o)
            j += 1
    return out


def _intent(ix: SearchIndex, expanded: list[str]) -> tuple[list[str], int]:
    """(the concepts of the query, the documents its question words ask for: 'praktijksoort=worst' …)."""
    bits, concepts = 0, []
    for c in expanded:
        facet, _, value = c.partition("=")
        if value and facet in ix.facets:
            bits |= ix.facets[facet].get(value, 0)
        elif not value:
            concepts.append(c)
    return concepts, bits


def _intent_words(ix: SearchIndex) -> set[str]:
    """The (stemmed) words of the question labels ("valkuilen", "wat ging mis"), computed once per index."""
    words_ = getattr(ix, "_intent_words", None)
    if words_ is None:
        words_ = {w for key, ids in ix.labels.items() if any("=" in i for i in ids) for w in key.split()}
        ix._intent_words = words_
    return words_


def search(query: str, kind: str | None = None, facets: dict[str, list[str]] | None = None, limit: int = 10,
           page: int = 1, sort: str = "relevantie", store: IndexStore | None = None,
           opened: OpenIndex | None = None, include_hidden: bool = False, reader: Reader = ANONYMOUS) -> Results:
    """Search the kast; every argument a user can type is checked and reported in Dutch.

    Practices that `reader` may not see (`kast.visibility`) are left out, from the counts, the facets
    and the spelling suggestions too; `include_hidden` searches everything (the CLI on the server).

    >>> r = search("13b")
    >>> "damoclesbeleid" in [hit["id"] for hit in r.results]
    True
    """
    if limit < 1 or limit > 1000 or page < 1 or page > 10_000:
        raise SearchError("limit moet tussen 1 en 1000 liggen en pagina tussen 1 en 10.000")
    if sort not in SORTS:
        raise SearchError(f"onbekende sortering '{sort}'; kies uit: {', '.join(SORTS)}")
    opened = opened or (store or IndexStore()).open()
    ix: SearchIndex = opened.index
    query = " ".join((query or "").split())[:500]
    base, chosen = _filter(ix, kind, facets)
    level = "alles" if include_hidden else reader.level
    base &= ~ix.hidden(level)
    expanded, intent_bits = _intent(ix, concepts_in(query, ix.labels) if query else [])
    concept_bits = 0
    for c in expanded:
        concept_bits |= ix.concepts.get(c, 0)
    rows, text_bits = [], 0
    if query:
        stems = {stem(w) for w in words(PHRASE.sub(" ", query))}
        df = ix.term_df(stems)
        match = fts_query(query, df, len(ix.ids))
        champions = ix.champions(stems) if match and not PHRASE.search(query) else None
        if champions:
            text_bits, rows = champions
        elif match:
            rows = ix.scored(match)
            text_bits = to_bits(n for n, _ in rows)
        found = text_bits | concept_bits
        question_only = not expanded and stems <= _intent_words(ix)
        if intent_bits and (question_only or not (found & intent_bits & base)):
            # only question words ("valkuilen", "wat ging mis"), or nothing of that kind matched the rest:
            # show what the question asks for
            found |= intent_bits
            concept_bits |= intent_bits
    else:
        found = ix.all
    found &= base
    hits = found
    for bits in chosen.values():
        hits &= bits
    total = hits.bit_count()
    start = (page - 1) * limit
    scores = {}
    if sort == "relevantie" and query:
        own = {ix.number[c] for c in expanded if c in ix.number}
        ranked = _top(ix, rows, hits, text_bits, concept_bits, own, start + limit, intent_bits)[start:]
        numbers = [n for _, n in ranked]
        scores = {n: s for s, n in ranked}
    elif sort == "relevantie":
        numbers = _first(hits, start + limit)[start:]
    else:
        numbers = list(numbers_of(hits))
        if sort == "titel":
            numbers.sort(key=ix.title_rank.__getitem__)
        else:
            numbers.sort(key=lambda n: -(ix.years[n] or 0))
        numbers = numbers[start:start + limit]
    stored = ix.stored(numbers)
    terms = {stem(w) for w in words(query)}
    results = []
    for n in numbers:
        fields = stored[n]
        text = snippet(fields["body"], terms) or snippet(fields["summary"], terms, always=True)
        results.append({"id": fields["id"], "kind": fields["kind"], "label": fields["title"],
                        "score": round(scores.get(n, 0.0), 3), "snippet": text})
    return Results(query, total, results, _facet_counts(ix, found, chosen, ix.names),
                   _suggest(ix, query, level) if query else None, expanded, opened.stale, opened.message)


def _first(bits: int, count: int) -> list[int]:
    out = []
    for n in numbers_of(bits):
        if len(out) == count:
            break
        out.append(n)
    return out


def similar(item_id: str, limit: int = 5, store: IndexStore | None = None, opened: OpenIndex | None = None,
            reader: Reader = ANONYMOUS) -> list[dict]:
    """Practices and instruments most like `item_id`: shared concepts in the graph plus shared words.

    Score = 0.6 · weighted Jaccard overlap of linked concepts + 0.4 · text similarity (bm25 on the item's
    most distinctive words, normalised to the best).
    """
    opened = opened or (store or IndexStore()).open()
    ix: SearchIndex = opened.index
    n = ix.number.get(item_id)
    invisible = ix.hidden(reader.level)
    if n is None or invisible >> n & 1:
        raise SearchError(f"geen item '{item_id}' in de zoekindex")
    own = ix.stored([n])[n]
    mine = own["concepts"]
    candidates = (ix.kind_bits["praktijk"] | ix.kind_bits["instrument"]) & ~invisible
    shared = 0
    for c in mine - {item_id}:
        shared |= ix.concepts.get(c, 0)
    text_scores = {}
    doc_terms = [stem(w) for w in words(own["body"] or own["summary"] or own["title"])]
    if doc_terms:
        df = ix.term_df(set(doc_terms))
        distinctive = sorted(set(doc_terms), key=lambda t: (df.get(t, 0), t))[:12]
        for m, score in ix.scored(" OR ".join(f'"{t}"' for t in distinctive), ordered=True):
            if len(text_scores) >= 50:
                break
            if m != n and candidates >> m & 1:
                text_scores[m] = score
    top = max(text_scores.values(), default=1.0) or 1.0
    pool = set(text_scores) | set(_first(shared & candidates & ~(1 << n), 200))
    scored = []
    for m, fields in ix.stored(sorted(pool)).items():
        concepts = fields["concepts"]
        score = 0.6 * _weighted_jaccard(mine, concepts, ix) + 0.4 * text_scores.get(m, 0.0) / top
        scored.append({"id": fields["id"], "kind": fields["kind"], "label": fields["title"], "score": round(score, 3),
                       "gedeeld": sorted((mine & concepts) - {item_id, fields["id"]})})
    return sorted(scored, key=lambda s: (-s["score"], s["id"]))[:limit]


def _weighted_jaccard(a: set[str], b: set[str], ix: SearchIndex) -> float:
    """Overlap of linked concepts; a shared place counts less than a shared instrument or theme,
    since many practices of one region share all its municipalities."""
    def weight(c: str) -> float:
        return 0.2 if c in ix.places else 1.0

    union = sum(weight(c) for c in a | b)
    return sum(weight(c) for c in a & b) / union if union else 0.0
