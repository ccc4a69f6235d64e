"""A practice file as fields, and back: the unit that is merged, diffed and validated field by field.

A practice is a YAML head and Markdown sections under fixed headings (docs/dataformaat.md). Its fields
here are flat: the blocks `periode`, `context` and `contact` become `periode.van`, `contact.functie` …,
and every body section is a field of its own (`probleem`, `aanpak` …). Parsing uses the same
frontmatter handler and section splitter as the loader, so a file means the same thing to both.
"""
import datetime as dt
import re

import yaml

from ..fields import NESTED, PRACTICE, PRACTICE_BODY
from ..readers import ID_PATTERN, split_body, split_front_matter
from ..safeyaml import UnsafeYAML, parse_yaml

FOLDER = "practices"
HEAD_ORDER = ["id"] + [f.key for f in PRACTICE] + ["bronnen", "relaties"]
BODY_KEYS = [f.key for f in PRACTICE_BODY]
TEXT_FIELDS = {f.key for f in PRACTICE + PRACTICE_BODY if f.type in ("text", "literal")}
# Fields that the workflow sets, never the editor.
MANAGED = {"status", "aangemaakt", "gewijzigd"}
YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)   # libyaml where available: ten times faster


class EntryFormatError(ValueError):
    """The text is not a readable practice; the message says where."""


def path_of(entry_id: str) -> str:
    if not isinstance(entry_id, str) or not ID_PATTERN.match(entry_id):
        raise EntryFormatError(f"ongeldig id {entry_id!r}: gebruik kleine letters, cijfers en koppeltekens")
    return f"{FOLDER}/{entry_id}.md"


def id_of(path: str) -> str | None:
    if path.startswith(FOLDER + "/") and path.endswith(".md") and path.count("/") == 1:
        return path[len(FOLDER) + 1:-3]
    return None


def flatten(data: dict) -> dict:
    """Nested blocks become dotted keys; empty values are dropped so '' and [] and None compare equal.

    >>> flatten({"titel": "T", "periode": {"van": 2016, "tot": None}, "actoren": []})
    {'titel': 'T', 'periode.van': 2016}
    """
    out = {}
    for key, value in data.items():
        key = str(key)
        if key in NESTED and isinstance(value, dict):
            for sub, subvalue in value.items():
                if not _empty(subvalue):
                    out[f"{key}.{sub}"] = _plain(subvalue)
        elif "." in key and key.split(".", 1)[0] in NESTED:
            if not _empty(value):
                out[key] = _plain(value)
        elif not _empty(value):
            out[key] = _plain(value)
    return out


def nest(flat: dict) -> dict:
    out: dict = {}
    for key, value in flat.items():
        if "." in key and key.split(".", 1)[0] in NESTED:
            parent, sub = key.split(".", 1)
            out.setdefault(parent, {})[sub] = value
        else:
            out[key] = value
    return out


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _plain(value):
    """Strip surrounding whitespace from text, so an editor's trailing newline is no change."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (dt.date, dt.datetime)):   # one form for dates, so versions compare and JSON works
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def parse(text: bytes | str) -> dict:
    """Fields of a practice file. Raises EntryFormatError with a Dutch message."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise EntryFormatError("het bestand is geen geldige UTF-8-tekst") from exc
    if not text.startswith("---"):
        raise EntryFormatError("een praktijk begint met een YAML-kop tussen twee regels '---'")
    head, content = split_front_matter(text)   # the same reading as the loader's (kast.readers)
    if head is None:
        raise EntryFormatError("een praktijk begint met een YAML-kop tussen twee regels '---'")
    try:
        metadata = parse_yaml(head)
    except UnsafeYAML as exc:
        raise EntryFormatError(f"ongeldige YAML in de kop: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (regel {mark.line + 2})" if mark else ""
        raise EntryFormatError(f"ongeldige YAML in de kop{where}") from exc
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise EntryFormatError(f"ongeldige waarde in de kop: {exc}") from exc
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise EntryFormatError("de kop is geen blok met velden")
    body, unknown = split_body(content)
    data = dict(metadata)
    for heading in unknown:
        data.setdefault("_onbekende-kopjes", []).append(heading)
    data.update(body)
    return flatten(data)


DATE_FIELDS = {"aangemaakt", "gewijzigd"}


def _yaml_value(key, value):
    """Dates are written unquoted, as in hand-written files."""
    if isinstance(value, dt.datetime):
        return value.date()
    if key in DATE_FIELDS and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def serialise(flat: dict) -> bytes:
    """The file text of a practice, head fields in the order of the data format, body under its headings.

    >>> f = {"id": "x", "titel": "T", "periode.van": 2016, "probleem": "P", "actoren": ["vng"]}
    >>> print(serialise(f).decode())
    ---
    id: x
    titel: T
    actoren: [vng]
    periode: {van: 2016}
    ---
    <BLANKLINE>
    ## Probleem
    P
    <BLANKLINE>
    """
    data = nest({k: _yaml_value(k, v) for k, v in flat.items() if not k.startswith("_")})
    head = {}
    for key in [k.split(".")[0] for k in HEAD_ORDER] + sorted(data):
        if key in data and key not in head and key not in BODY_KEYS:
            head[key] = data[key]
    text = "---\n" + yaml.dump(head, Dumper=YAML_DUMPER, allow_unicode=True, sort_keys=False,
                                 default_flow_style=None, width=100) + "---\n"
    for key in BODY_KEYS:
        if data.get(key):
            text += f"\n## {key.capitalize()}\n{str(data[key]).strip()}\n"
    return text.encode("utf-8")


def text_values(flat: dict):
    """(field, text) for every piece of free text in an entry, for the privacy guard."""
    for key, value in flat.items():
        if key.startswith("_"):
            continue
        if isinstance(value, str):
            yield key, value
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    yield key, item
                elif isinstance(item, dict):
                    for sub, subvalue in item.items():
                        if isinstance(subvalue, str) and sub in ("citaat", "toelichting"):
                            yield key, subvalue
                        elif sub == "bronnen" and isinstance(subvalue, list):   # the citations of a relation
                            for citation in subvalue:
                                if isinstance(citation, dict) and isinstance(citation.get("citaat"), str):
                                    yield key, citation["citaat"]


SLUG = re.compile(r"[^a-z0-9]+")


def slug(title: str) -> str:
    """An id from a title.

    >>> slug("Wet Bibob in Assen: één loket!")
    'wet-bibob-in-assen-een-loket'
    """
    import unicodedata

    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return SLUG.sub("-", plain).strip("-")[:80].rstrip("-") or "praktijk"
