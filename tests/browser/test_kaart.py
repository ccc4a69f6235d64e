"""The network pages in Chromium: the actor map draws (without physics, from the page's JSON block),
focus and path are shown, a click on a node opens its page, the organiser's whole route works
(map → focus → path → peer network → groups → CSV and offline HTML), axe finds nothing, nothing
leaves localhost, and hostile labels stay text in the map, its tooltips and the exported page."""
import re

import pytest
import yaml

from .conftest import (CONFIG_DATA, CONFIG_INDEX, ROOT, _check_local, _context, _serve, _watch, axe_violations,
                       describe_violations, require_browser)
from .xss_data import MARKER, PAYLOAD, PRACTICE_ID, make_data

pytestmark = pytest.mark.browser

DRAWN = "#kaart[data-getekend]"
INJECTED = "img[src='x'], svg[onload], [onerror], [onload]"
INLINE_SCRIPTS = "script:not([src]):not([type='application/json'])"


def drawn(page, path: str):
    response = page.goto(path)
    assert response.status == 200, f"{path}: status {response.status}"
    page.wait_for_selector(DRAWN, state="attached")
    return response


def clean(page, server, record, where: str) -> None:
    assert not record.external(server), f"{where}: verzoeken buiten localhost: {record.external(server)}"
    assert not record.csp_violations(), f"{where}: CSP-overtredingen: {record.csp_violations()}"
    assert not record.page_errors, f"{where}: scriptfouten: {record.page_errors}"


def dom_point(page, node: str) -> dict:
    """Where a node is drawn, in page coordinates (via vis-network's own canvasToDOM)."""
    page.locator("#kaart").scroll_into_view_if_needed()
    page.evaluate("() => document.getElementById('kaart').scrollIntoView({block: 'center'})")
    return page.evaluate("""(id) => {
        const net = window.kaartNetwerk;
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        const box = document.querySelector('#kaart canvas').getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y, top: net.getNodeAt(p)};
    }""", node)


ALL_TYPES = "/kaart?soort=" + "&soort=".join(("actor", "gemeente", "provincie", "waterschap", "veiligheidsregio",
                                              "politie-eenheid", "instrument", "thema", "ambitie", "praktijk"))


def test_de_kaart_tekent(page, server, record):
    drawn(page, ALL_TYPES)   # the whole map (the first view folds it: test_bruikbaarheid.py)
    canvas = page.locator("#kaart canvas")
    assert canvas.count() == 1 and canvas.bounding_box()["height"] > 300
    assert canvas.get_attribute("role") == "img" and "tabelversie" in canvas.get_attribute("aria-label")
    info = page.evaluate("""() => ({nodes: window.kaartNetwerk.body.data.nodes.length,
                                    physics: window.kaartNetwerk.physics.options.enabled})""")
    assert info["nodes"] > 200 and info["physics"] is False
    assert int(page.get_attribute("#kaart", "data-getekend-ms")) > 0
    axe_clean(page, server, "/kaart")
    clean(page, server, record, "/kaart")


def axe_clean(page, server, path: str) -> None:
    violations = axe_violations(page, server)
    assert not violations, describe_violations(path, violations)


def test_tekstversies(page, server, record):
    """The text versions are the keyboard path: axe-clean, with the same filters as the picture."""
    for path in ("/kaart/tabel?focus=riec-noord-nederland&diepte=1", "/netwerk/tabel?instrument=wet-bibob&grootte=6"):
        assert page.goto(path).status == 200
        assert page.locator("table.kast-tabel--breed tbody tr").count() > 5
        axe_clean(page, server, path)
    clean(page, server, record, "tekstversies")


def test_focus_en_pad(page, server, record):
    drawn(page, "/kaart?focus=riec-noord-nederland&diepte=2")
    assert page.locator("#kaart-kop").inner_text() == "Omgeving van RIEC Noord-Nederland (2 stappen)"
    focus = page.evaluate("() => window.kaartNetwerk.body.data.nodes.get('riec-noord-nederland')")
    assert focus["borderWidth"] == 4

    drawn(page, "/kaart?van=riec-noord-nederland&naar=vng")
    steps = page.locator("ol.kast-pad li").all_inner_texts()
    assert steps and steps[0].endswith("RIEC Noord-Nederland") and steps[-1].endswith("Vereniging van Nederlandse Gemeenten")
    marked = page.evaluate("""() => window.kaartNetwerk.body.data.edges.get({filter: e => e.width === 6}).length""")
    assert marked == len(steps)
    clean(page, server, record, "focus en pad")


