"""The curator's first day, in Chromium: an account made with `kast user add`, login, the network-only
practices in search, lists and on the map, a new lid for Assen, logout, and the old cookie refused."""
import pytest
from click.testing import CliRunner

from kast.visibility import ANONYMOUS, Reader

from .conftest import axe_violations, describe_violations

pytestmark = pytest.mark.browser
PASSWORD = "paars-kasteel-rijdt-langzaam"


def network_practice(server) -> str:
    site = server.app.extensions["kast"]
    only_members = sorted(site.hidden_for(ANONYMOUS) - site.hidden_for(Reader("lid")))
    assert only_members, "de echte data heeft praktijken die alleen binnen het netwerk worden gedeeld"
    return only_members[0]


def test_curator_logs_in_sees_the_network_makes_a_member_and_logs_out(server, page, browser, monkeypatch):
    monkeypatch.setenv("KAST_DATABASE_URL", server.app.config["KAST_DATABASE_URL"])
    from kast.cli import main

    made = CliRunner().invoke(main, ["user", "add", "redactie-vng", "--role", "redacteur", "--org", "vng",
                                     "--display-name", "Redactie VNG", "--password-stdin"], input=PASSWORD + "\n")
    assert made.exit_code == 0, made.output
    secret = network_practice(server)

    page.goto("/praktijken?paginagrootte=100")
    assert page.locator(f'a[href="/praktijken/{secret}"]').count() == 0   # anonymous: not there
    page.get_by_role("link", name="Inloggen").click()
    page.wait_for_url("**/inloggen")
    page.wait_for_load_state()
    for path in ("/inloggen",):
        violations = axe_violations(page, server)
        assert not violations, describe_violations(path, violations)
    page.get_by_label("Gebruikersnaam").fill("redactie-vng")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/account")
    assert "Redactie VNG" in page.inner_text("main")
    violations = axe_violations(page, server)
    assert not violations, describe_violations("/account", violations)

    page.goto("/praktijken?paginagrootte=100")
    assert page.locator(f'a[href="/praktijken/{secret}"]').count() == 1
    title = page.locator(f'a[href="/praktijken/{secret}"]').first.inner_text()
    page.goto("/zoeken?q=" + " ".join(title.split()[:4]))
    assert page.locator(f'a[href="/praktijken/{secret}"]').count() >= 1
    page.goto(f"/kaart?focus={secret}&diepte=1")
    assert "Onbekend knooppunt" not in page.inner_text("main")

    page.goto("/beheer/accounts")
    violations = axe_violations(page, server)
    assert not violations, describe_violations("/beheer/accounts", violations)
    page.get_by_label("Gebruikersnaam").fill("oov-assen")
    page.get_by_label("Weergavenaam", exact=False).fill("OOV Assen")
    page.get_by_label("Organisatie", exact=False).fill("gm0106")
    page.get_by_label("Rol").select_option("lid")
    page.get_by_label("Eerste wachtwoord", exact=False).fill("groene-fiets-onder-de-brug")
    page.get_by_role("button", name="Account aanmaken").click()
    assert "Account 'oov-assen' (lid (netwerk), Assen) is aangemaakt." in page.inner_text("main")

    cookies = page.context.cookies()
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(server.url("/"))
    assert page.get_by_role("link", name="Inloggen").count() == 1

    replay = browser.new_context(base_url=server.origin)
    replay.add_cookies(cookies)
    other = replay.new_page()
    other.goto("/account")
    assert "/inloggen" in other.url   # the copied cookie no longer logs anyone in
    other.goto(f"/praktijken/{secret}")
    assert "Niet gevonden" in other.inner_text("h1")
    replay.close()
