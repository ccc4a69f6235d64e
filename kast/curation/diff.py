"""A readable per-field summary of what changed between two versions of an entry.

Each change says which field, the old and the new value, and for longer texts which words went and came
(`[-weg-]{+erbij+}` in plain text; `stukken` for the web layer to mark with <del>/<ins>).
"""
import difflib
import re
from dataclasses import dataclass, field

SHORT = 80
WORDS = re.compile(r"\s*\S+\s*|\s+")


@dataclass
class FieldChange:
    field: str
    old: object
    new: object
    kind: str                                   # toegevoegd | verwijderd | gewijzigd
    pieces: list = field(default_factory=list)  # [(gelijk|weg|bij, text)] for text fields
    added: list = field(default_factory=list)   # for lists
    removed: list = field(default_factory=list)

    def summary(self) -> str:
        """One line, e.g. "titel: 'Oud' → 'Nieuw'".

        >>> changes(({"titel": "Oud"}), {"titel": "Nieuw"})[0].summary()
        "titel: 'Oud' → 'Nieuw'"
        """
        if self.added or self.removed:
            parts = [f"+{v}" for v in self.added] + [f"−{v}" for v in self.removed]
            return f"{self.field}: {', '.join(parts)}"
        if self.pieces:
            marked = "".join(t if op == "gelijk" else f"[-{t}-]" if op == "weg" else f"{{+{t}+}}"
                             for op, t in _compact(self.pieces))
            return f"{self.field}: {marked}"
        return f"{self.field}: {_short(self.old)} → {_short(self.new)}"

    def as_dict(self) -> dict:
        return {"veld": self.field, "soort": self.kind, "oud": self.old, "nieuw": self.new,
                "stukken": [{"soort": op, "tekst": t} for op, t in _compact(self.pieces)],
                "toegevoegd": self.added, "verwijderd": self.removed, "samenvatting": self.summary()}


def _short(value) -> str:
    if value is None:
        return "(leeg)"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= SHORT else text[:SHORT - 1] + "…"


def _compact(pieces):
    """Leave only a few words of context around each change in long unchanged stretches."""
    out = []
    for op, text in pieces:
        if op == "gelijk" and len(text) > 60:
            words = text.split(" ")
            if len(words) > 10:
                text = " ".join(words[:4]) + " … " + " ".join(words[-4:])
        out.append((op, text))
    return out


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """[(gelijk|weg|bij, text)] at word level.

    >>> word_diff("de oude tekst", "de nieuwe tekst")
    [('gelijk', 'de '), ('weg', 'oude '), ('bij', 'nieuwe '), ('gelijk', 'tekst')]
    """
    a, b = WORDS.findall(old), WORDS.findall(new)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(("gelijk", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("weg", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("bij", "".join(b[j1:j2])))
    return out


def citation_text(c) -> str:
    """A citation as people write it.

    >>> citation_text({"bron": "003", "sectie": "2.2", "citaat": "samen"})
    '003 §2.2 “samen”'
    """
    if not isinstance(c, dict):
        return str(c)
    text = f"{c.get('bron', '?')} §{c.get('sectie', '?')}"
    if c.get("onderbouwt"):
        text += f" ({', '.join(map(str, c['onderbouwt']))})"
    return text + (f" “{c['citaat']}”" if c.get("citaat") else "")


def describe(item) -> str:
    """One item of a list of mappings in a line: a relation or a citation.

    >>> describe({"soort": "werkt-samen-met", "doel": "vng", "bronnen": [{"bron": "000", "sectie": "5"}]})
    'werkt-samen-met → vng (bron: 000 §5)'
    """
    if not isinstance(item, dict):
        return str(item)
    if "soort" in item or "doel" in item:
        sources = "; ".join(citation_text(c) for c in item.get("bronnen") or [])
        return f"{item.get('soort', '?')} → {item.get('doel', '?')}" + (f" (bron: {sources})" if sources else "")
    if "bron" in item:
        return citation_text(item)
    return ", ".join(f"{k}: {v}" for k, v in item.items())


def changes(old: dict | None, new: dict | None) -> list[FieldChange]:
    """Per-field changes from `old` to `new` (flat field dicts; None for "did not exist")."""
    old, new = old or {}, new or {}
    out = []
    for key in list(new) + [k for k in old if k not in new]:
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        kind = "toegevoegd" if a is None else "verwijderd" if b is None else "gewijzigd"
        change = FieldChange(key, a, b, kind)
        if isinstance(a, str) and isinstance(b, str) and (len(a) > SHORT or len(b) > SHORT):
            change.pieces = word_diff(a, b)
        elif isinstance(a, list) or isinstance(b, list):
            la, lb = a if isinstance(a, list) else [], b if isinstance(b, list) else []
            if all(isinstance(v, (str, int)) for v in la + lb):
                change.added = [v for v in lb if v not in la]
                change.removed = [v for v in la if v not in lb]
            else:   # relations and citations: one readable line per item that came or went
                ra, rb = [describe(v) for v in la], [describe(v) for v in lb]
                change.added = [v for v in rb if v not in ra]
                change.removed = [v for v in ra if v not in rb]
        out.append(change)
    return out
