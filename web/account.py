"""The pages of one's own account (password, API tokens) and, for curators and administrators, the
accounts page. Every decision is the library's (`kast.accounts`); this module only translates HTTP.
No JavaScript is needed."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from kast.accounts import AccountError, NotAllowed
from kast.accounts.rules import may_create, may_list, may_manage
from kast.describe import label
from kast.visibility import ROLES

from .auth import accounts, actor, address
from .errors import error_page, json_response

bp = Blueprint("account", __name__)
ROLE_NAMES = {"lid": "lid (netwerk)", "redacteur": "redacteur", "beheerder": "beheerder"}


def role_choices(actor=None) -> list[SelectChoice]:
    """The roles to offer: every role, or those `actor` may give a new account."""
    return [SelectChoice(r, ROLE_NAMES[r]) for r in ROLES if actor is None or may_create(actor, r)]


class PasswordForm(FlaskForm):
    huidig = PasswordField("Huidig wachtwoord", validators=[DataRequired("Vul uw huidige wachtwoord in.")])
    nieuw = PasswordField("Nieuw wachtwoord (minstens 12 tekens)",
                          validators=[DataRequired("Vul een nieuw wachtwoord in."), Length(max=256)])
    herhaal = PasswordField("Herhaal het nieuwe wachtwoord",
                            validators=[EqualTo("nieuw", "De twee nieuwe wachtwoorden zijn niet gelijk.")])


class TokenForm(FlaskForm):
    naam = StringField("Naam van het token (waarvoor gebruikt u het?)",
                       validators=[DataRequired("Geef het token een naam."), Length(max=80)])


class NewAccountForm(FlaskForm):
    gebruikersnaam = StringField("Gebruikersnaam", validators=[DataRequired("Vul een gebruikersnaam in."), Length(max=64)])
    naam = StringField("Weergavenaam (zichtbaar in de geschiedenis van wijzigingen)", validators=[Length(max=120)])
    organisatie = StringField("Organisatie (id in de kast, bijvoorbeeld gm0106 of riec-noord-nederland)",
                              validators=[DataRequired("Vul het id van de organisatie in."), Length(max=100)])
    rol = SelectField("Rol", choices=role_choices)
    wachtwoord = PasswordField("Eerste wachtwoord (minstens 12 tekens; geef het op een veilige manier door)",
                               validators=[DataRequired("Vul een eerste wachtwoord in."), Length(max=256)])


class ChangeAccountForm(FlaskForm):
    rol = SelectField("Rol", choices=role_choices)
    organisatie = StringField("Organisatie", validators=[DataRequired(), Length(max=100)])
    actief = BooleanField("Mag inloggen")


def org_label(org: str) -> str:
    kast = current_app.extensions["kast"].kast
    item = kast.items.get(org)
    return label(kast, item.iri) if item else org


def account_json(account) -> dict:
    return {"gebruikersnaam": account.username, "naam": account.display_name, "organisatie": account.organisation,
            "organisatieNaam": org_label(account.organisation), "rol": account.role, "actief": account.active}


def form_errors(form) -> list[str]:
    return [message for messages in form.errors.values() for message in messages]


# ------------------------------------------------------------------ own account

@bp.get("/account")
@login_required
def mine(new_token: str | None = None, status: int = 200, errors=None, pw_form=None, token_form=None):
    me = current_user.account
    html = render_template("account.html", me=me, org=org_label(me.organisation), role=ROLE_NAMES[me.role],
                           tokens=accounts().tokens(me.id), pw_form=pw_form or PasswordForm(),
                           token_form=token_form or TokenForm(), new_token=new_token, errors=errors or [],
                           may_list=may_list(me), alternate=url_for("account.api_mine"))
    return html, status


@bp.post("/account/wachtwoord")
@login_required
def change_password():
    form = PasswordForm()
    if not form.validate_on_submit():
        return mine(status=400, errors=form_errors(form), pw_form=form)
    try:
        accounts().set_password(actor(), current_user.id, form.nieuw.data, old=form.huidig.data, address=address())
    except AccountError as exc:
        return mine(status=400, errors=[exc.message], pw_form=form)
    # Every session ended with the change, this one too: log in again with the new password.
    flash("Uw wachtwoord is gewijzigd. Log opnieuw in met het nieuwe wachtwoord.")
    return redirect(url_for("auth.login"))


@bp.post("/account/tokens")
@login_required
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        return mine(status=400, errors=form_errors(form), token_form=form)
    try:
        _, secret = accounts().create_token(actor(), current_user.id, form.naam.data, address())
    except AccountError as exc:
        return mine(status=400, errors=[exc.message], token_form=form)
    return mine(new_token=secret, status=201)   # shown once, in the page body only (never in a URL)


@bp.post("/account/tokens/<int:token_id>/intrekken")
@login_required
def revoke_token(token_id: int):
    try:
        accounts().revoke_token(actor(), current_user.id, token_id, address())
    except AccountError:
        return error_page(404)
    flash("Het token is ingetrokken; scripts die het gebruiken krijgen nu 401.")
    return redirect(url_for("account.mine"))


@bp.get("/api/v1/account")
@login_required
def api_mine():
    return json_response(account_json(current_user.account))


# ------------------------------------------------------------------ accounts page

@bp.get("/beheer/accounts")
@login_required
def manage(status: int = 200, errors=None, form=None):
    me = current_user.account
    if not may_list(me):
        return error_page(404)   # the page does not exist for a lid
    form = form or NewAccountForm()
    form.rol.choices = role_choices(me)
    rows = [dict(account=a, org=org_label(a.organisation), form=_change_form(a)) for a in accounts().all(me)]
    return render_template("beheer_accounts.html", rows=rows, form=form, errors=errors or [],
                           may_manage=may_manage(me), role_names=ROLE_NAMES), status


def _change_form(account) -> ChangeAccountForm:
    form = ChangeAccountForm(prefix=f"a{account.id}", data={"rol": account.role, "organisatie": account.organisation,
                                                           "actief": account.active})
    return form


@bp.post("/beheer/accounts")
@login_required
def add_account():
    me = current_user.account
    if not may_list(me):
        return error_page(404)
    form = NewAccountForm()
    form.rol.choices = role_choices(me)
    if not form.validate_on_submit():
        return manage(status=400, errors=form_errors(form), form=form)
    try:
        created = accounts().add(me, form.gebruikersnaam.data, form.wachtwoord.data, form.rol.data,
                                 form.organisatie.data.strip(), form.naam.data or None, address())
    except NotAllowed as exc:
        return manage(status=403, errors=[exc.message], form=form)
    except AccountError as exc:
        return manage(status=400, errors=[exc.message], form=form)
    flash(f"Account '{created.username}' ({ROLE_NAMES[created.role]}, {org_label(created.organisation)}) is aangemaakt.")
    return redirect(url_for("account.manage"))


@bp.post("/beheer/accounts/<int:account_id>")
@login_required
def change_account(account_id: int):
    me = current_user.account
    if not may_list(me):
        return error_page(404)
    form = ChangeAccountForm(prefix=f"a{account_id}")
    if not form.validate_on_submit():
        return manage(status=400, errors=form_errors(form))
    try:
        changed = accounts().change(me, account_id, role=form.rol.data, organisation=form.organisatie.data.strip(),
                                    active=form.actief.data, address=address())
    except NotAllowed as exc:
        return manage(status=403, errors=[exc.message])
    except AccountError as exc:
        return manage(status=400, errors=[exc.message])
    flash(f"Account '{changed.username}' is bijgewerkt; lopende sessies van dit account zijn beëindigd.")
    return redirect(url_for("account.manage"))


@bp.get("/beheer/auditlog")
@login_required
def audit():
    me = current_user.account
    if not may_manage(me):
        return error_page(404)
    names = {a.id: a.username for a in accounts().all(me)}
    return render_template("auditlog.html", events=accounts().audit_log(me, 300), names=names)
