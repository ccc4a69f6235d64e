"""What users saw when they tried the site (issue 12), checked in Chromium at a desktop (1366 × 900) and a
phone (390 × 844) size: the first view of the actor map is readable (labels of at least 11 px on screen,
none overlapping), a path reads as a path, the peer network shows coloured groups that use the width,
a search for "bedreiging wethouder" shows practices with their best/worst marker, no page type overflows
a phone's width, and the first visit of the home page stays under 300 kB.

Every test saves a screenshot under tests/tmp/schermafdrukken/ (not committed) to look at by hand.
"""
import re
from pathlib import Path

import pytest

from .conftest import _check_local, _context, _watch

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[1] / "tmp" / "schermafdrukken"
SIZES = {"desktop": {"width": 1366, "height": 900}, "telefoon": {"width": 390, "height": 844}}
DRAWN = "#kaart[data-getekend]"
MIN_LABEL_PX = 11

# Per node: its font size on screen at the current view, and its label box as vis-network measured it
# (canvas units). vis-network measures a label only when it draws it, so for the boxes the test first
# draws the whole picture at scale 1 on a canvas large enough to hold it (`measure=true`).
LABELS = """(measure) => {
    const net = window.kaartNetwerk, scale = net.getScale();
    const px = Object.fromEntries(Object.values(net.body.nodes).map(n => [n.id, n.labelModule.fontOptions.size * scale]));
    if (measure) {
        net.setSize('5000px', '4000px');
        net.moveTo({position: {x: 0, y: 0}, scale: 1, animation: false});
        net.redraw();
    }
    return Object.values(net.body.nodes).filter(n => n.labelModule.lines.length).map(n => {
        const s = n.labelModule.size;
        return {id: n.id, px: px[n.id], hidden: n.options.font.color === 'rgba(0, 0, 0, 0)',
                box: [s.left, s.top, s.width, s.height]};
    });
}"""


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def screen(request, browser, server, record):
    """A page at one of the two screen sizes; nothing may leave the server."""
    context = _context(browser, server, record, viewport=SIZES[request.param])
    page = _watch(context.new_page(), record)
    page.size_name = request.param
    yield page
    context.close()
    _check_local(record, server)


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{page.size_name}.png"))


def open_map(page, path: str):
    response = page.goto(path)
    assert response.status == 200, f"{path}: {response.status}"
    page.wait_for_selector(DRAWN, state="attached")
    page.evaluate("() => document.getElementById('kaart').scrollIntoView({block: 'start'})")
    return response


def no_overflow(page, where: str) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"{where}: de pagina is {width[0] - width[1]} px breder dan het scherm"


def overlapping(labels: list[dict]) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(labels):
        ax, ay, aw, ah = a["box"]
        for b in labels[i + 1:]:
            bx, by, bw, bh = b["box"]
            if ax < bx + bw - 0.5 and bx < ax + aw - 0.5 and ay < by + bh - 0.5 and by < ay + ah - 0.5:
                out.append((a["id"], b["id"]))
    return out


def test_de_eerste_kaart_is_leesbaar(screen, server, record):
    """Organisations and how they relate; the rest folded into clusters; labels ≥ 11 px, no overlap."""
    page = screen
    open_map(page, "/kaart")
    shoot(page, "kaart")
    labels = page.evaluate(LABELS, True)
    assert 40 < len(labels) < 120, len(labels)
    small = [(l["id"], round(l["px"], 1)) for l in labels if l["px"] < MIN_LABEL_PX]
    assert not small, f"labels kleiner dan {MIN_LABEL_PX} px op het scherm: {small[:5]}"
    assert not overlapping(labels), f"overlappende labels: {overlapping(labels)[:5]}"
    groups = page.evaluate("() => window.kaartNetwerk.body.data.nodes.get().map(n => n.group)")
    assert "cluster" in groups and set(groups) <= {"actor", "gemeente", "provincie", "waterschap", "cluster"}
    # a cluster opens its kind on the map
    url = page.evaluate("""() => {
        const d = JSON.parse(document.getElementById('kaart-data').textContent).graaf;
        const c = d.nodes.find(n => n.group === 'cluster' && n.label.endsWith('instrumenten'));
        return d.urls[c.id];
    }""")
    assert "soort=instrument" in url
    assert not record.page_errors and not record.csp_violations()
    page.reload()
    page.wait_for_selector(DRAWN, state="attached")
    no_overflow(page, "/kaart")


