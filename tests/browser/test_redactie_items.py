"""Curation of an actor in Chromium: a lid proposes a new description from the actor's page, a curator
publishes it, and the public actor page shows it."""
import pytest

from .conftest import axe_violations, describe_violations
from .test_redactie import person

pytestmark = pytest.mark.browser
ACTOR = "/actoren/inspectie-jenv"
TEXT = "De inspectie houdt toezicht op de uitvoering van taken in justitie en veiligheid, ook bij ondermijning."


def test_lid_proposes_an_actor_description_and_a_curator_publishes_it(browser, server):
    lid = person(browser, server, "b-oov-emmen", "lid", "gm0114")
    lid.goto(ACTOR)
    lid.get_by_role("link", name="Wijziging voorstellen").click()
    lid.wait_for_url(f"**{ACTOR}/bewerken")
    violations = axe_violations(lid, server)
    assert not violations, describe_violations(f"{ACTOR}/bewerken", violations)
    lid.get_by_label("Beschrijving").fill(TEXT)
    lid.get_by_role("button", name="Opslaan als concept").click()
    lid.wait_for_url("**/redactie/voorstellen/**")
    proposal = lid.url
    lid.get_by_role("button", name="Opslaan en ter beoordeling aanbieden").click()
    assert "Uw voorstel ligt ter beoordeling bij de redactie." in lid.inner_text("main"), lid.inner_text("main")[:1500]

    curator = person(browser, server, "b-redactie-c", "redacteur", "vng")
    curator.goto("/redactie")
    curator.locator(f'a[href="/redactie/voorstellen/{proposal.rsplit("/", 1)[1]}"]').click()
    assert TEXT in curator.locator("#veld-beschrijving").input_value()
    curator.get_by_role("button", name="Publiceren").click()
    curator.wait_for_url(f"**{ACTOR}")

    visitor = browser.new_context(base_url=server.origin, locale="nl-NL").new_page()
    visitor.goto(ACTOR)
    assert TEXT in visitor.inner_text("main")
    visitor.get_by_role("link", name="Geschiedenis").click()
    assert "b-redactie-c" in visitor.inner_text("main")


def test_pickers_filter_as_you_type_and_still_send_the_select(browser, server):
    lid = person(browser, server, "b-oov-emmen", "lid", "gm0114")
    lid.goto("/redactie/nieuw")
    lid.select_option("#veld-instrumenten", ["riec-convenant"])
    search = lid.get_by_label("Zoek in instrumenten")
    search.fill("bibob")
    visible = lid.eval_on_selector_all("#veld-instrumenten option", "os => os.filter(o => !o.hidden).map(o => o.value)")
    assert "wet-bibob" in visible and "riec-convenant" in visible, "a chosen option stays visible"
    assert len(visible) < lid.locator("#veld-instrumenten option").count()
    assert "zichtbaar" in lid.locator("#veld-instrumenten-aantal").inner_text()
    violations = axe_violations(lid, server)
    assert not violations, describe_violations("/redactie/nieuw met zoekveld", violations)
    search.fill("")
    assert lid.eval_on_selector_all("#veld-instrumenten option", "os => os.every(o => !o.hidden)")
