"""SPARQL benchmark: the competency queries on the embedded Oxigraph store against rdflib, load times, and the
/sparql endpoint under concurrent clients.

    .venv/bin/python benchmarks/sparql.py [--corpus /tmp/corpus10k] [--practices 10000] [--runs 20]
                                          [--rdflib-runs 3] [--clients 10] [--requests 20]

Writes the synthetic corpus first when the folder does not exist (kast.corpus). Prints, in one run:
loading the kast (rdflib, no SHACL), splitting it into file graphs per visibility level, building the
in-memory and the on-disk store; each competency query's p50/p95 on the in-memory store, the same query
text on rdflib's in-memory graph and the ratio; the same queries through the worker process (as the
endpoint runs them); and the endpoint served by waitress on a loopback port with `--clients` concurrent
clients, each sending `--requests` queries (bounded, never another host).
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def embedded_and_rdflib(corpus: Path, runs: int, rdflib_runs: int) -> list[dict]:
    from rdflib.plugins.sparql import prepareQuery

    from kast.loader import load
    from kast.queries import examples
    from kast.sparql import store
    from kast.sparql.service import Service, Settings

    t0 = time.perf_counter()
    kast = load(corpus, shacl=False)
    t1 = time.perf_counter()
    graphs = store.level_store_graphs(kast, "openbaar")
    t2 = time.perf_counter()
    memory = store.build(graphs)
    t3 = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        store.build(graphs, Path(folder) / "openbaar")
        t4 = time.perf_counter()
    triples = sum(len(v) for v in graphs.values())
    print(f"corpus {corpus}: {len(kast.graph):,} tripels in rdflib; de store van het niveau openbaar: {triples:,} "
          f"tripels in {len(graphs):,} benoemde graven (één per bestand, en de graaf 'bestanden' met twee per bestand)")
    print(f"  kast laden (rdflib, zonder SHACL)      {t1 - t0:6.1f} s")
    print(f"  opdelen per bestand (niveau openbaar)  {t2 - t1:6.1f} s")
    print(f"  Oxigraph in geheugen vullen            {t3 - t2:6.1f} s")
    print(f"  Oxigraph op schijf (bulk, geoptimaliseerd) {t4 - t3:6.1f} s", flush=True)

    # rdflib answers from the graph of the same level: the public graph as one rdflib Graph
    from kast.links import public_graph
    from kast.visibility import hidden

    public = public_graph(kast, hidden(kast))
    rows = []
    print(f"\n{'query':38} {'oxigraph p50':>13} {'p95':>9} {'rdflib p50':>11} {'p95':>9} {'factor':>7} {'rijen':>6}")
    for example in examples(kast):
        text = example["query"]
        answer = list(memory.query(text, base_iri=kast.vocab.base, use_default_graph_as_union=True))
        ox_times = timed(lambda: list(memory.query(text, base_iri=kast.vocab.base, use_default_graph_as_union=True)), runs)
        prepared = prepareQuery(text, base=kast.vocab.base)
        rd_answer = list(public.query(prepared))
        rd_times = timed(lambda: list(public.query(prepared)), rdflib_runs)
        row = {"query": example["naam"], "rows": len(answer), "rdflib_rows": len(rd_answer),
               "ox_p50": percentile(ox_times, 50), "ox_p95": percentile(ox_times, 95),
               "rd_p50": percentile(rd_times, 50), "rd_p95": percentile(rd_times, 95)}
        row["factor"] = row["rd_p50"] / row["ox_p50"]
        rows.append(row)
        flag = "" if row["rows"] == row["rdflib_rows"] else f"  (rdflib: {row['rdflib_rows']} rijen)"
        print(f"{row['query']:38} {ms(row['ox_p50']):>13} {ms(row['ox_p95']):>9} {ms(row['rd_p50']):>11} "
              f"{ms(row['rd_p95']):>9} {row['factor']:6.0f}× {row['rows']:6}{flag}", flush=True)
    worst = max(r["ox_p95"] for r in rows)
    factors = sorted(r["factor"] for r in rows)
    print(f"\nslechtste p95 op Oxigraph: {ms(worst)}; factor rdflib/Oxigraph (p50): mediaan "
          f"{statistics.median(factors):.0f}×, van {factors[0]:.0f}× tot {factors[-1]:.0f}×")

    # through a worker process, as /sparql runs them (guard, pipe, serialisation to SPARQL JSON)
    service = Service(kast, settings=Settings(timeout=60, budget=1e9))
    try:
        t0 = time.perf_counter()
        service.level("openbaar")
        print(f"\nstore van het eindpunt bouwen (niveau openbaar, op schijf) {time.perf_counter() - t0:.1f} s")
        service.execute("ASK {}")   # starts the worker
        worker = []
        for example in examples(kast):
            worker += timed(lambda: service.execute(example["query"], fmt="json"), max(3, runs // 4))
        print(f"via de werker (guard + proces + SPARQL-JSON), alle vragen: p50 {ms(percentile(worker, 50))}, "
              f"p95 {ms(percentile(worker, 95))}", flush=True)
    finally:
        service.close()
    return rows


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVER = """
import sys
from waitress import serve
from web import create_app
serve(create_app({"KAST_DATA": sys.argv[1], "KAST_INDEX": sys.argv[2]}), host="127.0.0.1", port=int(sys.argv[3]),
      threads=12, _quiet=True)
