"""The DCAT-AP-NL 3.0 description of the kast (/dataset): valid by the profile's SHACL shapes (pyshacl),
served as Turtle and JSON-LD at a stable URI, with VoID counts of the public graph only."""
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF, SH, VOID

from kast import config
from kast.dcat import iris

SHAPES = config.ROOT / "ontology" / "dcat-ap-nl-3.0"
BASE = config.DEFAULT_BASE_IRI
# Recommended properties that do not apply: a dump is not reached through a service, and a service has
# no file to download.
NOT_APPLICABLE = {("distributie", str(DCAT.accessService)), ("distributie", str(DCAT.downloadURL))}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    g = Graph()
    files = sorted(Path(SHAPES).glob("*.ttl"))
    assert len(files) == 5, "the five shape files of DCAT-AP-NL 3.0 and DCAT-AP 3"
    for path in files:
        g.parse(path, format="turtle")
    return g


@pytest.fixture(scope="module")
def description(app) -> Graph:
    r = app.test_client().get("/dataset", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    return Graph().parse(data=r.data, format="turtle")


def results(data: Graph, shapes: Graph) -> list[tuple[str, str, str, str]]:
    # RDFS entailment: DCAT-AP's range checks ask every URL to be an rdfs:Resource.
    _, report, _ = validate(data, shacl_graph=shapes, inference="rdfs", allow_warnings=True)
    return [(str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1], str(report.value(r, SH.focusNode)),
             str(report.value(r, SH.resultPath)), str(report.value(r, SH.resultMessage)))
            for r in report.subjects(RDF.type, SH.ValidationResult)]


def test_description_conforms_to_dcat_ap_nl(description, shapes):
    found = results(description, shapes)
    violations = [r for r in found if r[0] == "Violation"]
    assert not violations, "\n".join(map(str, violations))
    warnings = [r for r in found if (r[1].rsplit("/", 2)[-2], r[2]) not in NOT_APPLICABLE]
    assert not warnings, "recommended properties missing:\n" + "\n".join(map(str, warnings))


def test_validation_catches_a_missing_licence(description, shapes):
    broken = Graph()
    for t in description:
        broken.add(t)
    dist = iris(BASE)["distributie-ttl"]
    broken.remove((dist, DCTERMS.license, None))
    assert ("Violation", str(dist), str(DCTERMS.license)) in {r[:3] for r in results(broken, shapes)}


def test_dataset_services_and_distributions(description):
    n = iris(BASE)
    g = description
    assert (n["dataset"], RDF.type, DCAT.Dataset) in g
    for key in ("sparql", "api"):
        assert (n[key], RDF.type, DCAT.DataService) in g
        assert (n[key], DCAT.servesDataset, n["dataset"]) in g
    assert (n["sparql"], DCAT.endpointURL, URIRef(BASE + "sparql")) in g
    assert (n["api"], DCAT.endpointDescription, URIRef(BASE + "api/v1/openapi.json")) in g
    downloads = {str(o) for o in g.objects(None, DCAT.downloadURL)}
    assert downloads == {f"{BASE}download/kast.{fmt}" for fmt in ("ttl", "jsonld", "nt")}
    for dist in g.objects(n["dataset"], DCAT.distribution):
        assert g.value(dist, DCTERMS.license) is not None, dist


def test_void_counts_the_public_graph_only(app, description):
    site = app.extensions["kast"]
    dataset = iris(BASE)["dataset"]
    assert int(description.value(dataset, VOID.triples)) == len(site.public_graph())
    practice = URIRef(BASE + "def/Practice")
    partition = next(p for p in description.objects(dataset, VOID.classPartition)
                     if (p, VOID["class"], practice) in description)
    public = sum(1 for i, item in site.kast.items.items() if item.kind == "praktijk" and i not in site.hidden)
    assert site.hidden and int(description.value(partition, VOID.entities)) == public
    folders = {str(description.value(s, DCTERMS.title)) for s in description.objects(dataset, VOID.subset)}
    assert any("graaf/practices" in f for f in folders)
    assert int(description.value(dataset, VOID.classes)) > 10


def test_void_triples_match_the_sparql_endpoint(client, description):
    r = client.get("/sparql", query_string={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                                                     f"FILTER(?g != <{BASE}graaf/bestanden>) }}"},
                   headers={"Accept": "application/sparql-results+json"})
    counted = int(r.get_json()["results"]["bindings"][0]["n"]["value"])
    assert counted == int(description.value(iris(BASE)["dataset"], VOID.triples))


def test_json_ld_is_the_same_graph(client, description):
    r = client.get("/dataset.jsonld")
    assert r.status_code == 200 and r.mimetype == "application/ld+json"
    assert isomorphic(Graph().parse(data=r.data, format="json-ld"), description)


def test_stable_uris_and_links(client):
    assert client.get("/dataset", headers={"Accept": "text/html"}).headers["Location"] == "/over"
    assert client.get("/dataset", headers={"Accept": "application/json"}).headers["Location"] == "/api/v1/dataset"
    r = client.get("/id/dataset/apothekerskast", headers={"Accept": "text/turtle"})
    assert r.status_code == 303 and r.headers["Location"] == "/dataset"
    assert client.get("/sparql", headers={"Accept": "text/turtle"}).data == client.get("/dataset.ttl").data
    over = client.get("/over").get_data(as_text=True)
    assert 'href="/dataset.ttl"' in over and 'href="/dataset.jsonld"' in over and 'href="/sparql"' in over
    formats = {d["formaat"]: d["url"] for d in client.get("/api/v1/dataset").get_json()["distributies"]}
    assert formats["dcat-ap-nl-turtle"] == "/dataset.ttl" and formats["sparql"] == "/sparql"
