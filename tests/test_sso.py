"""Single sign-on against a real OpenID Connect provider (panva's oidc-provider from the npm registry,
started here on loopback): the authorization code flow with PKCE S256, accounts from claims, and an account
without claims waiting for a beheerder."""
import json
import os
import re
import shutil
import socket
import subprocess
import time
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

from kast.accounts import SYSTEM

PROVIDER = Path(__file__).parent / "oidc"
CALLBACK = "http://localhost/inloggen/sso/terug"
SECRET = "een-testgeheim-voor-de-client"
CLAIMS = {"oov-assen": {"name": "OOV Assen", "kast_organisatie": "gm0106", "kast_rol": "lid"},
          "wil-beheerder": {"name": "Wil Beheerder", "kast_organisatie": "vng", "kast_rol": "beheerder"},
          "zonder-claims": {"name": "Zonder Claims"}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def issuer():
    if not (PROVIDER / "node_modules" / "oidc-provider").is_dir() or not shutil.which("node"):
        message = "de OIDC-testprovider ontbreekt: bash scripts/install-node-tools.sh (make test doet dat)"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    port = free_port()
    env = dict(os.environ, PORT=str(port), REDIRECT_URI=CALLBACK, CLIENT_SECRET=SECRET, ACCOUNTS=json.dumps(CLAIMS))
    process = subprocess.Popen(["node", "provider.mjs"], cwd=PROVIDER, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("klaar"), f"de OIDC-provider startte niet: {line!r}"
        yield line.split()[1]
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def app(issuer, tmp_path_factory, web_index):
    from web import create_app

    var = tmp_path_factory.mktemp("sso")
    return create_app({"KAST_INDEX": str(web_index), "KAST_VAR": str(var),
                       "KAST_DATABASE_URL": f"sqlite:///{var / 'kast.sqlite'}", "KAST_OIDC_ISSUER": issuer,
                       "KAST_OIDC_CLIENT_ID": "apothekerskast", "KAST_OIDC_CLIENT_SECRET": SECRET,
                       "KAST_OIDC_SCOPE": "openid profile kast", "KAST_OIDC_NAME": "de testprovider"})


def sign_in(client, login: str):
    """Walk the browser's part of the flow: the kast sends us to the provider, we log in and consent there,
    the provider sends us back with a code. Returns the kast's answer to that return."""
    start = client.get("/inloggen/sso")
    assert start.status_code == 302
    url = start.headers["Location"]
    query = parse_qs(urlsplit(url).query)
    assert query["code_challenge_method"] == ["S256"] and query["response_type"] == ["code"]
    browser = requests.Session()
    for _ in range(12):
        if url.startswith(CALLBACK):
            parts = urlsplit(url)
            return client.get(f"{parts.path}?{parts.query}")
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            continue
        action = unescape(re.search(r'<form[^>]*action="([^"]+)"', response.text).group(1))
        prompt = re.search(r'name="prompt" value="(\w+)"', response.text).group(1)
        fields = {"prompt": prompt, "login": login, "password": "wat-de-provider-vraagt"} if prompt == "login" \
            else {"prompt": prompt}
        response = browser.post(urljoin(url, action), data=fields, allow_redirects=False, timeout=10)
        url = urljoin(url, response.headers["Location"])
    raise AssertionError(f"de provider stuurde niet terug naar de kast (laatst: {url})")


def test_login_page_offers_single_sign_on(app):
    assert "Inloggen via de testprovider" in app.test_client().get("/inloggen").get_data(as_text=True)


def test_a_member_logs_in_through_the_provider(app):
    client = app.test_client()
    response = sign_in(client, "oov-assen")
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    me = client.get("/api/v1/account").get_json()
    assert me["organisatie"] == "gm0106" and me["rol"] == "lid" and me["naam"] == "OOV Assen"
    again = app.test_client()
    sign_in(again, "oov-assen")   # the second time finds the same account
    assert again.get("/api/v1/account").get_json()["gebruikersnaam"] == me["gebruikersnaam"]


def test_a_provider_cannot_make_curators_and_unknown_people_wait(app):
    accounts = app.extensions["accounts"]
    for login in ("wil-beheerder", "zonder-claims"):
        client = app.test_client()
        response = sign_in(client, login)
        assert response.status_code == 403 and "wacht op een beheerder" in response.get_data(as_text=True)
        assert client.get("/api/v1/account").status_code == 401
    waiting = [a for a in accounts.all(SYSTEM) if a.username.startswith("sso-zonder-claims")][0]
    assert not waiting.active and waiting.organisation == ""
    accounts.change(SYSTEM, waiting.id, role="lid", organisation="gm0114", active=True)
    client = app.test_client()
    assert sign_in(client, "zonder-claims").status_code == 302
    assert client.get("/api/v1/account").get_json()["organisatie"] == "gm0114"


def test_a_forged_return_is_refused(app):
    client = app.test_client()
    client.get("/inloggen/sso")
    response = client.get("/inloggen/sso/terug?code=verzonnen&state=verzonnen")
    assert response.status_code == 400 and "niet gelukt" in response.get_data(as_text=True)
    assert client.get("/api/v1/account").status_code == 401
