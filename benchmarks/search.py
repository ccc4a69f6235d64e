"""Search benchmark: the kast's search against an rdflib CONTAINS scan, raw SQLite FTS5 and a Whoosh index.

    .venv/bin/python benchmarks/search.py [--corpus /tmp/corpus10k] [--practices 10000] [--skip-whoosh]

Writes the synthetic corpus first when the folder does not exist. Prints, in one run: cold build (load,
SHACL validation, index) and its peak memory, warm start, in-process search latency p50/p95 over the
fixed queries below (with facets), the same queries as a plain rdflib SPARQL CONTAINS scan, as SQLite FTS5
on the same raw texts and (for the record of why the kast does not use it) as a Whoosh index; and the
search page of the site (Flask test client) when the web package is there. Each phase that measures time
or memory from a cold start runs in its own process.
"""
import argparse
import json
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Officials' words, with the filters a user clicks. Every query also computes all facet counts.
QUERIES = [
    ("bedreiging wethouder", {}), ("13b", {}), ("motorbendes", {}), ("zorgfraude", {}),
    ("huurders screenen", {}), ("vakantieparken", {"soort": ["praktijk"]}), ("bibob horeca", {}),
    ("witwassen vastgoed", {}), ("hennep", {"praktijksoort": ["worst"]}), ("drugs", {}),
    ("integriteit", {"soort": ["praktijk"], "praktijksoort": ["best"]}), ("weerbaarheidsscan", {}),
    ("barrièremodel", {}), ("damoclesbeleid", {"provincie": ["pv22"]}), ("ondermijning", {}),
    ("riec", {"soort": ["praktijk"]}), ("privacy informatie delen", {}), ("burgemeester bevoegdheid", {}),
    ("coffeeshop", {}), ("mensenhandel prostitutie", {}), ("arbeidsuitbuiting", {"bewijsniveau": ["_geen"]}),
    ("woning sluiten", {}), ("intimidatie raadsleden", {}), ("signaleren", {"soort": ["instrument"]}),
    ("meld misdaad anoniem", {}), ("ondermijningsbeeld", {}), ("bestuurlijke rapportage", {}),
    ("garageboxen", {}), ("bedrijventerrein", {"riec": ["riec-noord-nederland"]}), ("OMG", {}),
    ("aanpak van drugs in de gemeente", {}), ("ondermijnig", {}),
]
RUNS = 5


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(phase: str, corpus: Path, index: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", phase, "--corpus", str(corpus), "--index", str(index)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- phases in their own process

def phase_build(corpus: Path, index: Path) -> dict:
    from kast.loader import load
    from kast.search import IndexStore

    t0 = time.perf_counter()
    kast = load(corpus, shacl=True)
    t1 = time.perf_counter()
    errors = len(kast.errors)
    store = IndexStore(root=index, data_dir=corpus)
    t2 = time.perf_counter()
    opened = store.rebuild(kast=kast)   # as `kast serve` does: the loaded graph is indexed, not read again
    t3 = time.perf_counter()
    return {"load_validate_s": t1 - t0, "index_s": t3 - t2, "total_s": t3 - t0, "errors": errors,
            "docs": opened.index.doc_count(), "peak_mb": peak_mb()}


def phase_warm(corpus: Path, index: Path) -> dict:
    t0 = time.perf_counter()
    from kast.search import IndexStore, search

    opened = IndexStore(root=index, data_dir=corpus).open()
    search("bibob", opened=opened)
    return {"warm_s": time.perf_counter() - t0, "peak_mb": peak_mb()}


def phase_search(corpus: Path, index: Path) -> dict:
    from kast.search import IndexStore, search

    opened = IndexStore(root=index, data_dir=corpus).open()
    times, totals = [], {}
    for _ in range(RUNS):
        for q, facets in QUERIES:
            t = time.perf_counter()
            r = search(q, facets=facets, opened=opened)
            times.append((time.perf_counter() - t) * 1000)
            totals[q] = r.total
    return {"p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95), "max_ms": max(times),
            "runs": len(times), "totals": totals, "peak_mb": peak_mb()}


def phase_web(corpus: Path, index: Path) -> dict:
    try:
        from web import create_app
    except ImportError:
        return {}
    app = create_app({"KAST_DATA": str(corpus), "KAST_INDEX": str(index), "TESTING": True})
    client = app.test_client()
    client.get("/zoeken?q=bibob")
    times = []
    for _ in range(RUNS):
        for q, facets in QUERIES:
            params = [("q", q)] + [(name, v) for name, values in facets.items() for v in values]
            t = time.perf_counter()
            response = client.get("/zoeken", query_string=params)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (q, response.status_code)
    return {"p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95), "runs": len(times)}


# ---------------------------------------------------------------- comparisons in this process

def texts_of(kast) -> list[tuple[str, str]]:
    from kast.search.documents import DocumentBuilder

    return [(d.id, "\n".join([d.title, *d.labels, d.summary, d.body])) for d in DocumentBuilder(kast).build()]


def contains_scan(kast) -> list[float]:
    """Plain SPARQL: every literal of an entity that contains one of the query's words (lowercased)."""
    times = []
    for q, _ in QUERIES:
        words = [w for w in q.lower().split() if len(w) > 2] or [q.lower()]
        condition = " || ".join(f'CONTAINS(LCASE(STR(?o)), "{w}")' for w in words)
        sparql = f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o . FILTER(isLiteral(?o) && ({condition})) }}"
        t = time.perf_counter()
        list(kast.graph.query(sparql))
        times.append((time.perf_counter() - t) * 1000)
    return times


