"""Account operations, each authorised here (not in a view) and each recorded in the audit log.

    >>> import tempfile, os
    >>> accounts = Accounts(f"sqlite:///{tempfile.mkdtemp()}/a.sqlite", organisations=lambda o: o == "vng")
    >>> a = accounts.add(SYSTEM, "redactie", "paars-kasteel-rijdt-langzaam", "redacteur", "vng")
    >>> account, key = accounts.login("redactie", "paars-kasteel-rijdt-langzaam", "127.0.0.1")
    >>> accounts.session_account(key).username
    'redactie'
    >>> accounts.logout(key, "127.0.0.1"); accounts.session_account(key) is None
    True
"""
import datetime as dt
import hashlib
import re
import secrets
from typing import Callable

from sqlalchemy import delete, func, select, update

from ..errors import UserError
from . import passwords, rules
from .db import session_factory
from .models import Account, ApiToken, AuditEvent, LoginSession, now
from .rules import SYSTEM

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
WINDOW = dt.timedelta(minutes=15)    # failed logins count for this long
MAX_PER_ACCOUNT = 5                  # failures per account in the window before it is locked for a while
MAX_PER_ADDRESS = 20                 # failures from one address (many accounts tried) in the window
IDLE = dt.timedelta(hours=12)        # a session unused this long ends (an editor open all day stays in)
LIFETIME = dt.timedelta(days=7)      # and every session ends after this
TOUCH = dt.timedelta(minutes=1)      # last_seen is written at most this often
TOKEN_PREFIX = "kast_"


class AccountError(UserError):
    """A Dutch message for the user, naming the field where that helps."""


class NotAllowed(AccountError):
    pass


class LoginFailed(AccountError):
    pass


