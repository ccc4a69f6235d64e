"""The curation workflow through the JSON API with personal API tokens: 201/ETag, 428/412, 422 per field,
403 for approving one's own proposal or a lid publishing, and the history."""
import pytest

from .web_auth import api_tokens, curation_app

PRACTICE = {"titel": "Emmen deelt signalen over vastgoed met de RIEC", "soort": "best", "aard": "lokale-praktijk",
            "samenvatting": "De gemeente Emmen deelt signalen over vastgoed met de RIEC.", "zichtbaarheid": "openbaar",
            "gemeenten": ["gm0114"], "actoren": ["gm0114"], "themas": ["deelaspect-georganiseerde-criminaliteit"],
            "bewijsniveau": "beschreven", "effect": "onbekend", "probleem": "Signalen bleven liggen.",
            "aanpak": "Een vast moment om signalen te bespreken.", "werkingsmechanisme": "Partners zien samen meer.",
            "resultaat": "De bron meldt geen resultaat.", "lessen": "- Spreek een vast moment af.",
            "overdraagbaarheid": "Voor elke gemeente.", "bronnen": [{"bron": "003", "sectie": "2.1"}]}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return curation_app(tmp_path_factory, "redactie-api")


@pytest.fixture(scope="module")
def tokens(app):
    return api_tokens(app, (("api-emmen", "lid", "gm0114"), ("api-redactie-a", "redacteur", "vng"),
                            ("api-redactie-b", "redacteur", "vng")))


def test_the_whole_workflow_over_the_api(app, tokens):
    c = app.test_client()
    lid, a, b = tokens["api-emmen"], tokens["api-redactie-a"], tokens["api-redactie-b"]
    assert c.post("/api/v1/praktijken", json=PRACTICE).status_code == 401
    made = c.post("/api/v1/praktijken", json=PRACTICE, headers=lid)
    assert made.status_code == 201 and made.headers["ETag"] and made.headers["Location"].endswith("/versies")
    entry = made.get_json()["voorstel"]["item"]
    assert c.put(f"/api/v1/praktijken/{entry}", json=PRACTICE, headers=lid).status_code == 428
    changed = c.put(f"/api/v1/praktijken/{entry}", json=dict(PRACTICE, resultaat="Nog niets gemeten."),
                    headers=dict(lid, **{"If-Match": made.headers["ETag"]}))
    assert changed.status_code == 200 and changed.headers["ETag"] != made.headers["ETag"]
    stale = c.put(f"/api/v1/praktijken/{entry}", json=dict(PRACTICE, resultaat="Iets anders."),
                  headers=dict(lid, **{"If-Match": made.headers["ETag"]}))
    assert stale.status_code == 412 and stale.mimetype == "application/problem+json"
    assert "resultaat" in stale.get_json()["conflicten"]

    assert c.post(f"/api/v1/praktijken/{entry}/status", json={"status": "ter-beoordeling"}, headers=lid).status_code == 200
    lid_publishes = c.post(f"/api/v1/praktijken/{entry}/status", json={"status": "gepubliceerd"}, headers=lid)
    assert lid_publishes.status_code == 403
    assert c.post(f"/api/v1/praktijken/{entry}/status", json={"status": "gepubliceerd"}, headers=a).status_code == 200
    public = c.get(f"/api/v1/praktijken/{entry}")
    assert public.status_code == 200 and public.headers["ETag"]
    history = c.get(f"/api/v1/praktijken/{entry}/versies").get_json()["versies"]
    assert history[0]["door"]["naam"] == "api-redactie-a"
    old = c.get(f"/api/v1/praktijken/{entry}/versies/{history[0]['versie']}").get_json()
    assert old["velden"]["titel"] == PRACTICE["titel"]
    assert b  # a second curator exists for the four-eyes test below


def test_approving_your_own_proposal_is_403(app, tokens):
    c = app.test_client()
    a = tokens["api-redactie-a"]
    made = c.post("/api/v1/praktijken", json=dict(PRACTICE, titel="Eigen voorstel van redactie A"), headers=a)
    entry = made.get_json()["voorstel"]["item"]
    c.post(f"/api/v1/praktijken/{entry}/status", json={"status": "ter-beoordeling"}, headers=a)
    own = c.post(f"/api/v1/praktijken/{entry}/status", json={"status": "gepubliceerd"}, headers=a)
    assert own.status_code == 403 and "vier ogen" in own.get_json()["detail"].lower()


