"""The curation workflow in Chromium, as its users meet it: a lid of Assen proposes a practice, a curator
sends it back with a comment, the lid fixes it, a second curator publishes it, and within 2 seconds it is on
the public site, in search, on the map and in the feed, with its history. Two browsers editing one proposal
see a merge or a conflict, never a silent loss."""
import time

import pytest

from .conftest import axe_violations, describe_violations

pytestmark = pytest.mark.browser
PASSWORD = "paars-kasteel-rijdt-langzaam"
TITLE = "Assen bespreekt signalen over vakantieparken met de RUD"


def person(browser, server, name: str, role: str, org: str):
    accounts = server.app.extensions["accounts"]
    if accounts.get(name) is None:
        from kast.accounts import SYSTEM

        accounts.add(SYSTEM, name, PASSWORD, role, org)
    context = browser.new_context(base_url=server.origin, locale="nl-NL")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto("/inloggen")
    page.get_by_label("Gebruikersnaam").fill(name)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/account")
    return page


def fill_practice(page, complete: bool = True):
    page.locator("#veld-titel").fill(TITLE)
    page.select_option("#veld-soort", "best")
    page.select_option("#veld-aard", "lokale-praktijk")
    page.locator("#veld-samenvatting").fill("De gemeente Assen bespreekt signalen over vakantieparken met de RUD.")
    page.select_option("#veld-actoren", ["gm0106"])
    page.select_option("#veld-gemeenten", ["gm0106"])
    page.select_option("#veld-themas", ["fenomeen-vakantieparken"])
    page.select_option("#veld-bewijsniveau", "beschreven")
    page.select_option("#veld-effect", "onbekend")
    for field, text in (("probleem", "Signalen over parken lagen bij verschillende partners."),
                        ("aanpak", "Een vast overleg met de RUD."), ("werkingsmechanisme", "Samen zien partners meer."),
                        ("resultaat", "De bron meldt nog geen resultaat."), ("lessen", "- Begin met een vast moment.")):
        page.locator(f"#veld-{field}").fill(text)
    if complete:
        page.locator("#veld-overdraagbaarheid").fill("Voor gemeenten met vakantieparken.")
    page.select_option("#bron-0", "003")
    page.locator("#sectie-0").fill("2.1")


def test_lid_proposes_curators_review_and_it_is_live_within_two_seconds(browser, server):
    lid = person(browser, server, "b-oov-assen", "lid", "gm0106")
    lid.goto("/redactie/nieuw")
    violations = axe_violations(lid, server)
    assert not violations, describe_violations("/redactie/nieuw", violations)
    fill_practice(lid, complete=False)
    lid.get_by_role("button", name="Opslaan als concept").click()
    lid.wait_for_url("**/redactie/voorstellen/**")
    proposal = lid.url
    lid.get_by_role("button", name="Opslaan en ter beoordeling aanbieden").click()
    assert "Overdraagbaarheid" in lid.locator(".utrecht-form-field-error-message").all_inner_texts()[0] or \
        any("Overdraagbaarheid" in t for t in lid.locator(".utrecht-form-field-error-message").all_inner_texts())
    lid.locator("#veld-overdraagbaarheid").fill("Voor gemeenten met vakantieparken.")
    lid.get_by_role("button", name="Opslaan en ter beoordeling aanbieden").click()
    assert "Uw voorstel ligt ter beoordeling bij de redactie." in lid.inner_text("main"), lid.inner_text("main")[:1500]

    a = person(browser, server, "b-redactie-a", "redacteur", "vng")
    a.goto("/redactie")
    a.locator(f'a[href="/redactie/voorstellen/{proposal.rsplit("/", 1)[1]}"]').click()
    a.get_by_label("Wat moet er nog gebeuren?").fill("Noem ook het instrument dat u gebruikte.")
    a.get_by_role("button", name="Terugsturen").click()

    lid.goto("/redactie")
    assert "Noem ook het instrument dat u gebruikte." in lid.inner_text("main")
    lid.goto(proposal)
    lid.select_option("#veld-instrumenten", ["wet-bibob"])
    lid.get_by_role("button", name="Opslaan en ter beoordeling aanbieden").click()

    b = person(browser, server, "b-redactie-b", "redacteur", "vng")
    b.goto(proposal)
    violations = axe_violations(b, server)
    assert not violations, describe_violations(proposal, violations)
    b.get_by_role("button", name="Publiceren").click()
    published = time.monotonic()
    b.wait_for_url("**/praktijken/**")
    entry = b.url.rsplit("/", 1)[1]

    public = browser.new_context(base_url=server.origin).new_page()
    public.goto(f"/praktijken/{entry}")
    assert TITLE in public.inner_text("h1")
    public.goto("/zoeken?q=vakantieparken RUD Assen")
    assert public.locator(f'a[href="/praktijken/{entry}"]').count() >= 1
    public.goto(f"/kaart?focus={entry}&diepte=1")
    assert "Onbekend knooppunt" not in public.inner_text("main")
    public.goto("/nieuw-en-gewijzigd")
    assert TITLE in public.inner_text("main")
    # the 2 s target is measured by benchmarks/publish.py; here only "without a restart, within seconds"
    assert time.monotonic() - published <= 10.0
    public.goto(f"/praktijken/{entry}/geschiedenis")
    history = public.inner_text("main")
    assert "b-redactie-b" in history and "gepubliceerd" in history


def test_two_browsers_on_one_proposal_see_a_merge_or_a_conflict(browser, server):
    lid = person(browser, server, "b-oov-assen-2", "lid", "gm0106")
    a = person(browser, server, "b-redactie-c", "redacteur", "vng")
    lid.goto("/redactie/nieuw")
    fill_practice(lid)
    lid.locator("#veld-titel").fill("Twee browsers bewerken hetzelfde voorstel")
    lid.get_by_role("button", name="Opslaan als concept").click()
    lid.wait_for_url("**/redactie/voorstellen/**")
    url = lid.url
    a.goto(url)                                         # both have the same version open now
    lid.locator("#veld-resultaat").fill("Resultaat volgens het lid.")
    lid.get_by_role("button", name="Opslaan als concept").click()
    a.locator("#veld-lessen").fill("- Les van de redactie.")
    a.get_by_role("button", name="Opslaan als concept").click()
    assert "samengevoegd" in a.inner_text("main")      # other field: merged, and said so
    assert a.locator("#veld-resultaat").input_value() == "Resultaat volgens het lid."
    lid.locator("#veld-lessen").fill("- Les van het lid.")   # lid still has the older version
    lid.get_by_role("button", name="Opslaan als concept").click()
    text = lid.inner_text("main")
    assert "Iemand anders wijzigde dezelfde velden" in text and "Les van de redactie." in text
    assert "Les van het lid." in text                   # their own text is still in front of them
