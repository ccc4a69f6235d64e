"""The weerbaarheidsprofiel on the website and in the API, in a browser's terms (CSRF, sessions, tokens):
filling in, fixing a meting, what it gives back, sharing, exports, If-Match; and the marker test: a note
with a unique word shows up for the members of its own organisation and nowhere else."""
import re

import pytest

from .web_auth import Auth, csrf_token

MARKER = "kwartelkoningsnotitie"   # in no real entry
FORM = "/profielen/gm0106/invullen"


@pytest.fixture(scope="module")
def app(web_index, tmp_path_factory):
    """A database of its own: the counts of the waterbed comparison depend on who filled in a profile."""
    from web import create_app

    var = tmp_path_factory.mktemp("profielen")
    return create_app({"KAST_INDEX": str(web_index), "KAST_VAR": str(var),
                       "KAST_DATABASE_URL": f"sqlite:///{var / 'kast.sqlite'}"})


@pytest.fixture(scope="module")
def auth(app):
    return Auth(app)


def logged_in(app, auth, name: str, org: str, role: str = "lid"):
    client = app.test_client()
    assert auth.login(client, name, role, org).status_code == 302
    return client


@pytest.fixture(scope="module")
def assen(app, auth):
    client = logged_in(app, auth, "oov-assen", "gm0106")
    token = csrf_token(client, FORM)
    response = client.post(FORM, data={
        "csrf_token": token, "versie": "0", "contactfunctie": "Coördinator ondermijning", "bewaar": "wbs-bewustwording",
        "score-ambitie-1-1": "1", f"notitie-ambitie-1-1": f"De {MARKER} blijft binnen Assen",
        "score-ambitie-3-6": "3", "peer-ambitie-3-6": "ja", "score-ambitie-3-2": "0"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#wbs-bewustwording")
    fixed = client.post("/profielen/gm0106/metingen", data={"csrf_token": token, "datum": "2025-06-01"})
    assert fixed.status_code == 302
    client.measurement = fixed.headers["Location"]
    return client


def test_anonymous_visitors_are_sent_to_log_in_and_the_api_answers_401(app, assen):
    anonymous = app.test_client()
    for url in ("/profiel", "/profielen/gm0106", FORM, assen.measurement, "/profielen/gm0106/export.csv"):
        response = anonymous.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen"), url
    for url in ("/api/v1/profielen/gm0106", "/api/v1" + assen.measurement):
        response = anonymous.get(url)
        assert response.status_code == 401 and response.mimetype == "application/problem+json"
        assert response.headers["API-Version"] == "1.0.0"
    forged = anonymous.put("/api/v1/profielen/gm0106", json={"scores": {}}, headers={"Authorization": "Bearer kast_nep"})
    assert forged.status_code == 401


def test_the_form_needs_no_javascript_and_keeps_what_was_typed_on_an_error(assen):
    page = assen.get(FORM).get_data(as_text=True)
    assert "<script" not in page
    assert page.count("<fieldset") == 27 and page.count("<legend") == 27   # a municipality: 27 of the 28
    assert 'id="wbs-communicatie"' in page and MARKER in page
    assert re.search(r'name="score-ambitie-3-6" value="3" checked', page)
    token = csrf_token(assen, FORM)
    bad = assen.post(FORM, data={"csrf_token": token, "versie": "1", "score-ambitie-3-6": "3",
                                 "notitie-ambitie-1-1": "mail info@voorbeeld.nl", "score-ambitie-1-1": "2"})
    body = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "persoonsgegeven" in body and "info@voorbeeld.nl" in body   # nothing typed is lost
    assert 'href="#notitie-ambitie-1-1"' in body and re.search(r'id="notitie-ambitie-1-1"[^>]*aria-invalid="true"', body)
    assert MARKER in assen.get(FORM).get_data(as_text=True)   # and nothing stored is lost
    stale = assen.post(FORM, data={"csrf_token": token, "versie": "0", "score-ambitie-1-1": "2"})
    assert stale.status_code == 409 and "intussen gewijzigd" in stale.get_data(as_text=True)


def test_the_result_page_has_chart_table_gaps_and_a_json_twin(assen):
    page = assen.get(assen.measurement)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="profielgrafiek"' in html and 'data-bron="/api/v1' + assen.measurement + '"' in html
    assert "chart.umd.min.js" in html and "<script>" not in html   # no inline script (CSP)
    assert 'id="scoretabel"' in html and "3.6 Actueel Damoclesbeleid" in html
    assert "Gaten, grootste eerst" in html and "/instrumenten/bibob-beleid" in html
    assert "te weinig andere organisaties" in html   # no waterbed comparison with one profile
    twin = assen.get("/api/v1" + assen.measurement).get_json()
    row = next(a for a in twin["ambities"] if a["ambitie"] == "ambitie-3-6")
    assert row["score"] == 3 and twin["meting"]["datum"] == "2025-06-01"
    assert [g["ambitie"] for g in twin["gaten"]][0] != "ambitie-3-6"
    printable = assen.get(assen.measurement + "/afdrukken").get_data(as_text=True)
    assert "profiel.css" in printable and "<canvas" not in printable and 'id="scoretabel"' in printable


def test_a_second_meting_shows_progress(assen):
    token = csrf_token(assen, FORM)
    assert assen.post(FORM, data={"csrf_token": token, "versie": "1", "score-ambitie-1-1": "2",
                                  "score-ambitie-3-6": "3", "peer-ambitie-3-6": "ja", "score-ambitie-3-2": "1",
                                  "notitie-ambitie-1-1": f"De {MARKER} blijft binnen Assen"}).status_code == 302
    second = assen.post("/profielen/gm0106/metingen", data={"csrf_token": token, "datum": "2025-12-01"})
    html = assen.get(second.headers["Location"]).get_data(as_text=True)
    assert "Ten opzichte van de meting van 2025-06-01: 2 ambities hoger, 0 lager" in html
    overview = assen.get("/profielen/gm0106").get_data(as_text=True)
    assert overview.count("Meting van ") == 2


def test_api_put_needs_the_current_etag(assen):
    got = assen.get("/api/v1/profielen/gm0106")
    etag = got.headers["ETag"]
    headers = {"X-CSRFToken": csrf_token(assen, FORM)}
    missing = assen.put("/api/v1/profielen/gm0106", json={"scores": {"ambitie-2-1": {"score": 2}}}, headers=headers)
    assert missing.status_code == 428
    ok = assen.put("/api/v1/profielen/gm0106", json={"scores": {"ambitie-2-1": {"score": 2}}},
                   headers=dict(headers, **{"If-Match": etag}))
    assert ok.status_code == 200 and ok.headers["ETag"] != etag
    assert ok.get_json()["scores"]["ambitie-2-1"]["score"] == 2
    stale = assen.put("/api/v1/profielen/gm0106", json={"scores": {"ambitie-2-1": {"score": 0}}},
                      headers=dict(headers, **{"If-Match": etag}))
    assert stale.status_code == 412 and stale.mimetype == "application/problem+json"
    bad = assen.put("/api/v1/profielen/gm0106", json={"scores": {"ambitie-2-1": {"score": 9}}},
                    headers=dict(headers, **{"If-Match": ok.headers["ETag"]}))
    assert bad.status_code == 400 and "ambitie-2-1.score" in bad.get_json()["detail"]
    assert assen.get("/api/v1/profielen/gm0106").get_json()["scores"]["ambitie-2-1"]["score"] == 2


def test_a_token_fixes_a_meting_through_the_api(app, auth, assen):
    accounts = auth.accounts
    me = accounts.get("oov-assen")
    token = accounts.create_token(me, me.id, "profiel")[1]
    response = app.test_client().post("/api/v1/profielen/gm0106/metingen", json={"datum": "2025-12-15"},
                                      headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201 and response.headers["Location"].startswith("/api/v1/profielen/gm0106/metingen/")
    assert response.get_json()["meting"]["datum"] == "2025-12-15"
    bad = app.test_client().post("/api/v1/profielen/gm0106/metingen", json={"datum": "1 december"},
                                 headers={"Authorization": f"Bearer {token}"})
    assert bad.status_code == 400 and "JJJJ-MM-DD" in bad.get_json()["detail"]


def test_exports_of_ones_own_profile(assen):
    csv_text = assen.get("/profielen/gm0106/export.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0] == "meting,ambitie,nummer,naam,score,niveau,notitie"
    assert "2025-06-01,ambitie-3-6,3.6" in csv_text and MARKER in csv_text and "concept,ambitie-1-1" in csv_text
    body = assen.get("/profielen/gm0106/export.json").get_json()
    assert body["organisatie"] == "gm0106" and any(r["meting"] == "concept" for r in body["rijen"])


OTHERS_SEE = ["/", "/ambities/ambitie-1-1",
              "/api/v1/ambities/ambitie-1-1", "/gemeenten/gm0106", "/api/v1/gemeenten/gm0106",
              "/download/kast.nt", "/download/kast.ttl", "/netwerk/tabel?regio=pv22", "/api/v1/netwerk?regio=pv22",
              "/kaart?focus=gm0106&diepte=1"]


def test_marker_appears_in_no_output_for_anyone_else(app, auth, assen):
    emmen = logged_in(app, auth, "oov-emmen", "gm0114")
    amsterdam = logged_in(app, auth, "oov-amsterdam", "gm0363")
    for who in (app.test_client(), emmen, amsterdam):
        for url in OTHERS_SEE:
            assert MARKER not in who.get(url).get_data(as_text=True), url
        # a search page repeats the query: there the count says it
        assert who.get(f"/api/v1/zoeken?q={MARKER}").get_json()["totaal"] == 0
        # SPARQL: no literal anywhere in any graph the reader may query holds the marker (profiles never enter one)
        query = f'ASK {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }} FILTER(CONTAINS(STR(?o), "{MARKER}")) }}'
        answer = who.get("/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"})
        assert answer.status_code == 200 and answer.get_json()["boolean"] is False
        found = who.get("/sparql", query_string={"query": query.replace(MARKER, "Damoclesbeleid")},
                        headers={"Accept": "application/sparql-results+json"})
        assert found.get_json()["boolean"] is True   # the same question does find what is there
    own = assen.measurement
    for who in (emmen, amsterdam):
        for url in ("/profielen/gm0106", FORM, own, own + "/afdrukken", "/profielen/gm0106/export.csv",
                    "/profielen/gm0106/export.json", "/api/v1/profielen/gm0106", "/api/v1" + own,
                    "/samenwerkingen/werkgroep-drentse-aanpak/profielen"):
            response = who.get(url)
            assert response.status_code == 404 and MARKER not in response.get_data(as_text=True), url
    # Emmen's own result shows Assen as a peer for 3.6 (opted in) but never Assen's notes or other scores
    token = csrf_token(emmen, "/profielen/gm0114/invullen")
    emmen.post("/profielen/gm0114/invullen", data={"csrf_token": token, "versie": "0", "score-ambitie-3-6": "1"})
    result = emmen.post("/profielen/gm0114/metingen", data={"csrf_token": token})
    html = emmen.get(result.headers["Location"]).get_data(as_text=True)
    assert "Assen</a> (geborgd, zelfde RIEC-regio): vraag naar Coördinator ondermijning" in html
    assert MARKER not in html and MARKER not in emmen.get("/api/v1" + result.headers["Location"]).get_data(as_text=True)
    # the redactie reads every profile
    editor = logged_in(app, auth, "redactie", "vng", "redacteur")
    assert MARKER in editor.get(own).get_data(as_text=True)


def test_emmen_sees_assen_only_after_both_share_with_the_werkgroep(app, auth, assen):
    emmen = logged_in(app, auth, "oov-emmen-2", "gm0114")
    share = lambda client, org, on: client.post(f"/profielen/{org}/delen", data={   # noqa: E731
        "csrf_token": csrf_token(client, f"/profielen/{org}"), "samenwerking": "werkgroep-drentse-aanpak",
        "delen": "ja" if on else "nee"})
    assert share(assen, "gm0106", True).status_code == 302
    assert emmen.get("/profielen/gm0106").status_code == 404
    assert share(emmen, "gm0114", True).status_code == 302
    assert MARKER in emmen.get(assen.measurement).get_data(as_text=True)
    group = emmen.get("/samenwerkingen/werkgroep-drentse-aanpak/profielen").get_data(as_text=True)
    assert 'id="groepstabel"' in group and "Assen" in group and "Emmen" in group
    amsterdam = logged_in(app, auth, "oov-amsterdam-2", "gm0363")
    assert share(amsterdam, "gm0363", True).status_code == 302   # refused with a message, not an error page
    assert amsterdam.get("/profielen/gm0106").status_code == 404
    assert share(assen, "gm0106", False).status_code == 302
    assert emmen.get("/profielen/gm0106").status_code == 404


def test_the_waterbed_warning_appears_with_five_other_profiles_in_the_region(app, auth, assen):
    for n, org in enumerate(("gm0109", "gm0118", "gm0119", "gm1680", "gm1681")):
        client = logged_in(app, auth, f"oov-dijk-{n}", org)
        token = csrf_token(client, f"/profielen/{org}/invullen")
        client.post(f"/profielen/{org}/invullen", data={"csrf_token": token, "versie": "0", "score-ambitie-1-1": "3",
                                                       "score-ambitie-3-6": "3"})
        assert client.post(f"/profielen/{org}/metingen", data={"csrf_token": token}).status_code == 302
    html = assen.get(assen.measurement).get_data(as_text=True)
    assert "Uw dijk is hier lager dan die van de regio" in html
    assert "1.1 Structurele aandacht voor weerbaarheid en integriteit: uw score 1, mediaan van de regio 3" in html


def test_the_openapi_document_describes_the_profile_api(app):
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    concept = doc["paths"]["/profielen/{organisatie}"]
    assert set(concept) == {"get", "put"} and concept["put"]["security"] == [{"apiToken": []}, {"sessie": []}]
    assert {"401", "404", "412", "428"} <= set(concept["put"]["responses"])
    assert "post" in doc["paths"]["/profielen/{organisatie}/metingen"]
    assert "Meting" in doc["components"]["schemas"]


def test_the_profile_network_is_for_members_and_shows_only_opted_in_organisations(app, auth, assen):
    anonymous = app.test_client()
    assert anonymous.get("/netwerk/profielen?ambitie=ambitie-3-6").status_code == 302
    assert anonymous.get("/api/v1/netwerk/profielen?ambitie=ambitie-3-6").status_code == 401
    member = logged_in(app, auth, "oov-netwerk", "gm0109")
    token = csrf_token(member, "/profielen/gm0109/invullen")
    version = re.search(r'name="versie" value="(\d+)"', member.get("/profielen/gm0109/invullen").get_data(as_text=True))
    member.post("/profielen/gm0109/invullen", data={"csrf_token": token, "versie": version.group(1), "score-ambitie-3-6": "0",
                                                   "peer-ambitie-3-6": "ja", "score-ambitie-1-1": "0"})
    member.post("/profielen/gm0109/metingen", data={"csrf_token": token})
    body = member.get("/api/v1/netwerk/profielen?ambitie=ambitie-3-6").get_json()
    helping = {(c["van"], c["naar"]) for c in body["verbindingen"] if c["soort"] == "kan-helpen"}
    assert ("gm0106", "gm0109") in helping   # Assen opted in for 3.6 and is further
    assert all(c["reden"] for c in body["verbindingen"])
    on_1_1 = member.get("/api/v1/netwerk/profielen?ambitie=ambitie-1-1").get_json()
    assert "gm0106" not in str(on_1_1["verbindingen"]) + str(on_1_1["groepen"])   # Assen did not opt in for 1.1
    html = member.get("/netwerk/profielen?ambitie=ambitie-3-6").get_data(as_text=True)
    assert 'id="profielverbindingen"' in html and "is verder op 3.6" in html and MARKER not in html
    assert member.get("/netwerk/profielen?ambitie=bestaat-niet").status_code == 400


@pytest.mark.parametrize("path, method", [("/profielen/{organisatie}", "GET"), ("/profielen/{organisatie}", "PUT"),
                                          ("/profielen/{organisatie}/metingen/{meting}", "GET"),
                                          ("/netwerk/profielen", "GET")])
def test_profile_api_answers_as_the_openapi_document_says(app, auth, assen, path, method):
    """Generated requests with the token of a lid of Assen (other organisations and ids give 404, bad bodies
    400, a wrong If-Match 412): never a 5xx, and status, body and headers as documented."""
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis.specs.openapi.checks import negative_data_rejection

    me = auth.accounts.get("oov-assen")
    token = auth.accounts.create_token(me, me.id, f"schema {path} {method}")[1]
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=8, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}, excluded_checks=[negative_data_rejection])

    check()


def test_the_public_ambition_page_shows_its_scale_but_no_profile(app, assen):
    anonymous = app.test_client()
    html = anonymous.get("/ambities/ambitie-3-6").get_data(as_text=True)
    assert 'id="groeimodel-kop"' in html and "Geldt voor: gemeente." in html
    assert "Er is actueel Damoclesbeleid." in html and "003 §4.3" in html and MARKER not in html
    twin = anonymous.get("/api/v1/ambities/ambitie-3-6").get_json()["groeimodel"]
    assert [lv["naam"] for lv in twin["niveaus"]] == ["niet", "in ontwikkeling", "ingericht", "geborgd"]
