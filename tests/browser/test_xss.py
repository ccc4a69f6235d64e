"""XSS: a practice whose every text field carries HTML and script is shown as text everywhere.

The app runs on a copy of data/ with that practice added (xss_data.py). The pages are opened in a
context that bypasses the CSP (see the xss_page fixture), so that these tests check the escaping
itself and not the CSP that would block inline script anyway.
"""
import json

import pytest

from .xss_data import MARKER, PAYLOAD, PRACTICE_ID, SECTIONS, TITLE

pytestmark = pytest.mark.browser

PRACTICE = f"/praktijken/{PRACTICE_ID}"

# Elements and attributes the payload would create if it were not escaped.
# (A <script type="application/json"> data block, as on the network pages, is data, not script.)
INJECTED = "img[src='x'], script:not([src]):not([type='application/json']), svg[onload], [onerror], [onload]"


def assert_safe(page, record, where: str) -> None:
    """Nothing ran, nothing was injected, no dialog, and the browser never asked for the img 'x'."""
    assert page.evaluate("() => typeof window.__xss") == "undefined", f"{where}: het script is uitgevoerd"
    assert not record.dialogs, f"{where}: dialoogvenster geopend: {record.dialogs}"
    injected = page.locator(INJECTED)
    assert injected.count() == 0, \
        f"{where}: ingevoegde elementen: {[injected.nth(i).evaluate('e => e.outerHTML.slice(0, 300)') for i in range(injected.count())]}"
    assert not [u for u in record.requests if u.rstrip("/").endswith("/x")], f"{where}: <img src=x> is geladen"


def visible_text(page) -> str:
    return page.locator("body").inner_text()


def test_praktijkpagina(xss_page, xss_server, record):
    response = xss_page.goto(PRACTICE)
    assert response.status == 200
    assert_safe(xss_page, record, PRACTICE)
    assert xss_page.locator("h1").inner_text() == TITLE
    assert xss_page.title().startswith(TITLE)
    text = visible_text(xss_page)
    # title, summary, every section, both lessons and the contact's role: each carries the payload
    assert text.count(PAYLOAD) >= 1 + 1 + (len(SECTIONS) - 1) + 2 + 1, "niet elke payload staat als tekst op de pagina"
    assert f"Functie {PAYLOAD}" in text
    assert f"Les twee {PAYLOAD}" in text


def test_zoekresultaten(xss_page, xss_server, record):
    xss_page.goto(f"/zoeken?q={MARKER}")
    assert_safe(xss_page, record, "zoekresultaten")
    titles = xss_page.locator(".kast-hit__title a").all_inner_texts()
    assert TITLE in titles
    # the snippet, with <mark> around the match, shows the payload as text too
    assert xss_page.locator(".kast-snippet mark").count() >= 1
    assert "<img" in xss_page.locator(".kast-snippet").first.inner_text() or \
        "onerror" in xss_page.locator(".kast-snippet").first.inner_text()


def test_zoeken_op_de_hele_titel(xss_page, xss_server, record):
    """Searching for the whole title, payload included: the query is shown back (heading, search box,
    page title) as text, and the practice is found."""
    xss_page.goto("/")
    xss_page.locator("#zoekvraag").fill(TITLE)
    xss_page.keyboard.press("Enter")
    xss_page.wait_for_url("**/zoeken?q=*")
    assert_safe(xss_page, record, "zoekvraag")
    assert xss_page.locator("#zoekvraag").input_value() == TITLE
    assert TITLE in xss_page.locator("#resultaten-kop").inner_text()
    assert TITLE in xss_page.title()
    assert TITLE in xss_page.locator(".kast-hit__title a").all_inner_texts()


def test_bladerlijst(xss_page, xss_server, record):
    """The browse list of practices, page by page, until the practice turns up."""
    xss_page.goto("/praktijken?sorteer=titel")
    for _ in range(20):
        assert_safe(xss_page, record, xss_page.url)
        if TITLE in xss_page.locator(".kast-hit__title a").all_inner_texts():
            break
        following = xss_page.locator("a[rel='next']")
        assert following.count() == 1, "de praktijk staat in geen enkele pagina van /praktijken"
        following.click()
        xss_page.wait_for_load_state()
    else:
        pytest.fail("de praktijk staat niet in de eerste 20 pagina's van /praktijken")


@pytest.mark.parametrize("path", ["/instrumenten/wet-bibob", "/actoren/vng",
                                  "/themas/deelaspect-georganiseerde-criminaliteit"])
def test_gekoppelde_paginas(xss_page, xss_server, record, path):
    """The pages that list the practice among their links."""
    xss_page.goto(path)
    assert_safe(xss_page, record, path)
    assert xss_page.get_by_role("link", name=TITLE, exact=True).count() >= 1, f"{path} toont de praktijk niet"


@pytest.mark.parametrize("path", [f"/api/v1/praktijken/{PRACTICE_ID}", f"/api/v1/zoeken?q={MARKER}",
                                  f"/api/v1/praktijken?q={MARKER}"])
def test_api_json(xss_page, xss_server, record, path):
    """The JSON is served as JSON (never as HTML a browser would run) and carries the text unchanged."""
    response = xss_page.goto(path)
    assert response.status == 200
    content_type = response.headers["content-type"]
    assert content_type.split(";")[0].strip() in ("application/json", "application/problem+json"), content_type
    assert response.headers.get("x-content-type-options") == "nosniff"
    assert_safe(xss_page, record, path)
    body = json.loads(response.text())
    assert TITLE in json.dumps(body, ensure_ascii=False).replace('\\"', '"'), "de titel staat niet in de JSON"
