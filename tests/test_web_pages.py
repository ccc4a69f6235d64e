"""The website as a municipal official meets it: pages, search with facets, entity pages with their
links and sources, and the rules every page keeps (WCAG basics, security headers, no inline code)."""
import re
from html import unescape

import pytest
from click.testing import CliRunner

from web.templating import snippet

from .html_tools import Page, params

PAGES = [
    "/", "/zoeken", "/zoeken?q=bibob", "/over",
    "/praktijken", "/instrumenten", "/actoren", "/themas", "/ambities", "/gemeenten", "/provincies",
    "/veiligheidsregios", "/waterschappen", "/begrippenkaders", "/bronnen",
    "/praktijken/actueel-damoclesbeleid", "/instrumenten/wet-bibob", "/actoren/riec-noord-nederland",
    "/actoren/ccv", "/gemeenten/gm0106", "/provincies/pv22", "/veiligheidsregios/vr03",
    "/themas/deelaspect-georganiseerde-criminaliteit", "/ambities/ambitie-3-5", "/begrippenkaders/deelaspecten",
    "/bronnen/003", "/def/", "/def/Practice",
]


def page(client, url: str, status: int = 200) -> Page:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    assert response.mimetype == "text/html"
    return Page(response.get_data(as_text=True))


@pytest.mark.parametrize("url", PAGES)
def test_every_page_keeps_the_rules(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    doc = Page(html)
    # Dutch, a skip link to the main landmark, one h1 and no skipped heading levels
    assert doc.find_all("html")[0].get("lang") == "nl"
    skip = doc.find_all("a")[0]
    assert skip.get("href") == "#inhoud" and doc.by_id("inhoud").tag == "main"
    levels = doc.headings()
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
    assert doc.find_all("nav", **{"aria-label": "Hoofdmenu"}) and doc.find_all("footer")
    # every visible form field has a label
    labels = {e.get("for") for e in doc.find_all("label")}
    for field in doc.find_all("input") + doc.find_all("select"):
        if field.get("type") != "hidden":
            assert field.get("id") in labels, field.attrs
    # no inline script or style, nothing from another host
    assert "<script" not in html and "<style" not in html and not re.search(r"\sstyle=", html)
    assert not re.search(r"""<(?:link|img|script)[^>]+(?:href|src)=["'](?:https?:)?//""", html)
    assert "voorbeeld-theme" in doc.find_all("body")[0].get("class")
    # the JSON twin
    alternates = [e for e in doc.find_all("link") if e.get("rel") == "alternate"]
    assert alternates, "geen JSON-tweeling"
    twin = client.get(alternates[0].get("href"), headers={"Accept": alternates[0].get("type")})
    assert twin.status_code == 200 and twin.mimetype in ("application/json", "application/ld+json")


def test_security_headers(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] and headers["Permissions-Policy"]
    assert client.get("/bestaat-niet").headers["Content-Security-Policy"] == csp


def test_stylesheets_exist(client):
    for path in ("/static/kast.css", "/static/vendor/utrecht/index.css", "/static/vendor/utrecht/design-tokens.css"):
        assert client.get(path).status_code == 200, path


def test_navigation_marks_the_current_page(client):
    doc = page(client, "/praktijken")
    nav = [e for e in doc.find_all("a") if e.get("class") == "utrecht-nav-list__link"]
    assert [e.text for e in nav][:3] == ["Home", "Zoeken", "Praktijken"]
    assert [e.text for e in nav if e.get("aria-current") == "page"] == ["Praktijken"]


def test_home_has_search_counts_entry_points_and_recent(client, app):
    doc = page(client, "/")
    html = " ".join(e.text for e in doc.find_all("main"))
    assert doc.find_all("form", role="search")
    stats = app.extensions["kast"].stats
    assert f"{stats['instruments']} instrumenten" in " ".join(html.split())
    hrefs = [h for h, _ in doc.links()]
    assert any(h.startswith("/praktijken?provincie=pv22") for h in hrefs)
    assert any(h.startswith("/actoren?actorsoort=") for h in hrefs)
    assert any(h.startswith("/praktijken?instrument=") for h in hrefs)
    # topics an official recognises, with practices, instead of the frameworks of the policy papers
    topics = [(h, t) for h, t in doc.links() if h.startswith("/praktijken?thema=")]
    assert any(t.startswith("Drugscriminaliteit") for _, t in topics)
    assert any("bedreiging" in t.lower() for _, t in topics)
    assert not any("Actielijnen" in t for _, t in doc.links())
    # the newest practices (latest period first), never other kinds
    newest = doc.by_id("nieuw-kop")
    assert newest is not None
    items = [e for e in doc.find_all("ul", class_="kast-nieuw")[0].children if e.tag == "li"]
    assert len(items) == 8
    practice_links = [c.get("href") for li in items for c in li.children if c.tag == "a"]
    assert all(h.startswith("/praktijken/") for h in practice_links)
    years = [int(y) for li in items for y in re.findall(r"\b(20\d\d)\b", li.text)[:1]]
    assert years == sorted(years, reverse=True)


def test_search_finds_bibob_with_highlights(client):
    response = client.get("/zoeken?q=bibob")
    doc = Page(response.get_data(as_text=True))
    assert ("/instrumenten/wet-bibob", "Wet Bibob") in doc.links()
    assert "<mark>" in response.get_data(as_text=True).lower()
    assert doc.find_all("input", id="zoekvraag")[0].get("value") == "bibob"


def test_facet_links_keep_the_other_filters(client):
    doc = page(client, "/zoeken?q=bibob&soort=praktijk&sorteer=titel")
    facet_links = [e for e in doc.find_all("a") if "kast-facet__link" in e.get("class", "")]
    theme_links = [e.get("href") for e in facet_links if "thema" in params(e.get("href"))]
    assert theme_links
    p = params(theme_links[0])
    assert p["q"] == ["bibob"] and p["soort"] == ["praktijk"] and p["sorteer"] == ["titel"] and "pagina" not in p
    # choose two themes, then remove one: the other and the query stay
    first, second = [params(h)["thema"][0] for h in theme_links[:2]]
    doc = page(client, f"/zoeken?q=bibob&soort=praktijk&thema={first}&thema={second}")
    chips = [e.get("href") for e in doc.find_all("a") if e.get("class") == "kast-chip"]
    assert len(chips) == 3   # soort and two themes
    without_first = [h for h in chips if params(h).get("thema") == [second]]
    assert without_first and params(without_first[0])["q"] == ["bibob"]
    assert params(without_first[0])["soort"] == ["praktijk"]
    # each selected value's link removes exactly that value
    chosen = {("soort", "praktijk"), ("thema", first), ("thema", second)}
    removed = []
    for e in doc.find_all("a"):
        if "kast-facet__link--selected" in e.get("class", ""):
            left = {(k, v) for k, values in params(e.get("href")).items() for v in values}
            removed.append(chosen - left)
    assert sorted(map(sorted, removed)) == sorted([[c] for c in chosen])


def test_selecting_values_narrows_and_not_set_is_offered(client, app):
    doc = page(client, "/instrumenten")
    not_set = [e for e in doc.find_all("a") if params(e.get("href")).get("actor") == ["_geen"]]
    assert not_set and "niet ingevuld" in not_set[0].text   # instruments without a known provider
    everything = client.get("/api/v1/praktijken").get_json()["totaal"]
    worst = client.get("/api/v1/praktijken?praktijksoort=worst").get_json()["totaal"]
    best = client.get("/api/v1/praktijken?praktijksoort=best").get_json()["totaal"]
    both = client.get("/api/v1/praktijken?praktijksoort=best&praktijksoort=worst").get_json()["totaal"]
    assert 0 < worst < everything and best + worst == both == everything
    instruments = client.get("/api/v1/instrumenten?actor=_geen").get_json()
    assert instruments["filters"][0]["label"] == "niet ingevuld"


def test_spelling_suggestion_is_a_link(client):
    doc = page(client, "/zoeken?q=bibbob&soort=instrument")
    suggestion = [e for e in doc.find_all("p") if "Bedoelde u" in e.text]
    assert suggestion
    link = [e for e in doc.find_all("a") if params(e.get("href")).get("q") == ["bibob"]]
    assert link and params(link[0].get("href"))["soort"] == ["instrument"]


def test_sorting_by_title(client):
    doc = page(client, "/praktijken?sorteer=titel&paginagrootte=50")
    titles = [e.text.strip() for e in doc.find_all("h3") if "kast-hit__title" in e.get("class", "")]
    assert len(titles) > 10 and titles == sorted(titles, key=str.casefold)
    assert doc.find_all("option", value="titel", selected="")


def test_paging_is_a_permalink(client):
    one = page(client, "/praktijken")
    two = page(client, "/praktijken?pagina=2")

    def ids(doc):
        return [h for h, _ in doc.links() if h.startswith("/praktijken/") and "/export." not in h]

    assert ids(one) and ids(two) and not set(ids(one)) & set(ids(two))
    prev = [e for e in two.find_all("a") if e.get("rel") == "prev"]
    assert prev and prev[0].get("href") == "/praktijken"
    assert [e for e in one.find_all("a") if e.get("rel") == "next"][0].get("href") == "/praktijken?pagina=2"


@pytest.mark.parametrize("url, message", [
    ("/zoeken?pagina=99999999999999999999", "pagina"),
    ("/zoeken?pagina=-1", "pagina"),
    ("/zoeken?paginagrootte=100000", "paginagrootte"),
    ("/zoeken?sorteer=willekeurig", "onbekende sortering"),
    ("/gemeenten?q=assen", "zoekpagina"),
])
def test_bad_parameters_get_a_dutch_message(client, url, message):
    response = client.get(url)
    assert response.status_code == 400 and response.mimetype == "text/html"
    html = unescape(response.get_data(as_text=True))
    assert message in html and "Traceback" not in html and "Ongeldig verzoek" in html


@pytest.mark.parametrize("path", ["/zoeken?q=bibob", "/praktijken?thema=thema-integrale-aanpak", "/gemeenten?provincie=pv22"])
def test_unknown_parameters_are_ignored_on_pages_but_not_in_the_api(client, path):
    """A link from a newsletter (utm_source, fbclid) opens the same page; the API stays strict."""
    plain = client.get(path)
    tracked = client.get(path + "&utm_source=nieuwsbrief&utm_medium=email&fbclid=IwAR0abc&kleur=rood")
    assert plain.status_code == tracked.status_code == 200
    def results(response):
        doc = Page(response.get_data(as_text=True))
        return [h for h, _ in doc.links() if h and re.match(r"/(praktijken|instrumenten|themas|gemeenten|actoren)/", h)]
    assert results(plain) and results(plain) == results(tracked)
    twin = Page(tracked.get_data(as_text=True)).find_all("link", rel="alternate")[0].get("href")
    assert "utm_source" not in twin and client.get(twin).status_code == 200   # the JSON twin keeps the state only
    api = client.get("/api/v1" + path + "&utm_source=nieuwsbrief")
    assert api.status_code == 400 and "utm_source" in api.get_json()["detail"]


def test_cbs_spelling_of_a_municipality_code_finds_it(client):
    response = client.get("/gemeenten/GM0106")
    assert response.status_code == 301 and response.headers["Location"].endswith("/gemeenten/gm0106")
    assert client.get("/praktijken/BESTAAT-NIET").status_code == 404


def test_a_page_beyond_the_last_says_so(client):
    doc = page(client, "/praktijken?pagina=9999")
    assert any("bestaat niet" in e.text for e in doc.find_all("p"))


def test_hostile_query_is_escaped(client):
    response = client.get("/zoeken", query_string={"q": '<script>alert(1)</script>"><img src=x onerror=alert(1)>'})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_snippet_filter_lets_only_mark_through():
    out = str(snippet('Wet <mark>Bibob</mark> &amp; <img src=x onerror=alert(1)> &lt;b&gt; <mark>open'))
    assert out.count("<mark>") == 2 and out.count("</mark>") == 2
    assert "<img" not in out and "&lt;img" in out and "&lt;b&gt;" in out and "&amp;" in out


def test_practice_page_reads_like_a_case(client):
    doc = page(client, "/praktijken/actueel-damoclesbeleid")
    h2 = [" ".join(e.text.split()) for e in doc.find_all("h2")]
    for heading in ("Probleem", "Aanpak", "Waarom het werkt", "Resultaat", "Lessen", "Overdraagbaarheid",
                    "Contact", "Kenmerken en bewijs", "Verbonden in de kast", "Bronnen"):
        assert any(h.startswith(heading) for h in h2), heading
    text = " ".join(" ".join(e.text.split()) for e in doc.find_all("main"))
    assert "best practice" in text and "Bewijsniveau" in text and "beschreven" in text
    assert "Bestuurlijk Ondersteuningsteam van het RIEC Noord-Nederland" in text   # contact: organisation + role
    # citations: file, section and quote
    sources = doc.by_id("bron-1")
    assert sources is not None
    assert "003_78082d47c9342c12.txt" in text and "003 §4.3" in text
    assert "Gemeenten beschikken over een actueel Damoclesbeleid" in text
    hrefs = [h for h, _ in doc.links()]
    assert "/instrumenten/damoclesbeleid" in hrefs and "/gemeenten/gm0106" in hrefs
    assert "/bronnen/003#sectie-4.3" in hrefs


def test_worst_practice_explains_what_went_wrong(client, app):
    kast = app.extensions["kast"]
    worst = client.get("/api/v1/praktijken?praktijksoort=worst&paginagrootte=1").get_json()["resultaten"][0]
    doc = page(client, f"/praktijken/{worst['id']}")
    assert any("Waarom het misging" in e.text for e in doc.find_all("h2"))
    assert kast.public(worst["id"])


def test_instrument_page_links_both_ways(client):
    doc = page(client, "/instrumenten/wet-bibob")
    headings = {" ".join(e.get("id", "").split()) for e in doc.find_all("h3")}
    assert {"rel-in-gebruiktInPraktijken", "rel-in-genoemdIn", "rel-uit-aangebodenDoor"} <= headings
    hrefs = [h for h, _ in doc.links()]
    assert "/ambities/ambitie-3-5" in hrefs and "/actoren/ministerie-jenv" in hrefs
    assert any(h.startswith("/praktijken/") for h in hrefs)
    assert doc.by_id("vergelijkbaar-kop") is not None


def test_actor_page_lists_its_instruments_and_practices(client):
    doc = page(client, "/actoren/riec-noord-nederland")
    ids = {e.get("id") for e in doc.find_all("h3")}
    assert {"rel-in-biedtAan", "rel-in-betrokkenBijPraktijken", "rel-in-inDeRiecRegio"} <= ids
    assert ("/gemeenten/gm0106", "Assen") in doc.links()


def test_municipality_page_lists_region_riec_and_practices(client):
    doc = page(client, "/gemeenten/gm0106")
    hrefs = [h for h, _ in doc.links()]
    assert "/provincies/pv22" in hrefs and "/actoren/riec-noord-nederland" in hrefs and "/veiligheidsregios/vr03" in hrefs
    assert "/praktijken/actueel-damoclesbeleid" in hrefs
    assert any(h == "https://identifier.overheid.nl/tooi/id/gemeente/gm0106" for h in hrefs)


def test_one_url_per_thing(client):
    response = client.get("/actoren/gm0106")
    assert response.status_code == 301 and response.headers["Location"] == "/gemeenten/gm0106"
    assert client.get("/praktijken/").status_code == 404
    assert client.get("/praktijken/actueel-damoclesbeleid/").status_code == 404


def test_unknown_entity_is_a_dutch_404(client):
    doc = page(client, "/praktijken/bestaat-niet", 404)
    assert "Niet gevonden" in doc.find_all("h1")[0].text
    assert any("bestaat-niet" in e.text for e in doc.find_all("p"))


def test_network_only_practices_stay_off_the_public_site(client, app):
    hidden = app.extensions["kast"].hidden
    assert hidden, "de echte data heeft praktijken die alleen binnen het netwerk gedeeld worden"
    secret = sorted(hidden)[0]
    assert client.get(f"/praktijken/{secret}").status_code == 404
    assert client.get(f"/api/v1/praktijken/{secret}").status_code == 404
    listed = client.get("/api/v1/praktijken?paginagrootte=100").get_json()["resultaten"]
    assert listed and not {r["id"] for r in listed} & hidden
    title = app.extensions["kast"].kast.graph.value(app.extensions["kast"].kast.items[secret].iri,
                                                     app.extensions["kast"].kast.vocab.kast.problem)
    found = client.get("/api/v1/zoeken", query_string={"q": str(title)[:80]}).get_json()["resultaten"]
    assert not {r["id"] for r in found} & hidden


def test_about_page_describes_the_dataset(client):
    doc = page(client, "/over")
    text = " ".join(" ".join(e.text.split()) for e in doc.find_all("main"))
    assert "EUPL-1.2" in text and "Zo citeert u de kast" in text
    assert "000_3c220e29b352f2af.txt" in text
    hrefs = [h for h, _ in doc.links()]
    assert {"/download/kast.ttl", "/download/kast.jsonld", "/download/kast.nt"} <= set(hrefs)


def test_kast_serve_uses_waitress(monkeypatch, web_index):
    import waitress

    from kast.cli import main

    called = {}
    monkeypatch.setenv("KAST_INDEX", str(web_index))
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: called.update(app=app, **kw))
    result = CliRunner().invoke(main, ["serve", "--port", "5099", "--host", "127.0.0.1"])
    assert result.exit_code == 0, result.output
    assert called["port"] == 5099 and called["host"] == "127.0.0.1"
    assert called["app"].test_client().get("/").status_code == 200
    assert "http://127.0.0.1:5099/" in result.output


