"""New actors, instruments and concepts, and the relations of an actor, through the curation forms (test
client with CSRF): the same workflow as an edit, messages next to their field, repeatable relation rows
without JavaScript, nothing of an unpublished proposal visible to others, and the new entry live after
a second account publishes it."""
import re

import pytest

from .html_tools import Page
from .test_web_curation_entries import form_values
from .web_auth import csrf_token, curation_app, logged_in

NEW = "/redactie/nieuw/actoren"
NAME = "Platform Weerbare Vakantieparken Drenthe"
ENTRY = "platform-weerbare-vakantieparken-drenthe"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return curation_app(tmp_path_factory, "redactie-nieuw")


@pytest.fixture(scope="module")
def people(app):
    return logged_in(app)


def _errors(html: str) -> dict[str, list[str]]:
    """Error messages by the id of the field they stand next to (fout-<name>)."""
    page, out = Page(html), {}
    for group in page.find_all("div") + page.find_all("fieldset"):
        for el in group.children:
            if el.tag == "p" and "utrecht-form-field-error-message" in el.get("class", "") and el.get("id"):
                out.setdefault(el.get("id"), []).append(" ".join(el.text.split()))
    return out


def _actor_form(client, **changes) -> dict:
    data = form_values(client.get(NEW).get_data(as_text=True))
    data.update({"bestand": "drenthe.yaml", "naam": NAME, "soort": "netwerk-of-programma", "niveau": "regionaal",
                 "beschrijving": "Drentse partners werken samen tegen ondermijning op vakantieparken.",
                 "bron-0": "003", "sectie-0": "3.1",
                 "relatie-0-soort": "werkt-samen-met", "relatie-0-doel": "riec-noord-nederland",
                 "relatie-0-bron-0": "003", "relatie-0-sectie-0": "3.1"})
    data.update(changes)
    return data


def test_the_form_for_a_new_actor_offers_file_id_and_relation_rows(app, people):
    lid = people["oov-assen"]
    assert app.test_client().get(NEW).status_code in (302, 401), "log in first"
    listing = lid.get("/actoren").get_data(as_text=True)
    assert f'href="{NEW}">Nieuwe actor voorstellen' in listing
    assert "Nieuwe actor voorstellen" not in app.test_client().get("/actoren").get_data(as_text=True)
    page = Page(lid.get(NEW).get_data(as_text=True))
    files = [o.get("value") for o in page.by_id("veld-bestand").children if o.tag == "option"]
    assert "drenthe.yaml" in files and "landelijk.yaml" in files
    assert page.by_id("veld-id").tag == "input"
    kinds = [o.get("value") for o in page.by_id("relatie-0-soort").children if o.tag == "option"]
    assert {"werkt-samen-met", "neemt-deel-aan", "ondersteunt"} <= set(kinds)
    doel = page.by_id("relatie-0-doel")
    groups = [g.get("label") for g in doel.children if g.tag == "optgroup"]
    assert groups == ["Actoren", "Instrumenten"] and "kast-picker" in doel.get("class")
    values = {o.get("value") for g in doel.children if g.tag == "optgroup" for o in g.children}
    assert {"riec-noord-nederland", "gm0106", "wet-bibob"} <= values
    themes = Page(lid.get("/redactie/nieuw/themas").get_data(as_text=True))
    schemes = [o.get("value") for o in themes.by_id("veld-bestand").children if o.tag == "option"]
    assert "deelaspecten.yaml" in schemes and "drentse-ambities.yaml" not in schemes, "themes only"
    assert themes.by_id("relatie-0-soort") is None, "a concept has no relations"