def test_klik_op_een_knooppunt_opent_zijn_pagina(page, server, record):
    drawn(page, "/kaart?focus=vng&diepte=1")
    urls = page.evaluate("() => JSON.parse(document.getElementById('kaart-data').textContent).graaf.urls")
    for node in ["vng"] + sorted(urls):   # the first node that is not hidden under another one
        point = dom_point(page, node)
        if point["top"] == node:
            break
    else:
        pytest.fail("geen enkel knooppunt is vrij aan te klikken")
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(server.url(urls[node]))
    assert page.locator("h1").count() == 1
    clean(page, server, record, "klik")


def test_de_route_van_de_organisator(page, server, record, tmp_path):
    """Done when: actor map → focus on RIEC Noord-Nederland → path to the VNG → peer network →
    groups of 6 around Bibob → download them as CSV and as an offline HTML map."""
    drawn(page, "/kaart")
    page.locator("#focus").fill("RIEC Noord-Nederland")
    page.locator("#diepte").select_option("2")
    page.get_by_role("button", name="Kaart tonen").click()
    page.wait_for_selector(DRAWN, state="attached")
    assert "Omgeving van RIEC Noord-Nederland" in page.locator("#kaart-kop").inner_text()

    page.locator("#van").fill("RIEC Noord-Nederland")
    page.locator("#naar").fill("VNG")
    page.get_by_role("button", name="Kaart tonen").click()
    page.wait_for_selector(DRAWN, state="attached")
    assert page.locator("#pad-kop").inner_text().startswith(
        "Pad van RIEC Noord-Nederland naar Vereniging van Nederlandse Gemeenten")
    assert page.locator("ol.kast-pad li").count() >= 1

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Netwerk van gemeenten").click()
    page.wait_for_selector(DRAWN, state="attached")
    page.locator("#instrument").select_option(label="Wet Bibob")
    page.locator("#grootte").fill("6")
    page.get_by_role("button", name="Netwerk tonen").click()
    page.wait_for_selector(DRAWN, state="attached")
    assert page.locator("#groepen-kop").inner_text() == "Voorstel: 2 groepen van ongeveer 6 gemeenten"
    axe_clean(page, server, "/netwerk met groepen")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download de groepen als CSV").click()
    download.value.save_as(tmp_path / "groepen.csv")
    csv_text = (tmp_path / "groepen.csv").read_text(encoding="utf-8")
    assert download.value.suggested_filename == "groepen-van-6.csv"
    lines = csv_text.splitlines()
    assert lines[0] == "groep,gemeente,naam,tooi,provincie,riec-regio,reden,opmerking" and len(lines) == 13

    with page.expect_download() as download:
        page.get_by_role("link", name="als offline HTML-kaart").click()
    download.value.save_as(tmp_path / "kaart.html")
    offline = (tmp_path / "kaart.html").read_text(encoding="utf-8")
    assert download.value.suggested_filename == "netwerk-van-gemeenten.html"
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", offline, re.I)
    page.goto("about:blank")   # the downloaded page works on its own, without the server (and its CSP)
    page.set_content(offline)
    page.wait_for_selector("#kaart canvas", state="attached")
    assert "Voorgestelde groepen van ongeveer 6" in page.locator("body").inner_text()
    clean(page, server, record, "route")


# --------------------------------------------------------------------------- hostile labels

@pytest.fixture(scope="module")
def kaart_xss_server(tmp_path_factory):
    """The XSS data folder of test_xss.py, with the payload practice naming two municipalities so that
    it reaches the peer network too."""
    require_browser()
    from web import create_app

    base = tmp_path_factory.mktemp("kaartxss")
    data = make_data(ROOT / "data", base / "data")
    practice = data / "practices" / f"{PRACTICE_ID}.md"
    _, head, body = practice.read_text(encoding="utf-8").split("---\n", 2)
    fields = dict(yaml.safe_load(head), gemeenten=["gm0106", "gm0109"])
    practice.write_text("---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=10_000)
                        + "---\n" + body, encoding="utf-8")
    live = _serve(create_app({CONFIG_DATA: str(data), CONFIG_INDEX: str(base / "index")}))
    yield live
    live.stop()


