"""Accounts in the browser's terms: login and logout with CSRF, a copied cookie that stops working, 429
with Retry-After, API tokens, mijn account and the accounts page."""
import logging

import pytest

from .web_auth import PASSWORD, Auth, csrf_token


@pytest.fixture
def auth(app):
    return Auth(app)


def session_cookie(client) -> str:
    cookie = client.get_cookie("kast_sessie")
    assert cookie is not None
    return cookie.value


def test_login_sets_a_safe_cookie_and_shows_the_account(app, auth):
    client = app.test_client()
    response = auth.login(client, "web-lid", "lid", "gm0106")
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    flags = response.headers["Set-Cookie"]
    assert "HttpOnly" in flags and "Secure" in flags and "SameSite=Lax" in flags
    page = client.get("/account").get_data(as_text=True)
    assert "web-lid" in page and "Assen" in page and "Uitloggen" in page
    assert client.get("/api/v1/account").get_json()["organisatie"] == "gm0106"


def test_a_copied_cookie_stops_working_after_logout(app, auth):
    client = app.test_client()
    auth.login(client, "web-kopie", "lid", "gm0106")
    stolen = session_cookie(client)
    assert auth.logout(client).status_code == 302
    thief = app.test_client()
    thief.set_cookie("kast_sessie", stolen)
    response = thief.get("/account")
    assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen")
    assert thief.get("/api/v1/account").status_code == 401


def test_posts_without_csrf_token_fail(app, auth):
    client = app.test_client()
    response = client.post("/inloggen", data={"gebruikersnaam": "web-lid", "wachtwoord": PASSWORD})
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)
    auth.login(client, "web-csrf", "lid", "gm0106")
    assert client.post("/uitloggen").status_code == 400
    assert client.post("/account/tokens", data={"naam": "x"}).status_code == 400
    assert client.get("/account").status_code == 200   # still logged in: the forged logout did nothing


def test_wrong_password_and_unknown_user_look_the_same_then_429(app, auth):
    auth.ensure("web-slot", "lid", "gm0106")
    client = app.test_client()
    token = csrf_token(client)
    pages = []
    for name in ("web-slot", "bestaat-echt-niet"):
        response = client.post("/inloggen", data={"csrf_token": token, "gebruikersnaam": name, "wachtwoord": "fout-fout-fout"})
        pages.append((response.status_code, "onbekende gebruikersnaam of verkeerd wachtwoord" in response.get_data(as_text=True)))
    assert pages == [(401, True), (401, True)]
    for _ in range(4):
        client.post("/inloggen", data={"csrf_token": token, "gebruikersnaam": "web-slot", "wachtwoord": "fout-fout-fout"})
    response = client.post("/inloggen", data={"csrf_token": token, "gebruikersnaam": "web-slot", "wachtwoord": PASSWORD})
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert "te veel mislukte pogingen" in response.get_data(as_text=True)


def test_passwords_never_reach_the_log(app, auth, caplog):
    caplog.set_level(logging.DEBUG)
    client = app.test_client()
    auth.login(client, "web-log", "lid", "gm0106")
    client.post("/inloggen", data={"csrf_token": csrf_token(client), "gebruikersnaam": "web-log",
                                   "wachtwoord": "een-fout-geheim-wachtwoord"})
    assert PASSWORD not in caplog.text and "een-fout-geheim-wachtwoord" not in caplog.text


