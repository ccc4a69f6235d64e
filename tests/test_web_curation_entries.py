"""Curation of actors, instruments and themes in the browser's terms (test client): the form generated
from the field table, four eyes, conflicts, privacy, history and the change live on the site."""
import re

import pytest

from .html_tools import Page
from .web_auth import csrf_token, curation_app, logged_in

ACTOR = "/actoren/taskforce-brabant-zeeland"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return curation_app(tmp_path_factory, "redactie-items")


@pytest.fixture(scope="module")
def people(app):
    return logged_in(app)


def form_values(html: str) -> dict:
    """What a browser would send for the edit form as it is shown (selected options, also inside an
    optgroup, filled fields, the default of a single select)."""
    page = Page(html)
    form = next(f for f in page.find_all("form") if f.get("novalidate") is not None)
    inside = {id(el) for el in _descendants(form)}
    data: dict = {}
    for el in page.elements:
        name = el.get("name")
        if not name or id(el) not in inside:
            continue
        if el.tag == "input" and el.get("type") in ("checkbox", "radio"):
            if el.get("checked") is not None:
                data.setdefault(name, []).append(el.get("value"))
        elif el.tag == "button":
            continue
        elif el.tag == "input":
            data[name] = el.get("value", "")
        elif el.tag == "textarea":
            data[name] = el.text.removeprefix("\n")
        elif el.tag == "select":
            options = [o for o in _descendants(el) if o.tag == "option"]
            chosen = [o.get("value") for o in options if o.get("selected") is not None]
            if el.get("multiple") is None and not chosen and options and el.get("size") is None:
                chosen = [options[0].get("value")]   # a drop-down without a choice sends its first option
            data[name] = chosen if el.get("multiple") is not None else (chosen[0] if chosen else "")
    return data


def _descendants(parent) -> list:
    """The element and everything inside it, in document order."""
    out, todo = [], [parent]
    while todo:
        el = todo.pop()
        out.append(el)
        todo.extend(reversed(el.children))
    return out


def edit(client, url: str, **changes):
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = dict(form_values(page.get_data(as_text=True)), **changes)
    return client.post(url, data=data)


def test_links_on_the_actor_page_follow_the_role(app, people):
    anonymous = app.test_client().get(ACTOR).get_data(as_text=True)
    assert "Geschiedenis" in anonymous and "/bewerken" not in anonymous
    assert "Wijziging voorstellen" in people["oov-assen"].get(ACTOR).get_data(as_text=True)
    assert f'href="{ACTOR}/bewerken">Bewerken' in people["redactie-a"].get(ACTOR).get_data(as_text=True)
    assert app.test_client().get(f"{ACTOR}/bewerken").status_code in (302, 401)   # log in first
    form = Page(people["oov-assen"].get(f"{ACTOR}/bewerken").get_data(as_text=True))
    labels = {" ".join(e.text.split()) for e in form.find_all("label")}
    assert {"Naam", "Andere namen", "Beschrijving", "Focus", "TOOI-URI"} <= labels
    assert form.by_id("veld-soort").tag == "select" and form.by_id("veld-beschrijving").tag == "textarea"
    assert people["oov-assen"].get("/actoren/bestaat-niet/bewerken").status_code == 404
    assert people["oov-assen"].get("/instrumenten/taskforce-brabant-zeeland/bewerken").status_code == 404