def test_een_pad_is_te_lezen(screen, server, record):
    """The path stands out (thick, coloured, named), the rest fades, the view fits the path."""
    page = screen
    open_map(page, "/kaart?van=ccv&naar=gm0106")
    steps = page.locator("ol.kast-pad li").count()
    assert steps >= 2
    info = page.evaluate("""() => {
        const net = window.kaartNetwerk;
        const data = JSON.parse(document.getElementById('kaart-data').textContent).nadruk;
        const box = document.querySelector('#kaart canvas').getBoundingClientRect();
        const inside = data.nodes.map(id => {
            const p = net.canvasToDOM(net.getPositions([id])[id]);
            return p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height;
        });
        const faded = net.body.data.nodes.get({filter: n => !data.nodes.includes(n.id)})
            .every(n => n.font && n.font.color === 'rgba(0, 0, 0, 0)');
        const marked = net.body.data.edges.get({filter: e => e.width === 6}).length;
        return {inside, faded, marked, scale: net.getScale()};
    }""")
    assert all(info["inside"]), "niet elk knooppunt van het pad staat in beeld"
    assert info["faded"], "de rest van de kaart is niet vervaagd"
    assert info["marked"] == steps
    shoot(page, "pad")
    labels = [l for l in page.evaluate(LABELS, False) if not l["hidden"]]
    assert labels and min(l["px"] for l in labels) >= MIN_LABEL_PX
    assert not record.page_errors


def test_netwerk_met_gekleurde_groepen(screen, server, record):
    """All municipalities, groups of 8: coloured by group, the picture uses the width, every group has
    its own reason, and the texts agree with what is shown."""
    page = screen
    open_map(page, "/netwerk?alle=1&grootte=8")
    groups = page.locator("ol.kast-groepen > li").count()
    assert groups > 10
    reasons = [" ".join(t.split()) for t in page.locator("ol.kast-groepen > li > p").all_inner_texts()]
    assert len(set(reasons)) == len(reasons) == groups
    colours = page.evaluate("() => new Set(window.kaartNetwerk.body.data.nodes.get().map(n => n.color)).size")
    assert colours >= min(groups, 12)
    spread = page.evaluate("""() => {
        const net = window.kaartNetwerk, box = document.querySelector('#kaart canvas').getBoundingClientRect();
        const xs = Object.values(net.getPositions()).map(p => net.canvasToDOM(p).x);
        return (Math.max(...xs) - Math.min(...xs)) / box.width;
    }""")
    assert spread > 0.5, f"de tekening gebruikt {spread:.0%} van de breedte"
    text = page.locator("main").inner_text()
    assert "één groep" not in text
    top = page.locator("caption:has-text('Meest verbonden') + thead + tbody th a").all_inner_texts()
    assert top and not {"Blaricum", "Laren", "Huizen"} & set(top[:3]), top
    no_overflow(page, "/netwerk")
    shoot(page, "netwerk-groepen")
    assert not record.page_errors


