"""`kast user …`: the first administrator and account chores from the server's shell.

The shell user already holds the database, so these commands act as the system (no login). The password
comes from a prompt (not echoed) or from standard input with --password-stdin, never from an argument that
would land in the shell history or the process list.
"""
import json
import sys

import click

from ..readers import Reader as FileReader
from ..visibility import ROLES
from ..vocab import ACTOR_KINDS
from .rules import SYSTEM
from .service import AccountError, Accounts


def _accounts(ctx: click.Context) -> Accounts:
    data = (ctx.find_root().obj or {}).get("data")
    from .. import config

    organisations = {e.id: e for e in FileReader(config.data_dir(data)).read_all().entries if e.kind in ACTOR_KINDS}
    return Accounts(organisations=lambda org: org in organisations)


def _fail(text: str) -> None:
    click.echo(f"fout: {text}", err=True)
    sys.exit(1)


def _find(accounts: Accounts, name: str):
    account = accounts.get(name)
    if account is None:
        _fail(f"geen account met gebruikersnaam '{name}'")
    return account


@click.group(help="Accounts: aanmaken, rollen, uitschakelen, API-tokens. De database staat in $KAST_VAR "
                  "(standaard var/) of op $KAST_DATABASE_URL.")
def user() -> None:
    pass


@user.command("add", help="Maak een account, bijv. kast user add redactie-vng --role redacteur --org vng.")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="lid, redacteur of beheerder.")
@click.option("--org", required=True, help="Id van de organisatie in de kast (gm0106, vng, riec-noord-nederland …).")
@click.option("--display-name", help="Naam in de geschiedenis van wijzigingen (standaard de gebruikersnaam).")
@click.option("--password-stdin", is_flag=True, help="Lees het wachtwoord van standaardinvoer (voor scripts).")
@click.pass_context
def add(ctx, name: str, role: str, org: str, display_name: str | None, password_stdin: bool) -> None:
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Wachtwoord (minstens 12 tekens)", hide_input=True, confirmation_prompt="Herhaal")
    try:
        account = _accounts(ctx).add(SYSTEM, name, password, role, org, display_name)
    except AccountError as exc:
        _fail(exc.message)
    click.echo(f"Account '{account.username}' aangemaakt: {account.role} bij {account.organisation}.")


@user.command("list", help="Alle accounts.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def list_(ctx, as_json: bool) -> None:
    rows = [{"gebruikersnaam": a.username, "naam": a.display_name, "organisatie": a.organisation, "rol": a.role,
             "actief": a.active} for a in _accounts(ctx).all(SYSTEM)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        state = "" if r["actief"] else "  (uitgeschakeld)"
        click.echo(f"{r['gebruikersnaam']:<24} {r['rol']:<10} {r['organisatie']:<28} {r['naam']}{state}")
    click.echo(f"{len(rows)} accounts.")


@user.command("role", help="Geef een account een andere rol (en organisatie); lopende sessies eindigen.")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@click.option("--org", help="Ook een andere organisatie.")
@click.pass_context
def role(ctx, name: str, role: str, org: str | None) -> None:
    accounts = _accounts(ctx)
    try:
        account = accounts.change(SYSTEM, _find(accounts, name).id, role=role, organisation=org)
    except AccountError as exc:
        _fail(exc.message)
    click.echo(f"Account '{account.username}' is nu {account.role} bij {account.organisation}.")


@user.command("disable", help="Schakel een account uit: inloggen en zijn tokens werken niet meer.")
@click.argument("name")
@click.pass_context
def disable(ctx, name: str) -> None:
    accounts = _accounts(ctx)
    try:
        accounts.change(SYSTEM, _find(accounts, name).id, active=False)
    except AccountError as exc:
        _fail(exc.message)
    click.echo(f"Account '{name}' is uitgeschakeld.")


@user.command("password", help="Zet een nieuw wachtwoord (bijv. als iemand het vergeten is).")
@click.argument("name")
@click.option("--password-stdin", is_flag=True)
@click.pass_context
def password(ctx, name: str, password_stdin: bool) -> None:
    accounts = _accounts(ctx)
    account = _find(accounts, name)
    new = sys.stdin.readline().rstrip("\r\n") if password_stdin else click.prompt(
        "Nieuw wachtwoord", hide_input=True, confirmation_prompt="Herhaal")
    try:
        accounts.set_password(SYSTEM, account.id, new)
    except AccountError as exc:
        _fail(exc.message)
    click.echo(f"Nieuw wachtwoord gezet voor '{name}'; lopende sessies zijn beëindigd.")


@user.command("token", help="Maak een API-token voor een account; het wordt één keer getoond.")
@click.argument("name")
@click.option("--label", default="opdrachtregel", show_default=True, help="Waarvoor het token is.")
@click.pass_context
def token(ctx, name: str, label: str) -> None:
    accounts = _accounts(ctx)
    try:
        _, secret = accounts.create_token(SYSTEM, _find(accounts, name).id, label)
    except AccountError as exc:
        _fail(exc.message)
    click.echo(secret)
