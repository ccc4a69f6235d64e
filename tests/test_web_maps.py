"""The network pages (issue 5) as an organiser of network meetings meets them: the actor map with
filters, focus and path, the peer network with meeting groups, the text versions, the exports, the
JSON twins, the errors in Dutch, the caches, and escaping of hostile labels."""
import csv
import io
import json
import re

import networkx as nx
import pytest
import yaml

from kast.network import NODE_TYPES, actor_map, focus, path
from kast.network.visjs import STYLE
from web import maps_cache, maps_data
from web.maps_cache import State, state_of

from .browser.xss_data import MARKER, PAYLOAD, PRACTICE_ID, make_data
from .html_tools import Page, params

PAGES = ["/kaart", "/kaart/tabel", "/netwerk", "/netwerk/tabel", "/kaart?focus=riec-noord-nederland&diepte=2",
         "/kaart?van=ccv&naar=gm0106", "/kaart?soort=actor&soort=instrument&niveau=landelijk&zoek=riec",
         "/netwerk?instrument=wet-bibob&grootte=6", "/netwerk/tabel?thema=fenomeen-vakantieparken&grootte=6"]
HEADER = ["groep", "gemeente", "naam", "tooi", "provincie", "riec-regio", "reden", "opmerking"]


def get(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.get_data(as_text=True)[:500])
    return response


def page_data(html: str) -> dict:
    """The JSON block kaart.js draws from."""
    match = re.search(r'<script type="application/json" id="kaart-data">(.*?)</script>', html, re.S)
    assert match, "geen kaart-data op de pagina"
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def site(app):
    return app.extensions["kast"]


# --------------------------------------------------------------------------- pages

@pytest.mark.parametrize("url", PAGES)
def test_pages_keep_the_rules(client, url):
    html = get(client, url).get_data(as_text=True)
    doc = Page(html)
    assert doc.find_all("html")[0].get("lang") == "nl"
    assert doc.find_all("a")[0].get("href") == "#inhoud"
    levels = doc.headings()
    assert levels.count(1) == 1 and levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
    labels = {e.get("for") for e in doc.find_all("label")}
    for field in doc.find_all("input") + doc.find_all("select"):
        if field.get("type") != "hidden":
            assert field.get("id") in labels, field.attrs
    # the main navigation has both network views, the current one marked
    nav = {e.text.strip(): e for e in doc.find_all("a", class_="utrecht-nav-list__link")}
    assert nav["Actorenkaart"].get("href") == "/kaart" and nav["Netwerk van gemeenten"].get("href") == "/netwerk"
    current = nav["Actorenkaart" if url.startswith("/kaart") else "Netwerk van gemeenten"]
    assert current.get("aria-current") == "page"
    # scripts only from this host or as a JSON data block; no inline style; nothing from another host
    for script in doc.find_all("script"):
        assert script.get("src", "").startswith("/static/") or script.get("type") == "application/json", script.attrs
        assert not script.get("src") or not script.text.strip()
    assert "<style" not in html and not re.search(r"\sstyle=", html)
    assert not re.search(r"""<(?:link|img|script)[^>]+(?:href|src)=["'](?:https?:)?//""", html)
    # the text version is linked, and the JSON twin answers
    assert any("Tekstversie" in text or "tekening" in text for _, text in doc.links())
    twin = [e for e in doc.find_all("link") if e.get("rel") == "alternate"][0].get("href")
    assert twin.startswith("/api/v1/")
    assert get(client, twin).mimetype == "application/json"


def test_csp_allows_only_the_style_blocks_of_vis_network(client):
    policy = get(client, "/kaart").headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "script-src 'self';" in policy
    assert policy.count("'sha256-") == 8    # vis-network's seven <style> blocks and the empty one it starts with


