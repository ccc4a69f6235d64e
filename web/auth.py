"""Who is asking: login sessions (Flask-Login over server-side sessions), personal API tokens
(`Authorization: Bearer …`), CSRF protection on every state-changing request (Flask-WTF), and the pages
/inloggen and /uitloggen.

The session cookie holds only a random key whose hash is a row in the accounts database. Logging out,
changing the password or the role deletes that row, so a copied cookie stops working at once (Flask-Login's
own cookie would stay valid). Each request sets `flask.g.reader`, which `web.readers.current_reader()`
hands to the visibility rule.
"""
import os
import secrets
from pathlib import Path

from flask import Blueprint, Flask, current_app, g, redirect, render_template, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError, CSRFProtect
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from kast import config
from kast.accounts import Account, Accounts, LoginFailed, TooManyAttempts
from kast.visibility import ANONYMOUS, Reader
from kast.vocab import ACTOR_KINDS

from .errors import error_page

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
csrf = CSRFProtect()
CSRF_EXEMPT: set[str] = set()   # endpoints that change nothing and take cross-site requests (SPARQL POST)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class User(UserMixin):
    """The logged-in account of this request. `key` is the session key (None for an API token)."""

    def __init__(self, account: Account, key: str | None = None):
        self.account, self.key = account, key

    def get_id(self) -> str | None:
        return self.key

    @property
    def id(self) -> int:
        return self.account.id

    @property
    def role(self) -> str:
        return self.account.role

    @property
    def reader(self) -> Reader:
        return Reader(self.account.role, self.account.organisation)


def accounts() -> Accounts:
    return current_app.extensions["accounts"]


def actor():
    """The account acting in this request (for the library's authorisation), or None when anonymous."""
    return current_user.account if current_user.is_authenticated else None


def address() -> str | None:
    return request.remote_addr


def secret_key(cfg) -> str:
    """$KAST_SECRET_KEY, else a key generated once in the runtime folder (shared by every worker)."""
    if cfg.get("SECRET_KEY"):
        return cfg["SECRET_KEY"]
    if os.environ.get("KAST_SECRET_KEY"):
        return os.environ["KAST_SECRET_KEY"]
    path = Path(cfg.get("KAST_VAR") or config.var_dir()) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
            out.flush()
            os.fsync(out.fileno())
    for _ in range(50):   # another worker may be writing it this instant
        key = path.read_text().strip()
        if key:
            return key
    raise RuntimeError(f"{path} is leeg")


def register(app: Flask, site) -> None:
    cfg = app.config
    cfg.setdefault("WTF_CSRF_TIME_LIMIT", 24 * 3600)   # an editor left open for a working day keeps working
    cfg["WTF_CSRF_CHECK_DEFAULT"] = False   # checked below, so API token requests can be exempt
    cfg.update(SECRET_KEY=secret_key(cfg), SESSION_COOKIE_NAME="kast_sessie", SESSION_COOKIE_HTTPONLY=True,
               SESSION_COOKIE_SAMESITE="Lax",
               SESSION_COOKIE_SECURE=cfg.get("KAST_COOKIE_SECURE", os.environ.get("KAST_COOKIE_SECURE", "1") != "0"))

    def is_organisation(org: str) -> bool:
        item = site.kast.items.get(org)
        return item is not None and item.kind in ACTOR_KINDS

    app.extensions["accounts"] = Accounts(cfg.get("KAST_DATABASE_URL"), organisations=is_organisation)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = None   # sessions live on the server; a phone changing networks stays in
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in om deze pagina te zien."
    app.register_blueprint(bp)

    @app.before_request
    def who_is_asking():
        bearer = _bearer()
        if bearer is not None and not current_user.is_authenticated:
            return error_page(401, "Het API-token is onbekend, ingetrokken of hoort bij een uitgeschakeld account.")
        g.reader = current_user.reader if current_user.is_authenticated else ANONYMOUS
        # Only requests that reach a view are checked: a wrong method or path keeps its own 405 or 404. An
        # API call without a session has no credentials to abuse: it gets the API's own 401.
        api_without_session = request.path.startswith("/api/") and not current_user.is_authenticated
        if (request.method not in SAFE_METHODS and bearer is None and request.url_rule is not None
                and request.endpoint not in CSRF_EXEMPT and not api_without_session):
            csrf.protect()

    @app.after_request
    def private(response):
        if current_user.is_authenticated:   # what an account sees must not sit in a shared cache
            response.headers["Cache-Control"] = "private, no-store"
            response.vary.add("Cookie")
            response.vary.add("Authorization")
        return response

    @app.errorhandler(CSRFError)
    def csrf_failed(exc):
        return error_page(400, "Het formulier is verlopen of komt niet van deze website (CSRF-controle). "
                               "Laad de pagina opnieuw en probeer het nog eens; wat u had ingevuld is niet opgeslagen.",
                          "Formulier niet geaccepteerd")

    @app.context_processor
    def account_context():
        return {"current_user": current_user}


@login_manager.user_loader
def _load_session(key: str):
    account = accounts().session_account(key)
    return User(account, key) if account else None


@login_manager.request_loader
def _load_token(req):
    """An API token: the account for this request only (nothing is stored in a session)."""
    bearer = _bearer()
    account = accounts().token_account(bearer) if bearer else None
    return User(account) if account else None


@login_manager.unauthorized_handler
def _unauthorized():
    if request.path.startswith("/api/") or _bearer() is not None:
        return error_page(401, "Log in of stuur een API-token mee (Authorization: Bearer …).")
    return redirect(url_for("auth.login", volgende=request.full_path.rstrip("?")))


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("account.mine")


class LoginForm(FlaskForm):
    gebruikersnaam = StringField("Gebruikersnaam", validators=[DataRequired("Vul uw gebruikersnaam in."),
                                                              Length(max=64)])
    wachtwoord = PasswordField("Wachtwoord", validators=[DataRequired("Vul uw wachtwoord in."), Length(max=256)])


@bp.route("/inloggen", methods=["GET", "POST"])
def login():
    form = LoginForm()
    target = request.values.get("volgende")
    status, retry, error = 200, None, None
    if form.validate_on_submit():
        try:
            account, key = accounts().login(form.gebruikersnaam.data, form.wachtwoord.data, address())
        except TooManyAttempts as exc:
            status, retry, error = 429, exc.retry_after, exc.message
        except LoginFailed as exc:
            status, error = 401, exc.message
        else:
            session.clear()   # a fresh session: nothing from before the login carries over
            login_user(User(account, key))
            return redirect(safe_next(target))
    elif request.method == "POST":
        status = 400
    sso = current_app.config.get("KAST_OIDC_NAME") if current_app.config.get("KAST_OIDC_ISSUER") else None
    if target and target.startswith("/"):
        session["volgende"] = target   # for the way back from single sign-on
    response = current_app.make_response((render_template("inloggen.html", form=form, error=error, sso=sso,
                                                          volgende=target if target and target.startswith("/") else None),
                                          status))
    if retry:
        response.headers["Retry-After"] = str(retry)
    return response


@bp.post("/uitloggen")
def logout():
    if current_user.is_authenticated and current_user.key:
        accounts().logout(current_user.key, address())
    logout_user()
    session.clear()
    return redirect(url_for("pages.home"))
