"""Who did what, when and why: trailers in the commit messages of the content repository.

Every commit the curation makes ends with lines like ``Kast-Actie: ingediend``; the head commit of a
proposal branch carries the proposal's whole current state (status, proposer, since when it waits), so
a review queue reads one commit per proposal. Only account ids and display names are recorded.
"""
import datetime as dt
from dataclasses import dataclass, field

PREFIX = "Kast-"
STATUS_LABELS = {"concept": "concept", "ter-review": "ter beoordeling", "gepubliceerd": "gepubliceerd",
                 "gearchiveerd": "gearchiveerd", "ingetrokken": "ingetrokken"}
ACTION_LABELS = {
    "aangemaakt": "voorstel gemaakt", "opgeslagen": "opgeslagen", "autosave": "automatisch bewaard",
    "ingediend": "ter beoordeling aangeboden", "teruggestuurd": "teruggestuurd", "gepubliceerd": "gepubliceerd",
    "ingetrokken": "ingetrokken", "vrijgegeven": "vondst gemarkeerd als geen persoonsgegeven",
    "bijgewerkt": "bijgewerkt met de gepubliceerde versie", "gearchiveerd": "gearchiveerd",
    "begin": "inhoud opgenomen", "bulkimport": "geïmporteerd",
}
# Actions that change the content of a proposal: whoever did one of these may not approve it.
CONTENT_ACTIONS = {"aangemaakt", "opgeslagen", "autosave", "bijgewerkt"}


def one_line(text: str | None) -> str:
    return " ".join(str(text or "").split())


def message(subject: str, trailers: dict[str, str]) -> str:
    """A commit message: a subject line and the trailers.

    >>> print(message("Voorstel: Titel", {"Actie": "aangemaakt", "Door": "account-17"}))
    Voorstel: Titel
    <BLANKLINE>
    Kast-Actie: aangemaakt
    Kast-Door: account-17
    <BLANKLINE>
    """
    lines = [one_line(subject)[:120], ""]
    lines += [f"{PREFIX}{k}: {one_line(v)}" for k, v in trailers.items() if v not in (None, "")]
    return "\n".join(lines) + "\n"


def parse(msg: bytes | str) -> dict[str, str]:
    """The trailers of a commit message, without the prefix.

    >>> parse("Titel\\n\\nKast-Actie: ingediend\\nKast-Door: a-1\\n")
    {'Actie': 'ingediend', 'Door': 'a-1'}
    """
    text = msg.decode("utf-8", "replace") if isinstance(msg, bytes) else msg
    out = {}
    for line in text.splitlines():
        if line.startswith(PREFIX) and ": " in line:
            key, value = line[len(PREFIX):].split(": ", 1)
            out[key] = value
    return out


def when(timestamp: int) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).isoformat(timespec="seconds")


def author_name(ident: bytes) -> str:
    return ident.decode("utf-8", "replace").split(" <", 1)[0]


@dataclass
class Event:
    """One step in the life of a proposal or an entry."""

    commit: str
    action: str
    account: str
    name: str
    when: str
    comment: str = ""
    status: str = ""
    trailers: dict = field(default_factory=dict)

    @classmethod
    def of(cls, commit) -> "Event":
        t = parse(commit.message)
        return cls(commit.id.decode(), t.get("Actie", "onbekend"), t.get("Door", ""),
                   author_name(commit.author), when(commit.author_time), t.get("Toelichting", ""),
                   t.get("Status", ""), t)

    def as_dict(self) -> dict:
        return {"versie": self.commit, "actie": self.action, "actie-label": ACTION_LABELS.get(self.action, self.action),
                "door": {"account": self.account, "naam": self.name}, "wanneer": self.when,
                "toelichting": self.comment, "status": self.status}


@dataclass
class Proposal:
    """A proposal as its head commit describes it."""

    id: str
    entry_id: str
    path: str
    status: str
    new: bool
    proposer: str
    proposer_name: str
    organisation: str
    created: str
    submitted: str
    updated: str
    last: Event
    head: str
    basis: str
    kind: str = "praktijk"   # which kind of entry (kast.curation.kinds): praktijk | actor | instrument | begrip

    @classmethod
    def of(cls, proposal_id: str, commit) -> "Proposal":
        t = parse(commit.message)
        return cls(proposal_id, t.get("Item", ""), t.get("Pad", ""), t.get("Status", "concept"),
                   t.get("Nieuw") == "ja", t.get("Indiener", ""), t.get("Indiener-Naam", ""),
                   t.get("Organisatie", ""), t.get("Aangemaakt", ""), t.get("Ingediend", ""),
                   when(commit.author_time), Event.of(commit), commit.id.decode(), t.get("Basis", ""),
                   t.get("Soort", "praktijk"))

    @property
    def sent_back(self) -> bool:
        return self.status == "concept" and self.last.action == "teruggestuurd"

    def state(self) -> dict:
        """The trailers every later commit of this proposal repeats."""
        return {"Voorstel": self.id, "Item": self.entry_id, "Pad": self.path, "Nieuw": "ja" if self.new else "nee",
                "Indiener": self.proposer, "Indiener-Naam": self.proposer_name, "Organisatie": self.organisation,
                "Aangemaakt": self.created, "Ingediend": self.submitted, "Basis": self.basis,
                "Soort": "" if self.kind == "praktijk" else self.kind}

    def as_dict(self) -> dict:
        return {"id": self.id, "item": self.entry_id, "itemsoort": self.kind, "bestand": self.path, "nieuw": self.new,
                "status": self.status, "status-label": STATUS_LABELS.get(self.status, self.status),
                "teruggestuurd": self.sent_back, "indiener": {"account": self.proposer, "naam": self.proposer_name},
                "organisatie": self.organisation or None, "aangemaakt": self.created,
                "ingediend": self.submitted or None, "bijgewerkt": self.updated, "laatste": self.last.as_dict()}
