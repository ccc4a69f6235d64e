"""The kast on an external SPARQL 1.1 store: a real `oxigraph serve` (from the `oxigraph` package) on a
free loopback port. The competency queries give the same answers there as on the embedded store, a
changed file is replaced in one update request, and nothing hidden ever reaches the external store."""
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from kast import config
from kast.loader import load
from kast.queries import examples, run
from kast.sparql import store
from kast.sparql.remote import RemoteError, RemoteStore

NETWORK_PRACTICE = "casusuitwisseling-tussen-gemeenten-stokt"


def oxigraph_binary() -> str:
    found = Path(sys.executable).with_name("oxigraph")
    found = str(found) if found.exists() else shutil.which("oxigraph")
    assert found, "oxigraph ontbreekt: pip install -e '.[test]' installeert het (pakket oxigraph)"
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def oxigraph_server(tmp_path):
    """`oxigraph serve` with its own folder, answering queries without GRAPH from the union of graphs."""
    port = free_port()
    process = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(tmp_path / "oxigraph"),
                                "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"oxigraph serve start niet: {process.stderr.read().decode()[:500]}")
            time.sleep(0.2)
    yield RemoteStore(f"{url}/query", f"{url}/update")
    process.terminate()   # only the server this fixture started
    process.wait(10)


def canonical(rows: list[dict]) -> list[tuple]:
    return sorted(tuple(sorted(r.items())) for r in rows)


def test_competency_queries_same_on_external_store(kast, oxigraph_server):
    counts = oxigraph_server.sync(kast)
    assert counts["gewijzigd"] > 50 and counts["verwijderd"] == 0
    public = store.build(store.level_store_graphs(kast, "openbaar"))
    compared = 0
    for example in examples(kast):
        embedded_rows = run(kast, example["query"], on=public)
        external_rows = run(kast, example["query"], on=oxigraph_server)
        assert canonical(external_rows) == canonical(embedded_rows), example["naam"]
        compared += bool(embedded_rows)
    assert compared == len(examples(kast)), "every competency query has an answer"
    # the bindings of `kast query -p` work there too
    rows = run(kast, "cq06", on=oxigraph_server, gemeente="gm0106")
    assert {r["riecnaam"] for r in rows} == {"RIEC Noord-Nederland"}


def test_nothing_hidden_reaches_the_external_store(kast, oxigraph_server):
    oxigraph_server.sync(kast)
    iri = kast.iri(NETWORK_PRACTICE)
    assert run(kast, f"ASK {{ <{iri}> ?p ?o }}")[0]["antwoord"] == "true"   # embedded: the curator's view
    assert run(kast, f"ASK {{ <{iri}> ?p ?o }}", on=oxigraph_server)[0]["antwoord"] == "false"
    assert run(kast, f"ASK {{ ?s ?p <{iri}> }}", on=oxigraph_server)[0]["antwoord"] == "false"
    with pytest.raises(RemoteError, match="openbare"):
        oxigraph_server.sync(kast, "netwerk")


def test_a_changed_file_is_replaced_in_one_update(tmp_path, oxigraph_server, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(config.DEFAULT_DATA, data)
    first = load(data, shacl=False)
    oxigraph_server.sync(first)
    assert oxigraph_server.sync(first)["gewijzigd"] == 0, "nothing changed: nothing is sent"

    path = data / "practices" / "actueel-damoclesbeleid.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("titel: ", "titel: Herzien - ", 1), encoding="utf-8")
    (data / "practices" / "anoniem-meldplatform-en-communicatie.md").unlink()
    second = load(data, shacl=False)
    sent = []
    original = RemoteStore.update
    monkeypatch.setattr(RemoteStore, "update", lambda self, t: (sent.append(t), original(self, t))[1])
    counts = oxigraph_server.sync(second)
    assert counts["gewijzigd"] == 1 and counts["verwijderd"] == 1
    graph = f"{second.vocab.base}graaf/practices/actueel-damoclesbeleid.md"
    replacing = [t for t in sent if f"DROP SILENT GRAPH <{graph}>" in t]
    assert len(replacing) == 1 and f"GRAPH <{graph}> {{" in replacing[0], "drop and insert in one request"

    title = run(second, "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?t WHERE { "
                        "<id/praktijk/actueel-damoclesbeleid> skos:prefLabel ?t }", on=oxigraph_server)
    assert [r["t"] for r in title] == [next(r["t"] for r in run(second, "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                                                                       "SELECT ?t WHERE { <id/praktijk/actueel-damoclesbeleid> skos:prefLabel ?t }"))]
    assert title[0]["t"].startswith("Herzien - ")
    gone = run(second, "ASK { <id/praktijk/anoniem-meldplatform-en-communicatie> ?p ?o }", on=oxigraph_server)
    assert gone == [{"antwoord": "false"}]


def test_endpoint_answers_from_the_external_store(kast, oxigraph_server, web_index, tmp_path):
    from .test_sparql import close, make_app

    app = make_app(tmp_path, KAST_INDEX=str(web_index), KAST_SPARQL_ENDPOINT=oxigraph_server.query_url,
                   KAST_SPARQL_TIMEOUT=5)
    client = app.test_client()
    query = "SELECT ?o WHERE { <http://example.org/alleen-extern> ?p ?o }"
    r = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.get_json()["boolean"] is True   # synced on first use
    oxigraph_server.update("INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/alleen-extern> "
                           "<http://example.org/p> \"van de externe store\" } }")
    r = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and "van de externe store" in r.get_data(as_text=True)
    r = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { <id/instrument/wet-bibob> ?p ?o }"},
                   headers={"Accept": "text/turtle"})
    triples = list(ox.parse(r.data, format=ox.RdfFormat.TURTLE))
    assert any(str(t.predicate.value).endswith("prefLabel") for t in triples)
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"})
    assert r.status_code == 400, "the guards stay in front of the external store"
    close(app)


def test_an_unreachable_external_store_is_a_clear_502(web_index, tmp_path):
    from .test_sparql import close, make_app

    app = make_app(tmp_path, KAST_INDEX=str(web_index), KAST_SPARQL_ENDPOINT=f"http://127.0.0.1:{free_port()}/query")
    client = app.test_client()
    r = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 502 and r.mimetype == "application/problem+json"
    assert "externe SPARQL-store" in r.get_json()["detail"] and "127.0.0.1" not in r.get_data(as_text=True)
    close(app)
