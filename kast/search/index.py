"""The search index on disk: SQLite FTS5 for the Dutch text, bitsets for concepts and facets.

Why not a Whoosh index: at 10,000 practices Whoosh (pure Python) took 20 s to write the index and
2–46 ms per query before facets, because it scores every hit in Python; FTS5 (C, in Python's standard
library) writes the same index in well under a second and ranks in a fraction of a millisecond
(`benchmarks/search.py` prints both). Whoosh still does the Dutch analysis (Snowball stemmer, stop words,
accent folding) and the spelling suggestions; FTS5 receives the analysed words.

Concept links and facet values are stored as bitsets over document numbers (Python ints): the hit set
of a concept, or the count of a facet value within the hits, is one `&` and one `bit_count()`.
"""
import bisect
import json
import sqlite3
import threading
from collections import Counter, defaultdict
from pathlib import Path

from .analysis import stem_each, words
from .documents import FACETS, Document

FILE = "zoek.sqlite"
TEXT_COLUMNS = ("title", "labels", "summary", "body")
WEIGHTS = (4.0, 3.0, 2.0, 1.0)          # bm25 weight per column: title over labels over summary over body
COMMON = 0.2        # a term in more than this share of the documents is common (see `champions`)
CHAMPIONS = 100     # best documents kept per common term
KIND_ORDER = {"instrument": 0, "thema": 1, "ambitie": 2, "actor": 3, "praktijk": 4}
HIDDEN_LEVELS = ("openbaar", "netwerk")   # reader levels that do not see everything (kast.visibility)

WORD_DF = {"alles": "df", "netwerk": "df_netwerk", "openbaar": "df_openbaar"}

SCHEMA = """
CREATE TABLE docs(n INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, kind TEXT NOT NULL, title TEXT,
                  labels TEXT, summary TEXT, body TEXT, concepts TEXT, facets TEXT, year INTEGER);
CREATE VIRTUAL TABLE fts USING fts5(title, labels, summary, body, content='',
                                    tokenize="unicode61 remove_diacritics 0 tokenchars '.''%-'");
CREATE TABLE terms(term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE words(word TEXT PRIMARY KEY, df INTEGER NOT NULL, df_netwerk INTEGER NOT NULL,
                   df_openbaar INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE bits(family TEXT NOT NULL, value TEXT NOT NULL, bits BLOB NOT NULL, PRIMARY KEY(family, value));
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE champions(term TEXT PRIMARY KEY, bits BLOB NOT NULL, best TEXT NOT NULL) WITHOUT ROWID;
"""