def test_the_first_view_shows_organisations_and_folds_the_rest(client):
    """/kaart without choices: the organisations and how they relate; the other kinds are clusters that
    open the map with that kind, and a click on an organisation opens its surroundings."""
    graph = page_data(get(client, "/kaart").get_data(as_text=True))["graaf"]
    kinds = {n["group"] for n in graph["nodes"]}
    assert kinds <= {"actor", "gemeente", "provincie", "waterschap", "cluster"} and "cluster" in kinds
    assert 40 < len(graph["nodes"]) < 120
    clusters = {n["label"]: graph["urls"][n["id"]] for n in graph["nodes"] if n["group"] == "cluster"}
    instruments = next(url for label, url in clusters.items() if label.endswith(" instrumenten"))
    assert params(instruments)["soort"] == ["actor", "instrument"]
    assert graph["urls"]["vng"] == "/kaart?focus=vng"
    vng = next(n for n in graph["nodes"] if n["id"] == "vng")
    assert vng["label"] == "VNG" and vng["title"].startswith("Vereniging van Nederlandse Gemeenten")
    assert "verbonden met" in vng["title"] and "instrument" in vng["title"]
    opened = page_data(get(client, instruments).get_data(as_text=True))["graaf"]
    assert {n["group"] for n in opened["nodes"]} == {"actor", "instrument"}


def test_tooltips_name_regions_instead_of_ids(client):
    graph = page_data(get(client, "/kaart?focus=gm0106").get_data(as_text=True))["graaf"]
    assen = next(n for n in graph["nodes"] if n["id"] == "gm0106")
    assert "provincie: Provincie Drenthe" in assen["title"] or "provincie: Drenthe" in assen["title"]
    assert "RIEC-regio: RIEC Noord-Nederland" in assen["title"]
    assert not any(re.search(r"\b(pv\d\d|gm\d{4}|id:)", n["title"]) for n in graph["nodes"])


def test_focus_by_name_with_suggestions_as_links(client):
    assert "Omgeving van Assen" in get(client, "/kaart?focus=gemeente%20Assen").get_data(as_text=True)
    response = client.get("/kaart?focus=riec%20noord&diepte=2")
    assert response.status_code == 404
    doc = Page(response.get_data(as_text=True))
    links = {" ".join(a.text.split()): a.get("href") for a in doc.find_all("a") if "focus=" in (a.get("href") or "")}
    assert "RIEC Noord-Nederland" in links and "RIEC Noord-Holland" in links
    assert params(links["RIEC Noord-Nederland"]) == {"focus": ["riec-noord-nederland"], "diepte": ["2"]}
    assert "riec-noord-holland" not in " ".join(links)   # names, not ids, are shown


def test_the_map_draws_from_precomputed_positions(client):
    html = get(client, "/kaart?soort=" + "&soort=".join(NODE_TYPES)).get_data(as_text=True)
    data = page_data(html)
    graph = data["graaf"]
    assert graph["options"]["physics"] is False
    assert len(graph["nodes"]) > 200 and all("x" in n and "y" in n for n in graph["nodes"])
    assert graph["urls"]["gm0106"] == "/gemeenten/gm0106" and graph["urls"]["vng"] == "/actoren/vng"
    assert graph["urls"]["wet-bibob"] == "/instrumenten/wet-bibob"
    doc = Page(html)
    drawing = doc.by_id("kaart")
    assert "tabelversie" in drawing.get("data-beschrijving") and "/kaart/tabel" in drawing.get("data-beschrijving")
    # legend with colour and shape per type, and the metrics beside the map
    legend = doc.find_all("ul", class_="kast-legenda")[0]
    assert "gemeente" in legend.text and "instrument" in legend.text
    assert "Meest verbonden" in html and "Wie verbindt" in html and "Betweenness exact berekend" in html


def test_legend_colours_are_those_of_the_drawing(client):
    css = get(client, "/static/kaart.css").get_data(as_text=True)
    for kind, (colour, shape) in STYLE.items():
        assert f".kast-kleur--{kind} {{ background: {colour}; }}" in css
        assert shape == "dot" or f".kast-symbool--{shape}" in css or shape == "square"


