"""Passwords: Argon2id hashes (argon2-cffi), a policy with Dutch reasons, and a cap on parallel hashing.

Each Argon2id hash costs ~64 MiB and a core for tens of milliseconds; on a 2-core machine a burst of
logins must queue rather than exhaust memory, so at most `PARALLEL` hashes run at once per process.
"""
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 256      # argon2 accepts more, but nobody types this; it bounds the work per attempt
PARALLEL = 2

_hasher = PasswordHasher()      # argon2-cffi's defaults: Argon2id, RFC 9106 low-memory profile
_slots = threading.BoundedSemaphore(PARALLEL)
_DUMMY = _hasher.hash("geen-echt-wachtwoord-alleen-voor-gelijke-tijd")


def problems(password: str, context: tuple[str, ...] = ()) -> list[str]:
    """What is wrong with a new password, in Dutch; [] when it is acceptable.

    `context` are words a guesser would try first: the user name and organisation (which the password
    may not contain), then other words of this site.

    >>> problems("kort")
    ['het wachtwoord moet minstens 12 tekens hebben']
    >>> problems("welkom123456")
    ['dit wachtwoord is te makkelijk te raden (het lijkt op een veelgebruikt wachtwoord); kies een langere zin van losse woorden']
    >>> problems("paars-kasteel-rijdt-langzaam")
    []
    """
    if len(password) < MIN_LENGTH:
        return [f"het wachtwoord moet minstens {MIN_LENGTH} tekens hebben"]
    if len(password) > MAX_LENGTH:
        return [f"het wachtwoord mag hooguit {MAX_LENGTH} tekens hebben"]
    lowered = password.casefold()
    if any(len(word) >= 4 and word.casefold() in lowered for word in context[:2]):
        return ["het wachtwoord mag uw gebruikersnaam of organisatie niet bevatten"]
    verdict = zxcvbn(password[:100], user_inputs=[c for c in context if c])
    if verdict["score"] < 3:
        return ["dit wachtwoord is te makkelijk te raden (het lijkt op een veelgebruikt wachtwoord); "
                "kies een langere zin van losse woorden"]
    return []


def hash_password(password: str) -> str:
    with _slots:
        return _hasher.hash(password)


def verify(stored: str | None, password: str) -> tuple[bool, str | None]:
    """(matches, new hash when the parameters changed and the hash should be replaced)."""
    with _slots:
        if not stored:
            _safe_verify(_DUMMY, password)   # the same work as a real check: no timing difference
            return False, None
        if not _safe_verify(stored, password[:MAX_LENGTH]):
            return False, None
        return True, (_hasher.hash(password) if _hasher.check_needs_rehash(stored) else None)


def _safe_verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
