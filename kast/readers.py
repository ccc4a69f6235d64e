"""Read the entry files under data/ into plain entries, reporting broken files instead of raising.

A file that cannot be read yields a message naming the file and the reason; every other file still
loads. Files are untrusted input (the curation screens write them): oversized files and control characters
are refused here, unsafe YAML in `kast.safeyaml`.
"""
import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .fields import BODY_HEADINGS
from .privacy import find_personal_data
from .safeyaml import YAML_LOADER, UnsafeYAML, parse_yaml  # noqa: F401  (YAML_LOADER: for other modules)

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_ENTRY_BYTES = 256 * 1024          # one practice is a few kB; a list of actors or instruments ~60 kB
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")   # C0 controls except tab, newline, return


@dataclass
class Message:
    """One finding of the loader or validator, in Dutch, pointing at a file and field."""

    file: str
    text: str
    field: str | None = None
    entry: str | None = None
    severity: str = "fout"  # fout | waarschuwing

    def __str__(self) -> str:
        where = self.file
        if self.entry:
            where += f" [{self.entry}]"
        if self.field:
            where += f" veld '{self.field}'"
        return f"{self.severity}: {where}: {self.text}"

    def as_dict(self) -> dict:
        return {"bestand": self.file, "item": self.entry, "veld": self.field, "melding": self.text,
                "ernst": self.severity}


@dataclass
class Entry:
    kind: str
    id: str
    data: dict
    file: str
    scheme: str | None = None          # for concepts: the id of their scheme
    messages: list = field(default_factory=list)
    personal: dict | None = None       # text → personal-data findings, when scanned while reading


def scan_personal_data(entry: Entry) -> Entry:
    """Record the personal-data findings of every text in the entry (done in the reading processes, so the
    builder only looks them up).

    >>> scan_personal_data(Entry("praktijk", "x", {"titel": " Bel 06-12345678 ", "n": [1]}, "f")).personal
    {'Bel 06-12345678': ['telefoonnummer …678']}
    """
    found, todo = {}, [entry.data]
    while todo:
        value = todo.pop()
        if isinstance(value, dict):
            todo.extend(value.values())
        elif isinstance(value, list):
            todo.extend(value)
        elif value is not None:
            text = str(value).strip()
            findings = find_personal_data(text)
            if findings:
                found[text] = findings
    entry.personal = found
    return entry


# Where each kind of entry file lives, in reading order: (folder, pattern, kind of file).
FILE_KINDS = (("sources", "*.yaml", "bron"), ("actors", "*.yaml", "actor"), ("instruments", "*.yaml", "instrument"),
              ("themes", "*.yaml", "schema"), ("practices", "*.md", "praktijk"))
REFERENCE = "reference"   # the CSV tables are read together (municipalities refer to regions)


def kind_of_file(data_dir: Path, path: Path) -> str | None:
    """The kind of entry file at `path` ('reference' for the tables), or None when the kast ignores it.

    >>> kind_of_file(Path("data"), Path("data/practices/x.md")), kind_of_file(Path("data"), Path("data/x.txt"))
    ('praktijk', None)
    """
    try:
        parts = Path(path).relative_to(data_dir).parts
    except ValueError:
        return None
    if len(parts) != 2:
        return None
    if parts[0] == REFERENCE and parts[1].endswith(".csv"):
        return REFERENCE
    for folder, pattern, kind in FILE_KINDS:
        if parts[0] == folder and Path(parts[1]).match(pattern):
            return kind
    return None