def test_types_and_filters(client):
    data = page_data(get(client, "/kaart?soort=gemeente&soort=provincie&regio=pv22").get_data(as_text=True))
    groups = {n["group"] for n in data["graaf"]["nodes"]}
    assert groups == {"gemeente", "provincie"}
    ids = {n["id"] for n in data["graaf"]["nodes"]}
    assert "gm0106" in ids and "pv22" in ids
    # 'overige actoren' keeps the other actors only, not the municipalities
    data = page_data(get(client, "/kaart?soort=actor&niveau=landelijk").get_data(as_text=True))
    assert {n["group"] for n in data["graaf"]["nodes"]} == {"actor"}
    body = get(client, "/api/v1/kaart?soort=actor&niveau=landelijk").get_json()
    assert body["filters"]["niveau"] == ["landelijk"] and "vng" in {n["id"] for n in body["knooppunten"]}
    data = page_data(get(client, "/kaart?instrument=wet-bibob").get_data(as_text=True))
    assert "wet-bibob" in {n["id"] for n in data["graaf"]["nodes"]}


def test_focus_shows_the_neighbourhood(client, site):
    html = get(client, "/kaart?focus=riec-noord-nederland&diepte=2").get_data(as_text=True)
    assert "Omgeving van RIEC Noord-Nederland (2 stappen)" in html
    data = page_data(html)
    expected = set(focus(actor_map(site.kast), "riec-noord-nederland", 2))
    assert {n["id"] for n in data["graaf"]["nodes"]} == expected
    assert data["nadruk"]["nodes"] == ["riec-noord-nederland"]
    # the focus by name works too, and depth 1 is smaller
    small = page_data(get(client, "/kaart?focus=RIEC+Noord-Nederland&diepte=1").get_data(as_text=True))
    assert len(small["graaf"]["nodes"]) < len(expected)


@pytest.mark.parametrize("a, b", [("ccv", "gm0106"), ("riec-noord-nederland", "vng")])
def test_path_is_shown_as_sentences_and_highlighted(client, site, a, b):
    html = get(client, f"/kaart?van={a}&naar={b}").get_data(as_text=True)
    G = actor_map(site.kast)
    sentences = [s.text(G) for s in path(G, a, b)]
    doc = Page(html)
    shown = [" ".join(li.text.split()) for li in doc.find_all("ol", class_="utrecht-ordered-list kast-pad")[0].children]
    assert shown == sentences
    data = page_data(html)
    assert len(data["nadruk"]["edges"]) == len(sentences) and data["nadruk"]["fit"] is True
    body = get(client, f"/api/v1/kaart?van={a}&naar={b}").get_json()
    assert [s["zin"] for s in body["pad"]] == sentences


def test_path_by_short_name_and_focus_together(client):
    html = get(client, "/kaart?focus=riec-noord-nederland&diepte=1&van=RIEC+Noord-Nederland&naar=VNG").get_data(as_text=True)
    data = page_data(html)
    ids = {n["id"] for n in data["graaf"]["nodes"]}
    assert {"riec-noord-nederland", "vng"} <= ids    # the path's nodes join the focused view
    assert "Pad van RIEC Noord-Nederland naar Vereniging van Nederlandse Gemeenten" in html


def test_search_within_the_map(client):
    html = get(client, "/kaart?zoek=vakantiepark").get_data(as_text=True)
    assert "Gevonden in de kaart" in html and "/kaart?focus=fenomeen-vakantieparken" in html
    assert "fenomeen-vakantieparken" in page_data(html)["nadruk"]["nodes"]
    assert "Niets gevonden" in get(client, "/kaart?zoek=xyzzyplugh").get_data(as_text=True)


