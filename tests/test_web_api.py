"""The JSON API /api/v1: Dutch API Design Rules (plural Dutch names, no trailing slash, API-Version,
problem+json, paging links), the same facts as the pages, and an OpenAPI document that the responses
match (checked with schemathesis, in-process, with a bounded number of examples)."""
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection

from web.kinds import COLLECTIONS


OPERATIONS = ["/zoeken", "/dataset"] + [p for c in COLLECTIONS for p in (f"/{c.name}", f"/{c.name}/{{id}}")]


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.mark.parametrize("path, mode, examples", [
    (path, mode, examples) for path in OPERATIONS
    for mode, examples in ((GenerationMode.POSITIVE, 5), (GenerationMode.NEGATIVE, 3))
    if not (path == "/dataset" and mode == GenerationMode.NEGATIVE)   # no parameters to get wrong
])
def test_responses_match_the_openapi_document(api_schema, path, mode, examples):
    """Generated requests, valid and invalid, get documented answers: never a 5xx, and bodies, status
    codes, content types and headers as the document says.

    Not checked: that every schema-violating request is rejected. In a query string every value is
    text, so "a number where an array of strings is expected" is still a valid facet value, and empty
    facet values are ignored on purpose; the explicit 400 cases are in test_errors_are_problem_json_in_dutch.
    (Driven by hypothesis directly: schemathesis's own pytest loader does not work with pytest 9, and
    its default phases would generate far more requests than a fast suite can afford.)
    """
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def check(case):
        # in-process WSGI calls are not decompressed as a real HTTP client does (web/assets.py compresses)
        case.call_and_validate(headers={"Accept-Encoding": "identity"}, excluded_checks=[negative_data_rejection])

    check()