def test_lid_proposes_a_new_description_redacteur_publishes_it_is_live(app, people):
    lid, a, b = people["oov-assen"], people["redactie-a"], people["redactie-b"]
    text = "De taskforce bundelt de bestuurlijke aanpak van ondermijning in Zuid-Nederland met kwartiermakers."
    response = edit(lid, f"{ACTOR}/bewerken", beschrijving=text)
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    url = response.headers["Location"]
    proposal = lid.get(url).get_data(as_text=True)
    assert "actors/bzk-jenv-2015.yaml" in proposal and "kwartiermakers" in proposal
    assert edit(lid, url, actie="indienen").status_code == 302
    assert url.rsplit("/", 1)[1] in a.get("/redactie").get_data(as_text=True)
    refused = lid.post(f"{url}/publiceren", data={"csrf_token": csrf_token(lid, url)})
    assert refused.status_code == 403
    published = a.post(f"{url}/publiceren", data={"csrf_token": csrf_token(a, url), "toelichting": "Akkoord"})
    assert published.status_code == 302 and published.headers["Location"].endswith(ACTOR)

    anonymous = app.test_client()
    assert "kwartiermakers" in anonymous.get(ACTOR).get_data(as_text=True)
    assert "kwartiermakers" in anonymous.get("/api/v1" + ACTOR).get_data(as_text=True)
    found = anonymous.get("/api/v1/zoeken?q=kwartiermakers").get_json()["resultaten"]
    assert "taskforce-brabant-zeeland" in [r["id"] for r in found]
    history = anonymous.get(f"{ACTOR}/geschiedenis").get_data(as_text=True)
    assert "redactie-a" in history and "kwartiermakers" in history
    recent = anonymous.get("/nieuw-en-gewijzigd").get_data(as_text=True)
    assert f'href="{ACTOR}"' in recent
    assert f"{ACTOR}" in anonymous.get("/nieuw-en-gewijzigd.atom").get_data(as_text=True)
    versions = re.findall(rf'href="({ACTOR}/versies/[0-9a-f]+)"', history)
    assert len(versions) == 2 and "kwartiermakers" not in anonymous.get(versions[1]).get_data(as_text=True)
    # and a revert to the old version is a new proposal, through review
    old = versions[1].rsplit("/", 1)[1]
    back = b.post(f"{ACTOR}/terugzetten", data={"csrf_token": csrf_token(b, f"{ACTOR}/geschiedenis"), "versie": old})
    assert back.status_code == 302 and "/redactie/voorstellen/" in back.headers["Location"]


def test_same_field_changed_meanwhile_shows_both_versions(app, people):
    a, b = people["redactie-a"], people["redactie-b"]
    url = "/instrumenten/wet-bibob/bewerken"
    stale = form_values(a.get(url).get_data(as_text=True))
    first = edit(b, url, **{"wettelijke-basis": "Wet Bibob, volgens redactie B."})
    pid = first.headers["Location"]
    assert edit(b, pid, actie="indienen").status_code == 302
    assert a.post(f"{pid}/publiceren", data={"csrf_token": csrf_token(a, pid)}).status_code == 302
    clash = a.post(url, data=dict(stale, **{"wettelijke-basis": "Wet Bibob, volgens redactie A."}))
    text = clash.get_data(as_text=True)
    assert clash.status_code == 409
    assert "Wet Bibob, volgens redactie A." in text and "Wet Bibob, volgens redactie B." in text


def test_personal_data_and_markup_in_a_theme_are_refused_or_escaped(app, people):
    lid = people["oov-emmen"]
    url = "/themas/deelaspect-georganiseerde-criminaliteit/bewerken"
    refused = edit(lid, url, beschrijving="Bel 06-12345678 voor meer informatie.")
    page = Page(refused.get_data(as_text=True))
    assert refused.status_code == 422
    errors = [e for e in page.find_all("p") if "utrecht-form-field-error-message" in e.get("class", "")]
    assert any(e.get("id") == "fout-beschrijving" and "telefoonnummer" in e.text for e in errors)
    marked = edit(lid, url, beschrijving='<script>alert("x")</script> Georganiseerde criminaliteit.')
    assert marked.status_code == 302
    html = lid.get(marked.headers["Location"]).get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_a_published_name_shows_on_the_actor_map_and_in_search_without_a_restart(app, people):
    a, b = people["redactie-a"], people["redactie-b"]
    anonymous = app.test_client()
    text = anonymous.get("/api/v1/kaart").get_data(as_text=True)   # fills the map cache of this process
    assert "Ministerie van Sociale Zaken en Werkgelegenheid" in text and "Werkgelegenheid en Inkomen" not in text
    url = "/actoren/ministerie-szw/bewerken"
    pid = edit(a, url, naam="Ministerie van Sociale Zaken, Werkgelegenheid en Inkomen").headers["Location"]
    assert edit(a, pid, actie="indienen").status_code == 302
    assert b.post(f"{pid}/publiceren", data={"csrf_token": csrf_token(b, pid)}).status_code == 302
    assert "Werkgelegenheid en Inkomen" in anonymous.get("/api/v1/kaart").get_data(as_text=True)
    found = anonymous.get("/api/v1/zoeken?q=Werkgelegenheid en Inkomen").get_json()["resultaten"]
    assert "ministerie-szw" in [r["id"] for r in found]