"""


def endpoint(corpus: Path, clients: int, requests: int) -> None:
    """waitress on a loopback port, `clients` threads each sending `requests` competency queries."""
    from kast.loader import load
    from kast.queries import examples

    texts = [e["query"] for e in examples(load(shacl=False))]   # same text on the corpus: names are shared
    port = free_port()
    env = dict(os.environ, KAST_SPARQL_BUDGET="100000", PYTHONPATH=str(ROOT))
    with tempfile.TemporaryDirectory() as index:
        server = subprocess.Popen([sys.executable, "-c", SERVER, str(corpus), index, str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = f"http://127.0.0.1:{port}/sparql"
        try:
            t0 = time.perf_counter()
            while True:
                try:
                    ask(url, "ASK {}")
                    break
                except OSError:
                    if server.poll() is not None or time.perf_counter() - t0 > 600:
                        raise SystemExit(f"de server start niet: {server.stderr.read().decode()[-800:]}")
                    time.sleep(0.5)
            print(f"\neindpunt klaar na {time.perf_counter() - t0:.1f} s (laden + store van het niveau openbaar)")
            latencies, errors = [], []
            lock = threading.Lock()

            def client(n: int) -> None:
                for i in range(requests):
                    text = texts[(n + i) % len(texts)]
                    started = time.perf_counter()
                    try:
                        status = ask(url, text)
                    except Exception as exc:   # the benchmark reports every failure
                        status = repr(exc)
                    with lock:
                        latencies.append(time.perf_counter() - started)
                        if status != 200:
                            errors.append(status)

            threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            took = time.perf_counter() - t0
            print(f"{clients} gelijktijdige clients × {requests} vragen: {len(latencies)} antwoorden in {took:.1f} s "
                  f"({len(latencies) / took:.0f}/s), p50 {ms(percentile(latencies, 50))}, "
                  f"p95 {ms(percentile(latencies, 95))}, max {ms(max(latencies))}, fouten: {len(errors)}"
                  + (f" {sorted(set(map(str, errors)))}" if errors else ""))
        finally:
            server.terminate()   # the server this benchmark started
            server.wait(30)


def ask(url: str, text: str) -> int:
    data = urllib.parse.urlencode({"query": text}).encode()
    request = urllib.request.Request(url, data=data, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            json.loads(response.read())
            return response.status
    except urllib.error.HTTPError as exc:
        return f"{exc.code}: {exc.read(300).decode('utf-8', 'replace')}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/corpus10k"))
    parser.add_argument("--practices", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rdflib-runs", type=int, default=3)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--skip-endpoint", action="store_true")
    args = parser.parse_args()
    if not args.corpus.exists():
        from kast.corpus import generate

        print(f"corpus schrijven naar {args.corpus} ({args.practices} praktijken) …", flush=True)
        generate(args.corpus, args.practices)
    embedded_and_rdflib(args.corpus, args.runs, args.rdflib_runs)
    if not args.skip_endpoint:
        endpoint(args.corpus, args.clients, args.requests)


if __name__ == "__main__":
    main()
