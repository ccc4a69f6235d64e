"""The network views: the actor map (/kaart) and the peer network of municipalities (/netwerk) are
drawn by the vendored vis-network, have a text version, pass axe, load nothing from another host,
and show labels and tooltips as text (also for a practice full of HTML)."""
import pytest

from .conftest import axe_violations, describe_violations
from .test_xss import assert_safe
from .xss_data import MARKER, PAYLOAD, PRACTICE_ID, TITLE

pytestmark = pytest.mark.browser

VIS_JS = "vendor/vis-network/vis-network.min.js"   # in the app's static folder (served under a versioned path)

# Where a node is on the screen, and the page it links to (from the page's own JSON block).
NODE = """(id) => {
    const data = JSON.parse(document.getElementById('kaart-data').textContent);
    const net = window.kaartNetwerk;
    const at = net.canvasToDOM(net.getPositions([id])[id]);
    const box = document.getElementById('kaart').getBoundingClientRect();
    return {x: box.left + at.x, y: box.top + at.y, url: data.graaf.urls[id] || null,
            title: (data.graaf.nodes.find(n => n.id === id) || {}).title || null};
}"""


def drawn(page) -> None:
    page.wait_for_selector("#kaart[data-getekend='ja']")
    page.locator("#kaart").scroll_into_view_if_needed()
    canvas = page.locator("#kaart canvas")
    assert canvas.count() == 1, "vis-network heeft geen canvas getekend"
    assert canvas.get_attribute("role") == "img"
    assert (canvas.get_attribute("aria-label") or "").strip(), "de tekening heeft geen tekstalternatief"


@pytest.mark.parametrize("path", ["/kaart", "/netwerk"])
def test_tekening_met_vendored_vis_network(page, server, record, path):
    response = page.goto(path)
    assert response.status == 200
    drawn(page)
    assert server.static_url(VIS_JS) in record.requests, "vis-network komt niet uit web/static/vendor"
    assert not record.external(server)
    assert not record.csp_violations(), "\n".join(record.csp_violations())
    assert not record.page_errors, "\n".join(record.page_errors)
    violations = axe_violations(page, server)
    assert not violations, describe_violations(path, violations)

    # The text version of the same view: a table, reachable from the page.
    page.get_by_role("link", name="Tekstversie", exact=False).first.click()
    page.wait_for_load_state()
    assert page.url.startswith(server.url(path + "/tabel"))
    assert page.locator("main table").count() >= 1
    violations = axe_violations(page, server)
    assert not violations, describe_violations(page.url, violations)


def test_klik_op_knooppunt_opent_de_pagina(page, server):
    page.goto("/kaart?focus=vng&diepte=1")
    drawn(page)
    node = page.evaluate(NODE, "vng")
    assert node["url"], "het knooppunt vng heeft geen pagina"
    page.mouse.click(node["x"], node["y"])
    page.wait_for_url(server.url(node["url"]))
    assert page.locator("h1").inner_text() == "Vereniging van Nederlandse Gemeenten"


def test_xss_in_kaart_label_en_tooltip(xss_page, xss_server, record):
    xss_page.goto(f"/kaart?zoek={MARKER}")
    drawn(xss_page)
    assert_safe(xss_page, record, "actorenkaart")
    # the hit list under the search shows the (shortened) label as text
    found = xss_page.locator("#gevonden-kop").locator("xpath=..").locator("li a").first
    assert found.inner_text().startswith(f"{MARKER} <img")

    # hover the node: vis-network shows its title as text in a tooltip
    node = xss_page.evaluate(NODE, PRACTICE_ID)
    assert node["title"] and PAYLOAD in node["title"]
    xss_page.mouse.move(node["x"], node["y"])
    tooltip = xss_page.locator(".vis-tooltip")
    tooltip.wait_for(state="visible")
    assert TITLE in tooltip.inner_text()
    # innerText turns the newlines of the title into <br>; any other element came from the data
    tags = tooltip.evaluate("t => [...t.querySelectorAll('*')].map(e => e.tagName)")
    assert set(tags) <= {"BR"}, f"de tooltip bevat HTML-elementen uit de data: {tags}"
    assert_safe(xss_page, record, "tooltip op de actorenkaart")
