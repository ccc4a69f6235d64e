"""The accounts library on SQLite and on a real PostgreSQL: passwords, sessions, tokens, roles, the audit
log and throttling, each rule enforced by the library itself."""
import datetime as dt

import pytest
from sqlalchemy import select, text, update

from kast.accounts import SYSTEM, AccountError, Accounts, LoginFailed, NotAllowed, TooManyAttempts
from kast.accounts import passwords, service
from kast.accounts.models import AuditEvent, LoginSession

from .accounts_db import backends, database_url

PW = "paars-kasteel-rijdt-langzaam"
ORGS = {"vng", "gm0106", "gm0114", "riec-noord-nederland"}


@pytest.fixture(params=backends())
def accounts(request, tmp_path):
    return Accounts(database_url(request.param, tmp_path), organisations=lambda org: org in ORGS)


@pytest.fixture
def people(accounts):
    admin = accounts.add(SYSTEM, "beheer", PW, "beheerder", "vng", "Beheerder VNG")
    editor = accounts.add(SYSTEM, "redactie", PW, "redacteur", "vng", "Redactie VNG")
    member = accounts.add(editor, "oov-assen", PW, "lid", "gm0106", "OOV Assen")
    return admin, editor, member


def dump(accounts) -> str:
    """Everything in the database as text, to look for secrets."""
    with accounts.sessions() as db:
        rows = []
        for table in ("accounts", "login_sessions", "api_tokens", "audit_log"):
            rows += [str(tuple(r)) for r in db.execute(text(f"SELECT * FROM {table}"))]
        return "\n".join(rows)


def test_login_logout_and_one_message_for_both_failures(accounts, people):
    account, key = accounts.login("OOV-Assen ", PW, "10.0.0.1")
    assert account.username == "oov-assen" and accounts.session_account(key).organisation == "gm0106"
    with pytest.raises(LoginFailed) as wrong:
        accounts.login("oov-assen", "verkeerd-wachtwoord-hier", "10.0.0.1")
    with pytest.raises(LoginFailed) as unknown:
        accounts.login("bestaat-niet", PW, "10.0.0.1")
    assert wrong.value.message == unknown.value.message == "onbekende gebruikersnaam of verkeerd wachtwoord"
    accounts.logout(key, "10.0.0.1")
    assert accounts.session_account(key) is None


def test_passwords_are_argon2id_and_never_stored_or_logged(accounts, people):
    _, key = accounts.login("redactie", PW, "10.0.0.1")
    _, token = accounts.create_token(people[1], people[1].id, "script")
    with pytest.raises(LoginFailed):
        accounts.login("bestaat-niet", "geheim-dat-iemand-intypte", "10.0.0.2")
    stored = dump(accounts)
    assert "$argon2id$" in stored
    for secret in (PW, key, token, "geheim-dat-iemand-intypte", "bestaat-niet"):
        assert secret not in stored


@pytest.mark.parametrize("password, reason", [
    ("kort", "minstens 12 tekens"), ("welkom123456", "te makkelijk te raden"),
    ("wachtwoord123", "te makkelijk te raden"), ("Nieuw-Lid-en-meer-woorden", "gebruikersnaam of organisatie"),
    ("x" * 300, "hooguit 256")])
def test_weak_passwords_are_refused(accounts, people, password, reason):
    with pytest.raises(AccountError) as exc:
        accounts.add(SYSTEM, "nieuw-lid", password, "lid", "gm0114")
    assert reason in exc.value.message and exc.value.field == "wachtwoord"
    assert accounts.get("nieuw-lid") is None


def test_hash_is_renewed_when_parameters_change(accounts, people, monkeypatch):
    from argon2 import PasswordHasher

    before = accounts.get("redactie").password_hash
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=4))
    accounts.login("redactie", PW, "10.0.0.1")
    after = accounts.get("redactie").password_hash
    assert after != before and "t=4" in after
    accounts.login("redactie", PW, "10.0.0.1")   # the new hash verifies


def test_failed_logins_are_limited_per_account_and_per_address(accounts, people, monkeypatch):
    for _ in range(service.MAX_PER_ACCOUNT):
        with pytest.raises(LoginFailed):
            accounts.login("oov-assen", "verkeerd-wachtwoord-hier", "10.0.0.5")
    with pytest.raises(TooManyAttempts) as locked:   # even the right password waits now
        accounts.login("oov-assen", PW, "10.0.0.6")
    assert 0 < locked.value.retry_after <= service.WINDOW.total_seconds() + 1
    assert "probeer het over" in locked.value.message
    accounts.login("redactie", PW, "10.0.0.6")   # another account is not locked

    monkeypatch.setattr(service, "MAX_PER_ADDRESS", 3)
    for name in ("beheer", "redactie", "niemand"):
        with pytest.raises(LoginFailed):
            accounts.login(name, "verkeerd-wachtwoord-hier", "10.9.9.9")
    with pytest.raises(TooManyAttempts):
        accounts.login("beheer", PW, "10.9.9.9")
    accounts.login("beheer", PW, "10.0.0.7")   # the same account from elsewhere still works