def test_a_row_is_added_without_javascript_and_nothing_is_saved(app, people):
    lid = people["oov-emmen"]
    before = len(app.extensions["curation"].proposals())
    more = lid.post(NEW, data=_actor_form(lid, actie="meer-rijen"))
    html = more.get_data(as_text=True)
    assert more.status_code == 200 and "nog niets opgeslagen" in html
    page = Page(html)
    assert page.by_id("relatie-2-soort") is not None and page.by_id("relatie-3-soort") is None
    assert form_values(html)["relatie-0-doel"] == "riec-noord-nederland", "what was filled in stays"
    again = Page(lid.post(NEW, data=dict(form_values(html), actie="meer-rijen")).get_data(as_text=True))
    assert again.by_id("relatie-3-soort") is not None, "every press gives one more empty row"
    assert len(app.extensions["curation"].proposals()) == before, "no proposal was made"


def test_messages_stand_next_to_their_field(app, people):
    lid = people["oov-emmen"]
    taken = lid.post(NEW, data=_actor_form(lid, naam="Wet Bibob"))
    assert taken.status_code == 422
    assert any("'wet-bibob' (gemaakt van de naam) bestaat al" in m for m in _errors(taken.get_data(as_text=True))["fout-id"])
    wrong_file = lid.post(NEW, data=_actor_form(lid, bestand="../../README.md"))
    assert wrong_file.status_code == 422 and "fout-bestand" in _errors(wrong_file.get_data(as_text=True))
    no_scheme = lid.post("/redactie/nieuw/themas", data=dict(
        form_values(lid.get("/redactie/nieuw/themas").get_data(as_text=True)), naam="Nieuw thema"))
    assert no_scheme.status_code == 422 and "fout-bestand" in _errors(no_scheme.get_data(as_text=True))
    # a relation without a source is saved as a concept, with the validator's message next to the relations
    half = lid.post(NEW, data=_actor_form(lid, naam="Platform zonder bron", **{"relatie-0-bron-0": "",
                                                                              "relatie-0-sectie-0": ""}))
    assert half.status_code == 302
    shown = lid.get(half.headers["Location"]).get_data(as_text=True)
    assert any("geen bronvermelding" in m for m in _errors(shown)["fout-relaties"])
    assert lid.post(NEW, data={k: v for k, v in _actor_form(lid).items() if k != "csrf_token"}).status_code == 400


