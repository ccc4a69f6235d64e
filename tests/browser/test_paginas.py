"""Every page type: WCAG 2.1 A/AA by axe-core without violations, nothing loaded from another host,
no CSP violation and no script error."""
import pytest

from .conftest import axe_violations, describe_violations

pytestmark = pytest.mark.browser

# (path, expected HTTP status): one page of every type.
PAGES = [
    ("/", 200),                                              # home
    ("/zoeken?q=Bibob", 200),                                # search results with facets
    ("/zoeken?q=bibob&thema=thema-integrale-aanpak", 200),   # … with a chosen filter
    ("/zoeken?q=xyzzyplugh", 200),                           # … with nothing found
    ("/praktijken", 200),                                    # browse list (search index)
    ("/actoren?actorsoort=ministerie", 200),                 # browse list (graph) with a facet
    ("/praktijken/actueel-damoclesbeleid", 200),             # a best practice
    ("/praktijken/alleen-strafrechtelijk-optreden-tegen-ondermijning", 200),   # a worst practice
    ("/instrumenten/wet-bibob", 200),
    ("/actoren/vng", 200),
    ("/themas/deelaspect-georganiseerde-criminaliteit", 200),
    ("/ambities/ambitie-1-1", 200),
    ("/begrippenkaders/deelaspecten", 200),
    ("/gemeenten/gm0106", 200),
    ("/provincies/pv22", 200),
    ("/veiligheidsregios/vr03", 200),
    ("/waterschappen/ws0155", 200),
    ("/bronnen/000", 200),
    ("/def/", 200),                                          # the ontology (term page)
    ("/over", 200),                                          # about the data
    ("/bestaat-niet", 404),                                  # 404 page
    ("/praktijken/bestaat-niet", 404),                       # 404 for an unknown entity
]


def problems(page, server, record, path: str) -> list[str]:
    """Everything wrong with the page that is open: axe violations, other hosts, CSP, script errors."""
    out = []
    violations = axe_violations(page, server)
    if violations:
        out.append(describe_violations(path, violations))
    external = record.external(server)
    if external:
        out.append(f"{path} laadt van een andere host:\n" + "\n".join(external))
    if record.csp_violations():
        out.append(f"{path}: CSP-overtredingen:\n" + "\n".join(record.csp_violations()))
    if record.page_errors:
        out.append(f"{path}: scriptfouten:\n" + "\n".join(record.page_errors))
    broken = {url: code for url, code in record.statuses.items()
              if code >= 400 and url != page.url and not url.endswith("/favicon.ico")}
    if broken:
        out.append(f"{path}: onderdelen die niet laden: {broken}")
    return out


@pytest.mark.parametrize("path,status", PAGES, ids=[p for p, _ in PAGES])
def test_pagina(page, server, record, path, status):
    """One visit per page type (the suite must stay fast): axe, hosts, CSP and errors together."""
    response = page.goto(path)
    assert response is not None and response.status == status, \
        f"{path}: status {response.status if response else None}, verwacht {status}"
    assert record.requests, "geen enkel verzoek opgenomen"
    found = problems(page, server, record, path)
    assert not found, "\n\n".join(found)


def test_overige_menupaginas(page, server, record):
    """The pages of the main menu not listed above (the network views, once they exist) pass too."""
    page.goto("/")
    links = page.locator("nav[aria-label='Hoofdmenu'] a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) >= 5
    listed = {p for p, _ in PAGES}
    failures = []
    for href in hrefs:
        if href in listed:
            continue
        record.requests.clear()
        record.statuses.clear()
        response = page.goto(href)
        if response is None or response.status != 200:
            failures.append(f"{href}: status {response.status if response else None}")
            continue
        page.wait_for_load_state("networkidle")   # a network view may fetch its data after 'load'
        failures += problems(page, server, record, href)
    assert not failures, "\n\n".join(failures)