def test_api_tokens_are_made_once_listed_and_revoked(app, auth):
    client = app.test_client()
    auth.login(client, "web-token", "lid", "gm0106")
    response = client.post("/account/tokens", data={"csrf_token": csrf_token(client, "/account"), "naam": "rapportage"})
    assert response.status_code == 201
    page = response.get_data(as_text=True)
    secret = page.split('id="nieuw-token">', 1)[1].split("<", 1)[0]
    assert secret.startswith("kast_") and secret not in client.get("/account").get_data(as_text=True)
    script = app.test_client()
    assert script.get("/api/v1/account", headers={"Authorization": f"Bearer {secret}"}).get_json()["rol"] == "lid"
    assert script.get_cookie("kast_sessie") is None   # a token request leaves no session behind
    token_id = auth.accounts.tokens(auth.accounts.get("web-token").id)[0].id
    client.post(f"/account/tokens/{token_id}/intrekken", data={"csrf_token": csrf_token(client, "/account")})
    refused = script.get("/api/v1/account", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
    assert script.get("/zoeken?q=bibob", headers={"Authorization": "Bearer kast_onzin"}).status_code == 401


def test_changing_the_password_ends_the_session(app, auth):
    client = app.test_client()
    auth.login(client, "web-wachtwoord", "lid", "gm0106")
    old_cookie = session_cookie(client)
    response = client.post("/account/wachtwoord", data={"csrf_token": csrf_token(client, "/account"), "huidig": PASSWORD,
                                                        "nieuw": "groene-fiets-onder-de-brug",
                                                        "herhaal": "groene-fiets-onder-de-brug"})
    assert response.status_code == 302 and response.headers["Location"] == "/inloggen"
    replay = app.test_client()
    replay.set_cookie("kast_sessie", old_cookie)
    assert replay.get("/api/v1/account").status_code == 401
    assert auth.login(app.test_client(), "web-wachtwoord", password="groene-fiets-onder-de-brug").status_code == 302


def test_a_curator_creates_a_member_but_no_curator(app, auth):
    editor = app.test_client()
    auth.login(editor, "web-redactie", "redacteur", "vng")
    form = editor.get("/beheer/accounts").get_data(as_text=True)
    assert 'value="lid"' in form and 'value="beheerder"' not in form
    token = csrf_token(editor, "/beheer/accounts")
    made = editor.post("/beheer/accounts", data={"csrf_token": token, "gebruikersnaam": "oov-assen-2", "naam": "OOV Assen",
                                                 "organisatie": "gm0106", "rol": "lid", "wachtwoord": "groene-fiets-onder-de-brug"})
    assert made.status_code == 302 and auth.accounts.get("oov-assen-2").organisation == "gm0106"
    refused = editor.post("/beheer/accounts", data={"csrf_token": token, "gebruikersnaam": "nog-een", "organisatie": "vng",
                                                    "rol": "beheerder", "wachtwoord": "groene-fiets-onder-de-brug"})
    assert refused.status_code == 400 and auth.accounts.get("nog-een") is None
    wrong_org = editor.post("/beheer/accounts", data={"csrf_token": token, "gebruikersnaam": "nergens-lid",
                                                      "organisatie": "gm9999", "rol": "lid",
                                                      "wachtwoord": "groene-fiets-onder-de-brug"})
    assert wrong_org.status_code == 400 and "gm9999" in wrong_org.get_data(as_text=True)
    member_id = auth.accounts.get("oov-assen-2").id
    forbidden = editor.post(f"/beheer/accounts/{member_id}", data={"csrf_token": token, f"a{member_id}-rol": "beheerder",
                                                                   f"a{member_id}-organisatie": "gm0106"})
    assert forbidden.status_code == 403 and auth.accounts.get("oov-assen-2").role == "lid"
    assert editor.get("/beheer/auditlog").status_code == 404


def test_members_do_not_see_the_accounts_pages(app, auth):
    client = app.test_client()
    auth.login(client, "web-gewoon-lid", "lid", "gm0106")
    assert client.get("/beheer/accounts").status_code == 404
    assert app.test_client().get("/beheer/accounts").status_code == 302   # anonymous: log in first


def test_an_admin_changes_a_role_and_the_old_session_ends(app, auth):
    admin, member = app.test_client(), app.test_client()
    auth.login(admin, "web-beheer", "beheerder", "vng")
    auth.login(member, "web-promotie", "lid", "gm0114")
    account_id = auth.accounts.get("web-promotie").id
    response = admin.post(f"/beheer/accounts/{account_id}", data={
        "csrf_token": csrf_token(admin, "/beheer/accounts"), f"a{account_id}-rol": "redacteur",
        f"a{account_id}-organisatie": "gm0114", f"a{account_id}-actief": "y"})
    assert response.status_code == 302 and auth.accounts.get("web-promotie").role == "redacteur"
    assert member.get("/api/v1/account").status_code == 401
    log = admin.get("/beheer/auditlog").get_data(as_text=True)
    assert "account-gewijzigd" in log and "lid → redacteur" in log


def test_login_never_redirects_to_another_host(app, auth):
    auth.ensure("web-omleiding", "lid", "gm0106")
    client = app.test_client()
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        response = client.post("/inloggen", data={"csrf_token": csrf_token(client), "gebruikersnaam": "web-omleiding",
                                                  "wachtwoord": PASSWORD, "volgende": target})
        assert response.headers["Location"] == "/account"
        auth.logout(client)
    response = client.post("/inloggen", data={"csrf_token": csrf_token(client), "gebruikersnaam": "web-omleiding",
                                              "wachtwoord": PASSWORD, "volgende": "/kaart?focus=vng"})
    assert response.headers["Location"] == "/kaart?focus=vng"


def test_openapi_describes_the_token_scheme(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["components"]["securitySchemes"]["apiToken"] == {**doc["components"]["securitySchemes"]["apiToken"],
                                                                 "type": "http", "scheme": "bearer"}
    assert {} in doc["security"] and "401" in doc["paths"]["/account"]["get"]["responses"]
