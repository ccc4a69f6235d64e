"""An external SPARQL 1.1 store for scale-out (Oxigraph server, Apache Jena Fuseki, QLever …).

`KAST_SPARQL_ENDPOINT` is its query URL, `KAST_SPARQL_UPDATE_ENDPOINT` its update URL (by default the
query URL with `/query` replaced by `/update`, as Oxigraph server and Fuseki name them). The store must
answer queries without GRAPH from the union of its named graphs (`oxigraph serve --union-default-graph`,
Fuseki `unionDefaultGraph`).

Only the public level is pushed there: what the network or curators may see never leaves the process.
`sync` compares the hash of every file graph with the manifest graph in the store and sends each changed
file as `DROP SILENT GRAPH` plus `INSERT DATA` in ONE update request, so no reader ever sees the file
half-loaded or empty (a Graph Store `PUT` would clear and load in two transactions).
"""
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pyoxigraph as ox

BATCH_TRIPLES = 20_000   # several small files share one request; one file is never split


class RemoteError(RuntimeError):
    """The external store did not answer as expected; the message is Dutch."""


def _post(url: str, form: dict, accept: str, timeout: float) -> bytes:
    data = urllib.parse.urlencode(form, doseq=True).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST", headers={
        "Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode("utf-8", "replace").strip().splitlines()
        raise RemoteError(f"de externe SPARQL-store ({url}) antwoordde {exc.code}: "
                          f"{detail[0] if detail else exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise RemoteError(f"de externe SPARQL-store ({url}) is niet bereikbaar: {getattr(exc, 'reason', exc)}") from None


def execute(url: str, text: str, form: str, timeout: float, default_graphs=(), named_graphs=(), base=None):
    """Run a query there and return it as pyoxigraph would: solutions, a boolean or triples.

    `base` resolves the relative IRIs of the kast's own queries (`PREFIX kast: <def/>`), as the embedded
    store does with its base IRI."""
    if base:
        text = f"BASE <{base}>\n{text}"
    params = {"query": text, "default-graph-uri": list(default_graphs), "named-graph-uri": list(named_graphs)}
    if form in ("CONSTRUCT", "DESCRIBE"):
        body = _post(url, params, "application/n-triples", timeout)
        return ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
    body = _post(url, params, "application/sparql-results+json", timeout)
    return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)


@dataclass
class RemoteStore:
    query_url: str
    update_url: str
    timeout: float = 60.0

    @classmethod
    def from_env(cls) -> "RemoteStore | None":
        url = os.environ.get("KAST_SPARQL_ENDPOINT")
        if not url:
            return None
        update = os.environ.get("KAST_SPARQL_UPDATE_ENDPOINT") or (
            url[: -len("/query")] + "/update" if url.endswith("/query") else url)
        return cls(url, update)

    def update(self, text: str) -> None:
        _post(self.update_url, {"update": text}, "*/*", self.timeout)

    def manifest(self, base: str) -> dict[str, str]:
        """graph IRI → content hash, as the store holds it now."""
        from .store import GRAPH_SEGMENT, MANIFEST

        text = (f"SELECT ?g ?h WHERE {{ GRAPH <{base}{GRAPH_SEGMENT}{MANIFEST}> "
                f"{{ ?g <http://purl.org/dc/terms/identifier> ?h }} }}")
        return {row["g"].value: row["h"].value for row in execute(self.query_url, text, "SELECT", self.timeout)}

    def execute(self, text: str, form: str, base: str | None = None):
        return execute(self.query_url, text, form, self.timeout, base=base)

    def sync(self, kast, level: str = "openbaar") -> dict:
        """Bring the store in line with the kast; returns counts of changed, removed and unchanged graphs."""
        from .store import GRAPH_SEGMENT, MANIFEST, level_graphs, with_manifest

        if level != "openbaar":
            raise RemoteError("alleen de openbare graaf gaat naar een externe store")
        base = kast.vocab.base
        graphs = level_graphs(kast, level)
        manifest_name = f"{base}{GRAPH_SEGMENT}{MANIFEST}"
        manifest_rows = _by_subject(with_manifest(graphs, base)[manifest_name])
        wanted = {g: str(o) for g, rows in manifest_rows.items() for _, p, o in rows if str(p).endswith("/identifier")}
        have = self.manifest(base)
        changed = [g for g in graphs if have.get(g) != wanted[g]]
        removed = [g for g in have if g not in wanted]

        batch, size = [], 0
        for name in changed:
            batch.append(_replace(name, graphs[name], manifest_name, manifest_rows[name]))
            size += len(graphs[name])
            if size >= BATCH_TRIPLES:
                self.update(" ;\n".join(batch))
                batch, size = [], 0
        for name in removed:
            batch.append(f"DROP SILENT GRAPH <{name}> ;\nDELETE WHERE {{ GRAPH <{manifest_name}> {{ <{name}> ?p ?o }} }}")
        if batch:
            self.update(" ;\n".join(batch))
        return {"gewijzigd": len(changed), "verwijderd": len(removed), "ongewijzigd": len(graphs) - len(changed)}


def _by_subject(triples) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for t in triples:
        out.setdefault(str(t[0]), []).append(t)
    return out


def _nt(triples) -> str:
    from .store import term

    return "\n".join(f"{term(s)} {term(p)} {term(o)} ." for s, p, o in triples)


def _replace(name: str, triples, manifest_name: str, manifest_rows) -> str:
    """One file's new content and its manifest entry: operations of a single update request."""
    return (f"DROP SILENT GRAPH <{name}> ;\n"
            f"DELETE WHERE {{ GRAPH <{manifest_name}> {{ <{name}> ?p ?o }} }} ;\n"
            f"INSERT DATA {{ GRAPH <{name}> {{\n{_nt(triples)}\n}}\n GRAPH <{manifest_name}> {{ {_nt(manifest_rows)} }} }}")