def to_bits(numbers) -> int:
    """A bitset with the given document numbers set.

    >>> bin(to_bits([0, 3]))
    '0b1001'
    """
    numbers = list(numbers)
    if not numbers:
        return 0
    raw = bytearray(max(numbers) // 8 + 1)
    for n in numbers:
        raw[n >> 3] |= 1 << (n & 7)
    return int.from_bytes(raw, "little")


def numbers_of(bits: int):
    """The document numbers in a bitset, ascending (byte by byte: shifting a 10,000-bit int per number
    would copy it each time).

    >>> list(numbers_of(0b1001)), list(numbers_of(1 << 20 | 1 << 9))
    ([0, 3], [9, 20])
    """
    for i, byte in enumerate(bits.to_bytes((bits.bit_length() + 7) // 8, "little")):
        while byte:
            low = byte & -byte
            yield i * 8 + low.bit_length() - 1
            byte ^= low


def analyse(doc: Document) -> tuple[tuple[str, ...], set[str], set[str]]:
    """The stemmed FTS5 column texts of a document, its words and its terms (stems)."""
    texts = (doc.title, "\n".join(doc.labels), doc.summary, doc.body)
    analysed = [words(t) for t in texts]
    doc_words = set().union(*analysed)
    return tuple(" ".join(stem_each(ws)) for ws in analysed), doc_words, set(stem_each(doc_words))


def _doc_row(n: int, doc: Document) -> tuple:
    years = [int(y) for y in doc.facets.get("jaar", ()) if y.isdigit()]
    return (n, doc.id, doc.kind, doc.title, "\n".join(doc.labels), doc.summary, doc.body,
            ",".join(sorted(doc.concepts)), json.dumps({k: sorted(v) for k, v in doc.facets.items()}, ensure_ascii=False),
            max(years, default=None))


def _families(doc: Document):
    for c in doc.concepts:
        yield "concept", c
    for name in FACETS:
        for value in doc.facets.get(name, ()):
            yield f"f_{name}", value


def write(path: Path, docs, meta, progress=None, total: int | None = None, hidden=None) -> None:
    """Write the index for `docs` into a new SQLite file at `path`.

    `docs` may be a list (sorted here) or an iterator already in index order (kind, then id), written in
    batches so that 10,000 practices never sit in memory as documents at once; `meta` may then be a
    function called at the end (it can use what the iteration collected), with the hidden ids given apart.
    """
    if isinstance(docs, list):
        docs = sorted(docs, key=lambda d: (KIND_ORDER.get(d.kind, 9), d.id))   # static order for ties
        total = len(docs)
    hidden = _levels(meta.get("hidden", {}) if hidden is None else hidden)
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    term_df: Counter[str] = Counter()
    word_df = (Counter(), Counter(), Counter())   # per word, the documents seen by: all, netwerk, openbaar
    families: dict[tuple[str, str], list[int]] = defaultdict(list)
    doc_rows, fts_rows, term_sets = [], [], []
    for n, doc in enumerate(docs):
        for level in HIDDEN_LEVELS:
            if doc.id in hidden[level]:
                families["hidden", level].append(n)
        seen_by = _seen_by(doc.id, hidden)
        columns, doc_words, doc_terms = analyse(doc)
        fts_rows.append((n, *columns))
        for counts, seen in zip(word_df, seen_by):   # per reader level, so the speller never suggests a word
            if seen:                                  # only hidden entries have
                counts.update(doc_words)
        term_df.update(doc_terms)
        term_sets.append(tuple(doc_terms))   # a tuple is a sixth of a set's size (40 MB at 10,000 practices)
        for key in _families(doc):
            families[key].append(n)
        doc_rows.append(_doc_row(n, doc))
        if len(doc_rows) >= BATCH:
            _insert_docs(db, doc_rows, fts_rows)
        if progress:
            progress(n + 1, total or n + 1)
    _insert_docs(db, doc_rows, fts_rows)
    meta = meta() if callable(meta) else meta
    db.executemany("INSERT INTO terms VALUES (?,?)", term_df.items())
    everyone, network, public = word_df
    db.executemany("INSERT INTO words VALUES (?,?,?,?)", ((w, c, network[w], public[w]) for w, c in everyone.items()))
    db.executemany("INSERT INTO bits VALUES (?,?,?)",
                   ((family, value, _blob(to_bits(ns))) for (family, value), ns in families.items()))
    db.executemany("INSERT INTO meta VALUES (?,?)", ((k, json.dumps(v, ensure_ascii=False)) for k, v in meta.items()))
    db.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    common = {t for t, df in term_df.items() if df > COMMON * len(term_sets)}
    postings: dict[str, list[int]] = {t: [] for t in common}
    for n, doc_terms in enumerate(term_sets):
        for t in doc_terms:
            if t in common:
                postings[t].append(n)
    _write_champions(db, {t: to_bits(ns) for t, ns in postings.items()})
    db.commit()
    db.close()


BATCH = 1000


def _levels(hidden) -> dict[str, set[str]]:
    """Hidden ids per reader level, from the index's meta (a dict of lists)."""
    return {level: set((hidden or {}).get(level, ())) for level in HIDDEN_LEVELS}


def _seen_by(doc_id: str, hidden: dict[str, set[str]]) -> tuple[int, int, int]:
    """Whether each of the levels alles, netwerk, openbaar sees the document (1) or not (0)."""
    return 1, int(doc_id not in hidden["netwerk"]), int(doc_id not in hidden["openbaar"])


def _insert_docs(db: sqlite3.Connection, doc_rows: list, fts_rows: list) -> None:
    db.executemany("INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?,?)", doc_rows)
    db.executemany("INSERT INTO fts(rowid, title, labels, summary, body) VALUES (?,?,?,?,?)", fts_rows)
    doc_rows.clear()
    fts_rows.clear()


def _write_champions(db: sqlite3.Connection, postings: dict[str, int]) -> None:
    """For each common term, its documents as a bitset and its best documents with their bm25 scores.

    A query of common terms only ("ondermijning" in a kast about ondermijning) would otherwise make FTS5
    score thousands of documents (6 ms at 10,000 practices); the "champion lists" of the IR textbooks
    (Manning, Raghavan & Schütze, §7.1.3) answer it from these rows instead.
    """
    weights = ",".join(map(str, WEIGHTS))
    for t in sorted(postings):
        best = db.execute(f"SELECT rowid, -bm25(fts, {weights}) FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ?",
                          ('"' + t + '"', CHAMPIONS)).fetchall()
        db.execute("INSERT INTO champions VALUES (?,?,?)", (t, _blob(postings[t]), json.dumps(best)))


def _blob(bits: int) -> bytes:
    return bits.to_bytes(max(1, (bits.bit_length() + 7) // 8), "little")


class SearchIndex:
    """An opened index, read-only and shared by the threads of one process (one connection per thread)."""

    def __init__(self, path: Path):
        self._connect(path)
        rows = self.db.execute("SELECT id, kind, title, year FROM docs ORDER BY n").fetchall()
        self.ids, self.kinds, self.titles, self.years = (list(c) for c in zip(*rows)) if rows else ([], [], [], [])
        self._by_title = sorted((title.casefold(), n) for n, title in enumerate(self.titles))
        self.number = {doc_id: n for n, doc_id in enumerate(self.ids)}
        self.names: dict[str, str] = dict(zip(self.ids, self.titles))   # facet values are ids: shown by title
        self.concepts: dict[str, int] = {}
        self.hidden_bits = {level: 0 for level in HIDDEN_LEVELS}   # per reader level: practices it may not see
        self.facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        for family, value, blob in self.db.execute("SELECT family, value, bits FROM bits"):
            self._family(family)[value] = int.from_bytes(blob, "little")
        self._derive(self._meta())

    @classmethod
    def following(cls, old: "SearchIndex", path: Path, source: str) -> "SearchIndex | None":
        """The index at `path` when it was written by `increment.update` as a change of `old`'s file (whose
        checksum is `source`): `old`'s structures with only the changed rows and bitsets read; None when the
        file is not such a change (then open it in full).

        Nothing of `old` is changed: requests still using it keep a consistent view."""
        new = cls.__new__(cls)
        new._connect(path)
        meta = new._meta()
        delta = meta.get("delta")
        if not delta or delta["from"] != source:
            return None
        count, numbers = delta["count"], delta["numbers"]
        leaving = sorted(n for n in {*numbers, *range(count, len(old.ids))} if n < len(old.ids))
        new.ids, new.kinds, new.titles, new.years = ((column + [None] * count)[:count] for column in
                                                     (old.ids, old.kinds, old.titles, old.years))
        # Patched, not rebuilt (10,000 entries each): the title order, the numbers and the names.
        new._by_title, new.number, new.names = list(old._by_title), dict(old.number), dict(old.names)
        for n in leaving:
            del new._by_title[bisect.bisect_left(new._by_title, (old.titles[n].casefold(), n))]
            del new.number[old.ids[n]]
            new.names.pop(old.ids[n], None)
        for n, doc_id, kind, title, year in new.db.execute(
                "SELECT n, id, kind, title, year FROM docs WHERE n IN (SELECT value FROM json_each(?))",
                (json.dumps(numbers),)):
            new.ids[n], new.kinds[n], new.titles[n], new.years[n] = doc_id, kind, title, year
            bisect.insort(new._by_title, (title.casefold(), n))
            new.number[doc_id], new.names[doc_id] = n, title
        new.concepts = dict(old.concepts)
        new.hidden_bits = dict(old.hidden_bits)
        new.facets = {name: dict(values) for name, values in old.facets.items()}
        for family, value in delta["bits"]:
            row = new.db.execute("SELECT bits FROM bits WHERE family = ? AND value = ?", (family, value)).fetchone()
            values = new._family(family)
            if row:
                values[value] = int.from_bytes(row[0], "little")
            elif family == "hidden":   # as a fresh open: every level has a bitset, maybe empty
                values[value] = 0
            else:
                values.pop(value, None)
        if meta["list_labels"] != old._list_labels:
            new.names = dict(zip(new.ids, new.titles))
        new._derive(meta)
        return new

    def _connect(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        db = self.db   # raises sqlite3.Error when the file is missing or corrupt
        for table in ("fts", "champions"):   # an older or broken file fails here, not at the first query
            db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchall()

    def _meta(self) -> dict:
        return {k: json.loads(v) for k, v in self.db.execute("SELECT key, value FROM meta")}

    def _family(self, family: str) -> dict[str, int]:
        """The bitsets of one family of the `bits` table: concepts, hidden per level, or a facet's values."""
        if family == "concept":
            return self.concepts
        if family == "hidden":
            return self.hidden_bits
        return self.facets[family[2:]]

    def _derive(self, meta: dict) -> None:
        """What follows from the documents, bitsets and meta once they are read."""
        self.title_rank = [0] * len(self.ids)   # sorting hits by title is then sorting small ints
        for rank, (_, n) in enumerate(self._by_title):
            self.title_rank[n] = rank
        self.all = (1 << len(self.ids)) - 1
        self.kind_bits = {kind: self.facets["soort"].get(kind, 0) for kind in KIND_ORDER}
        self.labels: dict[str, list[str]] = meta["labels"]
        self._list_labels = meta["list_labels"]
        self.names.update(self._list_labels)   # the display labels of fixed-list facet values
        self.places: set[str] = set(meta["places"])
        self._wordlists: dict[str, list[str]] = {}

    @property
    def db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "db", None)
        if conn is None:
            if not self.path.is_file():
                raise sqlite3.OperationalError(f"{self.path} ontbreekt")
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.db = conn
        return conn

    def doc_count(self) -> int:
        return len(self.ids)

    def term_df(self, terms) -> dict[str, int]:
        terms = list(terms)
        marks = ",".join("?" * len(terms))
        return dict(self.db.execute(f"SELECT term, df FROM terms WHERE term IN ({marks})", terms)) if terms else {}

    def hidden(self, level: str = "openbaar") -> int:
        """The documents a reader of `level` ("openbaar", "netwerk" or "alles") may not see."""
        return self.hidden_bits.get(level, 0)

    def word_df(self, word: str, level: str = "openbaar") -> int:
        """In how many documents visible at `level` the word occurs."""
        column = WORD_DF[level]
        row = self.db.execute(f"SELECT {column} FROM words WHERE word = ?", (word,)).fetchone()
        return row[0] if row else 0

    def wordlist(self, level: str = "openbaar") -> list[str]:
        """The sorted spelling vocabulary of what `level` may see, read on first use (only misspelt
        queries need it)."""
        if level not in self._wordlists:
            column = WORD_DF[level]
            self._wordlists[level] = [w for (w,) in self.db.execute(
                f"SELECT word FROM words WHERE {column} > 0 ORDER BY word")]
        return self._wordlists[level]

    def stored(self, numbers: list[int]) -> dict[int, dict]:
        """Stored fields of some documents."""
        if not numbers:
            return {}
        marks = ",".join("?" * len(numbers))
        rows = self.db.execute(f"SELECT n, id, kind, title, summary, body, concepts FROM docs WHERE n IN ({marks})",
                               numbers)
        return {n: {"id": i, "kind": k, "title": t, "summary": s, "body": b,
                    "concepts": set(c.split(",")) - {""}} for n, i, k, t, s, b, c in rows}

    def champions(self, terms) -> tuple[int, list[tuple[int, float]]] | None:
        """Hits and best (number, score) of a query of common terms only; None if a term is not common.

        A document's score is the sum of its scores in each term's list (0 where it is not among a term's best).
        """
        terms = list(terms)
        marks = ",".join("?" * len(terms))
        rows = self.db.execute(f"SELECT bits, best FROM champions WHERE term IN ({marks})", terms).fetchall()
        if not terms or len(rows) != len(terms):
            return None
        hits, scores = 0, defaultdict(float)
        for blob, best in rows:
            hits |= int.from_bytes(blob, "little")
            for n, score in json.loads(best):
                scores[n] += score
        return hits, list(scores.items())

    def scored(self, match: str, ordered: bool = False) -> list[tuple[int, float]]:
        """(document number, bm25 score ≥ 0) of every text hit; best first when `ordered`."""
        weights = ",".join(map(str, WEIGHTS))
        order = " ORDER BY rank" if ordered else ""
        return self.db.execute(f"SELECT rowid, -bm25(fts, {weights}) FROM fts WHERE fts MATCH ?{order}",
                               (match,)).fetchall()


def has(view: bytes, n: int) -> bool:
    """Whether bit `n` is set in `view`, the little-endian bytes of a bitset: O(1), where `bits >> n & 1`
    copies the whole bitset.

    >>> has(bits_view(0b1001, 8), 3), has(bits_view(0b1001, 8), 2)
    (True, False)
    """
    return bool(view[n >> 3] >> (n & 7) & 1)


def bits_view(bits: int, size: int) -> bytes:
    return bits.to_bytes(size // 8 + 1, "little")