class Reader:
    """Collects entries and messages from one data folder."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.entries: list[Entry] = []
        self.messages: list[Message] = []

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.data_dir.parent))
        except ValueError:
            return str(path)

    def error(self, path: Path, text: str, field: str | None = None, entry: str | None = None) -> None:
        self.messages.append(Message(self.rel(path), text, field, entry))

    def files(self) -> list[tuple[Path, str]]:
        """Every entry file with its kind, in reading order (the reference tables last, as one unit)."""
        d = self.data_dir
        found = [(path, kind) for folder, pattern, kind in FILE_KINDS for path in sorted((d / folder).glob(pattern))]
        if (d / REFERENCE).is_dir():
            found.append((d / REFERENCE, REFERENCE))
        return found

    def read_all(self) -> "Reader":
        if not self.data_dir.is_dir():
            self.error(self.data_dir, "de datamap bestaat niet")
            return self
        for path, kind in self.files():
            self.read(path, kind)
        return self

    def read(self, path: Path, kind: str) -> "Reader":
        """Read one entry file (or the reference folder) of the given kind."""
        if kind == REFERENCE:
            self._read_reference(path)
            return self
        text = self._text(path)
        if text is None:
            return self
        if kind == "praktijk":
            self._read_practice(path, text)
        elif kind == "bron":
            data, ok = self._yaml(path, text)
            if ok:
                self._add(path, kind, data)
        elif kind == "schema":
            self._read_scheme(path, text)
        else:
            self._read_list(path, kind, text)
        return self

    # ------------------------------------------------------------------ parsing helpers

    def _text(self, path: Path) -> str | None:
        """The file as text, or None (with a message) when it is missing, too large, not UTF-8 or has
        control characters."""
        try:
            if path.stat().st_size > MAX_ENTRY_BYTES:
                self.error(path, f"het bestand is groter dan {MAX_ENTRY_BYTES // 1024} kB; een item hoort veel "
                                 "kleiner te zijn (splits het op)")
                return None
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            self.error(path, "het bestand is geen geldige UTF-8-tekst")
            return None
        except OSError as exc:
            self.error(path, f"kan het bestand niet lezen: {exc.strerror}")
            return None
        bad = CONTROL.search(text)
        if bad:
            line = text.count("\n", 0, bad.start()) + 1
            self.error(path, f"onzichtbaar stuurteken (U+{ord(bad.group()):04X}) op regel {line}; "
                             "haal het weg")
            return None
        return text.removeprefix("\ufeff")

    def _yaml(self, path: Path, text: str, line_offset: int = 0):
        try:
            return parse_yaml(text), True
        except UnsafeYAML as exc:
            self.error(path, f"ongeldige YAML: {exc}")
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (regel {mark.line + 1 + line_offset}, kolom {mark.column + 1})" if mark else ""
            problem = getattr(exc, "problem", None) or "onleesbare YAML"
            self.error(path, f"ongeldige YAML{where}: {problem}")
        except (ValueError, TypeError, OverflowError, RecursionError) as exc:
            # e.g. a date such as 2017-13-45, which the YAML resolver accepts and Python's date refuses
            self.error(path, f"ongeldige waarde in de YAML: {exc}")
        return None, False

    def _add(self, path: Path, kind: str, data, scheme: str | None = None) -> None:
        if not isinstance(data, dict):
            self.error(path, f"verwacht een item met velden, gevonden: {_type_name(data)}")
            return
        raw_id = data.get("id")
        if isinstance(raw_id, int) and not isinstance(raw_id, bool) and kind == "bron":
            raw_id = f"{raw_id:03d}"   # unquoted 000 in YAML reads as the number 0
        if not isinstance(raw_id, str) or not ID_PATTERN.match(raw_id) or len(raw_id) > 120:
            shown = repr(raw_id) if len(repr(raw_id)) < 60 else repr(raw_id)[:60] + "…"
            self.error(path, f"ontbrekend of ongeldig id {shown}: gebruik kleine letters, cijfers en "
                             "koppeltekens (hooguit 120 tekens)", "id")
            return
        bad_keys = [k for k in data if not isinstance(k, str)]
        if bad_keys:
            self.error(path, f"veldnamen zijn tekst, gevonden: {bad_keys[0]!r}", entry=raw_id)
            return
        self.entries.append(Entry(kind, raw_id, data, self.rel(path), scheme))

    # ------------------------------------------------------------------ file kinds

    def _read_list(self, path: Path, kind: str, text: str) -> None:
        data, ok = self._yaml(path, text)
        if not ok:
            return
        if data is None:
            return
        if not isinstance(data, list):
            self.error(path, "verwacht een lijst van items (regels die met '- id:' beginnen)")
            return
        for item in data:
            self._add(path, kind, item)

    def _read_scheme(self, path: Path, text: str) -> None:
        data, ok = self._yaml(path, text)
        if not ok:
            return
        if not isinstance(data, dict) or not isinstance(data.get("schema"), dict):
            self.error(path, "verwacht een blok 'schema:' met het begrippenkader en een lijst 'begrippen:'")
            return
        scheme = data["schema"]
        kind = scheme.get("soort", "thema")
        if kind not in ("thema", "ambitie"):
            self.error(path, f"onbekende soort {str(kind)[:40]!r}: kies thema of ambitie", "schema.soort")
            return
        scheme_id = scheme.get("id")
        before = len(self.entries)
        self._add(path, "begrippenkader", scheme)
        if len(self.entries) == before:
            return   # without a valid scheme id its concepts have nowhere to belong
        concepts = data.get("begrippen") or []
        if not isinstance(concepts, list):
            self.error(path, "'begrippen' moet een lijst zijn", "begrippen")
            return
        for item in concepts:
            self._add(path, kind, item, scheme=scheme_id)

    def _read_practice(self, path: Path, text: str) -> None:
        head, body_text = split_front_matter(text)
        if head is None:
            self.error(path, "een praktijk begint met een YAML-kop tussen twee regels '---'")
            return
        data, ok = self._yaml(path, head, line_offset=1)
        if not ok:
            return
        if data is None:
            data = {}
        if not isinstance(data, dict):
            self.error(path, f"de kop van een praktijk bevat velden ('titel: ...'), gevonden: {_type_name(data)}")
            return
        body, problems = split_body(body_text)
        entry_id = data.get("id") if isinstance(data.get("id"), str) else None
        for heading in problems:
            self.error(path, f"onbekend kopje '## {heading[:60]}'; gebruik: "
                             + ", ".join(BODY_HEADINGS), entry=entry_id)
        for key in body:
            if key in data:
                self.error(path, f"'{key}' staat zowel in de kop als als kopje in de tekst", key, entry_id)
        data.update(body)
        if data.get("id") != path.stem:
            shown = repr(data.get("id"))[:60]
            self.error(path, f"het id {shown} moet gelijk zijn aan de bestandsnaam {path.stem!r}", "id")
            return
        self._add(path, "praktijk", data)

    def _read_reference(self, ref: Path) -> None:
        from .reference import reference_entries   # reference data has its own mapping

        for entry in reference_entries(ref, self):
            self.entries.append(entry)

    def read_csv(self, path: Path) -> list[dict]:
        try:
            with path.open(encoding="utf-8", newline="") as f:
                return list(csv.DictReader(f))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            self.error(path, f"kan de tabel niet lezen: {exc}")
            return []


def _type_name(value) -> str:
    return {"list": "een lijst", "str": "tekst", "int": "een getal", "float": "een getal", "bool": "ja/nee",
            "NoneType": "niets", "dict": "velden"}.get(type(value).__name__, type(value).__name__)


FENCE = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)


def split_front_matter(text: str) -> tuple[str | None, str]:
    r"""The YAML head between the first two '---' lines and the Markdown after it; (None, text) without a head.

    >>> split_front_matter("---\nid: x\n---\n## Probleem\n")
    ('id: x\n', '## Probleem\n')
    """
    if not text.startswith("---"):
        return None, text
    first = FENCE.match(text)
    if not first:
        return None, text
    second = FENCE.search(text, first.end())
    if not second:
        return None, text
    return text[first.end() + 1:second.start()], text[second.end() + 1:]


HEADING = re.compile(r"^##\s+(.+?)\s*$", re.MULTILINE)


def split_body(markdown: str) -> tuple[dict[str, str], list[str]]:
    """Split a practice body into its fixed sections; return (fields, unknown headings).

    >>> split_body("## Probleem\\nTe weinig zicht.\\n\\n## Lessen\\n- Begin klein")
    ({'probleem': 'Te weinig zicht.', 'lessen': '- Begin klein'}, [])
    """
    fields, unknown = {}, []
    parts = HEADING.split(markdown)
    for heading, text in zip(parts[1::2], parts[2::2]):
        spec = BODY_HEADINGS.get(heading.strip().capitalize())
        if spec is None:
            unknown.append(heading.strip())
        else:
            fields[spec.key] = text.strip()
    return fields, unknown
