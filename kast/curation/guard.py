"""The privacy guard: personal data is found before anything is stored for review.

Patterns with few false alarms (e-mail, phone, IBAN, postcode with house number, and a number that passes
the BSN eleven-test where the text says it is a BSN) *block*: the draft is not committed unless the
editor overrides with a reason. Findings that are often false alarms (a 9-digit number that happens to
pass the eleven-test; names of persons, found by `deduce`) are *warnings*: the draft is stored, but
every finding blocks publication until it is removed or a redacteur marks it as not personal, with a
recorded reason. Messages never repeat the personal data they found (only its last characters).

`deduce` builds lookup tables on first use (~70 s after install, ~1 s later; `namefinder` leaves out the
lists a person search does not need): one instance per process, made lazily on a background thread by
`warm_up()` (call it when a server starts).
"""
import hashlib
import re
import threading
from dataclasses import dataclass

from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

from ..privacy import EMAIL, PHONE, mask

NINE_DIGITS = re.compile(r"(?<![\d.])(\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}[. ]\d{3}[. ]\d{3})(?![\d])")
BSN_CONTEXT = re.compile(r"\b(bsn|burgerservicenummer|burgerservice-nummer|sofi-?nummer|sofinr)\b", re.I)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}[ ]?[A-Z]{4}(?:[ ]?\d){10}\b")
POSTCODE_HOUSE = re.compile(
    r"\b[1-9]\d{3}[ ]?[A-Z]{2}\b[ ,]*\d{1,5}[a-zA-Z]?\b"                 # 9401 AB 12
    r"|\b[A-Z][a-zë]+(?:straat|weg|laan|plein|kade|gracht|singel|dijk|steeg|hof|pad|dreef)"
    r"[ ]+\d{1,5}[a-zA-Z]?\b[ ,]*(?:[1-9]\d{3}[ ]?[A-Z]{2}\b)?")       # Dorpsstraat 12(, 9401 AB)
PERSON_TAGS = ("persoon", "patient")


@dataclass(frozen=True)
class Finding:
    field: str
    kind: str          # bsn | e-mailadres | telefoonnummer | iban | adres | naam
    shown: str         # masked, safe to show and log
    fingerprint: str   # identifies the finding for a 'not personal' mark without storing the text
    blocking: bool     # refuse to store the draft (unless overridden)

    @property
    def message(self) -> str:
        what = {"bsn": "BSN", "naam": "naam van een persoon", "adres": "adres (postcode en huisnummer)",
                "iban": "IBAN-rekeningnummer"}.get(self.kind, self.kind)
        return f"mogelijk persoonsgegeven: {what} ({self.shown})"

    def as_dict(self) -> dict:
        return {"veld": self.field, "soort": self.kind, "melding": self.message, "vondst": self.fingerprint,
                "blokkeert-opslaan": self.blocking, "ernst": "fout" if self.blocking else "waarschuwing"}


def fingerprint(salt: str, field: str, kind: str, text: str) -> str:
    return hashlib.sha256(f"{salt}\x00{field}\x00{kind}\x00{text}".encode()).hexdigest()[:16]


class _Deduce:
    """One deduce instance per process, built on a background thread."""

    def __init__(self):
        self._instance = None
        self._ready = threading.Event()
        self._started = False
        self._start_lock = threading.Lock()
        self._use_lock = threading.Lock()
        self.error: Exception | None = None

    def warm_up(self) -> None:
        with self._start_lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._build, name="deduce-warm-up", daemon=True).start()

    def _build(self) -> None:
        try:
            import logging

            from . import namefinder

            logging.getLogger().setLevel(max(logging.getLogger().level, logging.WARNING))
            self._instance = namefinder.load()
        except Exception as exc:   # reported on use: without the name check nothing is published
            self.error = exc
        finally:
            self._ready.set()

    def persons(self, text: str) -> list[str]:
        self.warm_up()
        self._ready.wait()
        if self._instance is None:
            raise RuntimeError(f"de controle op namen van personen (deduce) werkt niet: {self.error}")
        with self._use_lock:
            doc = self._instance.deidentify(text)
        return [a.text for a in doc.annotations if a.tag in PERSON_TAGS]


DEDUCE = _Deduce()


