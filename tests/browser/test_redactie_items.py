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


NEW_ACTOR = "Kenniskring Weerbare Recreatie Drenthe"
NEW_ID = "kenniskring-weerbare-recreatie-drenthe"


def test_lid_proposes_a_new_actor_with_a_relation_and_a_curator_publishes_it(browser, server):
    """From the list of actors: a new actor with a relation found by typing in its picker; a row added
    without saving; a redacteur (another account) publishes it and it is on the public actor page."""
    lid = person(browser, server, "b-oov-assen-nieuw", "lid", "gm0106")
    lid.goto("/actoren")
    lid.get_by_role("link", name="Nieuwe actor voorstellen").click()
    lid.wait_for_url("**/redactie/nieuw/actoren")
    violations = axe_violations(lid, server)
    assert not violations, describe_violations("/redactie/nieuw/actoren", violations)
    lid.select_option("#veld-bestand", "drenthe.yaml")
    lid.locator("#veld-naam").fill(NEW_ACTOR)
    lid.select_option("#veld-soort", "netwerk-of-programma")
    lid.select_option("#veld-niveau", "regionaal")
    lid.locator("#veld-beschrijving").fill("Drentse partners delen kennis over weerbare recreatieparken.")
    lid.select_option("#bron-0", "003")
    lid.locator("#sectie-0").fill("3.1")
    lid.select_option("#relatie-0-soort", "werkt-samen-met")
    search = lid.get_by_label("Zoek in met (een actor; bij 'neemt deel aan' een instrument)").first
    search.fill("riec noord")
    visible = lid.eval_on_selector_all("#relatie-0-doel option", "os => os.filter(o => !o.hidden).map(o => o.value)")
    assert "riec-noord-nederland" in visible and "wet-bibob" not in visible
    lid.select_option("#relatie-0-doel", "riec-noord-nederland")
    lid.select_option("#relatie-0-bron-0", "003")
    lid.locator("#relatie-0-sectie-0").fill("3.1")
    lid.get_by_role("button", name="Nog een relatie").click()   # a row more, nothing saved, nothing lost
    assert "nog niets opgeslagen" in lid.inner_text("main")
    assert lid.locator("#relatie-0-doel").input_value() == "riec-noord-nederland"
    assert lid.locator("#relatie-1-soort").count() == 1 and lid.locator("#relatie-2-soort").count() == 1
    lid.get_by_role("button", name="Opslaan als concept").click()
    lid.wait_for_url("**/redactie/voorstellen/**")
    proposal = lid.url
    assert "actors/drenthe.yaml" in lid.inner_text("main")
    lid.get_by_role("button", name="Opslaan en ter beoordeling aanbieden").click()
    assert "Uw voorstel ligt ter beoordeling bij de redactie." in lid.inner_text("main"), lid.inner_text("main")[:1500]

    visitor = browser.new_context(base_url=server.origin, locale="nl-NL").new_page()
    assert visitor.goto(f"/actoren/{NEW_ID}").status == 404, "not public before it is published"

    curator = person(browser, server, "b-redactie-nieuw", "redacteur", "vng")
    curator.goto("/redactie")
    curator.locator(f'a[href="/redactie/voorstellen/{proposal.rsplit("/", 1)[1]}"]').click()
    assert curator.locator("#relatie-0-doel").input_value() == "riec-noord-nederland"
    curator.get_by_role("button", name="Publiceren").click()
    curator.wait_for_url(f"**/actoren/{NEW_ID}")

    visitor.goto(f"/actoren/{NEW_ID}")
    main = visitor.inner_text("main")
    assert NEW_ACTOR in main and "RIEC Noord-Nederland" in main
    visitor.get_by_role("link", name="Geschiedenis").click()
    assert "b-redactie-nieuw" in visitor.inner_text("main")


def test_enter_in_a_field_of_an_actor_saves_and_does_not_just_add_a_row(browser, server):
    """The form has two kinds of submit button; Enter (implicit submission) must save, as elsewhere."""
    lid = person(browser, server, "b-oov-enter", "lid", "gm0114")
    lid.goto("/actoren/rud-drenthe/bewerken")
    lid.locator("#veld-naam").fill("Regionale Uitvoeringsdienst Drenthe (RUD)")
    lid.locator("#veld-naam").press("Enter")
    lid.wait_for_url("**/redactie/voorstellen/**")
    assert lid.locator("#veld-naam").input_value() == "Regionale Uitvoeringsdienst Drenthe (RUD)"