@pytest.mark.parametrize("url, status, words", [
    ("/kaart?focus=bestaat-niet", 404, "Onbekend knooppunt 'bestaat-niet'"),
    ("/kaart?focus=vgn", 404, "Bedoelde u"),
    ("/kaart?van=ccv&naar=bestaat-niet", 404, "Onbekend knooppunt"),
    ("/kaart?soort=gemeente&soort=provincie&van=gm0106&naar=pv29", 404, "Er is geen verbinding tussen Assen en"),
    ("/kaart?diepte=7&focus=vng", 400, "De diepte moet 1, 2 of 3 zijn, niet 7."),
    ("/kaart?van=ccv", 400, "zowel 'van' als 'naar'"),
    ("/kaart?soort=robot", 400, "Onbekende soort 'robot'"),
    ("/kaart?thema=onzin", 400, "Onbekende thema 'onzin'"),
    ("/kaart/tabel?focus=bestaat-niet", 404, "Onbekend knooppunt"),
    ("/kaart/export.gexf?focus=bestaat-niet", 404, "Onbekend knooppunt"),
    ("/netwerk?grootte=50", 400, "De groepsgrootte moet een getal van 2 tot en met 20 zijn"),
    ("/netwerk?grootte=zes", 400, "groepsgrootte"),
    ("/netwerk?instrument=onzin", 400, "Onbekende instrument 'onzin'"),
    ("/netwerk/groepen.csv?grootte=1", 400, "groepsgrootte"),
    ("/netwerk/tabel?regio=onzin", 400, "Onbekende regio"),
])
def test_errors_are_dutch_and_never_500(client, url, status, words):
    response = get(client, url, status)
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert words in html.replace("&#39;", "'"), html[:2000]
    assert "Begin opnieuw" in html and "<form" in html   # the form stays, so the organiser can fix it
    if "/tabel" not in url and "/export" not in url and ".csv" not in url:
        page, query = url.split("?", 1)
        problem = get(client, f"/api/v1{page}?{query}", status)
        assert problem.mimetype == "application/problem+json" and problem.headers["API-Version"] == "1.0.0"
        body = problem.get_json()
        assert body["status"] == status and words in body["detail"]


def test_unknown_export_format_is_404(client):
    assert get(client, "/kaart/export.pdf", 404).mimetype == "text/html"


# --------------------------------------------------------------------------- peer network and groups

def test_peer_network_says_why(client):
    html = get(client, "/netwerk").get_data(as_text=True)
    data = page_data(html)
    edge = data["graaf"]["edges"][0]
    assert "gewicht" in edge["title"] and "gedeelde praktijken:" in edge["title"] and "value" in edge
    assert {n["group"] for n in data["graaf"]["nodes"]} == {"gemeente"}
    table = get(client, "/netwerk/tabel").get_data(as_text=True)
    assert "zelfde RIEC-regio" in table and "gedeelde praktijken:" in table and "Assen" in table


def test_groups_around_bibob(client):
    html = get(client, "/netwerk?instrument=wet-bibob&grootte=6").get_data(as_text=True)
    assert "Voorstel: 2 groepen van ongeveer 6 gemeenten" in html
    assert html.count("Instrument Wet Bibob: 6 van 6 hebben er een praktijk mee.") == 2
    response = get(client, "/netwerk/groepen.csv?instrument=wet-bibob&grootte=6")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="groepen-van-6.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == HEADER
    assert len(rows) == 13 and {r[0] for r in rows[1:]} == {"1", "2"}
    assert all(r[1].startswith("gm") and "Wet Bibob" in r[6] for r in rows[1:])
    assert {r[5] for r in rows[1:]} == {"RIEC Noord-Nederland"}
    body = get(client, "/api/v1/netwerk/groepen?instrument=wet-bibob&grootte=6").get_json()
    assert [len(g["leden"]) for g in body["groepen"]] == [6, 6]
    assert body["_links"]["csv"]["href"] == "/netwerk/groepen.csv?instrument=wet-bibob&grootte=6"


