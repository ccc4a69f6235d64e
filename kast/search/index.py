"""The search index on disk: SQLite FTS5 for the Dutch text, bitsets for concepts and facets.

Why not a Whoosh index: at 10,000 practices Whoosh (pure Python) took 20 s to write the index and
2–46 ms per query before facets, because it scores every hit in Python; FTS5 (C, in Python's standard
library) writes the same index in well under a second and ranks in a fraction of a millisecond
(`benchmarks/search.py` prints both). Whoosh still does the Dutch analysis (Snowball stemmer, stop words,
accent folding) and the spelling suggestions; FTS5 receives the analysed words.

Concept links and facet values are stored as bitsets over document numbers (Python ints): the hit set
of a concept, or the count of a facet value within the hits, is one `&` and one `bit_count()`.
"""
import json
import sqlite3
import threading
from collections import defaultdict
from pathlib import Path

from .analysis import stem, words
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


def write(path: Path, docs: list[Document], meta: dict, progress=None) -> None:
    """Write the index for `docs` into a new SQLite file at `path`."""
    docs = sorted(docs, key=lambda d: (KIND_ORDER.get(d.kind, 9), d.id))   # static order for ties
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    term_df: dict[str, int] = defaultdict(int)
    word_df: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])   # documents seen by: all, netwerk, openbaar
    families: dict[tuple[str, str], list[int]] = defaultdict(list)
    doc_rows, fts_rows, term_sets = [], [], []
    hidden = {level: set(ids) for level, ids in meta.get("hidden", {}).items()}
    for n, doc in enumerate(docs):
        seen_by = (True,) + tuple(doc.id not in hidden.get(level, ()) for level in ("netwerk", "openbaar"))
        for level in HIDDEN_LEVELS:
            if doc.id in hidden.get(level, ()):
                families["hidden", level].append(n)
        texts = (doc.title, "\n".join(doc.labels), doc.summary, doc.body)
        analysed = [words(t) for t in texts]
        fts_rows.append((n, *(" ".join(stem(w) for w in ws) for ws in analysed)))
        doc_words = {w for ws in analysed for w in ws}
        for w in doc_words:   # per reader level, so the speller never suggests a word only hidden entries have
            counts = word_df[w]
            for i, seen in enumerate(seen_by):
                counts[i] += seen
        doc_terms = {stem(w) for w in doc_words}
        for t in doc_terms:
            term_df[t] += 1
        term_sets.append(doc_terms)
        for c in doc.concepts:
            families["concept", c].append(n)
        for name in FACETS:
            for value in doc.facets.get(name, ()):
                families[f"f_{name}", value].append(n)
        years = [int(y) for y in doc.facets.get("jaar", ()) if y.isdigit()]
        doc_rows.append((n, doc.id, doc.kind, doc.title, "\n".join(doc.labels), doc.summary, doc.body,
                         ",".join(sorted(doc.concepts)), json.dumps({k: sorted(v) for k, v in doc.facets.items()},
                                                                    ensure_ascii=False), max(years, default=None)))
        if progress:
            progress(n + 1, len(docs))
    db.executemany("INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?,?)", doc_rows)
    db.executemany("INSERT INTO fts(rowid, title, labels, summary, body) VALUES (?,?,?,?,?)", fts_rows)
    db.executemany("INSERT INTO terms VALUES (?,?)", term_df.items())
    db.executemany("INSERT INTO words VALUES (?,?,?,?)", ((w, *c) for w, c in word_df.items()))
    db.executemany("INSERT INTO bits VALUES (?,?,?)",
                   ((family, value, _blob(to_bits(ns))) for (family, value), ns in families.items()))
    db.executemany("INSERT INTO meta VALUES (?,?)", ((k, json.dumps(v, ensure_ascii=False)) for k, v in meta.items()))
    db.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    _write_champions(db, term_df, term_sets)
    db.commit()
    db.close()


def _write_champions(db: sqlite3.Connection, term_df: dict[str, int], term_sets: list[set[str]]) -> None:
    """For each common term, its documents as a bitset and its best documents with their bm25 scores.

    A query of common terms only ("ondermijning" in a kast about ondermijning) would otherwise make FTS5
    score thousands of documents (6 ms at 10,000 practices); the "champion lists" of the IR textbooks
    (Manning, Raghavan & Schütze, §7.1.3) answer it from these rows instead.
    """
    common = {t for t, df in term_df.items() if df > COMMON * len(term_sets)}
    postings: dict[str, list[int]] = {t: [] for t in common}
    for n, doc_terms in enumerate(term_sets):
        for t in doc_terms & common:
            postings[t].append(n)
    weights = ",".join(map(str, WEIGHTS))
    for t in sorted(common):
        best = db.execute(f"SELECT rowid, -bm25(fts, {weights}) FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ?",
                          ('"' + t + '"', CHAMPIONS)).fetchall()
        db.execute("INSERT INTO champions VALUES (?,?,?)", (t, _blob(to_bits(postings[t])), json.dumps(best)))


def _blob(bits: int) -> bytes:
    return bits.to_bytes(max(1, (bits.bit_length() + 7) // 8), "little")


class SearchIndex:
    """An opened index, read-only and shared by the threads of one process (one connection per thread)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        db = self.db   # raises sqlite3.Error when the file is missing or corrupt
        for table in ("fts", "champions"):   # an older or broken file fails here, not at the first query
            db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchall()
        self.ids: list[str] = []
        self.kinds: list[str] = []
        self.titles: list[str] = []
        self.years: list[int | None] = []
        for doc_id, kind, title, year in db.execute("SELECT id, kind, title, year FROM docs ORDER BY n"):
            self.ids.append(doc_id)
            self.kinds.append(kind)
            self.titles.append(title)
            self.years.append(year)
        self.number = {doc_id: n for n, doc_id in enumerate(self.ids)}
        by_title = sorted(range(len(self.ids)), key=lambda n: (self.titles[n].casefold(), n))
        self.title_rank = [0] * len(self.ids)   # sorting hits by title is then sorting small ints
        for rank, n in enumerate(by_title):
            self.title_rank[n] = rank
        self.all = (1 << len(self.ids)) - 1
        self.concepts: dict[str, int] = {}
        self.hidden_bits = {level: 0 for level in HIDDEN_LEVELS}   # per reader level: practices it may not see
        self.facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        for family, value, blob in db.execute("SELECT family, value, bits FROM bits"):
            bits = int.from_bytes(blob, "little")
            if family == "concept":
                self.concepts[value] = bits
            elif family == "hidden":
                self.hidden_bits[value] = bits
            else:
                self.facets[family[2:]][value] = bits
        self.kind_bits = {kind: self.facets["soort"].get(kind, 0) for kind in KIND_ORDER}
        meta = {k: json.loads(v) for k, v in db.execute("SELECT key, value FROM meta")}
        self.labels: dict[str, list[str]] = meta["labels"]
        self.names: dict[str, str] = meta["names"]
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
