"""The SPARQL endpoint: guards, the SPARQL 1.1 Protocol and visibility.

Each guard gets a clear Dutch answer within the timeout, and the endpoint answers the next query as usual.
"""
import shutil
import threading
import time

import pyoxigraph as ox
import pytest
from flask import g

from kast import config
from kast.visibility import Reader

CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MILLION_ROWS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
PRACTICES = "PREFIX kast: <def/> SELECT ?p WHERE { ?p a kast:Practice }"
JSON = {"Accept": "application/sparql-results+json"}
TIMEOUT = 3


def make_app(tmp, **config):
    """The app with its runtime folder (accounts database, secret key) in a temporary folder."""
    from web import create_app

    return create_app({"KAST_VAR": str(tmp), "KAST_DATABASE_URL": f"sqlite:///{tmp / 'kast.sqlite'}", **config})


@pytest.fixture(scope="module")
def guarded(web_index, tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("var"), **{"KAST_INDEX": str(web_index), "KAST_SPARQL_TIMEOUT": TIMEOUT, "KAST_SPARQL_MAX_ROWS": 1000,
                      "KAST_SPARQL_BUDGET": 1000})
    yield app.test_client()
    close(app)


def close(app):
    """Stop the worker processes of this app's SPARQL service (they would otherwise live until exit)."""
    from web.sparql import service

    with app.test_request_context():
        service().close()


def ask(client, query, method="get", **headers):
    headers = headers or JSON
    if method == "get":
        return client.get("/sparql", query_string={"query": query}, headers=headers)
    return client.post("/sparql", data={"query": query}, headers=headers)


def assert_still_serving(client):
    r = ask(client, PRACTICES)
    assert r.status_code == 200 and r.json["results"]["bindings"]


def test_select_answers_sparql_json_with_cors(guarded):
    r = ask(guarded, PRACTICES)
    assert r.status_code == 200 and r.mimetype == "application/sparql-results+json"
    practices = {b["p"]["value"].rsplit("/", 1)[-1] for b in r.json["results"]["bindings"]}
    assert "actueel-damoclesbeleid" in practices
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert r.headers["Kast-Afgekapt"] == "nee" and int(r.headers["Kast-Rijen"]) == len(practices)


@pytest.mark.parametrize("accept,fmt", [("application/sparql-results+xml", ox.QueryResultsFormat.XML),
                                        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
                                        ("application/sparql-results+json", ox.QueryResultsFormat.JSON)])
def test_result_formats_parse_back(guarded, accept, fmt):
    query = ('PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?i ?naam WHERE { '
             '<id/instrument/wet-bibob> skos:prefLabel ?naam BIND(<id/instrument/wet-bibob> AS ?i) }')
    r = ask(guarded, query, "post", Accept=accept)
    assert r.status_code == 200 and r.mimetype == accept
    rows = list(ox.parse_query_results(r.data, format=fmt))
    assert rows and rows[0]["i"] == ox.NamedNode(config.DEFAULT_BASE_IRI + "id/instrument/wet-bibob")
    assert rows[0]["naam"].language == "nl"


def test_csv_download_and_sparql_query_body(guarded):
    r = guarded.post("/sparql?format=csv", data=PRACTICES, content_type="application/sparql-query")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    lines = r.data.decode().split("\r\n")
    assert lines[0] == "p" and any(line.endswith("/actueel-damoclesbeleid") for line in lines)
    assert "attachment" in r.headers["Content-Disposition"]


