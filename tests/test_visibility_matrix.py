"""One rule, every output: a network-only practice with a unique marker word is absent from every output
for anonymous visitors and present for a lid; a concept is seen only by curators.

The data is a copy of the real data with two extra practices, so the test does not depend on which real
practices happen to be network-only.
"""
import re
import shutil
from pathlib import Path

import pytest

from kast import config

from .web_auth import Auth

MARKER = "zwaluwstaartverbinding"          # in no real entry
CONCEPT_MARKER = "kraanvogelconcept"
NETWORK_ID = "netwerk-praktijk-met-merkteken"
CONCEPT_ID = "concept-praktijk-met-merkteken"
TEMPLATE = "actueel-damoclesbeleid"         # a public practice with municipalities, instruments and themes


def variant(text: str, new_id: str, marker: str, visibility: str, status: str) -> str:
    text = re.sub(r"(?m)^id: .*$", f"id: {new_id}", text, count=1)
    text = re.sub(r"(?m)^titel: .*$", f"titel: De {marker} tussen gemeenten", text, count=1)
    text = re.sub(r"(?m)^zichtbaarheid: .*$", f"zichtbaarheid: {visibility}", text, count=1)
    text = re.sub(r"(?m)^status: .*$", f"status: {status}", text, count=1)
    return text.replace("## Probleem\n", f"## Probleem\nHet {marker}-overleg is de kern van deze aanpak.\n", 1)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from web import create_app

    root = tmp_path_factory.mktemp("matrix")
    data = root / "data"
    shutil.copytree(config.DEFAULT_DATA, data)
    source = (data / "practices" / f"{TEMPLATE}.md").read_text(encoding="utf-8")
    (data / "practices" / f"{NETWORK_ID}.md").write_text(
        variant(source, NETWORK_ID, MARKER, "netwerk", "gepubliceerd"), encoding="utf-8")
    (data / "practices" / f"{CONCEPT_ID}.md").write_text(
        variant(source, CONCEPT_ID, CONCEPT_MARKER, "openbaar", "concept"), encoding="utf-8")
    var = root / "var"
    return create_app({"KAST_DATA": str(data), "KAST_INDEX": str(var / "index"), "KAST_VAR": str(var),
                       "KAST_DATABASE_URL": f"sqlite:///{var / 'kast.sqlite'}"})


@pytest.fixture(scope="module")
def readers(app):
    auth = Auth(app)
    anonymous, lid, editor = app.test_client(), app.test_client(), app.test_client()
    assert auth.login(lid, "oov-assen", "lid", "gm0106").status_code == 302
    assert auth.login(editor, "redactie-vng", "redacteur", "vng").status_code == 302
    token = auth.accounts.create_token(auth.accounts.get("oov-assen"), auth.accounts.get("oov-assen").id, "matrix")[1]
    return {"anoniem": anonymous, "lid": lid, "redacteur": editor, "token": token}


OUTPUTS = [
    "/zoeken?q={m}", "/api/v1/zoeken?q={m}", "/zoeken?soort=praktijk&paginagrootte=100&sorteer=titel",
    "/api/v1/praktijken?paginagrootte=100&pagina={page}", "/praktijken?paginagrootte=100&pagina={page}",
    "/praktijken/{id}", "/api/v1/praktijken/{id}", "/id/praktijk/{id}",
    "/gemeenten/gm0106", "/api/v1/gemeenten/gm0106", "/instrumenten/damoclesbeleid",
    "/api/v1/praktijken/" + TEMPLATE, "/download/kast.ttl", "/download/kast.nt", "/download/kast.jsonld",
    "/kaart?focus=damoclesbeleid&diepte=1", "/api/v1/kaart?focus=damoclesbeleid&diepte=1",
    "/kaart/tabel?focus=damoclesbeleid&diepte=1", "/kaart/export.gexf?focus=damoclesbeleid&diepte=1",
    "/kaart/export.knopen.csv?focus=damoclesbeleid&diepte=1", "/kaart/export.html?focus=damoclesbeleid&diepte=1",
    "/netwerk/tabel?regio=pv22", "/api/v1/netwerk?regio=pv22", "/netwerk/export.graphml?regio=pv22",
]