@pytest.mark.parametrize("path, first", [("/praktijken/actueel-damoclesbeleid", "/actoren/bestuurlijk-ondersteuningsteam-riec-noord-nederland"),
                                         ("/gemeenten/gm0014", "/gemeenten/gm0014"), ("/actoren/ccv", "/actoren/ccv")])
def test_every_practice_and_actor_page_says_whom_to_call(client, path, first):
    """Organisations only, in the order to try them: the contact (or the organisation itself), the RIEC
    of the region, the VNG; never a person."""
    doc = page(client, path)
    section = doc.by_id("bellen-kop")
    assert section is not None and section.text.startswith("Contact")
    route = [e for e in doc.find_all("ol", class_="kast-bellen__route")[0].children if e.tag == "li"]
    links = [c.get("href") for li in route for c in li.children if c.tag == "a"]
    assert links[0] == first and links[-1] == "/actoren/vng"
    if "gm0014" in path or "damocles" in path:
        assert "/actoren/riec-noord-nederland" in links
    assert not re.search(r"@|\+31|\b0\d{9}\b", " ".join(li.text for li in route))   # no personal contact details


def test_search_for_whom_to_call_finds_the_contact_route(client):
    doc = page(client, "/zoeken?q=wie+kan+ik+bellen")
    hits = [h for h, _ in doc.links() if h.startswith("/actoren/")]
    assert any(h.startswith("/actoren/riec-") for h in hits[:3])   # a RIEC page, which shows the route


def test_a_municipality_without_practices_shows_what_is_near(client):
    doc = page(client, "/gemeenten/gm0014")   # Groningen: no practice of its own in the kast
    near = doc.by_id("buurt-kop")
    assert near is not None
    hrefs = [h for h, _ in doc.links()]
    assert any(h.startswith("/praktijken/") for h in hrefs)
    assert "/praktijken?riec=riec-noord-nederland" in hrefs
    assert "/gemeenten/gm0106" in hrefs   # Assen: same RIEC region, has practices
    assert any(h.startswith("/netwerk?regio=riec-noord-nederland") for h in hrefs)
