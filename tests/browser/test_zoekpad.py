"""The path of a municipal official: search, narrow down with a facet, read a practice, follow its
links, and fetch the practice as Linked Data."""
import re

import pytest
from rdflib import Graph, URIRef

pytestmark = pytest.mark.browser


def total(page) -> int:
    """The number in the results heading ("78 resultaten voor …")."""
    heading = page.locator("#resultaten-kop").inner_text()
    match = re.match(r"\s*(\d+) resulta", heading)
    assert match, f"geen aantal resultaten in de kop: {heading!r}"
    return int(match.group(1))


def own_text(locator) -> str:
    """The element's own text, without its (visually hidden or count) child elements."""
    return locator.evaluate("e => [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim()")


def hit_links(page):
    return page.locator(".kast-hit__title a")


def test_zoeken_filteren_praktijk_en_linked_data(page, server, record):
    # Home → type "Bibob" in the search box → results.
    page.goto("/")
    box = page.get_by_role("searchbox", name=re.compile("Zoek op onderwerp"))
    box.click()
    page.keyboard.type("Bibob")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/zoeken\?q=Bibob$"))
    assert page.get_by_role("link", name="Wet Bibob", exact=True).first.is_visible()
    assert "Wet Bibob" in hit_links(page).all_inner_texts()
    before = total(page)
    assert before > 1

    # A theme facet: the URL keeps the state and the results narrow.
    facet = page.locator("section.kast-facet", has=page.locator("h3", has_text=re.compile("^Thema$")))
    value = facet.locator("a.kast-facet__link").first
    chosen = own_text(value)
    url_before = page.url
    value.click()
    page.wait_for_url(re.compile(r"[?&]thema="))
    assert page.url != url_before and "q=Bibob" in page.url
    after = total(page)
    assert 0 < after < before, f"facet {chosen!r} vernauwt niet: {before} → {after}"
    assert page.locator(".kast-chosen").get_by_text(chosen, exact=False).count() >= 1

    # Narrow to practices and open the first one.
    kind = page.locator("section.kast-facet", has=page.locator("h3", has_text=re.compile("^Soort$")))
    kind.locator("a.kast-facet__link", has_text=re.compile(r"^\s*(Filter op: )?praktijk\b", re.I)).first.click()
    page.wait_for_url(re.compile(r"[?&]soort=praktijk"))
    assert 0 < total(page) <= after
    first = hit_links(page).first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/praktijken/[a-z0-9-]+$"))
    slug = page.url.rsplit("/", 1)[1]
    assert page.locator("h1").inner_text() == title
    assert record.statuses[page.url] == 200
    practice_url = page.url

    # Its instrument and its actor.
    for group, collection in (("#rel-uit-instrumenten", r"/instrumenten/"),
                              ("#rel-uit-betrokkenActoren", r"/(actoren|gemeenten|provincies|waterschappen|veiligheidsregios)/")):
        heading = page.locator(group)
        assert heading.count() == 1, f"de praktijk {slug} heeft geen kopje {group}"
        link = heading.locator("xpath=..").locator("li > a.utrecht-link").first
        name = link.inner_text()
        link.click()
        page.wait_for_url(re.compile(collection))
        assert record.statuses[page.url] == 200
        assert page.locator("h1").inner_text() == name
        # and the practice is linked back from there
        assert page.get_by_role("link", name=title, exact=True).count() >= 1
        page.goto(practice_url)

    # Linked Data: /id/praktijk/<slug> answers Turtle to a client that asks for it …
    response = page.request.get(f"/id/praktijk/{slug}", headers={"Accept": "text/turtle"})
    assert response.status == 200
    content_type = response.headers["content-type"]
    assert content_type.split(";")[0].strip() == "text/turtle"
    assert content_type.lower().count("charset") <= 1, f"dubbele charset in Content-Type: {content_type}"
    graph = Graph().parse(data=response.text(), format="turtle")
    subjects = {str(s) for s in graph.subjects() if isinstance(s, URIRef)}
    assert any(s.endswith(f"/id/praktijk/{slug}") for s in subjects), "de Turtle beschrijft de praktijk niet"
    assert len(graph) > 10

    # … and sends a browser to the page about it (303 See Other).
    response = page.request.get(f"/id/praktijk/{slug}", headers={"Accept": "text/html"}, max_redirects=0)
    assert response.status == 303
    assert response.headers["location"].endswith(f"/praktijken/{slug}")
    page.goto(f"/id/praktijk/{slug}")
    assert page.url == practice_url

    # The download of the whole kast is Turtle too.
    response = page.request.get(page.locator("a", has_text="Download als Turtle").get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert slug in response.text()