def test_groups_around_holiday_parks_say_when_widened(client):
    html = get(client, "/netwerk?thema=fenomeen-vakantieparken&grootte=6").get_data(as_text=True)
    assert "gekozen op verwante thema" in html and "Groep 1" in html
    rows = list(csv.reader(io.StringIO(get(client, "/netwerk/groepen.csv?thema=fenomeen-vakantieparken&grootte=6")
                                       .get_data(as_text=True))))
    assert rows[0] == HEADER and len(rows) > 2 and "verwant" in rows[1][6]


def test_peer_json_twin(client):
    body = get(client, "/api/v1/netwerk?instrument=wet-bibob&grootte=6").get_json()
    assert body["filters"] == {"thema": None, "regio": None, "instrument": "wet-bibob", "alle": False, "grootte": 6}
    assert body["aantalKnooppunten"] == 12 and len(body["groepen"]) == 2
    edge = body["verbindingen"][0]
    assert edge["reden"] and edge["gedeeld"]["praktijken"][0]["naam"] and edge["gewicht"] > 0
    assert body["gewichten"]["praktijk"] == 3.0 and body["netwerkmaten"]["status"] == "klaar"
    assert body["_links"]["html"]["href"] == "/netwerk?instrument=wet-bibob&grootte=6"


# --------------------------------------------------------------------------- exports

@pytest.mark.parametrize("base, query", [
    ("/kaart/export", ""), ("/kaart/export", "?focus=riec-noord-nederland&diepte=1"),
    ("/netwerk/export", ""), ("/netwerk/export", "?instrument=wet-bibob&grootte=6")])
def test_exports_load_back(client, base, query):
    twin = get(client, ("/api/v1/kaart" if base.startswith("/kaart") else "/api/v1/netwerk") + query).get_json()
    n = twin["aantalKnooppunten"]
    gexf = get(client, f"{base}.gexf{query}")
    assert gexf.headers["Content-Disposition"].startswith("attachment; filename=")
    assert nx.read_gexf(io.BytesIO(gexf.data)).number_of_nodes() == n
    graphml = nx.read_graphml(io.BytesIO(get(client, f"{base}.graphml{query}").data))
    assert graphml.number_of_nodes() == n
    nodes = list(csv.reader(io.StringIO(get(client, f"{base}.knopen.csv{query}").get_data(as_text=True))))
    edges = list(csv.reader(io.StringIO(get(client, f"{base}.randen.csv{query}").get_data(as_text=True))))
    assert nodes[0][0] == "id" and len(nodes) == n + 1
    assert edges[0][:2] == ["source", "target"] and len(edges) - 1 == graphml.number_of_edges()
    if "grootte" in query:   # the groups go along for Gephi
        assert {d.get("groep") for _, d in graphml.nodes(data=True)} == {1, 2}


@pytest.mark.parametrize("url", ["/kaart/export.html", "/kaart/export.html?van=riec-noord-nederland&naar=vng",
                                 "/netwerk/export.html?instrument=wet-bibob&grootte=6"])
def test_offline_html_needs_no_other_host(client, url):
    response = get(client, url)
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment")
    html = response.get_data(as_text=True)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert '<script id="kaart-data" type="application/json">' in html and "Tekstversie" in html
    if "grootte" in url:
        assert "Voorgestelde groepen van ongeveer 6" in html and "Instrument Wet Bibob" in html


# --------------------------------------------------------------------------- JSON twin of the map

def test_map_json_twin(client):
    response = get(client, "/api/v1/kaart?focus=riec-noord-nederland&diepte=2")
    assert response.headers["API-Version"] == "1.0.0"
    body = response.get_json()
    assert body["filters"]["focus"] == "riec-noord-nederland" and body["filters"]["diepte"] == 2
    node = next(n for n in body["knooppunten"] if n["id"] == "riec-noord-nederland")
    assert node["naam"] == "RIEC Noord-Nederland" and node["_links"]["html"]["href"] == "/actoren/riec-noord-nederland"
    assert body["_links"]["gexf"]["href"] == "/kaart/export.gexf?focus=riec-noord-nederland&diepte=2"
    assert body["netwerkmaten"]["bruggen"] and body["netwerkmaten"]["graad"][0]["graad"] > 0
    assert get(client, body["_links"]["html"]["href"]).status_code == 200


