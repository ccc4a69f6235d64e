"""The weerbaarheidsprofiel in Chromium, the done-when of issue 13: a lid of Assen fills in the profile,
fixes a meting, sees chart and table, the ranked gaps with instruments and practices, and a peer who
opted in; a second meting shows progress; a lid of Emmen sees nothing of Assen until both share with the
Drentse werkgroep; anonymous visitors find no trace; the waterbed warning appears only with five other
profiles in the RIEC region; axe finds no violations on the profile pages."""
import datetime as dt
from types import SimpleNamespace

import pytest

from kast.accounts import SYSTEM

from .conftest import axe_violations, describe_violations

pytestmark = pytest.mark.browser
PASSWORD = "paars-kasteel-rijdt-langzaam"
MARKER = "roerdompnotitie"   # in no real entry
REGION = ("gm0118", "gm0119", "gm1680", "gm1681")   # four more Drentse municipalities


def login(page, name: str) -> None:
    page.goto("/inloggen")
    page.get_by_label("Gebruikersnaam").fill(name)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/account")


def no_axe_violations(page, server, what: str) -> None:
    violations = axe_violations(page, server)
    assert not violations, describe_violations(what, violations)


def measured(profiles, org: str, scores: dict, peer: tuple = ()) -> None:
    """Another organisation's meting, made through the library as its own lid would."""
    who = SimpleNamespace(id=900, organisation=org, role="lid")
    profiles.save(who, org, {a: {"score": s, "peer": a in peer} for a, s in scores.items()},
                  contact_role="Beleidsadviseur ondermijning")
    profiles.fix(who, org, dt.date(2025, 3, 1))


