"""Optional single sign-on through an OpenID Connect provider (Authlib): the authorization code flow with
PKCE S256, as the NL GOV OIDC profile asks. Switched on by $KAST_OIDC_ISSUER with
$KAST_OIDC_CLIENT_ID and $KAST_OIDC_CLIENT_SECRET.

On the first login the account is made from the provider's claims (organisation and role, claim names
configurable); without usable claims it waits until a beheerder assigns organisation and role.
"""
import os

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, current_app, redirect, render_template, session, url_for
from flask_login import login_user

from .auth import User, accounts, address, safe_next
from .errors import error_page

bp = Blueprint("sso", __name__)
oauth = OAuth()
SETTINGS = {   # config key → default
    "KAST_OIDC_ISSUER": None, "KAST_OIDC_CLIENT_ID": None, "KAST_OIDC_CLIENT_SECRET": None,
    "KAST_OIDC_SCOPE": "openid profile", "KAST_OIDC_ORG_CLAIM": "kast_organisatie",
    "KAST_OIDC_ROLE_CLAIM": "kast_rol", "KAST_OIDC_ROLES": "lid", "KAST_OIDC_NAME": "uw organisatie",
}


def register(app: Flask) -> None:
    for key, default in SETTINGS.items():
        app.config.setdefault(key, os.environ.get(key, default))
    issuer = app.config["KAST_OIDC_ISSUER"]
    if not issuer:
        return
    oauth.init_app(app)
    oauth.register("sso", client_id=app.config["KAST_OIDC_CLIENT_ID"],
                   client_secret=app.config["KAST_OIDC_CLIENT_SECRET"],
                   server_metadata_url=issuer.rstrip("/") + "/.well-known/openid-configuration",
                   client_kwargs={"scope": app.config["KAST_OIDC_SCOPE"], "code_challenge_method": "S256"})
    app.register_blueprint(bp)


def enabled() -> bool:
    return bool(current_app.config.get("KAST_OIDC_ISSUER"))


UNREACHABLE = ("De identiteitsprovider is nu niet bereikbaar. Probeer het later opnieuw of log in met uw "
               "gebruikersnaam en wachtwoord.")


@bp.get("/inloggen/sso")
def start():
    try:
        return oauth.sso.authorize_redirect(url_for("sso.callback", _external=True))
    except requests.RequestException:
        return error_page(502, UNREACHABLE, "Inloggen mislukt")


@bp.get("/inloggen/sso/terug")
def callback():
    cfg = current_app.config
    try:
        token = oauth.sso.authorize_access_token()
        claims = dict(token.get("userinfo") or {})
        # Providers that follow OIDC Core strictly put scope claims only in the UserInfo response.
        if claims.get("sub") and oauth.sso.load_server_metadata().get("userinfo_endpoint"):
            extra = oauth.sso.userinfo(token=token)
            if extra.get("sub") == claims["sub"]:
                claims.update(extra)
    except OAuthError as exc:   # refused at the provider, a replayed or forged state, an invalid token
        return error_page(400, f"Inloggen via {cfg['KAST_OIDC_NAME']} is niet gelukt ({exc.error}). Probeer het "
                               "opnieuw of log in met uw gebruikersnaam en wachtwoord.", "Inloggen mislukt")
    except requests.RequestException:
        return error_page(502, UNREACHABLE, "Inloggen mislukt")
    if not claims.get("sub"):
        return error_page(400, "De identiteitsprovider gaf geen gebruiker terug.", "Inloggen mislukt")
    account = accounts().sso_account(
        cfg["KAST_OIDC_ISSUER"], str(claims["sub"]), claims.get("name"), claims.get(cfg["KAST_OIDC_ORG_CLAIM"]),
        claims.get(cfg["KAST_OIDC_ROLE_CLAIM"]), tuple(cfg["KAST_OIDC_ROLES"].split()), address())
    if not account.active:
        return render_template("sso_wacht.html", account=account), 403
    target = session.pop("volgende", None)
    key = accounts().start_session(account, address(), "via single sign-on")
    session.clear()
    login_user(User(account, key))
    return redirect(safe_next(target))
