"""Logging in from a test client the way a browser does: fetch the form, send its CSRF token."""
import re

from kast.accounts import SYSTEM

PASSWORD = "paars-kasteel-rijdt-langzaam"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, url: str = "/inloggen") -> str:
    match = CSRF.search(client.get(url).get_data(as_text=True))
    assert match, f"geen CSRF-token op {url}"
    return match.group(1) or match.group(2)


class Auth:
    def __init__(self, app):
        self.app = app
        self.accounts = app.extensions["accounts"]

    def ensure(self, name: str, role: str, org: str):
        return self.accounts.get(name) or self.accounts.add(SYSTEM, name, PASSWORD, role, org)

    def login(self, client, name: str, role: str = "lid", org: str = "gm0106", password: str = PASSWORD):
        self.ensure(name, role, org)
        return client.post("/inloggen", data={"csrf_token": csrf_token(client), "gebruikersnaam": name,
                                             "wachtwoord": password})

    def logout(self, client):
        return client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/account")})


CURATION_PEOPLE = (("oov-assen", "lid", "gm0106"), ("oov-emmen", "lid", "gm0114"),
                   ("redactie-a", "redacteur", "vng"), ("redactie-b", "redacteur", "vng"))


def curation_app(tmp_path_factory, name: str):
    """An app on its own runtime folder (content repository, index, database), for one test module."""
    from web import create_app

    var = tmp_path_factory.mktemp(name)
    return create_app({"KAST_VAR": str(var), "KAST_INDEX": str(var / "index"),
                       "KAST_DATABASE_URL": f"sqlite:///{var / 'kast.sqlite'}"})


def logged_in(app, people=CURATION_PEOPLE) -> dict:
    """A logged-in test client per (name, role, organisation): two members and two curators by default."""
    auth, clients = Auth(app), {}
    for name, role, org in people:
        clients[name] = app.test_client()
        assert auth.login(clients[name], name, role, org).status_code == 302
    return clients


def api_tokens(app, people) -> dict:
    """A bearer header with a personal API token per (name, role, organisation)."""
    from kast.accounts import SYSTEM

    accounts, out = app.extensions["accounts"], {}
    for name, role, org in people:
        account = accounts.add(SYSTEM, name, "paars-kasteel-rijdt-langzaam", role, org)
        out[name] = {"Authorization": "Bearer " + accounts.create_token(SYSTEM, account.id, "test")[1]}
    return out