def test_findings_come_back_per_field(app, tokens):
    c = app.test_client()
    bad = dict(PRACTICE, titel="Voorstel met een BSN", probleem="Het BSN van de melder is 111222333.")
    response = c.post("/api/v1/praktijken", json=bad, headers=tokens["api-emmen"])
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert any(f["veld"] == "probleem" for f in response.get_json()["fouten"])
    assert c.post("/api/v1/praktijken", data="geen json", headers=tokens["api-emmen"]).status_code == 400
    unknown = c.post("/api/v1/praktijken/bestaat-niet/status", json={"status": "gepubliceerd"},
                     headers=tokens["api-redactie-a"])
    assert unknown.status_code == 404


def test_an_actor_instrument_and_theme_are_changed_over_the_api(app, tokens):
    c = app.test_client()
    lid, a = tokens["api-emmen"], tokens["api-redactie-a"]
    url = "/api/v1/actoren/ministerie-szw"
    read = c.get(url)
    etag = read.headers["ETag"]
    fields = {"naam": "Ministerie van Sociale Zaken en Werkgelegenheid", "soort": "ministerie", "niveau": "landelijk",
              "beschrijving": "Ministerie dat werk, inkomen en toezicht daarop regelt; partner in de RIEC's.",
              "bronnen": [{"bron": "001", "sectie": "2.4.1"}]}
    assert c.put(url, json=fields, headers=lid).status_code == 428
    assert c.put("/api/v1/actoren/bestaat-niet", json=fields, headers=dict(lid, **{"If-Match": etag})).status_code == 404
    assert c.put("/api/v1/instrumenten/ministerie-szw", json=fields,
                 headers=dict(lid, **{"If-Match": etag})).status_code == 404
    made = c.put(url, json=fields, headers=dict(lid, **{"If-Match": etag}))
    assert made.status_code == 200, made.get_json()
    assert made.get_json()["voorstel"]["itemsoort"] == "actor" and made.headers["Location"] == url + "/versies"
    bad = c.put(url, json=dict(fields, soort="onzin"), headers=dict(lid, **{"If-Match": made.headers["ETag"]}))
    assert bad.status_code == 200 and any(m["veld"] == "soort" for m in bad.get_json()["meldingen"])
    fixed = c.put(url, json=fields, headers=dict(lid, **{"If-Match": bad.headers["ETag"]}))
    assert fixed.status_code == 200
    personal = c.put(url, json=dict(fields, beschrijving="Mail info@szw.example."),
                     headers=dict(lid, **{"If-Match": fixed.headers["ETag"]}))
    assert personal.status_code == 422 and personal.get_json()["fouten"][0]["veld"] == "beschrijving"
    assert c.post(url + "/status", json={"status": "ter-beoordeling"}, headers=lid).status_code == 200
    assert c.post(url + "/status", json={"status": "gepubliceerd"}, headers=lid).status_code == 403
    assert c.post(url + "/status", json={"status": "gepubliceerd"}, headers=a).status_code == 200
    live = {f["veld"]: f["waarden"][0]["waarde"] for f in c.get(url).get_json()["velden"]}
    assert live["beschrijving"] == fields["beschrijving"], "published and taken in without a restart"
    stale = c.put(url, json=dict(fields, beschrijving="Iets anders."), headers=dict(a, **{"If-Match": etag}))
    assert stale.status_code == 412 and "beschrijving" in stale.get_json()["conflicten"]
    history = c.get(url + "/versies").get_json()
    assert history["actor"] == "ministerie-szw" and history["versies"][0]["door"]["naam"] == "api-redactie-a"
    old = c.get(f"{url}/versies/{history['versies'][1]['versie']}").get_json()
    assert "werk, inkomen" not in old["velden"]["beschrijving"]
    theme = c.get("/api/v1/themas/deelaspect-georganiseerde-criminaliteit/versies")
    assert theme.status_code == 200 and theme.get_json()["versies"][0]["actie"] == "begin"
    assert c.get("/api/v1/themas/bestaat-niet/versies").status_code == 404
