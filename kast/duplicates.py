"""Likely duplicate practices: similar titles and summaries, and shared themes and instruments.

`kast validate` reports each pair as a warning, so a curator merges them or sharpens what sets them
apart. Only practices of the same kind (best or worst) are compared: a best and a worst practice on the
same subject complement each other. Texts go through the search analyser (Dutch stems, no stop words);
words are weighted by how rare they are among the practices (tf-idf) and compared by cosine, the title
counting double. Only practices that share a rare word are compared, which keeps `kast validate` fast on
a corpus of ten thousand practices.
"""
import math
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from rdflib.namespace import DCTERMS, PROV, SKOS

from .loader import Kast
from .readers import Message
from .search.analysis import stems

TEXT_ALONE = 0.3          # title and summary this similar are a likely duplicate on their own
TEXT_WITH_CONCEPTS = 0.12  # … or this similar when the practices also share many themes and instruments
CONCEPTS = 0.4            # Jaccard overlap of themes and instruments
RARE = 50                 # only a word in at most this many practices makes two practices candidates


@dataclass(frozen=True)
class Pair:
    first: str
    second: str
    text: float
    concepts: float


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _cosine(a: dict, b: dict) -> float:
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def likely_duplicates(kast: Kast) -> list[Pair]:
    """Pairs of practices of the same kind that look like one entry written twice, sorted by id."""
    g, k = kast.graph, kast.vocab.kast
    kinds, words, concepts = {}, {}, {}
    for item_id, item in kast.items.items():
        if item.kind != "praktijk":
            continue
        title = str(g.value(item.iri, SKOS.prefLabel) or "")
        summary = str(g.value(item.iri, DCTERMS.abstract) or "")
        kinds[item_id] = g.value(item.iri, k.practiceKind)
        words[item_id] = Counter(stems(f"{title} {title} {summary}"))
        concepts[item_id] = set(g.objects(item.iri, k.theme)) | set(g.objects(item.iri, PROV.used))
    containing: dict[str, list[str]] = {}
    for item_id, counts in words.items():
        for word in counts:
            containing.setdefault(word, []).append(item_id)
    total = len(words)
    vectors = {i: {w: n * math.log(total / len(containing[w])) for w, n in counts.items()}
               for i, counts in words.items()}
    candidates = set()
    for ids in containing.values():
        if 1 < len(ids) <= RARE:
            candidates.update(combinations(sorted(ids), 2))
    pairs = []
    for a, b in sorted(candidates):
        if kinds[a] != kinds[b]:
            continue
        text = _cosine(vectors[a], vectors[b])
        shared = _jaccard(concepts[a], concepts[b])
        if text >= TEXT_ALONE or (text >= TEXT_WITH_CONCEPTS and shared >= CONCEPTS):
            pairs.append(Pair(a, b, round(text, 2), round(shared, 2)))
    return pairs


def duplicate_messages(kast: Kast) -> list[Message]:
    """One warning per practice that has likely duplicates: its closest match and how many more there are
    (a generated corpus can have thousands of pairs; one line per practice keeps the output readable)."""
    by_first: dict[str, list[Pair]] = {}
    for p in likely_duplicates(kast):
        by_first.setdefault(p.first, []).append(p)
    messages = []
    for first, pairs in sorted(by_first.items()):
        best = max(pairs, key=lambda p: (p.text, p.concepts))
        more = f"; en op {len(pairs) - 1} andere" if len(pairs) > 1 else ""
        messages.append(Message(
            kast.items[first].entry.file,
            f"lijkt op de praktijk '{best.second}' (tekstovereenkomst {best.text:.0%}, {best.concepts:.0%} dezelfde "
            f"thema's en instrumenten){more}; voeg ze samen of maak het verschil duidelijk in titel en samenvatting",
            "titel", first, "waarschuwing"))
    return messages
