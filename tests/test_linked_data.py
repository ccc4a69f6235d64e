"""Linked Data: /id/… answers with content negotiation, /def/… serves the ontology, the dumps can be
downloaded, and two gunicorn worker processes serve the same site."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import web.site as site_module
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDFS

BASE = "https://data.apothekerskast.nl/"
BIBOB = URIRef(BASE + "id/instrument/wet-bibob")


def test_browser_is_sent_to_the_page(client):
    response = client.get("/id/instrument/wet-bibob", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/instrumenten/wet-bibob"
    assert "Accept" in response.headers["Vary"]
    assert client.get("/id/gemeente/gm0106").headers["Location"] == "/gemeenten/gm0106"   # no Accept: HTML


def test_json_client_is_sent_to_the_api(client):
    response = client.get("/id/praktijk/actueel-damoclesbeleid", headers={"Accept": "application/json"})
    assert response.status_code == 303 and response.headers["Location"] == "/api/v1/praktijken/actueel-damoclesbeleid"


def test_turtle_has_the_entity_and_its_citations(client):
    response = client.get("/id/instrument/wet-bibob", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    g = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    assert (BIBOB, None, None) in g
    derivations = list(g.objects(BIBOB, PROV.qualifiedDerivation))
    assert derivations and all((d, PROV.entity, None) in g for d in derivations)
    assert any(str(q).startswith("Gemeenten") or q for q in g.objects(None, URIRef(BASE + "def/quote")))
    # linked things come with a name
    jenv = URIRef(BASE + "id/actor/ministerie-jenv")
    assert (BIBOB, URIRef(BASE + "def/offeredBy"), jenv) in g and g.value(jenv, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))


def test_relation_statements_come_with_their_sources(client):
    riec = URIRef(BASE + "id/actor/riec-noord-nederland")
    g = Graph().parse(data=client.get("/id/actor/riec-noord-nederland", headers={"Accept": "text/turtle"}).data,
                      format="turtle")
    statements = list(g.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject"), riec))
    assert statements and all(list(g.objects(s, PROV.qualifiedDerivation)) for s in statements)


def test_json_ld_and_n_triples(client):
    response = client.get("/id/praktijk/actueel-damoclesbeleid", headers={"Accept": "application/ld+json"})
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    json.loads(response.data)
    g = Graph().parse(data=response.get_data(as_text=True), format="json-ld")
    practice = URIRef(BASE + "id/praktijk/actueel-damoclesbeleid")
    assert (practice, URIRef(BASE + "def/problem"), None) in g
    nt = client.get("/id/praktijk/actueel-damoclesbeleid", headers={"Accept": "application/n-triples"})
    assert len(Graph().parse(data=nt.get_data(as_text=True), format="nt")) == len(g)


def test_unknown_ids_are_404_in_the_asked_form(client):
    problem = client.get("/id/instrument/bestaat-niet", headers={"Accept": "text/turtle"})
    assert problem.status_code == 404 and problem.mimetype == "application/problem+json"
    assert "bestaat-niet" in problem.get_json()["detail"]
    page = client.get("/id/instrument/bestaat-niet", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.mimetype == "text/html"
    # the right id under the wrong type is not the same thing
    assert client.get("/id/actor/wet-bibob", headers={"Accept": "text/turtle"}).status_code == 404


def test_network_only_practice_has_no_public_iri(client, app):
    secret = sorted(app.extensions["kast"].hidden)[0]
    assert client.get(f"/id/praktijk/{secret}", headers={"Accept": "text/turtle"}).status_code == 404
    assert client.get(f"/id/praktijk/{secret}").status_code == 404


def test_source_section_and_list_values(client):
    response = client.get("/id/bronsectie/003-4.3")
    assert response.status_code == 303 and response.headers["Location"] == "/bronnen/003#sectie-4.3"
    g = Graph().parse(data=client.get("/id/bronsectie/003-4.3", headers={"Accept": "text/turtle"}).data,
                      format="turtle")
    assert (URIRef(BASE + "id/bronsectie/003-4.3"), None, None) in g
    assert client.get("/id/bewijsniveau/beschreven").status_code == 200


def test_ontology_terms(client):
    g = Graph().parse(data=client.get("/def/Practice", headers={"Accept": "text/turtle"}).data, format="turtle")
    assert (URIRef(BASE + "def/Practice"), RDFS.label, Literal("praktijk", lang="nl")) in g or \
        list(g.objects(URIRef(BASE + "def/Practice"), RDFS.label))
    assert client.get("/def/Practice").status_code == 200
    assert client.get("/def/").status_code == 200
    assert client.get("/def/BestaatNiet").status_code == 404


@pytest.mark.parametrize("fmt, mediatype", [("ttl", "text/turtle"), ("jsonld", "application/ld+json"),
                                             ("nt", "application/n-triples")])
def test_downloads(client, app, fmt, mediatype, monkeypatch):
    response = client.get(f"/download/kast.{fmt}")
    assert response.status_code == 200 and response.mimetype == mediatype
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    if fmt == "jsonld":
        assert "@context" in json.loads(text)
    g = Graph().parse(data=text, format={"ttl": "turtle", "jsonld": "json-ld", "nt": "nt"}[fmt])
    assert (BIBOB, None, None) in g and len(g) == len(app.extensions["kast"].public_graph())
    hidden = {str(app.extensions["kast"].kast.items[p].iri) for p in app.extensions["kast"].hidden}
    named = {str(node).split("#")[0] for t in g for node in (t[0], t[2]) if isinstance(node, URIRef)}
    assert hidden and not hidden & named
    def serialize_again(*args, **kwargs):
        raise AssertionError("de download werd opnieuw geserialiseerd in plaats van uit het geheugen gegeven")
    monkeypatch.setattr(site_module.Downloads, "__init__", serialize_again)   # written once per process and level
    monkeypatch.setattr(site_module.Downloads, "_write", serialize_again)
    assert client.get(f"/download/kast.{fmt}").data == response.data
    # unchanged since: the client keeps its copy; the cache must ask every time (a change shows at once)
    assert "no-cache" in response.headers["Cache-Control"]
    again = client.get(f"/download/kast.{fmt}", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and not again.data


def test_unknown_download_format(client):
    assert client.get("/download/kast.xml").status_code == 404


def test_another_base_iri_maps_the_path(tmp_path):
    """IRIs minted under another host still resolve on this one: only the path is mapped."""
    from web import create_app

    other = create_app({"KAST_BASE_IRI": "https://example.org/kast/", "KAST_INDEX": str(tmp_path / "index")})
    response = other.test_client().get("/id/instrument/wet-bibob", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=response.data, format="turtle")
    assert (URIRef("https://example.org/kast/id/instrument/wet-bibob"), None, None) in g


# ---------------------------------------------------------------- several worker processes

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


@pytest.mark.skipif(not shutil.which("gunicorn", path=str(Path(sys.executable).parent)), reason="gunicorn ontbreekt")
def test_two_gunicorn_workers_serve_the_site(web_index, tmp_path):
    """The index is built before the workers start (web_index); each worker loads the kast itself."""
    port = _free_port()
    log = tmp_path / "toegang.log"
    env = dict(os.environ, KAST_INDEX=str(web_index))
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}",
         "--access-logfile", str(log), "--access-logformat", "%(p)s %(s)s %(U)s", "web:create_app()"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                _fetch(base + "/api/v1")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "gunicorn start niet"
                time.sleep(0.2)
        urls = [base + "/praktijken/actueel-damoclesbeleid", base + "/api/v1/instrumenten/wet-bibob"] * 6
        served: dict[str, set] = {}
        while len(served) < 2:   # the second worker may still be loading the kast: ask again until it answers
            assert time.monotonic() < deadline, f"maar één worker antwoordde: {served}"
            with ThreadPoolExecutor(8) as pool:
                answers = list(pool.map(_fetch, urls))
            for url, (status, content_type, body) in zip(urls, answers):
                assert status == 200
                if "/api/" in url:
                    assert json.loads(body)["id"] == "wet-bibob"
                else:
                    assert "text/html" in content_type and b"Damoclesbeleid" in body
            time.sleep(0.3)   # let the access log flush
            served = {}
            for line in log.read_text().splitlines():
                pid, status, path = line.split()
                served.setdefault(pid, set()).add((status, path))
        for paths in served.values():      # each worker served pages and the API correctly
            assert all(status == "200" for status, _ in paths)
    finally:
        server.send_signal(signal.SIGINT)   # quick shutdown
        server.wait(timeout=30)
