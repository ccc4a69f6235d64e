"""The SPARQL query page in Chromium: Yasgui loads from this host only, runs an example query against
/sparql and shows the answer; the CSV of an example downloads; axe finds no WCAG violation; no CSP
violation and no request to another host (no prefix.cc, LOV or other endpoints)."""
import csv
import io

import pytest

from .test_paginas import problems

pytestmark = pytest.mark.browser


def test_vraagpagina_voert_een_voorbeeld_uit(page, server, record):
    response = page.goto("/sparql")
    assert response is not None and response.status == 200
    page.wait_for_selector(".yasqe .CodeMirror")
    assert page.locator("#kast-sparql-formulier").is_hidden(), "the editor replaces the plain form"
    editor_text = page.evaluate("() => document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert "PREFIX kast:" in editor_text

    with page.expect_response(lambda r: r.url.endswith("/sparql") and r.request.method == "POST") as answer:
        page.locator("button[data-voorbeeld='0']").click()   # cq01: instruments of the CCV
    assert answer.value.status == 200
    page.wait_for_selector(".yasr table tbody tr")
    assert "barrieremodel" in page.locator(".yasr table").inner_text()

    found = problems(page, server, record, "/sparql")
    assert not found, "\n\n".join(found)


def test_csv_van_een_voorbeeld_downloaden(page, server, record):
    page.goto("/sparql")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV van cq01_instrumenten_ccv").click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert any(r["instrument"].endswith("/barrieremodel") for r in rows)


def test_fout_in_de_query_is_leesbaar(page, server, record):
    page.goto("/sparql")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.evaluate("""() => {
        const cm = document.querySelector('.CodeMirror').CodeMirror;
        cm.setValue('SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }');
    }""")
    with page.expect_response(lambda r: r.url.endswith("/sparql") and r.request.method == "POST") as answer:
        page.locator(".yasqe_queryButton").click()
    assert answer.value.status == 400
    page.wait_for_selector(".yasr .errorResult, .yasr_results .errorResult", timeout=10_000)
    assert "SERVICE is niet toegestaan" in page.locator(".yasr").inner_text()
    assert not record.external(server)