def test_lid_proposes_a_new_actor_with_a_relation_a_redacteur_publishes_it(app, people):
    lid, other, a, b = people["oov-assen"], people["oov-emmen"], people["redactie-a"], people["redactie-b"]
    anonymous = app.test_client()
    made = lid.post(NEW, data=_actor_form(lid))
    assert made.status_code == 302, _errors(made.get_data(as_text=True))
    url = made.headers["Location"]
    proposal = lid.get(url).get_data(as_text=True)
    assert "actors/drenthe.yaml" in proposal and NAME in proposal
    # unpublished: nobody else sees it, nowhere
    assert other.get(url).status_code == 404
    assert anonymous.get(f"/actoren/{ENTRY}").status_code == 404
    assert anonymous.get(f"/api/v1/actoren/{ENTRY}").status_code == 404
    assert ENTRY not in anonymous.get("/api/v1/zoeken?q=weerbare vakantieparken").get_data(as_text=True)
    assert ENTRY not in other.get("/redactie").get_data(as_text=True)
    assert lid.post(url, data=dict(form_values(proposal), actie="indienen")).status_code == 302
    assert url.rsplit("/", 1)[1] in a.get("/redactie").get_data(as_text=True)
    assert lid.post(f"{url}/publiceren", data={"csrf_token": csrf_token(lid, url)}).status_code == 403
    published = b.post(f"{url}/publiceren", data={"csrf_token": csrf_token(b, url), "toelichting": "Akkoord"})
    assert published.status_code == 302 and published.headers["Location"].endswith(f"/actoren/{ENTRY}")
    page = anonymous.get(f"/actoren/{ENTRY}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert NAME in text and 'href="/actoren/riec-noord-nederland"' in text, "the relation shows on the page"
    # and the other side shows it too, the relation is in the graph
    assert f'href="/actoren/{ENTRY}"' in anonymous.get("/actoren/riec-noord-nederland").get_data(as_text=True)
    history = anonymous.get(f"/actoren/{ENTRY}/geschiedenis").get_data(as_text=True)
    assert "redactie-b" in history
    recent = anonymous.get("/nieuw-en-gewijzigd").get_data(as_text=True)
    assert f'href="/actoren/{ENTRY}"' in recent


def test_relations_of_an_existing_actor_are_edited_in_the_form(app, people):
    a, b = people["redactie-a"], people["redactie-b"]
    url = "/actoren/taskforce-brabant-zeeland/bewerken"
    data = form_values(a.get(url).get_data(as_text=True))
    rows = int(data["relaties-aantal"])
    gone = next(n for n in range(rows) if data[f"relatie-{n}-doel"] == "ministerie-jenv")
    empty = rows - 1   # the empty row at the end
    data.update({f"relatie-{gone}-weg": "1", f"relatie-{empty}-soort": "werkt-samen-met",
                 f"relatie-{empty}-doel": "riec-limburg", f"relatie-{empty}-bron-0": "001",
                 f"relatie-{empty}-sectie-0": "2.4.1"})
    made = a.post(url, data=data)
    assert made.status_code == 302, _errors(made.get_data(as_text=True))
    pid = made.headers["Location"]
    assert a.post(pid, data=dict(form_values(a.get(pid).get_data(as_text=True)), actie="indienen")).status_code == 302
    assert b.post(f"{pid}/publiceren", data={"csrf_token": csrf_token(b, pid)}).status_code == 302
    twin = app.test_client().get("/api/v1/actoren/taskforce-brabant-zeeland").get_json()
    outgoing = {i["id"] for r in twin["relaties"] if r["richting"] == "uit" for i in r["items"]}
    assert "riec-limburg" in outgoing and "ministerie-jenv" not in outgoing and "riec-oost-brabant" in outgoing
    history = app.test_client().get("/actoren/taskforce-brabant-zeeland/geschiedenis").get_data(as_text=True)
    changes = re.sub(r"\s+", " ", history)
    assert "<ins>+werkt-samen-met → riec-limburg (bron: 001 §2.4.1)</ins>" in changes
    assert "<del>−werkt-samen-met → ministerie-jenv (bron: 001 §2.4.1)</del>" in changes
    newest = re.findall(r'href="(/actoren/taskforce-brabant-zeeland/versies/[0-9a-f]+)"', history)[0]
    version = app.test_client().get(newest).get_data(as_text=True)
    assert "werkt-samen-met → riec-limburg (bron: 001 §2.4.1)" in version and "ministerie-jenv" not in version


def test_a_conflict_on_relations_shows_both_versions_one_relation_a_line(app, people):
    a, b = people["redactie-a"], people["redactie-b"]
    url = "/actoren/werkgroep-drentse-aanpak/bewerken"
    stale = form_values(a.get(url).get_data(as_text=True))
    n = next(i for i in range(int(stale["relaties-aantal"])) if stale[f"relatie-{i}-doel"] == "rud-drenthe")
    first = b.post(url, data=dict(form_values(b.get(url).get_data(as_text=True)), **{f"relatie-{n}-soort": "ondersteunt"}))
    pid = first.headers["Location"]
    assert b.post(pid, data=dict(form_values(b.get(pid).get_data(as_text=True)), actie="indienen")).status_code == 302
    assert a.post(f"{pid}/publiceren", data={"csrf_token": csrf_token(a, pid)}).status_code == 302
    clash = a.post(url, data=dict(stale, **{f"relatie-{n}-weg": "1"}))
    assert clash.status_code == 409
    cells = [" ".join(td.text.split()) for td in Page(clash.get_data(as_text=True)).find_all("td")]
    assert any("ondersteunt → rud-drenthe" in c for c in cells), cells
    assert any("werkt-samen-met → riec-noord-nederland" in c and "rud-drenthe" not in c for c in cells)