def fts5_raw(texts) -> tuple[float, list[float]]:
    """SQLite FTS5 on the same texts, unstemmed, its own accent folding; bm25 top 10."""
    t = time.perf_counter()
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO t(rowid, body) VALUES (?, ?)", ((n, text) for n, (_, text) in enumerate(texts)))
    build = time.perf_counter() - t
    times = []
    for _ in range(RUNS):
        for q, _ in QUERIES:
            match = " OR ".join('"' + w.replace('"', "") + '"' for w in q.split())
            t = time.perf_counter()
            db.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rank LIMIT 10", (match,)).fetchall()
            times.append((time.perf_counter() - t) * 1000)
    return build, times


def whoosh_index(kast, folder: Path) -> tuple[float, list[float]]:
    """The design the kast left: a Whoosh index with the same Dutch analysis, facets via groupedby."""
    from whoosh import index as whoosh_index_module, sorting
    from whoosh.fields import ID, KEYWORD, TEXT, Schema
    from whoosh.qparser import MultifieldParser, OrGroup
    from whoosh.query import And, Or, Term

    from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
    from whoosh.support.charset import accent_map

    from kast.search.analysis import STOPWORDS, TOKENS
    from kast.search.documents import FACETS, DocumentBuilder

    # The same chain as kast.search.analysis, with Whoosh's own (picklable) stemmer for its schema.
    nl = (RegexTokenizer(TOKENS) | LowercaseFilter() | CharsetFilter(accent_map)
          | StopFilter(stoplist=STOPWORDS, minsize=1) | StemFilter(lang="nl"))
    schema = Schema(id=ID(stored=True, unique=True), kind=ID(stored=True),
                    title=TEXT(analyzer=nl, stored=True, field_boost=4.0), labels=TEXT(analyzer=nl, field_boost=3.0),
                    summary=TEXT(analyzer=nl, field_boost=2.0), body=TEXT(analyzer=nl),
                    **{f"f_{name}": KEYWORD(commas=True) for name in FACETS})
    docs = DocumentBuilder(kast).build()
    t = time.perf_counter()
    ix = whoosh_index_module.create_in(str(folder), schema)
    writer = ix.writer(limitmb=256)
    for d in docs:
        writer.add_document(id=d.id, kind=d.kind, title=d.title, labels="\n".join(d.labels), summary=d.summary,
                            body=d.body, **{f"f_{name}": ",".join(d.facets[name]) for name in FACETS})
    writer.commit()
    build = time.perf_counter() - t
    parser = MultifieldParser(["title", "labels", "summary", "body"], schema, group=OrGroup.factory(0.9))
    groups = {name: sorting.FieldFacet(f"f_{name}", allow_overlap=True) for name in FACETS}
    times = []
    with ix.searcher() as searcher:
        for q, facets in QUERIES:   # one run each: a full run takes minutes
            clauses = [Or([Term(f"f_{n}", v) for v in vs]) for n, vs in facets.items()]
            t = time.perf_counter()
            searcher.search(parser.parse(q), limit=10, groupedby=groups, filter=And(clauses) if clauses else None)
            times.append((time.perf_counter() - t) * 1000)
    return build, times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("/tmp/corpus10k"))
    ap.add_argument("--practices", type=int, default=10_000)
    ap.add_argument("--index", type=Path)
    ap.add_argument("--phase")
    ap.add_argument("--skip-whoosh", action="store_true")
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(globals()[f"phase_{args.phase}"](args.corpus, args.index)))
        return

    from kast.corpus import generate
    from kast.loader import load

    if not args.corpus.exists():
        print(f"corpus schrijven: {args.practices} praktijken naar {args.corpus} …", flush=True)
        generate(args.corpus, args.practices, seed=2017)
    work = Path(tempfile.mkdtemp(prefix="kast-bench-"))
    try:
        index = work / "index"
        build = child("build", args.corpus, index)
        print(f"Corpus: {args.corpus} ({build['docs']} doorzoekbare items, {build['errors']} validatiefouten)")
        print(f"Koude bouw: laden + SHACL {build['load_validate_s']:.1f} s, index {build['index_s']:.1f} s, "
              f"samen {build['total_s']:.1f} s (doel ≤ 10 s); piekgeheugen {build['peak_mb']:.0f} MB (doel ≤ 500 MB)")
        warm = child("warm", args.corpus, index)
        print(f"Warme start (nieuw proces, index openen + eerste zoekvraag): {warm['warm_s']:.2f} s (doel ≤ 2 s), "
              f"{warm['peak_mb']:.0f} MB")
        ours = child("search", args.corpus, index)
        print(f"\n{len(QUERIES)} vragen met facetten, {RUNS}× elk ({ours['runs']} metingen), p50 / p95 in ms:")
        line("kast search (FTS5 + bitsets)", ours["p50_ms"], ours["p95_ms"], "doel p95 ≤ 5 ms")
        web = child("web", args.corpus, index)
        if web:
            line("zoekpagina /zoeken (Flask)", web["p50_ms"], web["p95_ms"], "doel p95 ≤ 50 ms")
        kast = load(args.corpus, shacl=False)
        fts_build, fts_times = fts5_raw(texts_of(kast))
        line("SQLite FTS5 kaal (zelfde teksten)", percentile(fts_times, 50), percentile(fts_times, 95),
             f"index {fts_build:.2f} s")
        if not args.skip_whoosh:
            (work / "whoosh").mkdir()
            whoosh_build, whoosh_times = whoosh_index(kast, work / "whoosh")
            line("Whoosh-index + groupedby (1× elk)", percentile(whoosh_times, 50), percentile(whoosh_times, 95),
                 f"index {whoosh_build:.1f} s; kast / Whoosh p50: "
                 f"{percentile(whoosh_times, 50) / ours['p50_ms']:.0f}× sneller")
        contains = contains_scan(kast)
        line("rdflib SPARQL CONTAINS (1× elk)", percentile(contains, 50), percentile(contains, 95),
             f"kast is {percentile(contains, 50) / ours['p50_ms']:.0f}× sneller (p50; doel ≥ 100×)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def line(name: str, p50: float, p95: float, note: str = "") -> None:
    print(f"  {name:36} {p50:10.2f} {p95:10.2f}   {note}", flush=True)


if __name__ == "__main__":
    main()
