"""New actors, instruments and concepts and the relations of an actor through the JSON API (personal API
tokens): 201 + Location + ETag, the list file chosen in `bestand`, findings per field as problem+json,
four eyes, nothing of an unpublished proposal visible, and `relaties` round-tripping in a PUT."""
import pytest

from .web_auth import api_tokens, curation_app

ACTOR = {"naam": "Samenwerkingsverband Recreatieparken Emmen", "soort": "netwerk-of-programma", "niveau": "lokaal",
         "beschrijving": "Gemeente en partners in Emmen werken samen aan weerbare recreatieparken.",
         "relaties": [{"soort": "werkt-samen-met", "doel": "riec-noord-nederland",
                       "bronnen": [{"bron": "003", "sectie": "3.1"}]}],
         "bronnen": [{"bron": "003", "sectie": "3.1"}], "bestand": "drenthe.yaml"}
ENTRY = "samenwerkingsverband-recreatieparken-emmen"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return curation_app(tmp_path_factory, "redactie-api-nieuw")


@pytest.fixture(scope="module")
def tokens(app):
    return api_tokens(app, (("api-nieuw-emmen", "lid", "gm0114"), ("api-nieuw-assen", "lid", "gm0106"),
                            ("api-nieuw-redactie", "redacteur", "vng")))


def test_a_new_actor_with_a_relation_over_the_api(app, tokens):
    c = app.test_client()
    lid, other, curator = tokens["api-nieuw-emmen"], tokens["api-nieuw-assen"], tokens["api-nieuw-redactie"]
    assert c.post("/api/v1/actoren", json=ACTOR).status_code == 401
    made = c.post("/api/v1/actoren", json=ACTOR, headers=lid)
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert body["voorstel"]["item"] == ENTRY and body["voorstel"]["bestand"] == "actors/drenthe.yaml"
    assert body["voorstel"]["nieuw"] is True and body["meldingen"] == []
    assert made.headers["ETag"] and made.headers["Location"].endswith(f"/actoren/{ENTRY}/versies")
    # unpublished: not readable, not changeable, not visible in search for anyone else
    assert c.get(f"/api/v1/actoren/{ENTRY}").status_code == 404
    assert c.get(f"/api/v1/actoren/{ENTRY}/versies").status_code == 404
    assert c.put(f"/api/v1/actoren/{ENTRY}", json=ACTOR, headers=dict(other, **{"If-Match": made.headers["ETag"]})).status_code == 404
    assert c.post(f"/api/v1/actoren/{ENTRY}/status", json={"status": "ter-beoordeling"}, headers=other).status_code == 404
    assert ENTRY not in c.get("/api/v1/zoeken?q=recreatieparken emmen", headers=other).get_data(as_text=True)
    # the proposer changes it: relations round-trip, also a second one
    relations = ACTOR["relaties"] + [{"soort": "neemt-deel-aan", "doel": "wet-bibob", "bronnen": [{"bron": "003", "sectie": "4.3"}]}]
    changed = c.put(f"/api/v1/actoren/{ENTRY}", json=dict(ACTOR, relaties=relations),
                    headers=dict(lid, **{"If-Match": made.headers["ETag"]}))
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["voorstel"]["item"] == ENTRY
    moved = c.put(f"/api/v1/actoren/{ENTRY}", json=dict(ACTOR, bestand="landelijk.yaml"),
                  headers=dict(lid, **{"If-Match": changed.headers["ETag"]}))
    assert moved.status_code == 422 and moved.get_json()["fouten"][0]["veld"] == "bestand"
    assert c.post(f"/api/v1/actoren/{ENTRY}/status", json={"status": "ter-beoordeling"}, headers=lid).status_code == 200
    assert c.post(f"/api/v1/actoren/{ENTRY}/status", json={"status": "gepubliceerd"}, headers=lid).status_code == 403
    assert c.post(f"/api/v1/actoren/{ENTRY}/status", json={"status": "gepubliceerd"}, headers=curator).status_code == 200
    live = c.get(f"/api/v1/actoren/{ENTRY}")
    assert live.status_code == 200
    outgoing = {i["id"] for r in live.get_json()["relaties"] if r["richting"] == "uit" for i in r["items"]}
    assert {"riec-noord-nederland", "wet-bibob"} <= outgoing
    history = c.get(f"/api/v1/actoren/{ENTRY}/versies").get_json()["versies"]
    assert history[0]["door"]["naam"] == "api-nieuw-redactie"
    old = c.get(f"/api/v1/actoren/{ENTRY}/versies/{history[0]['versie']}").get_json()
    assert old["velden"]["relaties"] == relations