@pytest.fixture
def xss_kaart(browser, kaart_xss_server, record):
    """Like xss_page in conftest: the CSP is bypassed, so these tests check the escaping itself."""
    context = _context(browser, kaart_xss_server, record, bypass_csp=True)
    yield _watch(context.new_page(), record)
    context.close()
    _check_local(record, kaart_xss_server)


def inert(page, record, where: str, own_scripts: int = 0) -> None:
    """Nothing ran or was injected; `own_scripts` inline scripts are the page's own (offline HTML)."""
    assert page.evaluate("() => typeof window.__xss") == "undefined", f"{where}: het script is uitgevoerd"
    assert not record.dialogs, f"{where}: dialoogvenster: {record.dialogs}"
    assert page.locator(INJECTED).count() == 0, f"{where}: ingevoegde elementen"
    assert page.locator(INLINE_SCRIPTS).count() == own_scripts, f"{where}: ingevoegde scripts"
    assert not [u for u in record.requests if u.rstrip("/").endswith("/x")], f"{where}: <img src=x> is geladen"


def test_xss_in_kaart_en_tooltip(xss_kaart, kaart_xss_server, record):
    page = xss_kaart
    drawn(page, f"/kaart?focus={PRACTICE_ID}")
    inert(page, record, "kaart")
    point = dom_point(page, PRACTICE_ID)
    page.mouse.move(point["x"], point["y"])
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    assert PAYLOAD in tooltip.inner_text()
    inert(page, record, "tooltip van het knooppunt")
    assert PAYLOAD in page.locator("#kaart-kop").inner_text()


def test_xss_in_peernetwerk(xss_kaart, kaart_xss_server, record):
    page = xss_kaart
    drawn(page, "/netwerk?grootte=6")
    inert(page, record, "netwerk")
    page.evaluate("() => document.getElementById('kaart').scrollIntoView({block: 'center'})")
    tooltip = page.locator("div.vis-tooltip")
    shown = []
    # The members of a group lie close together, so other edges may cross this one: hide them (the
    # tooltip of this edge is what is tested), and hover a point of it that no node covers.
    page.evaluate("""() => {
        const edges = window.kaartNetwerk.body.data.edges;
        edges.update(edges.get({filter: e => !e.title.includes('Kwaadaardigheidsproef')}).map(e => ({id: e.id, hidden: true})));
    }""")
    for fraction in (0.5, 0.35, 0.65, 0.2, 0.8):
        edge = page.evaluate("""(f) => {
            const net = window.kaartNetwerk;
            const e = net.body.data.edges.get({filter: e => e.title.includes('Kwaadaardigheidsproef')})[0];
            const pos = net.getPositions([e.from, e.to]);
            const at = net.canvasToDOM({x: pos[e.from].x + f * (pos[e.to].x - pos[e.from].x),
                                        y: pos[e.from].y + f * (pos[e.to].y - pos[e.from].y)});
            const box = document.querySelector('#kaart canvas').getBoundingClientRect();
            return {x: box.left + at.x, y: box.top + at.y, id: e.id, top: net.getEdgeAt(at), node: net.getNodeAt(at)};
        }""", fraction)
        if edge["top"] != edge["id"] or edge["node"] is not None:
            continue
        page.mouse.move(1, 1)
        page.mouse.move(edge["x"], edge["y"])
        tooltip.wait_for(state="visible")
        shown.append(tooltip.inner_text())
        if MARKER in shown[-1]:
            break
    assert shown and MARKER in shown[-1] and "<img src=x" in shown[-1], shown
    inert(page, record, "tooltip van een verbinding")
    page.goto("/netwerk/tabel?grootte=6")
    assert PAYLOAD in page.locator("table.kast-tabel--breed").inner_text()
    inert(page, record, "tekstversie")


def test_xss_in_de_offline_kaart(xss_kaart, kaart_xss_server, record):
    page = xss_kaart
    response = page.request.get(kaart_xss_server.url(f"/kaart/export.html?focus={PRACTICE_ID}"))
    assert response.ok
    page.set_content(response.text())
    page.wait_for_selector("#kaart canvas", state="attached")
    inert(page, record, "offline kaart", own_scripts=2)   # vis-network and the lines that draw
    assert PAYLOAD in page.locator("details table").text_content()   # the text version, as text