def test_a_lid_of_assen_measures_compares_and_shares(server, page, browser, record):
    accounts, profiles = server.app.extensions["accounts"], server.app.extensions["profiles"]
    for name, org in (("profiel-assen", "gm0106"), ("profiel-emmen", "gm0114")):
        accounts.add(SYSTEM, name, PASSWORD, "lid", org)
    measured(profiles, "gm0109", {"ambitie-3-6": 3}, peer=("ambitie-3-6",))   # Coevorden: ahead, opted in

    login(page, "profiel-assen")
    page.goto("/profiel")
    page.wait_for_url("**/profielen/gm0106")
    no_axe_violations(page, server, "/profielen/gm0106")
    page.get_by_role("link", name="Profiel invullen of bijwerken").click()
    page.wait_for_url("**/invullen")
    no_axe_violations(page, server, "/profielen/gm0106/invullen")
    page.get_by_label("Functie die andere organisaties", exact=False).fill("Coördinator ondermijning")
    page.locator("#score-ambitie-1-1-1").check()
    page.get_by_label("Notitie bij 1.1", exact=False).fill(f"De {MARKER} blijft binnen Assen")
    page.get_by_role("button", name="Opslaan (Verhogen bewustwording", exact=False).click()
    assert "Opgeslagen als concept." in page.inner_text("main")
    page.locator("#score-ambitie-3-6-1").check()
    page.locator("#score-ambitie-3-2-2").check()
    page.get_by_role("button", name="Opslaan (Wet- en regelgeving", exact=False).click()
    assert page.locator("#score-ambitie-1-1-1").is_checked()   # saved as it goes: the first theme is still there

    page.goto("/profielen/gm0106")
    page.get_by_label("Datum van de meting").fill("2025-06-01")
    page.get_by_role("button", name="Concept vastleggen als meting").click()
    page.wait_for_url("**/profielen/gm0106/metingen/*")
    first = page.url
    page.wait_for_selector(".kast-chart--drawn canvas")
    assert page.evaluate("() => Chart.getChart(document.getElementById('profielgrafiek')).data.datasets[0].data.length") == 27
    table = page.inner_text("#scoretabel")
    assert "3.6 Actueel Damoclesbeleid" in table and MARKER in table
    gaps = page.locator(".kast-gap")
    assert gaps.count() > 10 and "Damoclesbeleid" in page.inner_text(".kast-gaps")
    assert page.locator('.kast-gaps a[href="/instrumenten/damoclesbeleid"]').count() >= 1
    assert "Coevorden" in page.inner_text(".kast-gaps") and "Beleidsadviseur ondermijning" in page.inner_text(".kast-gaps")
    assert "te weinig andere organisaties" in page.inner_text("#waterbed")
    no_axe_violations(page, server, "resultaat van een meting")
    page.get_by_role("link", name="Afdrukversie").click()
    page.wait_for_url("**/afdrukken")
    assert page.locator("canvas").count() == 0 and page.locator("#scoretabel").count() == 1
    no_axe_violations(page, server, "afdrukversie")

    page.goto("/profielen/gm0106/invullen")
    page.locator("#score-ambitie-3-6-3").check()
    page.get_by_role("button", name="Opslaan (Wet- en regelgeving", exact=False).click()
    page.goto("/profielen/gm0106")
    page.get_by_label("Datum van de meting").fill("2025-12-01")
    page.get_by_role("button", name="Concept vastleggen als meting").click()
    page.wait_for_url("**/profielen/gm0106/metingen/*")
    assert "Ten opzichte van de meting van 2025-06-01: 1 ambities hoger" in page.inner_text("#voortgang")
    page.wait_for_selector(".kast-chart--drawn canvas")
    assert page.evaluate("() => Chart.getChart(document.getElementById('profielgrafiek')).data.datasets.length") == 2

    emmen_context = browser.new_context(base_url=server.origin, locale="nl-NL")
    emmen = emmen_context.new_page()
    login(emmen, "profiel-emmen")
    emmen.goto(first)
    assert "Niet gevonden" in emmen.inner_text("h1") and MARKER not in emmen.content()
    page.goto("/profielen/gm0106")
    page.get_by_role("button", name="Delen met Werkgroep Drentse aanpak", exact=False).click()
    page.wait_for_selector("text=wordt nu gedeeld")
    emmen.goto(first)
    assert "Niet gevonden" in emmen.inner_text("h1")   # Emmen has not shared yet
    emmen.goto("/profielen/gm0114")
    emmen.get_by_role("button", name="Delen met Werkgroep Drentse aanpak", exact=False).click()
    emmen.wait_for_selector("text=wordt nu gedeeld")
    emmen.goto(first)
    assert MARKER in emmen.inner_text("#scoretabel")
    emmen.goto("/samenwerkingen/werkgroep-drentse-aanpak/profielen")
    assert "Assen" in emmen.inner_text("#groepstabel")
    no_axe_violations(emmen, server, "groepsoverzicht")
    emmen_context.close()

    anonymous_context = browser.new_context(base_url=server.origin, locale="nl-NL")
    anonymous = anonymous_context.new_page()
    anonymous.goto(first)
    assert "/inloggen" in anonymous.url
    for url in ("/", "/ambities/ambitie-1-1", "/gemeenten/gm0106", "/download/kast.nt"):
        response = anonymous_context.request.get(url)
        assert response.ok and MARKER not in response.text(), url
    assert anonymous_context.request.get(f"/api/v1/zoeken?q={MARKER}").json()["totaal"] == 0
    assert anonymous_context.request.get("/api/v1/profielen/gm0106").status == 401
    anonymous_context.close()

    for org in REGION[:3]:   # with Coevorden: four other organisations in RIEC Noord-Nederland
        measured(profiles, org, {"ambitie-1-1": 3, "ambitie-3-6": 3})
    page.goto(first)
    assert "te weinig andere organisaties" in page.inner_text("#waterbed")
    measured(profiles, REGION[3], {"ambitie-1-1": 3, "ambitie-3-6": 3})
    page.goto(first)
    assert "Uw dijk is hier lager dan die van de regio" in page.inner_text("#waterbed")
    assert "3.6 Actueel Damoclesbeleid: uw score 1, mediaan van de regio 3" in page.inner_text("#waterbed")
    assert "1.1 Structurele" not in page.inner_text("#waterbed")   # only four others scored 1.1: no comparison
    no_axe_violations(page, server, "resultaat met waterbedvergelijking")
    measured(profiles, "gm1690", {"ambitie-3-6": 1}, peer=("ambitie-3-6",))   # De Wolden: a gap, opted in
    page.goto("/netwerk/profielen")
    page.get_by_label("Ambitie").select_option("ambitie-3-6")
    page.get_by_role("button", name="Toon verbindingen").click()
    page.wait_for_url("**/netwerk/profielen?ambitie=ambitie-3-6*")
    assert "Coevorden is verder op 3.6" in page.inner_text("#profielverbindingen")
    no_axe_violations(page, server, "/netwerk/profielen")
    page.goto("/ambities/ambitie-3-6")
    assert "Er is actueel Damoclesbeleid." in page.inner_text("main")
    no_axe_violations(page, server, "/ambities/ambitie-3-6 met groeimodel")
    assert not record.csp_violations() and not record.page_errors, (record.csp_violations(), record.page_errors)