@pytest.mark.parametrize("accept,fmt", [("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                                        ("application/ld+json", ox.RdfFormat.JSON_LD)])
def test_construct_and_describe_as_rdf(guarded, accept, fmt):
    for query in ("CONSTRUCT WHERE { <id/instrument/wet-bibob> ?p ?o }", "DESCRIBE <id/instrument/wet-bibob>"):
        r = ask(guarded, query, Accept=accept)
        assert r.status_code == 200 and r.mimetype == accept
        triples = list(ox.parse(r.data, format=fmt))
        assert any(t.subject == ox.NamedNode(config.DEFAULT_BASE_IRI + "id/instrument/wet-bibob") for t in triples)


def test_ask(guarded):
    r = ask(guarded, "ASK { <id/instrument/wet-bibob> ?p ?o }")
    assert r.status_code == 200 and r.json["boolean"] is True


@pytest.mark.parametrize("query,word", [
    ("INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }", "INSERT DATA"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
    ("LOAD <http://example.org/data.ttl>", "LOAD"),
    ("DROP ALL", "DROP"),
    ("CLEAR DEFAULT", "CLEAR"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE SILENT <http://example.org/sparql> { ?s ?x ?y } } }", "SERVICE"),
    ("SELECT * WHERE { VALUES ?e { <http://example.org/sparql> } SERVICE ?e { ?s ?p ?o } }", "SERVICE"),
    ("ASK { { SELECT ?s WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } } } }", "SERVICE"),
    ("CONSTRUCT WHERE { ?s ?p ?o } ; LOAD <http://example.org/data.ttl>", "ongeldig"),
    ("PREFIX x: <http://example.org/> SELECT * FROM NAMED x:g WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM"),
    ("SELECT * FROM <http://example.org/graph> WHERE { ?s ?p ?o }", "FROM"),
    ("SELECT * WHERE { ?s ?p }", "ongeldig"),
])
def test_refused_with_a_dutch_reason(guarded, query, word):
    for method in ("get", "post"):
        r = ask(guarded, query, method)
        assert r.status_code == 400 and r.mimetype == "application/problem+json"
        assert word in r.json["detail"] and "Traceback" not in r.get_data(as_text=True)


def test_update_requests_are_refused(guarded):
    r = guarded.post("/sparql", data="DROP ALL", content_type="application/sparql-update")
    assert r.status_code == 400 and "alleen te lezen" in r.json["detail"]
    r = guarded.post("/sparql", data={"update": "DROP ALL"})
    assert r.status_code == 400 and "alleen te lezen" in r.json["detail"]
    assert_still_serving(guarded)


def test_own_graphs_may_be_named_in_from(guarded):
    graph = config.DEFAULT_BASE_IRI + "graaf/instruments/"
    r = ask(guarded, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    graphs = {b["g"]["value"] for b in r.json["results"]["bindings"]}
    bibob_file = next(g for g in graphs if g.startswith(graph))
    r = ask(guarded, f"SELECT (COUNT(*) AS ?n) FROM <{bibob_file}> WHERE {{ ?s ?p ?o }}")
    assert r.status_code == 200 and 0 < int(r.json["results"]["bindings"][0]["n"]["value"])


def test_query_size_cap(guarded):
    r = ask(guarded, "SELECT * WHERE { ?s ?p ?o } #" + "x" * 25_000, "post")
    assert r.status_code == 400 and "te lang" in r.json["detail"]


def test_runaway_cross_product_is_stopped_within_the_timeout(guarded):
    started = time.monotonic()
    r = ask(guarded, CROSS_PRODUCT)
    took = time.monotonic() - started
    assert r.status_code == 504 and "afgebroken" in r.json["detail"]
    assert took < TIMEOUT + 2
    assert_still_serving(guarded)


def test_million_rows_are_cut_off_and_say_so(guarded):
    started = time.monotonic()
    r = ask(guarded, MILLION_ROWS)
    assert time.monotonic() - started < TIMEOUT + 2
    assert r.status_code == 200
    assert r.headers["Kast-Afgekapt"] == "ja" and r.headers["Kast-Maximum-Rijen"] == "1000"
    assert len(r.json["results"]["bindings"]) == 1000
    assert r.json["kast"]["afgekapt"] is True and "1000 rijen" in r.json["kast"]["melding"]
    r = ask(guarded, MILLION_ROWS, Accept="text/csv")
    assert r.headers["Kast-Afgekapt"] == "ja" and len(r.data.decode().strip().split("\r\n")) == 1001
    assert_still_serving(guarded)


def test_unacceptable_format(guarded):
    r = ask(guarded, PRACTICES, Accept="image/png")
    assert r.status_code == 406 and r.mimetype == "application/problem+json"


def test_empty_query_and_wrong_body(guarded):
    r = guarded.get("/sparql", headers=JSON)
    assert r.status_code == 400 and "query" in r.json["detail"]
    r = guarded.post("/sparql", data="SELECT * {}", content_type="text/plain")
    assert r.status_code == 415


def test_budget_per_client_answers_429_with_retry_after(web_index, tmp_path):
    app = make_app(tmp_path, KAST_INDEX=str(web_index), KAST_SPARQL_TIMEOUT=1, KAST_SPARQL_BUDGET=0.5,
                   KAST_SPARQL_WINDOW=60)
    client = app.test_client()
    assert ask(client, CROSS_PRODUCT).status_code == 504          # spends a full second
    r = ask(client, PRACTICES)
    assert r.status_code == 429 and r.mimetype == "application/problem+json"
    assert 1 <= int(r.headers["Retry-After"]) <= 60 and "rekentijd" in r.json["detail"]
    r = client.get("/sparql", query_string={"query": PRACTICES}, headers=JSON,
                   environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert r.status_code == 200, "another client still has its own budget"
    close(app)


def test_concurrency_limit_answers_503(web_index, tmp_path):
    app = make_app(tmp_path, KAST_INDEX=str(web_index), KAST_SPARQL_TIMEOUT=3, KAST_SPARQL_WORKERS=1,
                   KAST_SPARQL_QUEUE_WAIT=0.5, KAST_SPARQL_BUDGET=1000)
    assert ask(app.test_client(), PRACTICES).status_code == 200   # the worker is up
    slow = threading.Thread(target=lambda: ask(app.test_client(), CROSS_PRODUCT))
    slow.start()
    time.sleep(0.5)
    r = ask(app.test_client(), PRACTICES)
    slow.join()
    assert r.status_code == 503 and int(r.headers["Retry-After"]) >= 1
    assert ask(app.test_client(), PRACTICES).status_code == 200
    close(app)


# ------------------------------------------------------------------ visibility

MARKER = "zwaluwstaartverbinding"
NETWORK_PRACTICE = "casusuitwisseling-tussen-gemeenten-stokt"


@pytest.fixture(scope="module")
def marked_app(tmp_path_factory):
    """The app on a copy of the data in which a network practice carries a word found nowhere else."""
    root = tmp_path_factory.mktemp("zichtbaarheid")
    data = root / "data"
    shutil.copytree(config.DEFAULT_DATA, data)
    path = data / "practices" / f"{NETWORK_PRACTICE}.md"
    text = path.read_text(encoding="utf-8")
    assert "zichtbaarheid: netwerk" in text
    marked = text.replace("\ntitel: ", f"\ntitel: {MARKER} - ", 1)
    assert MARKER in marked, "the marker must be in the network practice"
    path.write_text(marked, encoding="utf-8")
    app = make_app(root, KAST_DATA=str(data), KAST_INDEX=str(root / "index"))

    @app.before_request
    def reader_from_test_header():   # stands in for the accounts layer
        from flask import request

        if request.headers.get("X-Test-Lezer") == "lid":
            g.reader = Reader("lid", "gm0106")

    yield app
    close(app)


MARKER_QUERY = f'SELECT ?s WHERE {{ ?s ?p ?o FILTER(CONTAINS(STR(?o), "{MARKER}")) }}'


def test_network_practice_invisible_to_anonymous(marked_app):
    client = marked_app.test_client()
    for query in (MARKER_QUERY, f"ASK {{ <id/praktijk/{NETWORK_PRACTICE}> ?p ?o }}",
                  f"SELECT ?s WHERE {{ ?s ?p <id/praktijk/{NETWORK_PRACTICE}> }}",
                  f"SELECT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(CONTAINS(STR(?g), '{NETWORK_PRACTICE}')) }}"):
        r = ask(client, query)
        assert r.status_code == 200
        assert not r.json.get("boolean") and not r.json.get("results", {}).get("bindings"), query
    r = ask(client, f"SELECT * FROM <{config.DEFAULT_BASE_IRI}graaf/practices/{NETWORK_PRACTICE}.md> WHERE {{ ?s ?p ?o }}")
    assert r.status_code == 400, "the graph of a hidden file does not exist for this reader"


def test_network_practice_visible_to_a_member(marked_app):
    client = marked_app.test_client()
    r = ask(client, MARKER_QUERY, **{"X-Test-Lezer": "lid", **JSON})
    subjects = {b["s"]["value"] for b in r.json["results"]["bindings"]}
    assert subjects == {f"{config.DEFAULT_BASE_IRI}id/praktijk/{NETWORK_PRACTICE}"}
    anonymous = ask(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    member = ask(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", **{"X-Test-Lezer": "lid", **JSON})
    count = lambda r: int(r.json["results"]["bindings"][0]["n"]["value"])   # noqa: E731
    assert count(member) > count(anonymous)
    assert member.headers["Cache-Control"] == "no-store"


def test_guard_is_safe_from_many_threads():
    """pyparsing under rdflib is not thread-safe; the endpoint parses from many server threads at once."""
    from concurrent.futures import ThreadPoolExecutor

    from kast.sparql import guard

    texts = [f"SELECT ?s WHERE {{ ?s ?p {n} FILTER(?s != <urn:x:{n}>) }} LIMIT {n + 1}" for n in range(60)]
    with ThreadPoolExecutor(8) as pool:
        forms = list(pool.map(lambda t: guard.check(t, config.DEFAULT_BASE_IRI).form, texts))
    assert forms == ["SELECT"] * len(texts)


def test_cors_preflight_for_a_token(guarded):
    r = guarded.options("/sparql", headers={"Origin": "https://partner.example", "Access-Control-Request-Method": "GET",
                                            "Access-Control-Request-Headers": "authorization"})
    assert r.status_code == 200 and r.headers["Access-Control-Allow-Origin"] == "*"
    assert "Authorization" in r.headers["Access-Control-Allow-Headers"] and r.headers["Access-Control-Allow-Methods"] == "GET"
    r = guarded.post("/sparql", data={"query": PRACTICES}, headers=JSON)
    assert "Access-Control-Allow-Origin" not in r.headers, "POST is not offered to other origins"