def test_relations_in_a_put_of_an_existing_actor_are_kept_replaced_or_emptied(app, tokens):
    c = app.test_client()
    lid, curator = tokens["api-nieuw-assen"], tokens["api-nieuw-redactie"]
    url = "/api/v1/actoren/rud-drenthe"
    etag = c.get(url).headers["ETag"]
    fields = {"naam": "Regionale Uitvoeringsdienst Drenthe", "soort": "uitvoeringsorganisatie", "niveau": "regionaal",
              "beschrijving": "Uitvoeringsdienst voor vergunningverlening, toezicht en handhaving in Drenthe.",
              "bronnen": [{"bron": "003", "sectie": "2.2"}]}
    kept = c.put(url, json=fields, headers=dict(lid, **{"If-Match": etag}))
    assert kept.status_code == 200
    draft = c.get(f"{url}/versies").get_json()   # published history unchanged until publication
    assert draft["versies"][0]["actie"] == "begin"
    proposal = app.extensions["curation"].proposals()
    mine = next(p for p in proposal if p.entry_id == "rud-drenthe")
    from kast.curation import Editor

    me = Editor("x", "x", "redacteur")
    assert app.extensions["curation"].draft(me, mine.id).fields.get("relaties"), "left out: kept"
    emptied = c.put(url, json=dict(fields, relaties=[]), headers=dict(lid, **{"If-Match": kept.headers["ETag"]}))
    assert emptied.status_code == 200 and emptied.get_json()["opgeslagen"] is True
    assert "relaties" not in app.extensions["curation"].draft(me, mine.id).fields, "sent empty: removed"
    bad = c.put(url, json=dict(fields, relaties=[{"soort": "kent", "doel": "vng"}]),
                headers=dict(lid, **{"If-Match": emptied.headers["ETag"]}))
    assert bad.status_code == 200 and any(m["veld"] == "relaties" for m in bad.get_json()["meldingen"])
    assert curator


def test_refusals_of_a_new_entry_are_problem_json_per_field(app, tokens):
    c = app.test_client()
    lid = tokens["api-nieuw-emmen"]
    taken = c.post("/api/v1/instrumenten", json={"id": "wet-bibob", "naam": "Wet Bibob"}, headers=lid)
    assert taken.status_code == 422 and taken.mimetype == "application/problem+json"
    assert taken.get_json()["fouten"][0]["veld"] == "id"
    assert c.post("/api/v1/themas", json={"naam": "Nieuw thema"}, headers=lid).get_json()["fouten"][0]["veld"] == "bestand"
    wrong = c.post("/api/v1/ambities", json={"naam": "Nieuwe ambitie", "bestand": "deelaspecten.yaml"}, headers=lid)
    assert wrong.status_code == 422 and "drentse-ambities.yaml" in wrong.get_json()["detail"]
    assert c.post("/api/v1/actoren", json={"naam": "X", "bestand": 5}, headers=lid).status_code == 400
    assert c.post("/api/v1/actoren", data="geen json", headers=lid).status_code == 400
    personal = c.post("/api/v1/actoren", json=dict(ACTOR, naam="Platform Noord", beschrijving="Bel 06-12345678."), headers=lid)
    assert personal.status_code == 422 and personal.get_json()["fouten"][0]["veld"] == "beschrijving"
    concept = c.post("/api/v1/themas", json={"naam": "Ondermijning in de haven", "bestand": "deelaspecten.yaml",
                                             "breder": "deelaspect-georganiseerde-criminaliteit",
                                             "beschrijving": "Criminaliteit via havens.",
                                             "bronnen": [{"bron": "004", "sectie": "2"}]}, headers=lid)
    assert concept.status_code == 201 and concept.get_json()["voorstel"]["bestand"] == "themes/deelaspecten.yaml"


def test_the_openapi_document_describes_the_new_operations(app):
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    for collection in ("actoren", "instrumenten", "themas", "ambities"):
        post = doc["paths"][f"/{collection}"]["post"]
        assert {"201", "400", "401", "422"} <= set(post["responses"])
        assert "get" in doc["paths"][f"/{collection}"], "the list is still there"
    relation = doc["components"]["schemas"]["Relatieveld"]
    assert "werkt-samen-met" in relation["properties"]["soort"]["enum"]
    assert doc["components"]["schemas"]["Itemvelden"]["properties"]["relaties"]["items"] == {
        "$ref": "#/components/schemas/Relatieveld"}


@pytest.mark.parametrize("collection", ["actoren", "themas"])
def test_generated_new_entries_get_documented_answers(app, tokens, collection):
    """schemathesis: generated bodies for POST /{collection} (valid and invalid per the document), as a lid:
    never a 5xx, status, content type, headers and body as documented, and a refusal stores nothing."""
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis.generation.modes import GenerationMode
    from schemathesis.specs.openapi import checks

    from .hostile import stored

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[f"/{collection}"]["POST"]
    headers = dict(tokens["api-nieuw-emmen"], **{"Accept-Encoding": "identity"})
    done = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=6, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def check(case):
            before = stored(app)
            response = case.call_and_validate(headers=headers, checks=[
                schemathesis.checks.not_a_server_error, checks.status_code_conformance,
                checks.content_type_conformance, checks.response_headers_conformance,
                checks.response_schema_conformance])
            if response.status_code >= 400:
                assert stored(app) == before, "geweigerd maar er is iets opgeslagen"
            done.append(response.status_code)

        check()
    assert done and all(code < 500 for code in done)