def get(client, url: str, status: int = 200, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == status, (url, response.status_code, response.get_data(as_text=True)[:300])
    assert response.headers["API-Version"] == "1.0.0"
    return response


def test_root_lists_every_resource(client):
    body = get(client, "/api/v1").get_json()
    for c in COLLECTIONS:
        assert body["_links"][c.name]["href"] == f"/api/v1/{c.name}"
    assert body["_links"]["openapi"]["href"] == "/api/v1/openapi.json"


def test_openapi_document_describes_every_resource(client):
    doc = get(client, "/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.") and doc["info"]["version"] == "1.0.0"
    for required in ("praktijken", "instrumenten", "actoren", "themas", "ambities", "gemeenten"):
        assert f"/{required}" in doc["paths"] and f"/{required}/{{id}}" in doc["paths"]
    assert "/zoeken" in doc["paths"]
    assert not [p for p in doc["paths"] if p.endswith("/")]
    names = {p["name"] for p in doc["paths"]["/zoeken"]["get"]["parameters"]}
    assert {"q", "pagina", "paginagrootte", "sorteer", "thema", "soort"} <= names


def test_search_finds_bibob(client):
    body = get(client, "/api/v1/zoeken?q=bibob").get_json()
    ids = [r["id"] for r in body["resultaten"]]
    assert "wet-bibob" in ids and body["totaal"] >= len(ids)
    hit = body["resultaten"][ids.index("wet-bibob")]
    assert hit["_links"]["self"]["href"] == "/api/v1/instrumenten/wet-bibob"
    assert hit["_links"]["html"]["href"] == "/instrumenten/wet-bibob"
    assert {f["naam"] for f in body["facetten"]} >= {"soort", "thema", "instrument"}


def test_collection_paging_links(client):
    first = get(client, "/api/v1/praktijken?paginagrootte=5&praktijksoort=best").get_json()
    assert first["pagina"] == 1 and first["paginagrootte"] == 5 and len(first["resultaten"]) == 5
    links = first["_links"]
    assert "prev" not in links
    assert links["next"]["href"] == "/api/v1/praktijken?praktijksoort=best&paginagrootte=5&pagina=2"
    second = get(client, links["next"]["href"]).get_json()
    assert second["_links"]["prev"]["href"] == "/api/v1/praktijken?praktijksoort=best&paginagrootte=5"
    assert not {r["id"] for r in first["resultaten"]} & {r["id"] for r in second["resultaten"]}
    last = get(client, links["last"]["href"]).get_json()
    assert "next" not in last["_links"] and last["pagina"] == first["aantalPaginas"]
    beyond = get(client, "/api/v1/praktijken?pagina=9999").get_json()
    assert beyond["resultaten"] == [] and beyond["totaal"] == first["totaal"] + get(
        client, "/api/v1/praktijken?praktijksoort=worst").get_json()["totaal"]


def test_graph_lists_have_their_own_facets(client):
    body = get(client, "/api/v1/gemeenten?provincie=pv22").get_json()
    assert body["totaal"] == 12 and body["resultaten"][0]["naam"] == "Aa en Hunze"
    assert {f["naam"] for f in body["facetten"]} == {"provincie", "riec"}
    actors = get(client, "/api/v1/actoren?actorsoort=ministerie").get_json()
    assert "ministerie-jenv" in {r["id"] for r in actors["resultaten"]}


def test_entity_has_fields_links_both_ways_and_sources(client):
    body = get(client, "/api/v1/instrumenten/wet-bibob").get_json()
    assert body["iri"] == "https://data.apothekerskast.nl/id/instrument/wet-bibob"
    relations = {(r["richting"], r["relatie"]): r for r in body["relaties"]}
    assert ("in", "gebruiktInPraktijken") in relations and ("in", "genoemdIn") in relations
    assert "ambitie-3-5" in {i["id"] for i in relations[("in", "genoemdIn")]["items"]}
    assert body["bronnen"] and all(c["bestand"].endswith(".txt") for c in body["bronnen"])
    assert {v["veld"] for v in body["velden"]} >= {"beschrijving", "soort"}
    assert body["_links"]["html"]["href"] == "/instrumenten/wet-bibob"


def test_practice_has_contact_and_numbered_citations(client):
    body = get(client, "/api/v1/praktijken/actueel-damoclesbeleid").get_json()
    assert body["contact"]["organisatie"]["id"] == "bestuurlijk-ondersteuningsteam-riec-noord-nederland"
    assert body["contact"]["functie"]
    numbers = {c["nummer"] for c in body["bronnen"]}
    aanpak = next(v for v in body["velden"] if v["veld"] == "aanpak")
    assert aanpak["bronnen"] and set(aanpak["bronnen"]) <= numbers
    quotes = [c["citaat"] for c in body["bronnen"] if c["citaat"]]
    assert any("Damoclesbeleid" in q for q in quotes)


def test_relation_items_carry_their_own_citations(client):
    body = get(client, "/api/v1/actoren/riec-noord-nederland").get_json()
    works_with = next(r for r in body["relaties"] if r["relatie"] == "werktSamenMet")
    assert all(item["bronnen"] for item in works_with["items"])


@pytest.mark.parametrize("url, status, words", [
    ("/api/v1/praktijken/bestaat-niet", 404, "bestaat-niet"),
    ("/api/v1/bestaat-niet", 404, "bestaat niet"),
    ("/api/v1/praktijken/", 404, "bestaat niet"),
    ("/api/v1/zoeken?kleur=rood", 400, "onbekend facet 'kleur'"),
    ("/api/v1/zoeken?pagina=0", 400, "pagina"),
    ("/api/v1/zoeken?pagina=123456789012345678901234567890", 400, "pagina"),
    ("/api/v1/praktijken?paginagrootte=abc", 400, "paginagrootte"),
    ("/api/v1/gemeenten/wet-bibob", 404, "instrument"),
])
def test_errors_are_problem_json_in_dutch(client, url, status, words):
    response = get(client, url, status)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and words in body["detail"]
    assert "Traceback" not in response.get_data(as_text=True)


def test_read_only_collections_refuse_other_methods(client):
    response = client.post("/api/v1/gemeenten")   # actoren, instrumenten … take new proposals (test_curation_api*)
    assert response.status_code == 405 and response.mimetype == "application/problem+json"
    assert "GET" in response.headers["Allow"] and response.headers["API-Version"] == "1.0.0"


def test_hostile_query_comes_back_as_data(client):
    body = get(client, "/api/v1/zoeken", query_string={"q": "<script>alert(1)</script>"}).get_json()
    assert body["zoekvraag"] == "<script>alert(1)</script>"
    assert all("<script>" not in r["fragment"] for r in body["resultaten"])


def test_page_and_twin_show_the_same_results(client):
    html = client.get("/zoeken?q=vakantieparken&soort=praktijk").get_data(as_text=True)
    body = get(client, "/api/v1/zoeken?q=vakantieparken&soort=praktijk").get_json()
    assert body["resultaten"]
    for r in body["resultaten"]:
        assert f'href="{r["_links"]["html"]["href"]}"' in html
