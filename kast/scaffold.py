"""`kast new practice`: a practice file with every field explained, generated from kast.fields."""
import datetime as dt

from .fields import PRACTICE, PRACTICE_BODY
from .readers import ID_PATTERN

DEFAULTS = {
    "soort": "best", "status": "concept", "zichtbaarheid": "curatoren", "bewijsniveau": "beschreven",
    "effect": "onbekend",
}


def practice_template(practice_id: str, title: str = "", kind: str = "best", today: dt.date | None = None) -> str:
    """The text of a new practice file.

    >>> "## Werkingsmechanisme" in practice_template("mijn-praktijk")
    True
    """
    if not ID_PATTERN.match(practice_id):
        raise ValueError(practice_id)
    today = (today or dt.date.today()).isoformat()
    values = dict(DEFAULTS, soort=kind, titel=title, aangemaakt=today, gewijzigd=today,
                  aard="voorgevallen" if kind == "worst" else "lokale-praktijk")
    lines = ["---", "# Nieuwe praktijk. Regels met # zijn uitleg; laat ze staan of haal ze weg.",
             "# Nooit namen, e-mailadressen of telefoonnummers van personen. Zie docs/dataformaat.md.",
             f"id: {practice_id}  # gelijk aan de bestandsnaam"]
    nested_open = None
    for f in PRACTICE:
        comment = f"  # {f.help}" if f.help else ""
        key = f.key
        if "." in key:
            parent, key = key.split(".")
            if parent != nested_open:
                lines.append(f"{parent}:")
                nested_open = parent
            indent = "  "
        else:
            nested_open, indent = None, ""
        if f.type in ("texts", "refs", "concepts"):
            value = "[]"
        else:
            value = values.get(f.key, "")
        lines.append(f"{indent}{key}: {value}{comment}".rstrip() if value != "" else f"{indent}{key}:{comment}")
    lines += ["bronnen:  # elke uitspraak over de bronnen: bestand en sectie (zie data/sources/)",
              '  - bron: ""', '    sectie: ""', "    onderbouwt: []  # optioneel: welke velden deze bron draagt",
              "---", ""]
    for f in PRACTICE_BODY:
        lines += [f"## {f.key.capitalize()}", f"<!-- {f.help} -->", ""]
    return "\n".join(lines)