def fetch(client, url: str, token: str | None = None) -> tuple[int, str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if url.startswith("/id/"):
        headers["Accept"] = "text/turtle"
    texts, status = [], None
    for page in (1, 2) if "{page}" in url else (1,):
        response = client.get(url.format(m=MARKER, id=NETWORK_ID, page=page), headers=headers)
        status = status or response.status_code
        texts.append(response.get_data(as_text=True))
    return status, "\n".join(texts)


@pytest.mark.parametrize("url", OUTPUTS)
def test_network_practice_only_for_members(readers, url):
    anonymous = fetch(readers["anoniem"], url)
    member = fetch(readers["lid"], url)
    by_token = fetch(readers["anoniem"], url, readers["token"])
    # a search page repeats the query and a 404 names the path asked for: there only the other one counts
    needles = (NETWORK_ID,) if "{m}" in url else (MARKER,) if "{id}" in url else (MARKER, NETWORK_ID)
    assert not any(n in anonymous[1] for n in needles), url
    assert any(n in member[1] for n in needles), url
    assert any(n in by_token[1] for n in needles), url
    if "{id}" in url:
        assert anonymous[0] == 404 and member[0] == 200


def totals(client, query: str, token=None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = client.get(f"/api/v1/zoeken?{query}", headers=headers).get_json()
    facets = {f"{f['naam']}={v['waarde']}": v["aantal"] for f in body["facetten"] for v in f["waarden"]}
    return {"total": body["totaal"], **facets}


def test_totals_and_facet_counts_leave_out_what_a_reader_cannot_see(readers, app):
    site = app.extensions["kast"]
    from kast.visibility import ANONYMOUS, Reader

    gap = len(site.hidden_for(ANONYMOUS)) - len(site.hidden_for(Reader("lid")))
    assert gap >= 1
    public = totals(readers["anoniem"], "q=&soort=praktijk")
    member = totals(readers["lid"], "q=&soort=praktijk")
    assert member["total"] - public["total"] == gap
    # the marker copies its template's instrument: that facet value counts one more for the lid only
    assert member["instrument=damoclesbeleid"] == public["instrument=damoclesbeleid"] + 1
    home = readers["anoniem"].get("/").get_data(as_text=True)
    assert str(public["total"]) in home


def test_spelling_suggestions_do_not_leak_hidden_words(readers):
    typo = MARKER[:-1] + "x"   # one edit away from a word only the hidden practice has
    public = readers["anoniem"].get(f"/api/v1/zoeken?q={typo}").get_json()
    member = readers["lid"].get(f"/api/v1/zoeken?q={typo}").get_json()
    assert MARKER not in str(public.get("suggestie")) and public["totaal"] == 0
    assert member.get("suggestie") == MARKER


def test_concepts_are_for_curators_only(readers):
    for who in ("anoniem", "lid"):
        status, body = fetch(readers[who], f"/praktijken/{CONCEPT_ID}")
        assert status == 404
        assert CONCEPT_ID not in fetch(readers[who], f"/api/v1/zoeken?q={CONCEPT_MARKER}")[1]
        assert CONCEPT_MARKER not in fetch(readers[who], "/download/kast.nt")[1]
    assert fetch(readers["redacteur"], f"/praktijken/{CONCEPT_ID}")[0] == 200
    assert CONCEPT_ID in fetch(readers["redacteur"], f"/api/v1/zoeken?q={CONCEPT_MARKER}")[1]


def test_similar_entries_leave_out_hidden_practices(readers):
    public = readers["anoniem"].get(f"/api/v1/praktijken/{TEMPLATE}").get_json()
    member = readers["lid"].get(f"/api/v1/praktijken/{TEMPLATE}").get_json()
    assert NETWORK_ID not in str(public) and NETWORK_ID in str(member.get("vergelijkbaar"))


def test_pages_for_accounts_are_not_cached_by_others(readers):
    response = readers["lid"].get("/zoeken?q=bibob")
    assert "no-store" in response.headers["Cache-Control"] and "Cookie" in response.headers["Vary"]
