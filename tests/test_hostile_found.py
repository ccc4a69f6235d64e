"""What the hostile-request tests found (issue 15), one focused test each: every one was a 500 with a
traceback in the log. Now each is a 4xx with a Dutch message that names what is wrong."""
import pytest

from kast.accounts import SYSTEM

from .web_auth import Auth, csrf_token


@pytest.fixture
def auth(app):
    return Auth(app)


def test_an_id_no_file_can_have_is_a_404_on_put(app):
    """PUT /api/v1/praktijken/1v. (the OpenAPI pattern allows a dot, a file name does not) was a 500."""
    accounts = app.extensions["accounts"]
    account = accounts.get("gevonden-lid") or accounts.add(SYSTEM, "gevonden-lid", "paars-kasteel-rijdt-langzaam",
                                                            "lid", "gm0106")
    token = accounts.create_token(SYSTEM, account.id, "regressie")[1]
    response = app.test_client().put("/api/v1/praktijken/1v.", json={"titel": "x"},
                                     headers={"Authorization": f"Bearer {token}", "If-Match": '"abc"'})
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert response.get_json()["detail"] == "Deze praktijk bestaat niet"


def test_sending_back_a_proposal_that_does_not_exist_is_a_404(app, auth):
    """Without a comment the step was refused first (Rejected), and showing the proposal then failed (500)."""
    client = app.test_client()
    auth.login(client, "gevonden-redacteur", "redacteur", "vng")
    response = client.post("/redactie/voorstellen/bestaat-niet/terugsturen",
                           data={"csrf_token": csrf_token(client, "/redactie"), "toelichting": ""})
    assert response.status_code == 404
    assert "Dit voorstel bestaat niet" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/account/tokens/1922786654784532774912/intrekken",
                                 "/account/tokens/2147483648/intrekken"])
def test_an_id_beyond_a_database_integer_is_a_404(app, auth, url):
    """A number that fits no database INTEGER was an OverflowError of SQLite (and would be one of
    PostgreSQL): every <int:…> in a route stops at 2**31 - 1."""
    client = app.test_client()
    auth.login(client, "gevonden-lid", "lid", "gm0106")
    response = client.post(url, data={"csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 404
    assert "bestaat niet (meer) in de kast" in response.get_data(as_text=True)
