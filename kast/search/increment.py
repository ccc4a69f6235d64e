"""Changing a copy of the search index in place: only the rows, counts, bitsets and champion lists of the
documents that changed are rewritten.

The change is recorded in the file itself (meta `delta`: the checksum of the file it was copied from, the
new document count, the document numbers written and the bitsets touched), so a process that holds that
previous file open reads just those rows to follow (`SearchIndex.following`) instead of the whole index.
"""
import json
import sqlite3
from collections import defaultdict
from pathlib import Path

from .documents import Document
from .index import (HIDDEN_LEVELS, WEIGHTS, CHAMPIONS, COMMON, _blob, _doc_row, _families, _levels, _seen_by,
                    _write_champions, analyse, to_bits)


def update(path: Path, docs: list[Document], gone: set[str], meta: dict, source: str) -> dict:
    """Change the index file at `path` in place: documents with an id in `gone` leave, `docs` come in
    (a changed document is in both). Document numbers stay dense (0…N-1, the bitsets depend on it): a
    document numbered beyond the new count moves into a freed number. `source`: the checksum of the file
    `path` was copied from. Returns the delta it recorded.

    The file is a private copy until it is published (renamed into place, its checksum written after this
    returns), so it is written without a journal on disk and without fsync: a crash leaves either an
    unpublished copy, which is cleared away, or a file whose checksum fails, which is built again."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = MEMORY")
    db.execute("PRAGMA synchronous = OFF")
    count = db.execute("SELECT COUNT(*) FROM docs").fetchone()[0]
    incoming = {d.id for d in docs}
    leaving = {n for (n,) in db.execute("SELECT n FROM docs WHERE id IN (SELECT value FROM json_each(?))",
                                        (json.dumps(sorted(gone | incoming)),))}
    final = count - len(leaving) + len(docs)
    moving = [n for (n,) in db.execute("SELECT n FROM docs WHERE n >= ?", (final,)) if n not in leaving]
    stored = {n: _stored_document(db, n) for n in leaving | set(moving)}
    moved = [stored[n] for n in moving]
    slots = sorted(n for n in leaving if n < final) + list(range(count, final))   # the free numbers below `final`
    hidden_keys = [("hidden", level) for level in HIDDEN_LEVELS]
    keys = set(hidden_keys).union(*(_families(doc) for doc in [*stored.values(), *docs]))
    bits = _read_bits(db, keys)   # only the bitsets these documents are in, or come into
    touched: set[tuple[str, str]] = set()
    term_change: dict[str, int] = defaultdict(int)
    word_change: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    leaving_terms: set[str] = set()
    for n, doc in stored.items():
        columns, doc_words, doc_terms = analyse(doc)
        leaving_terms |= doc_terms
        db.execute("INSERT INTO fts(fts, rowid, title, labels, summary, body) VALUES ('delete', ?, ?, ?, ?, ?)",
                   (n, *columns))
        was_hidden = {level: {doc.id} if bits.get(("hidden", level), 0) >> n & 1 else set() for level in HIDDEN_LEVELS}
        for w in doc_words:
            for i, seen in enumerate(_seen_by(doc.id, was_hidden)):
                word_change[w][i] -= seen
        for t in doc_terms:
            term_change[t] -= 1
        for key in [*_families(doc), *hidden_keys]:
            if key in bits and bits[key] >> n & 1:
                bits[key] &= ~(1 << n)
                touched.add(key)
        db.execute("DELETE FROM docs WHERE n = ?", (n,))
    hidden = _levels(meta.get("hidden", {}))
    arriving = []
    for n, doc in zip(slots, [*docs, *moved], strict=True):
        columns, doc_words, doc_terms = analyse(doc)
        arriving.append((n, doc_terms))
        db.execute("INSERT INTO fts(rowid, title, labels, summary, body) VALUES (?,?,?,?,?)", (n, *columns))
        for w in doc_words:
            for i, seen in enumerate(_seen_by(doc.id, hidden)):
                word_change[w][i] += seen
        for t in doc_terms:
            term_change[t] += 1
        keys = list(_families(doc)) + [("hidden", level) for level in HIDDEN_LEVELS if doc.id in hidden[level]]
        for key in keys:
            bits[key] = bits.get(key, 0) | 1 << n
            touched.add(key)
        db.execute("INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?,?)", _doc_row(n, doc))
    for value, delta in term_change.items():
        if delta:
            db.execute("INSERT INTO terms VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + ?",
                       (value, delta, delta))
    db.execute("DELETE FROM terms WHERE df <= 0")
    for value, deltas in word_change.items():
        if any(deltas):
            db.execute("INSERT INTO words VALUES (?, ?, ?, ?) ON CONFLICT(word) DO UPDATE SET df = df + ?, "
                       "df_netwerk = df_netwerk + ?, df_openbaar = df_openbaar + ?", (value, *deltas, *deltas))
    db.execute("DELETE FROM words WHERE df <= 0")
    for family, value in touched:
        if bits[family, value]:
            db.execute("INSERT OR REPLACE INTO bits VALUES (?,?,?)", (family, value, _blob(bits[family, value])))
        else:
            db.execute("DELETE FROM bits WHERE family = ? AND value = ?", (family, value))
    delta = {"from": source, "count": final, "numbers": slots, "bits": sorted(touched)}
    db.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)",
                   ((k, json.dumps(v, ensure_ascii=False)) for k, v in {**meta, "delta": delta}.items()))
    _update_champions(db, final, set(stored), arriving, leaving_terms)
    db.commit()
    db.close()
    return delta


def _read_bits(db: sqlite3.Connection, keys) -> dict[tuple[str, str], int]:
    out = {}
    for family, value in keys:
        row = db.execute("SELECT bits FROM bits WHERE family = ? AND value = ?", (family, value)).fetchone()
        if row:
            out[family, value] = int.from_bytes(row[0], "little")
    return out


def _update_champions(db: sqlite3.Connection, count: int, leaving: set[int], arriving: list[tuple[int, set]],
                      leaving_terms: set[str]) -> None:
    """Keep the champion lists current without scoring every document again: documents that left are
    dropped, arriving ones are scored for the terms they contain and merged in. Only when a list was full
    and lost a member (the 101st best is unknown) is that term's list computed again. The scores of
    untouched documents keep the collection statistics of the last build (a change of one document moves
    them by a fraction of a per cent). Only the lists of the terms of leaving and arriving documents are read."""
    weights = ",".join(map(str, WEIGHTS))
    common = {t for (t,) in db.execute("SELECT term FROM terms WHERE df > ?", (COMMON * count,))}
    have = {t for (t,) in db.execute("SELECT term FROM champions")}
    db.executemany("DELETE FROM champions WHERE term = ?", ((t,) for t in have - common))
    relevant = leaving_terms.union(*(terms for _, terms in arriving))
    fresh = {}
    for t in sorted(common):
        if t not in have:
            fresh[t] = to_bits([n for (n,) in db.execute("SELECT rowid FROM fts WHERE fts MATCH ?", ('"' + t + '"',))])
            continue
        if t not in relevant:   # no document with this term left or came: its list stays as it is
            continue
        blob, best = db.execute("SELECT bits, best FROM champions WHERE term = ?", (t,)).fetchone()
        before = bits = int.from_bytes(blob, "little")
        best = json.loads(best)
        arrivals = [n for n, terms in arriving if t in terms]
        lost = [n for n in leaving if bits >> n & 1]
        if not arrivals and not lost:
            continue
        for n in lost:
            bits &= ~(1 << n)
        for n in arrivals:
            bits |= 1 << n
        kept = [pair for pair in best if pair[0] not in leaving]
        if len(kept) < len(best) and len(best) >= CHAMPIONS:
            fresh[t] = bits
            continue
        for n in arrivals:
            score = db.execute(f"SELECT -bm25(fts, {weights}) FROM fts WHERE fts MATCH ? AND rowid = ?",
                               ('"' + t + '"', n)).fetchone()
            if score:
                kept.append([n, score[0]])
        kept = sorted(kept, key=lambda pair: -pair[1])[:CHAMPIONS]
        if bits != before or kept != best:   # mostly a changed document stays in its number and below the best
            db.execute("INSERT OR REPLACE INTO champions VALUES (?,?,?)", (t, _blob(bits), json.dumps(kept)))
    db.executemany("DELETE FROM champions WHERE term = ?", ((t,) for t in fresh))
    _write_champions(db, fresh)


def _stored_document(db: sqlite3.Connection, n: int) -> Document:
    doc_id, kind, title, labels, summary, body, concepts, facets = db.execute(
        "SELECT id, kind, title, labels, summary, body, concepts, facets FROM docs WHERE n = ?", (n,)).fetchone()
    return Document(doc_id, kind, title, labels.split("\n") if labels else [], summary, body,
                    set(concepts.split(",")) - {""}, {k: set(v) for k, v in json.loads(facets).items()})
