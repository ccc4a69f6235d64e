"""Read the entry files under data/ into plain entries, reporting broken files instead of raising.

A file that cannot be read yields a message naming the file and the reason; every other file still
loads.
"""
import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml

from .fields import BODY_HEADINGS

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# libyaml's safe loader where PyYAML was built with it: five times faster on 10,000 practice files.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FastYAMLHandler(frontmatter.YAMLHandler):
    def load(self, fm: str, **kwargs):
        return yaml.load(fm, Loader=YAML_LOADER)


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


class Reader:
    """Collects entries and messages from one data folder."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.entries: list[Entry] = []
        self.messages: list[Message] = []

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.data_dir.parent))
        except ValueError:
            return str(path)

    def error(self, path: Path, text: str, field: str | None = None, entry: str | None = None) -> None:
        self.messages.append(Message(self.rel(path), text, field, entry))

    def read_all(self) -> "Reader":
        d = self.data_dir
        if not d.is_dir():
            self.error(d, "de datamap bestaat niet")
            return self
        for path in sorted((d / "sources").glob("*.yaml")):
            self._read_object(path, "bron")
        for path in sorted((d / "actors").glob("*.yaml")):
            self._read_list(path, "actor")
        for path in sorted((d / "instruments").glob("*.yaml")):
            self._read_list(path, "instrument")
        for path in sorted((d / "themes").glob("*.yaml")):
            self._read_scheme(path)
        for path in sorted((d / "practices").glob("*.md")):
            self._read_practice(path)
        self._read_reference(d / "reference")
        return self

    # ------------------------------------------------------------------ parsing helpers

    def _yaml(self, path: Path, text: str | None = None, line_offset: int = 0):
        try:
            text = path.read_text(encoding="utf-8") if text is None else text
            return yaml.load(text, Loader=YAML_LOADER), True
        except UnicodeDecodeError:
            self.error(path, "het bestand is geen geldige UTF-8-tekst")
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (regel {mark.line + 1 + line_offset}, kolom {mark.column + 1})" if mark else ""
            problem = getattr(exc, "problem", None) or "onleesbare YAML"
            self.error(path, f"ongeldige YAML{where}: {problem}")
        except OSError as exc:
            self.error(path, f"kan het bestand niet lezen: {exc.strerror}")
        return None, False

    def _add(self, path: Path, kind: str, data, scheme: str | None = None) -> None:
        if not isinstance(data, dict):
            self.error(path, f"verwacht een item met velden, gevonden: {type(data).__name__}")
            return
        raw_id = data.get("id")
        if isinstance(raw_id, int) and kind == "bron":
            raw_id = f"{raw_id:03d}"   # unquoted 000 in YAML reads as the number 0
        if not isinstance(raw_id, str) or not ID_PATTERN.match(raw_id):
            self.error(path, f"ontbrekend of ongeldig id {raw_id!r}: gebruik kleine letters, cijfers en "
                             "koppeltekens", "id")
            return
        self.entries.append(Entry(kind, raw_id, data, self.rel(path), scheme))

    # ------------------------------------------------------------------ file kinds

    def _read_object(self, path: Path, kind: str) -> None:
        data, ok = self._yaml(path)
        if ok:
            self._add(path, kind, data)

    def _read_list(self, path: Path, kind: str) -> None:
        data, ok = self._yaml(path)
        if not ok:
            return
        if data is None:
            return
        if not isinstance(data, list):
            self.error(path, "verwacht een lijst van items (regels die met '- id:' beginnen)")
            return
        for item in data:
            self._add(path, kind, item)

    def _read_scheme(self, path: Path) -> None:
        data, ok = self._yaml(path)
        if not ok:
            return
        if not isinstance(data, dict) or not isinstance(data.get("schema"), dict):
            self.error(path, "verwacht een blok 'schema:' met het begrippenkader en een lijst 'begrippen:'")
            return
        scheme = data["schema"]
        kind = scheme.get("soort", "thema")
        if kind not in ("thema", "ambitie"):
            self.error(path, f"onbekende soort {kind!r}: kies thema of ambitie", "schema.soort")
            return
        self._add(path, "begrippenkader", scheme)
        concepts = data.get("begrippen") or []
        if not isinstance(concepts, list):
            self.error(path, "'begrippen' moet een lijst zijn", "begrippen")
            return
        for item in concepts:
            self._add(path, kind, item, scheme=scheme.get("id"))

    def _read_practice(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            self.error(path, "het bestand is geen leesbare UTF-8-tekst")
            return
        if not text.startswith("---"):
            self.error(path, "een praktijk begint met een YAML-kop tussen twee regels '---'")
            return
        try:
            post = frontmatter.loads(text, handler=FastYAMLHandler())
        except yaml.YAMLError:
            # Re-parse the front matter alone for a message with a line number.
            head = text.split("---", 2)[1] if text.count("---") >= 2 else text
            self._yaml(path, head, line_offset=1)
            return
        data = dict(post.metadata)
        body, problems = split_body(post.content)
        for heading in problems:
            self.error(path, f"onbekend kopje '## {heading}'; gebruik: "
                             + ", ".join(BODY_HEADINGS), entry=data.get("id"))
        for key in body:
            if key in data:
                self.error(path, f"'{key}' staat zowel in de kop als als kopje in de tekst", key, data.get("id"))
        data.update(body)
        if data.get("id") != path.stem:
            self.error(path, f"het id {data.get('id')!r} moet gelijk zijn aan de bestandsnaam {path.stem!r}", "id")
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