def test_zoeken_zet_praktijken_vooraan(screen, server, record):
    page = screen
    assert page.goto("/zoeken?q=bedreiging+wethouder").status == 200
    hits = page.locator(".kast-hit")
    first = [hits.nth(i) for i in range(5)]
    markers = [h.locator(".kast-badge--best, .kast-badge--worst").count() for h in first]
    assert markers[1] == 1 and sum(markers) >= 2, markers
    for hit in first:
        if hit.locator(".kast-badge").count():
            assert re.match(r"(In|Door) \S", hit.locator(".kast-hit__waar").inner_text())
    no_overflow(page, "/zoeken")
    if page.size_name == "desktop":
        # the filters stand on the left of the results and come first in the tab order
        facets, results = page.locator(".kast-facets").bounding_box(), page.locator(".kast-results").bounding_box()
        assert facets["x"] + facets["width"] <= results["x"]
        order = page.evaluate("""() => [...document.querySelectorAll('a[href], input, select, button, summary')]
            .filter(e => e.tabIndex >= 0 && e.offsetParent !== null)
            .map(e => e.closest('.kast-facets') ? 'filter' : e.closest('.kast-hit') ? 'resultaat' : '')
            .filter(Boolean)""")
        assert order.index("filter") < order.index("resultaat")
    else:   # on a phone the results come first on the screen; the filters are one tap away
        assert page.locator(".kast-hit").first.bounding_box()["y"] < 844 * 1.2
    shoot(page, "zoeken-bedreiging-wethouder")
    assert not record.page_errors


PHONE_PAGES = ["/", "/zoeken?q=bibob", "/praktijken", "/praktijken/actueel-damoclesbeleid", "/instrumenten/wet-bibob",
               "/actoren/ccv", "/themas/deelaspect-georganiseerde-criminaliteit", "/gemeenten/gm0106", "/gemeenten",
               "/provincies/pv22", "/waterschappen/ws0155", "/bronnen/000", "/def/", "/over", "/kaart/tabel",
               "/netwerk/tabel", "/bestaat-niet"]


def test_geen_pagina_is_breder_dan_een_telefoon(browser, server, record):
    """Every page type at 390 px: no horizontal scrolling, long words wrap, the content starts high."""
    context = _context(browser, server, record, viewport=SIZES["telefoon"])
    page = _watch(context.new_page(), record)
    try:
        for path in PHONE_PAGES:
            page.goto(path)
            no_overflow(page, path)
            top = page.evaluate("() => document.querySelector('main').getBoundingClientRect().top")
            assert top < 250, f"{path}: de inhoud begint pas op y = {top:.0f}"
        page.goto("/gemeenten/gm0106")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "gemeente-telefoon.png"), full_page=True)
    finally:
        context.close()
    _check_local(record, server)


def test_doelen_en_oriëntatiepunten(page, server, record):
    """Checkboxes of the map form are at least 24 × 24 px; navigation landmarks have distinct names."""
    page.goto("/kaart/tabel?soort=actor&soort=instrument&soort=thema&soort=praktijk")
    names = page.evaluate("() => [...document.querySelectorAll('nav')].map(n => n.getAttribute('aria-label'))")
    assert len(names) >= 3 and len(names) == len(set(names)), names
    sizes = page.evaluate("""() => [...document.querySelectorAll('input[type=checkbox]')]
        .map(e => { const r = e.getBoundingClientRect(); return Math.min(r.width, r.height); })""")
    assert sizes and min(sizes) >= 24, sizes


def test_eerste_bezoek_van_home_onder_300_kB(page, server, record):
    """What a first visit of the home page transfers (compressed bodies and headers), measured by Chromium."""
    sizes = []
    page.on("requestfinished", lambda request: sizes.append((request.url, request.sizes())))
    page.goto("/", wait_until="networkidle")
    total = sum(s["responseBodySize"] + s["responseHeadersSize"] for _, s in sizes)
    assert not [u for u, _ in sizes if u.endswith("favicon.ico") and record.statuses.get(u, 200) >= 400]
    assert total < 300_000, f"{total / 1000:.0f} kB: " + ", ".join(f"{u.rsplit('/', 1)[-1]} {s['responseBodySize']}" for u, s in sizes)