def warm_up() -> None:
    """Start building the name finder now, off the request path."""
    DEDUCE.warm_up()


def scan_text(field: str, text: str, salt: str = "", names: bool = True,
              allowed: frozenset[str] = frozenset()) -> list[Finding]:
    """Every finding in one text.

    >>> [f.kind for f in scan_text("samenvatting", "Mail naar info@example.nl, BSN 111222333", names=False)]
    ['e-mailadres', 'bsn']
    >>> [f.blocking for f in scan_text("x", "Zaaknummer 111222333", names=False)]
    [False]
    """
    found: list[Finding] = []

    def add(kind: str, value: str, blocking: bool) -> None:
        if not any(f.fingerprint == fingerprint(salt, field, kind, value) for f in found):
            found.append(Finding(field, kind, mask(value), fingerprint(salt, field, kind, value), blocking))

    for m in EMAIL.finditer(text):
        add("e-mailadres", m.group(), True)
    ibans = [m for m in IBAN.finditer(text) if stdnum_iban.is_valid(m.group())]
    for m in ibans:
        add("iban", m.group(), True)
    for m in PHONE.finditer(text):
        if not any(i.start() <= m.start() < i.end() for i in ibans):   # digits of an IBAN
            add("telefoonnummer", m.group(), True)
    for m in POSTCODE_HOUSE.finditer(text):
        add("adres", m.group().strip(" ,"), True)
    for m in NINE_DIGITS.finditer(text):
        if stdnum_bsn.is_valid(re.sub(r"\D", "", m.group())):
            context = text[max(0, m.start() - 40):m.start()]
            add("bsn", m.group(), bool(BSN_CONTEXT.search(context)))
    if names and any(c.isupper() for c in text):
        for name in DEDUCE.persons(text):
            if not _known_place(name, allowed, text):
                add("naam", name, False)
    return found


PARTICLES = {"van", "de", "der", "den", "het", "ten", "ter", "te", "in", "uit"}
# Words for a public body or office that deduce takes for a first name at the start of a sentence
# ("Gemeente Assen heeft …" → person "Gemeente Assen").
BODIES = {"gemeente", "gemeenten", "provincie", "waterschap", "regio", "burgemeester", "burgemeesters",
          "wethouder", "college", "raad", "politie", "eenheid", "district", "riec", "ministerie"}


def _known_place(name: str, allowed: frozenset[str], text: str = "") -> bool:
    """deduce reads 'burgemeester van Assen' or 'Commissaris van de Koning' as surnames: a name that is
    (part of) a place or organisation the kast knows, and written as such in the text, is no person.

    >>> known = frozenset({"assen", "commissaris van de koning"})
    >>> _known_place("van Assen", known), _known_place("Jan Bakker", known)
    (True, False)
    >>> _known_place("van de Koning", known, "De Commissaris van de Koning belde.")
    True
    >>> _known_place("Gemeente Assen", known), _known_place("Burgemeester Bakker", known)
    (True, False)
    >>> _known_place("van de Koning", known, "Burgemeesters en commissarissen van de Koning.")
    True
    >>> _known_place("van de Koning", known, "Willem van de Koning belde.")
    False
    """
    words = name.split()
    while words and words[0].lower() in PARTICLES | BODIES:
        words = words[1:]
    if not words:
        return True
    if " ".join(words).casefold() in allowed:
        return True
    folded, lowered = name.casefold(), text.casefold()
    if any(folded in label and label in lowered for label in allowed if len(label) > len(folded)):
        return True
    # an inflected title before the rest of a known label: "commissarissen van de Koning"
    return any(re.search(re.escape(label[:-len(folded)].strip()) + r"\w*\s+" + re.escape(folded), lowered)
               for label in allowed if label.endswith(" " + folded) and len(label) > len(folded) + 1)


def scan(fields, salt: str = "", names: bool = True, allowed: frozenset[str] = frozenset()) -> list[Finding]:
    """Findings in (field, text) pairs, e.g. from kast.curation.entry.text_values.

    `allowed`: casefolded names of places and organisations (from the graph) that are never persons.
    """
    out = []
    for field, text in fields:
        out += scan_text(field, text, salt, names, allowed)
    return out