class TooManyAttempts(AccountError):
    def __init__(self, retry_after: int):
        minutes = max(1, -(-retry_after // 60))
        super().__init__(f"te veel mislukte pogingen om in te loggen; probeer het over {minutes} minuten opnieuw")
        self.retry_after = retry_after


def digest(secret: str) -> str:
    """Session keys and API tokens are random 256-bit secrets: a SHA-256 of them cannot be reversed or
    guessed, and it can be looked up (a salted slow hash could not)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class Accounts:
    """The accounts of one database. `organisations(id)` tells whether an id is an organisation in the
    graph (every account belongs to exactly one)."""

    def __init__(self, url: str | None = None, organisations: Callable[[str], bool] | None = None):
        self.sessions = session_factory(url)
        self.is_organisation = organisations or (lambda org: True)

    # ------------------------------------------------------------------ reading

    def get(self, username: str) -> Account | None:
        with self.sessions() as db:
            return db.scalar(select(Account).where(Account.username == username.strip().lower()))

    def by_id(self, account_id: int) -> Account | None:
        with self.sessions() as db:
            return db.get(Account, account_id)

    def all(self, actor) -> list[Account]:
        if not rules.may_list(actor):
            raise NotAllowed("alleen redacteuren en beheerders zien de lijst van accounts")
        with self.sessions() as db:
            return list(db.scalars(select(Account).order_by(Account.organisation, Account.username)))

    def count(self) -> int:
        with self.sessions() as db:
            return db.scalar(select(func.count(Account.id)))

    # ------------------------------------------------------------------ managing accounts

    def add(self, actor, username: str, password: str | None, role: str, organisation: str,
            display_name: str | None = None, address: str | None = None) -> Account:
        """Create an account. `password` None makes an account that can only log in through single sign-on."""
        username = (username or "").strip().lower()
        if not rules.may_create(actor, role):
            if role not in rules.ROLES:
                raise AccountError(f"onbekende rol '{role}'; kies uit: {', '.join(rules.ROLES)}", "rol")
            raise NotAllowed(f"een {rules.role_of(actor)} mag geen account met de rol {role} aanmaken")
        if not USERNAME.match(username):
            raise AccountError("een gebruikersnaam heeft 3 tot 64 kleine letters, cijfers, punten, "
                               "koppeltekens of liggende streepjes en begint met een letter of cijfer",
                               "gebruikersnaam")
        display_name = _clean_name(display_name or username)
        self._check_organisation(organisation)
        if password is not None:
            self._check_password(password, username, organisation)
        with self.sessions.begin() as db:
            if db.scalar(select(Account.id).where(Account.username == username)) is not None:
                raise AccountError(f"de gebruikersnaam '{username}' is al in gebruik", "gebruikersnaam")
            account = Account(username=username, display_name=display_name, organisation=organisation, role=role,
                              password_hash=passwords.hash_password(password) if password is not None else None,
                              password_changed=now() if password is not None else None)
            db.add(account)
            db.flush()
            self._audit(db, "account-aangemaakt", actor, account.id, address, f"rol {role}, organisatie {organisation}")
        return account

    def change(self, actor, account_id: int, role: str | None = None, organisation: str | None = None,
               active: bool | None = None, address: str | None = None) -> Account:
        """Change role, organisation or whether the account may log in. Every session of the account ends,
        so the new role takes effect at once (and a copied cookie stops working)."""
        if not rules.may_manage(actor):
            raise NotAllowed("alleen een beheerder wijzigt rollen, organisaties en accounts")
        if role is not None and role not in rules.ROLES:
            raise AccountError(f"onbekende rol '{role}'; kies uit: {', '.join(rules.ROLES)}", "rol")
        if organisation is not None:
            self._check_organisation(organisation)
        with self.sessions.begin() as db:
            account = db.get(Account, account_id)
            if account is None:
                raise AccountError("dit account bestaat niet")
            leaves_admin = account.role == "beheerder" and account.active and (
                (role is not None and role != "beheerder") or active is False)
            if leaves_admin and self._admins(db) <= 1:
                raise AccountError("dit is de laatste actieve beheerder; maak eerst een andere beheerder aan", "rol")
            changes = []
            if role is not None and role != account.role:
                changes.append(f"rol {account.role} → {role}")
                account.role = role
            if organisation is not None and organisation != account.organisation:
                changes.append(f"organisatie {account.organisation} → {organisation}")
                account.organisation = organisation
            if active is not None and active != account.active:
                changes.append("geactiveerd" if active else "uitgeschakeld")
                account.active = active
            if changes:
                db.execute(delete(LoginSession).where(LoginSession.account_id == account.id))
                if active is False:
                    db.execute(update(ApiToken).where(ApiToken.account_id == account.id, ApiToken.revoked.is_(None))
                               .values(revoked=now()))
                self._audit(db, "account-gewijzigd", actor, account.id, address, "; ".join(changes))
            return account

    def set_password(self, actor, account_id: int, new: str, old: str | None = None,
                     address: str | None = None) -> None:
        """An account changes its own password (with the old one); the CLI resets any. Ends all its sessions."""
        with self.sessions.begin() as db:
            account = db.get(Account, account_id)
            if account is None:
                raise AccountError("dit account bestaat niet")
            own = actor is not SYSTEM and actor.id == account.id
            if not own and actor is not SYSTEM:
                raise NotAllowed("alleen de eigenaar zelf verandert een wachtwoord")
            if own and not passwords.verify(account.password_hash, old or "")[0]:
                raise AccountError("het huidige wachtwoord klopt niet", "huidig")
            self._check_password(new, account.username, account.organisation)
            account.password_hash = passwords.hash_password(new)
            account.password_changed = now()
            db.execute(delete(LoginSession).where(LoginSession.account_id == account.id))
            self._audit(db, "wachtwoord-gewijzigd", actor, account.id, address)

    # ------------------------------------------------------------------ logging in

    def login(self, username: str, password: str, address: str | None) -> tuple[Account, str]:
        """(account, session key) or LoginFailed with one message for unknown name and wrong password,
        or TooManyAttempts when the account or the address failed too often recently."""
        username = (username or "").strip().lower()[:64]
        with self.sessions.begin() as db:
            account = db.scalar(select(Account).where(Account.username == username))
            self._throttle(db, account, address)
        ok, rehash = passwords.verify(account.password_hash if account else None, password or "")
        if not (ok and account and account.active):
            with self.sessions.begin() as db:   # committed before raising: a raise inside would roll it back
                self._audit(db, "inloggen-mislukt", None, account.id if account else None, address)
            raise LoginFailed("onbekende gebruikersnaam of verkeerd wachtwoord")
        with self.sessions.begin() as db:
            if rehash:
                db.execute(update(Account).where(Account.id == account.id).values(password_hash=rehash))
            key = self._start_session(db, account.id)
            self._audit(db, "ingelogd", account, account.id, address)
        return account, key

    def start_session(self, account: Account, address: str | None, how: str = "") -> str:
        """A session for an account that was authenticated elsewhere (single sign-on)."""
        with self.sessions.begin() as db:
            key = self._start_session(db, account.id)
            self._audit(db, "ingelogd", account, account.id, address, how)
        return key

    def session_account(self, key: str | None) -> Account | None:
        """The active account of a session key, or None when it ended, expired or never existed."""
        if not key:
            return None
        moment = now()
        with self.sessions() as db:
            row = db.scalar(select(LoginSession).where(LoginSession.key_hash == digest(key)))
            if row is None:
                return None
            if moment - row.last_seen > IDLE or moment - row.created > LIFETIME:
                db.delete(row)
                db.commit()
                return None
            account = db.get(Account, row.account_id)
            if account is None or not account.active:
                return None
            if moment - row.last_seen > TOUCH:
                row.last_seen = moment
                db.commit()
            return account

    def logout(self, key: str | None, address: str | None) -> None:
        if not key:
            return
        with self.sessions.begin() as db:
            row = db.scalar(select(LoginSession).where(LoginSession.key_hash == digest(key)))
            if row is not None:
                self._audit(db, "uitgelogd", None, row.account_id, address)
                db.delete(row)

    # ------------------------------------------------------------------ single sign-on

    def sso_account(self, issuer: str, subject: str, display_name: str | None, organisation: str | None,
                    role: str | None, trusted_roles: tuple[str, ...] = ("lid",), address: str | None = None) -> Account:
        """The account of an identity confirmed by an OpenID Connect provider, made on its first login.

        Organisation and role come from the provider's claims when the organisation is in the kast and the
        role is one the deployment trusts the provider to give (by default only `lid`: a provider must not
        be able to mint curators). Otherwise the new account waits, inactive, until a beheerder assigns
        both. Returns the account; the caller checks `active`.
        """
        external = f"{issuer}|{subject}"[:255]
        with self.sessions.begin() as db:
            account = db.scalar(select(Account).where(Account.external_id == external))
            if account is not None:
                return account
            trusted = role in trusted_roles and role in rules.ROLES and bool(organisation) and self.is_organisation(organisation)
            base = re.sub(r"[^a-z0-9._-]+", "-", (display_name or subject).lower()).strip("-._")[:40] or "sso"
            username, n = f"sso-{base}", 1
            while db.scalar(select(Account.id).where(Account.username == username)) is not None:
                n += 1
                username = f"sso-{base}-{n}"
            account = Account(username=username, display_name=_clean_name(display_name or username),
                              organisation=organisation if trusted else "", role=role if trusted else "lid",
                              active=trusted, external_id=external)
            db.add(account)
            db.flush()
            self._audit(db, "sso-account-aangemaakt", SYSTEM, account.id, address,
                        f"rol {account.role}, organisatie {account.organisation}" if trusted else "wacht op een beheerder")
            return account

    # ------------------------------------------------------------------ API tokens

    def create_token(self, actor, account_id: int, label: str, address: str | None = None) -> tuple[ApiToken, str]:
        """A new personal API token; the secret is returned once and stored only as a hash."""
        if actor is not SYSTEM and actor.id != account_id:
            raise NotAllowed("een API-token maakt alleen de eigenaar van het account zelf")
        label = _clean_name(label or "token", "naam van het token", 80)
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.sessions.begin() as db:
            account = db.get(Account, account_id)
            if account is None or not account.active:
                raise AccountError("dit account bestaat niet of is uitgeschakeld")
            token = ApiToken(account_id=account_id, label=label, key_hash=digest(secret), prefix=secret[:12])
            db.add(token)
            db.flush()
            self._audit(db, "token-aangemaakt", actor, account_id, address, f"token {token.id} ({token.prefix}…)")
        return token, secret

    def tokens(self, account_id: int) -> list[ApiToken]:
        with self.sessions() as db:
            return list(db.scalars(select(ApiToken).where(ApiToken.account_id == account_id)
                                   .order_by(ApiToken.created.desc(), ApiToken.id.desc())))

    def revoke_token(self, actor, account_id: int, token_id: int, address: str | None = None) -> None:
        if actor is not SYSTEM and actor.id != account_id and not rules.may_manage(actor):
            raise NotAllowed("alleen de eigenaar of een beheerder trekt een token in")
        with self.sessions.begin() as db:
            token = db.get(ApiToken, token_id)
            if token is None or token.account_id != account_id:
                raise AccountError("dit token bestaat niet")
            if token.revoked is None:
                token.revoked = now()
                self._audit(db, "token-ingetrokken", actor, account_id, address, f"token {token.id}")

    def token_account(self, secret: str | None) -> Account | None:
        if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
            return None
        moment = now()
        with self.sessions() as db:
            token = db.scalar(select(ApiToken).where(ApiToken.key_hash == digest(secret)))
            if token is None or token.revoked is not None:
                return None
            account = db.get(Account, token.account_id)
            if account is None or not account.active:
                return None
            if token.last_used is None or moment - token.last_used > TOUCH:
                token.last_used = moment
                db.commit()
            return account

    # ------------------------------------------------------------------ audit log

    def audit_log(self, actor, limit: int = 200, account_id: int | None = None) -> list[AuditEvent]:
        if not rules.may_manage(actor):
            raise NotAllowed("alleen een beheerder ziet het auditlog")
        with self.sessions() as db:
            query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
            if account_id is not None:
                query = query.where(AuditEvent.account_id == account_id)
            return list(db.scalars(query))

    # ------------------------------------------------------------------ internals

    def _audit(self, db, event: str, actor, account_id: int | None, address: str | None, detail: str = "") -> None:
        db.add(AuditEvent(event=event, actor_id=None if actor is SYSTEM else actor.id, account_id=account_id,
                          address=(address or "")[:64] or None, detail=detail[:200]))

    def _throttle(self, db, account: Account | None, address: str | None) -> None:
        since = now() - WINDOW
        waits = []
        if account is not None:
            last_ok = db.scalar(select(func.max(AuditEvent.at)).where(
                AuditEvent.account_id == account.id, AuditEvent.event == "ingelogd"))
            start = max(since, last_ok) if last_ok else since
            waits.append(self._wait(db, AuditEvent.account_id == account.id, start, MAX_PER_ACCOUNT))
        if address:
            waits.append(self._wait(db, AuditEvent.address == address[:64], since, MAX_PER_ADDRESS))
        wait = max(waits, default=0)
        if wait > 0:
            raise TooManyAttempts(wait)

    def _wait(self, db, condition, since: dt.datetime, limit: int) -> int:
        """Seconds until fewer than `limit` failures remain in the window (0: go ahead)."""
        times = db.scalars(select(AuditEvent.at).where(condition, AuditEvent.event == "inloggen-mislukt",
                                                       AuditEvent.at > since)
                           .order_by(AuditEvent.at.desc()).limit(limit)).all()
        if len(times) < limit:
            return 0
        return max(1, int((times[-1] + WINDOW - now()).total_seconds()) + 1)

    def _start_session(self, db, account_id: int) -> str:
        key = secrets.token_urlsafe(32)
        db.add(LoginSession(account_id=account_id, key_hash=digest(key)))
        return key

    def _admins(self, db) -> int:
        return db.scalar(select(func.count(Account.id)).where(Account.role == "beheerder", Account.active.is_(True)))

    def _check_organisation(self, organisation: str) -> None:
        if not organisation or not self.is_organisation(organisation):
            raise AccountError(f"'{organisation}' is geen organisatie in de kast; gebruik het id van een "
                               "gemeente (gm0106), RIEC, ministerie of andere actor", "organisatie")

    def _check_password(self, password: str, username: str, organisation: str) -> None:
        found = passwords.problems(password, (username, organisation, "apothekerskast", "kast", "ondermijning"))
        if found:
            raise AccountError(found[0], "wachtwoord")


def _clean_name(text: str, what: str = "naam", limit: int = 120) -> str:
    text = " ".join(str(text).split())
    if not text or len(text) > limit or any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 for c in text):
        raise AccountError(f"de {what} moet 1 tot {limit} gewone tekens hebben", "naam")
    return text