def test_sessions_end_on_password_change_role_change_and_disable(accounts, people):
    admin, editor, member = people
    _, key = accounts.login("oov-assen", PW, "10.0.0.1")
    accounts.change(admin, member.id, role="redacteur")
    assert accounts.session_account(key) is None
    _, key = accounts.login("oov-assen", PW, "10.0.0.1")
    accounts.set_password(member, member.id, "groene-fiets-onder-de-brug", old=PW)
    assert accounts.session_account(key) is None
    _, key = accounts.login("oov-assen", "groene-fiets-onder-de-brug", "10.0.0.1")
    accounts.change(admin, member.id, active=False)
    assert accounts.session_account(key) is None
    with pytest.raises(LoginFailed):
        accounts.login("oov-assen", "groene-fiets-onder-de-brug", "10.0.0.1")


def test_idle_sessions_expire(accounts, people):
    _, key = accounts.login("redactie", PW, "10.0.0.1")
    with accounts.sessions.begin() as db:
        db.execute(update(LoginSession).values(last_seen=service.now() - service.IDLE - dt.timedelta(minutes=1)))
    assert accounts.session_account(key) is None


def test_changing_your_password_needs_the_old_one(accounts, people):
    member = people[2]
    with pytest.raises(AccountError) as exc:
        accounts.set_password(member, member.id, "groene-fiets-onder-de-brug", old="fout")
    assert exc.value.field == "huidig"
    with pytest.raises(NotAllowed):
        accounts.set_password(people[1], member.id, "groene-fiets-onder-de-brug", old=PW)


def test_tokens_are_hashed_listed_and_revocable_by_their_owner(accounts, people):
    admin, editor, member = people
    token, secret = accounts.create_token(member, member.id, "rapportage-script")
    assert secret.startswith("kast_") and len(secret) > 40
    assert accounts.token_account(secret).username == "oov-assen"
    assert [t.label for t in accounts.tokens(member.id)] == ["rapportage-script"]
    with pytest.raises(NotAllowed):
        accounts.create_token(editor, member.id, "namens een ander")
    with pytest.raises(NotAllowed):
        accounts.revoke_token(editor, member.id, token.id)
    accounts.revoke_token(member, member.id, token.id)
    assert accounts.token_account(secret) is None
    assert accounts.token_account("kast_" + "x" * 43) is None and accounts.token_account("") is None


def test_who_may_manage_accounts(accounts, people):
    admin, editor, member = people
    with pytest.raises(NotAllowed):
        accounts.add(member, "ander-lid", PW, "lid", "gm0106")
    with pytest.raises(NotAllowed):
        accounts.add(editor, "nog-een-redacteur", PW, "redacteur", "vng")
    with pytest.raises(NotAllowed):
        accounts.change(editor, member.id, role="beheerder")
    with pytest.raises(NotAllowed):
        accounts.all(member)
    with pytest.raises(NotAllowed):
        accounts.audit_log(editor)
    with pytest.raises(AccountError) as exc:
        accounts.add(admin, "nergens", PW, "lid", "gm9999")
    assert exc.value.field == "organisatie" and "gm9999" in exc.value.message
    with pytest.raises(AccountError) as exc:
        accounts.add(admin, "oov-assen", PW, "lid", "gm0106")
    assert "al in gebruik" in exc.value.message
    with pytest.raises(AccountError) as exc:
        accounts.change(admin, admin.id, role="lid")
    assert "laatste actieve beheerder" in exc.value.message
    accounts.change(admin, member.id, role="redacteur", organisation="riec-noord-nederland")
    assert accounts.get("oov-assen").role == "redacteur"


def test_audit_log_records_who_when_where_without_secrets(accounts, people):
    admin, editor, member = people
    _, key = accounts.login("redactie", PW, "192.0.2.10")
    with pytest.raises(LoginFailed):
        accounts.login("redactie", "verkeerd-wachtwoord-hier", "192.0.2.11")
    accounts.change(admin, member.id, role="redacteur", address="192.0.2.12")
    accounts.create_token(member, member.id, "script", "192.0.2.13")
    events = {(e.event, e.address) for e in accounts.audit_log(admin)}
    assert {("ingelogd", "192.0.2.10"), ("inloggen-mislukt", "192.0.2.11"), ("account-gewijzigd", "192.0.2.12"),
            ("token-aangemaakt", "192.0.2.13"), ("account-aangemaakt", None)} <= events
    changed = [e for e in accounts.audit_log(admin) if e.event == "account-gewijzigd"][0]
    assert changed.actor_id == admin.id and changed.account_id == member.id and "lid → redacteur" in changed.detail


def test_default_database_lives_in_the_runtime_folder(monkeypatch, tmp_path):
    from kast import config

    monkeypatch.delenv("KAST_DATABASE_URL", raising=False)
    monkeypatch.setenv("KAST_VAR", str(tmp_path / "run"))
    assert config.database_url() == f"sqlite:///{tmp_path / 'run' / 'kast.sqlite'}"
    assert "data" not in config.database_url().split("/")
