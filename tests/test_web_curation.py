"""Curation in the browser's terms (test client): a member proposes, a curator sends back, the member
fixes, a second curator publishes, and it is live; four eyes, conflicts and privacy in the pages."""
import io
import re
from html import unescape

import pytest

from .web_auth import csrf_token, curation_app, logged_in

ASSEN = {"titel": "Assen controleert vakantieparken samen met de RUD", "soort": "best", "aard": "lokale-praktijk",
         "samenvatting": "De gemeente Assen controleert vakantieparken integraal met de RUD.",
         "zichtbaarheid": "openbaar", "gemeenten": ["gm0106"], "actoren": ["gm0106"],
         "themas": ["fenomeen-vakantieparken"], "bewijsniveau": "beschreven", "effect": "onbekend",
         "probleem": "Op parken speelt meer dan toezicht alleen ziet.", "aanpak": "Integrale controles.",
         "werkingsmechanisme": "Samen zien partners meer.", "resultaat": "De bron meldt nog geen resultaat.",
         "lessen": "- Begin klein.", "overdraagbaarheid": "Voor gemeenten met parken.",
         "bronnen-aantal": "2", "bron-0": "003", "sectie-0": "2.1"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return curation_app(tmp_path_factory, "redactie")


@pytest.fixture(scope="module")
def people(app):
    return logged_in(app)


def version_of(client, url: str) -> str:
    return re.search(r'name="versie" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


def post(client, url: str, data: dict, page: str | None = None):
    return client.post(url, data=dict(data, csrf_token=csrf_token(client, page or url)))


def propose(client, fields: dict) -> str:
    response = post(client, "/redactie/nieuw", fields)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return response.headers["Location"]


def test_member_proposes_curators_review_and_it_goes_live(app, people):
    lid, a, b = people["oov-assen"], people["redactie-a"], people["redactie-b"]
    draft = dict(ASSEN)
    del draft["overdraagbaarheid"]
    url = propose(lid, draft)
    pid = url.rsplit("/", 1)[1]
    refused = post(lid, url, dict(draft, versie=version_of(lid, url), actie="indienen"))
    assert refused.status_code == 422 and "Overdraagbaarheid" in refused.get_data(as_text=True)
    assert post(lid, url, dict(ASSEN, versie=version_of(lid, url), actie="indienen")).status_code == 302
    queue = a.get("/redactie").get_data(as_text=True)
    assert pid in queue and "oov-assen" in queue

    assert post(lid, f"{url}/publiceren", {}, url).status_code == 403          # a lid never publishes
    assert post(a, f"{url}/terugsturen", {"toelichting": "Noem ook het gebruikte instrument."}, url).status_code == 302
    assert "Noem ook het gebruikte instrument." in lid.get("/redactie").get_data(as_text=True)
    fixed = dict(ASSEN, instrumenten=["wet-bibob"], versie=version_of(lid, url), actie="indienen")
    assert post(lid, url, fixed).status_code == 302
    published = post(b, f"{url}/publiceren", {"toelichting": "Compleet."}, url)
    assert published.status_code == 302
    page = published.headers["Location"]

    anonymous = app.test_client()
    assert "Assen controleert vakantieparken" in anonymous.get(page).get_data(as_text=True)
    found = anonymous.get("/api/v1/zoeken?q=vakantieparken RUD Assen").get_json()["resultaten"]
    assert page.rsplit("/", 1)[1] in [r["id"] for r in found]
    history = anonymous.get(page + "/geschiedenis").get_data(as_text=True)
    assert "redactie-b" in history and "Compleet." in history
    assert "Assen controleert" in anonymous.get("/nieuw-en-gewijzigd.atom").get_data(as_text=True)


def test_nobody_approves_their_own_proposal(app, people):
    a = people["redactie-a"]
    url = propose(a, dict(ASSEN, titel="Redactie stelt zelf een praktijk voor"))
    assert post(a, url, dict(ASSEN, titel="Redactie stelt zelf een praktijk voor", versie=version_of(a, url),
                             actie="indienen")).status_code == 302
    response = post(a, f"{url}/publiceren", {}, url)
    assert response.status_code == 403 and "vier ogen" in response.get_data(as_text=True).lower()


def test_members_do_not_see_each_others_proposals(app, people):
    url = propose(people["oov-assen"], dict(ASSEN, titel="Alleen voor Assen zichtbaar voorstel"))
    assert people["oov-emmen"].get(url).status_code == 404
    assert app.test_client().get(url).status_code == 302   # anonymous: log in first


def test_two_editors_same_proposal_merge_or_conflict_and_nothing_is_lost(app, people):
    lid, a = people["oov-assen"], people["redactie-a"]
    url = propose(lid, dict(ASSEN, titel="Twee mensen bewerken dit voorstel"))
    start = version_of(lid, url)
    base = dict(ASSEN, titel="Twee mensen bewerken dit voorstel", versie=start, actie="opslaan")
    assert post(lid, url, dict(base, resultaat="Resultaat volgens het lid.")).status_code == 302
    merged = post(a, url, dict(base, lessen="- Les van de redactie."))            # other field: merged
    assert merged.status_code == 302
    note = a.get(url).get_data(as_text=True)
    assert "samengevoegd" in note and "Resultaat volgens het lid." in note and "Les van de redactie." in note
    clash = post(a, url, dict(base, resultaat="Resultaat volgens de redactie."))  # same field: conflict
    text = clash.get_data(as_text=True)
    assert clash.status_code == 409 and "Resultaat volgens de redactie." in text and "Resultaat volgens het lid." in text
    assert "Resultaat volgens het lid." in lid.get(url).get_data(as_text=True)   # nothing overwritten


def test_publishing_onto_a_newer_version_lets_the_curator_choose(app, people):
    lid, a, b = people["oov-assen"], people["redactie-a"], people["redactie-b"]
    edit = "/praktijken/actueel-damoclesbeleid/bewerken"
    start = version_of(a, edit)
    first = post(a, edit, {"versie": start, **_published_form(a, edit), "samenvatting": "Samenvatting van redactie A."})
    second = post(lid, edit, {"versie": start, **_published_form(lid, edit), "samenvatting": "Samenvatting van het lid."})
    first_url, second_url = first.headers["Location"], second.headers["Location"]
    for client, url in ((a, first_url), (lid, second_url)):
        assert post(client, url, {"versie": version_of(client, url), **_published_form(client, url),
                                  "actie": "indienen"}).status_code == 302
    assert post(b, f"{first_url}/publiceren", {}, first_url).status_code == 302
    clash = post(b, f"{second_url}/publiceren", {}, second_url)
    text = clash.get_data(as_text=True)
    assert clash.status_code == 409 and "Samenvatting van redactie A." in text and "Samenvatting van het lid." in text
    assert post(b, f"{second_url}/bijwerken", {"keuze-samenvatting": "mijn"}, second_url).status_code == 302
    # b changed the proposal by choosing: four eyes now need someone else to publish it
    assert post(b, f"{second_url}/publiceren", {}, second_url).status_code == 403
    assert post(a, f"{second_url}/publiceren", {}, second_url).status_code == 302
    page = app.test_client().get("/praktijken/actueel-damoclesbeleid").get_data(as_text=True)
    assert "Samenvatting van het lid." in page


def _published_form(client, url: str) -> dict:
    """Every field as the form shows it (what a browser would send back unchanged)."""
    html = client.get(url).get_data(as_text=True)
    form = html[html.index('class="kast-form kast-form--wide"'):]
    form = form[:form.index("</form>")]
    data: dict = {}
    for name, value in re.findall(r'<input class="utrecht-textbox[^>]*name="([^"]+)" value="([^"]*)"', form):
        data[name] = unescape(value)
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', form):
        data[name] = unescape(value)
    for select in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.findall(r'<option value="([^"]*)" selected', select[1])
        if chosen:
            data[select[0]] = chosen
    data.update({n: data.get(n, []) + [v] if isinstance(data.get(n), list) else [v]
                 for n, v in re.findall(r'type="checkbox" id="[^"]+" name="([^"]+)" value="([^"]+)" checked', form)})
    data["bronnen-aantal"] = re.search(r'name="bronnen-aantal" value="(\d+)"', form).group(1)
    return data


def test_personal_data_stops_a_proposal(app, people):
    lid = people["oov-assen"]
    risky = dict(ASSEN, titel="Voorstel met persoonsgegevens",
                 probleem="Jan de Vries meldde het; zijn BSN is 111222333.")
    response = post(lid, "/redactie/nieuw", risky)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "persoonsgegevens" in text and "111222333" not in text.split("<textarea", 1)[0]
    assert "Voorstel met persoonsgegevens" not in people["redactie-a"].get("/redactie").get_data(as_text=True)


def test_forms_need_their_csrf_token(app, people):
    response = people["oov-assen"].post("/redactie/nieuw", data=ASSEN)
    assert response.status_code == 400


def test_import_from_a_spreadsheet_and_export_a_list(app, people):
    import openpyxl

    from kast.curation.bulk import template

    lid = people["oov-assen"]
    assert "praktijken-sjabloon.xlsx" in lid.get("/redactie/sjabloon.xlsx").headers["Content-Disposition"]
    good = template("csv").decode("utf-8").replace("voorbeeld-bibob-toets-vakantieparken", "import-uit-een-csv")
    response = lid.post("/redactie/import", data={"csrf_token": csrf_token(lid, "/redactie/import"),
                                                  "bestand": (io.BytesIO(good.encode("utf-8")), "praktijken.csv")},
                        content_type="multipart/form-data")
    assert response.status_code == 200 and "1 als concept opgenomen" in response.get_data(as_text=True)
    bad = good.replace(",best,", ",misschien,")
    refused = lid.post("/redactie/import", data={"csrf_token": csrf_token(lid, "/redactie/import"),
                                                 "bestand": (io.BytesIO(bad.encode("utf-8")), "fout.csv")},
                       content_type="multipart/form-data")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "0 als concept opgenomen" in text and "soort" in text
    exported = app.test_client().get("/praktijken/export.xlsx?aard=valkuil")
    sheet = openpyxl.load_workbook(io.BytesIO(exported.data)).worksheets[0]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    aard = header.index("aard")
    assert exported.status_code == 200 and rows and all(r[aard] == "valkuil" for r in rows)
    search = app.test_client().get("/zoeken/export.csv?q=bibob").data.decode("utf-8")
    assert "wet-bibob" in search and "=" not in search.splitlines()[1][:1]