def test_openapi_describes_the_network_resources(client, app):
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

    doc = get(client, "/api/v1/openapi.json").get_json()
    assert {"/kaart", "/netwerk", "/netwerk/groepen"} <= set(doc["paths"])
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    for path_ in ("/kaart", "/netwerk/groepen"):
        @given(case=schema[path_]["GET"].as_strategy())
        @settings(max_examples=2, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def check(case):
            # a free-text focus that names no node is a documented 404, not a failure
            case.call_and_validate(headers={"Accept-Encoding": "identity"}, excluded_checks=[negative_data_rejection, positive_data_acceptance])
        check()


# --------------------------------------------------------------------------- entity pages

def test_entity_pages_link_to_their_place_on_the_map(client):
    html = get(client, "/actoren/riec-noord-nederland").get_data(as_text=True)
    links = dict(Page(html).links())
    assert links["/kaart?focus=riec-noord-nederland"] == "Bekijk op de actorenkaart"
    assert get(client, "/kaart?focus=riec-noord-nederland").status_code == 200
    # a municipality without any link is not on the map, so it gets no link
    assert "Bekijk op de actorenkaart" not in get(client, "/gemeenten/gm0014").get_data(as_text=True)


# --------------------------------------------------------------------------- caches

def test_views_and_metrics_are_built_once(client, site):
    state = state_of(site)
    q = maps_data.MapQuery(focus="vng", depth=1)
    first, second = maps_data.map_view(state, q), maps_data.map_view(state, q)
    assert first.vis is second.vis and first.G is second.G
    assert maps_data.base_map(state) is maps_data.base_map(state)
    assert state.metrics(("kaart",) + first.key, first.G) is state.metrics(("kaart",) + first.key, second.G)


def test_large_views_get_their_metrics_in_the_background(client, site, monkeypatch):
    fresh = State(site)
    monkeypatch.setattr(site, "_netwerk_states", {"openbaar": fresh})
    monkeypatch.setattr(maps_cache, "SYNC_NODES", 10)
    started = []
    monkeypatch.setattr(maps_cache.threading, "Thread", lambda target, **kw: started.append(target) or _Now(target))
    html = get(client, "/kaart?soort=thema").get_data(as_text=True)
    assert "worden op de achtergrond berekend" in html and len(started) == 1
    started[0]()   # the thread's work, run here
    assert "Meest verbonden" in get(client, "/kaart?soort=thema").get_data(as_text=True)
    assert len(started) == 1


class _Now:
    def __init__(self, target):
        self.target = target

    def start(self):   # not started: the test runs the work itself
        pass


def test_edge_cap_is_said_on_the_page(client, site, monkeypatch):
    monkeypatch.setattr(site, "_netwerk_states", {"openbaar": State(site)})
    monkeypatch.setattr(maps_data, "MAX_EDGES", 50)
    html = get(client, "/kaart").get_data(as_text=True)
    assert re.search(r"Getoond: de 50 sterkste van \d+ verbindingen", html)
    assert len(page_data(html)["graaf"]["edges"]) == 50
    assert get(client, "/api/v1/kaart").get_json()["getoondeVerbindingen"] == 50


def test_node_cap_keeps_the_best_connected_and_the_focus(client, site, monkeypatch):
    monkeypatch.setattr(site, "_netwerk_states", {"openbaar": State(site)})
    monkeypatch.setattr(maps_data, "MAX_NODES", 40)
    html = get(client, "/kaart?soort=" + "&soort=".join(NODE_TYPES)).get_data(as_text=True)
    assert re.search(r"Getekend: de 40 best verbonden van de \d+ knooppunten", html)
    assert "De tekstversie en de downloads bevatten alles." in html
    data = page_data(html)
    assert len(data["graaf"]["nodes"]) == 40 and set(data["graaf"]["urls"]) == {n["id"] for n in data["graaf"]["nodes"]}
    assert "thema-integrale-aanpak" in data["graaf"]["urls"]   # the best connected node
    body = get(client, "/api/v1/kaart").get_json()
    assert body["getoondeKnooppunten"] == 40 and body["aantalKnooppunten"] > 300
    assert len(nx.read_gexf(io.BytesIO(get(client, "/kaart/export.gexf").data))) == body["aantalKnooppunten"]
    focused = page_data(get(client, "/kaart?focus=thema-integrale-aanpak&diepte=2&van=gm0106&naar=vng").get_data(as_text=True))
    drawn = {n["id"] for n in focused["graaf"]["nodes"]}
    assert len(drawn) == 40 and {"thema-integrale-aanpak", "gm0106", "vng"} <= drawn


# --------------------------------------------------------------------------- hostile labels

@pytest.fixture(scope="module")
def xss_client(tmp_path_factory):
    """The app on a copy of data/ with a practice full of XSS payloads that names two municipalities,
    so the payload reaches the actor map, the peer network, the groups and the exports."""
    from web import create_app

    base = tmp_path_factory.mktemp("kaartxss")
    data = make_data(__import__("pathlib").Path(__file__).parent.parent / "data", base / "data")
    practice = data / "practices" / f"{PRACTICE_ID}.md"
    _, head, body = practice.read_text(encoding="utf-8").split("---\n", 2)
    fields = yaml.safe_load(head)
    fields["gemeenten"] = ["gm0106", "gm0109"]
    practice.write_text("---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=10_000)
                        + "---\n" + body, encoding="utf-8")
    return create_app({"KAST_DATA": str(data), "KAST_INDEX": str(base / "index")}).test_client()


@pytest.mark.parametrize("url", [f"/kaart?zoek={MARKER}", f"/kaart?focus={PRACTICE_ID}", "/kaart/tabel?soort=praktijk",
                                 "/netwerk?grootte=6", "/netwerk/tabel"])
def test_payload_is_text_in_html_and_escaped_in_the_json_block(xss_client, url):
    html = get(xss_client, url).get_data(as_text=True)
    assert PAYLOAD not in html and "<img src=x" not in html and "<svg onload" not in html
    if "/tabel" in url:
        assert "&lt;img src=x onerror=" in html
    else:
        block = re.search(r'<script type="application/json" id="kaart-data">(.*?)</script>', html, re.S).group(1)
        assert "<" not in block and ">" not in block   # \u003c … so no label can end the script
        assert PAYLOAD in json.dumps(json.loads(block), ensure_ascii=False).replace('\\"', '"')


def test_payload_in_json_twins_csv_and_offline_html(xss_client):
    body = get(xss_client, f"/api/v1/kaart?focus={PRACTICE_ID}").get_json()
    assert any(PAYLOAD in n["naam"] for n in body["knooppunten"])
    response = get(xss_client, "/api/v1/netwerk?grootte=6")
    assert response.mimetype == "application/json" and PAYLOAD in response.get_data(as_text=True).replace('\\"', '"')
    rows = list(csv.reader(io.StringIO(get(xss_client, "/netwerk/groepen.csv?grootte=6").get_data(as_text=True))))
    assert rows[0] == HEADER
    for url in (f"/kaart/export.html?focus={PRACTICE_ID}", "/netwerk/export.html?grootte=6"):
        html = get(xss_client, url).get_data(as_text=True)
        assert PAYLOAD not in html and "<img src=x" not in html
        assert "&lt;img src=x" in html or url.startswith("/netwerk")   # the peer version names no practice
