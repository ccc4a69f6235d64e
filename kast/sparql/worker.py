"""One query worker: a separate process that runs queries for `runner.Pool`, so a query that runs too long
can be stopped by killing the process (pyoxigraph cannot cancel a query from Python).

It opens each level's store read-only from disk (built by the parent) or sends the query to the external
store, and returns an `results.Answer`. Its address space is capped, so a query that would exhaust the
machine's memory ends this process instead. Imports no rdflib: a new worker starts in well under a second.
"""
import resource
import sys
from multiprocessing.connection import Connection

import pyoxigraph as ox

from . import remote, results


def main(conn, memory_mb: int | None) -> None:
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    stores: dict[str, ox.Store] = {}
    conn.send(("klaar", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", run(job, stores)))
        except SyntaxError as exc:
            conn.send(("fout", f"de query is ongeldig: {_line(exc)}"))
        except remote.RemoteError as exc:   # the client hears only that it failed; the server log says why
            conn.send(("extern", str(exc)))
        except MemoryError:
            conn.send(("fout", "de query vraagt te veel geheugen; maak hem kleiner (LIMIT, minder variabelen)"))
        except Exception as exc:   # evaluation errors of any kind become a Dutch message, never a traceback
            conn.send(("fout", f"de query kon niet worden uitgevoerd: {_line(exc)}"))


def _line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:300]


def run(job: dict, stores: dict) -> results.Answer:
    fmt, cap = job["fmt"], job["cap"]
    graph_format = results.GRAPH_TYPES[job["graph_mime"]]
    if job.get("remote"):
        result = remote.execute(job["remote"], job["text"], job["form"], job["timeout"],
                                job["default_graphs"], job["named_graphs"], job["base"])
    else:
        path = job["store"]
        store = stores.get(path)
        if store is None:
            store = stores[path] = ox.Store.read_only(path)
        options = {"base_iri": job["base"]}
        if job["default_graphs"] or job["named_graphs"]:
            options["default_graph"] = [ox.NamedNode(g) for g in job["default_graphs"]] or None
            options["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]] or None
        elif not job["has_dataset"]:   # FROM in the query chooses the dataset itself
            options["use_default_graph_as_union"] = True
        result = store.query(job["text"], **options)
    return results.answer(result, fmt, graph_format, cap, job["prefixes"])


if __name__ == "__main__":   # started by runner._Slot: python -m kast.sparql.worker FD MEMORY_MB
    main(Connection(int(sys.argv[1])), int(sys.argv[2]) or None)
