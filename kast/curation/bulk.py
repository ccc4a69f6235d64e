"""Import practices from CSV or XLSX, and export entries to CSV or XLSX.

The columns are the field names of the file format (docs/dataformaat.md); lists are separated by ';'
and a source citation is written `bron:sectie` (`003:4.3; 001:4`). Every row is checked with the same
validator and privacy guard as the editor; messages name row, column and reason. When any row is wrong
nothing is imported, unless the caller asks to import the good rows as concepts.
"""
import csv
import io
from dataclasses import dataclass, field

from ..fields import PRACTICE, PRACTICE_BODY
from . import entry as entry_format
from .identity import Editor, NotAllowed

# The columns follow the one table of fields (kast.fields), so a new field is a new column by itself.
COLUMNS = (["id"] + [f.key for f in PRACTICE if f.key not in entry_format.MANAGED] + ["bronnen"]
           + [f.key for f in PRACTICE_BODY])
LISTS = {f.key for f in PRACTICE if f.type in ("refs", "concepts", "texts")}
YEARS = {"periode.van", "periode.tot"}
MAX_ROWS = 5000
MAX_BYTES = 10 * 1024 * 1024
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXAMPLE = {
    "id": "voorbeeld-bibob-toets-vakantieparken", "titel": "Voorbeeld: Bibob-toets bij vakantieparken",
    "soort": "best", "aard": "lokale-praktijk", "samenvatting": "Voorbeeldregel: vervang deze door uw eigen praktijk.",
    "zichtbaarheid": "openbaar", "actoren": "gm0106", "instrumenten": "wet-bibob",
    "themas": "deelaspect-georganiseerde-criminaliteit", "gemeenten": "gm0106", "regios": "pv22",
    "periode.van": "2022", "bewijsniveau": "beschreven", "effect": "onbekend", "context.grootte": "middelgroot",
    "contact.organisatie": "gm0106", "contact.functie": "Bibob-coördinator", "bronnen": "003:4.3",
    "probleem": "Wat speelde er?", "aanpak": "Wat is er gedaan, door wie, met welk instrument?",
    "werkingsmechanisme": "Waarom werkt het?", "resultaat": "Wat leverde het op?",
    "lessen": "- Eerste les", "overdraagbaarheid": "Voor welke gemeenten is dit geschikt?",
}


class BulkError(ValueError):
    """The file as a whole cannot be read (format, size, header); the message says why."""


@dataclass
class RowMessage:
    row: int
    column: str | None
    text: str
    severity: str = "fout"

    def __str__(self) -> str:
        return f"rij {self.row}" + (f", kolom '{self.column}'" if self.column else "") + f": {self.text}"

    def as_dict(self) -> dict:
        return {"rij": self.row, "kolom": self.column, "melding": self.text, "ernst": self.severity}


@dataclass
class ImportResult:
    rows: int
    messages: list = field(default_factory=list)
    imported: list = field(default_factory=list)    # (row, proposal id)
    refused_rows: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused_rows

    def as_dict(self) -> dict:
        return {"rijen": self.rows, "geimporteerd": [{"rij": r, "voorstel": p} for r, p in self.imported],
                "geweigerde-rijen": self.refused_rows, "meldingen": [m.as_dict() for m in self.messages]}


# ------------------------------------------------------------------ files


def _cell(value) -> str:
    """Text for a spreadsheet cell, never read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _uncell(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def write_table(rows: list[dict], fmt: str, columns: list[str] = COLUMNS) -> bytes:
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
        return out.getvalue().encode("utf-8-sig")   # the BOM makes Excel read UTF-8
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "praktijken"
        sheet.append(columns)
        for row in rows:
            sheet.append([str(row.get(c) or "") for c in columns])
            for cell in sheet[sheet.max_row]:
                cell.data_type = "s"    # text, never a formula
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    raise BulkError(f"onbekend formaat '{fmt}': kies csv of xlsx")


def template(fmt: str) -> bytes:
    """An empty import file with every column and one example row."""
    return write_table([EXAMPLE], fmt)


def read_table(data: bytes, fmt: str) -> list[tuple[int, dict]]:
    """(row number as the user sees it, {column: text}) for every non-empty row."""
    if len(data) > MAX_BYTES:
        raise BulkError(f"het bestand is groter dan {MAX_BYTES // (1024 * 1024)} MB")
    if fmt == "csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BulkError("het CSV-bestand is geen UTF-8-tekst; sla het op als 'CSV UTF-8'") from None
        first = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first.count)   # Dutch Excel writes ';'
        try:
            table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        except csv.Error as exc:
            raise BulkError(f"het CSV-bestand is niet te lezen: {exc}") from None
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:   # openpyxl raises many types for a file that is not a workbook
            raise BulkError("het bestand is geen leesbaar XLSX-werkboek") from None
        table = [["" if v is None else str(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    else:
        raise BulkError(f"onbekend formaat '{fmt}': kies csv of xlsx")
    if not table:
        raise BulkError("het bestand is leeg")
    header = [h.strip() for h in table[0]]
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise BulkError(f"onbekende kolom(men) in rij 1: {', '.join(unknown)}; gebruik het sjabloon")
    if "titel" not in header:
        raise BulkError("de kolom 'titel' ontbreekt in rij 1; gebruik het sjabloon")
    rows = []
    for number, values in enumerate(table[1:], start=2):
        row = {h: _uncell(v.strip()) for h, v in zip(header, values) if h}
        if any(row.values()):
            rows.append((number, row))
    if len(rows) > MAX_ROWS:
        raise BulkError(f"hooguit {MAX_ROWS} rijen per bestand")
    return rows


def row_fields(row: dict, number: int) -> tuple[dict, list[RowMessage]]:
    """The flat fields of one row, with messages for values that cannot be read."""
    fields, messages = {}, []
    for column, text in row.items():
        if not text:
            continue
        if column in LISTS:
            fields[column] = [v.strip() for v in text.split(";") if v.strip()]
        elif column in YEARS:
            if text.isdigit():
                fields[column] = int(text)
            else:
                messages.append(RowMessage(number, column, f"verwacht een jaartal, gevonden '{text[:20]}'"))
        elif column == "bronnen":
            citations = []
            for part in (p.strip() for p in text.split(";") if p.strip()):
                source, sep, section = part.partition(":")
                if not sep:
                    messages.append(RowMessage(number, column, "schrijf een bron als bron:sectie, bijv. 003:4.3"))
                    continue
                citations.append({"bron": source.strip(), "sectie": section.strip()})
            fields[column] = citations
        else:
            fields[column] = text.replace("\r\n", "\n")
    return fields, messages


def entry_row(fields: dict) -> dict:
    """One exported row of a practice."""
    row = {}
    for column in COLUMNS:
        value = fields.get(column)
        if column == "bronnen" and isinstance(value, list):
            value = "; ".join(f"{c.get('bron')}:{c.get('sectie')}" for c in value if isinstance(c, dict))
        elif isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        row[column] = value
    return row


# ------------------------------------------------------------------ import and export


class Bulk:
    def import_table(self, editor: Editor, data: bytes, fmt: str, good_rows_as_concepts: bool = False) -> ImportResult:
        """Check every row; import all rows as concepts, or none when one is wrong (unless asked)."""
        if editor.role not in ("lid", "redacteur", "beheerder"):
            raise NotAllowed("u mag geen praktijken voorstellen")
        rows = read_table(data, fmt)
        result = ImportResult(len(rows))
        context = self.context()
        seen: dict[str, int] = {}
        good = []
        for number, row in rows:
            fields, messages = row_fields(row, number)
            entry_id = fields.get("id") or entry_format.slug(str(fields.get("titel") or ""))
            fields["id"] = entry_id
            fields.setdefault("status", "concept")
            if entry_id in seen:
                messages.append(RowMessage(number, "id", f"hetzelfde id als rij {seen[entry_id]}"))
            seen.setdefault(entry_id, number)
            if entry_id in context.items:
                messages.append(RowMessage(number, "id", f"het id '{entry_id}' bestaat al in de kast"))
            for m in context.validate(fields):
                messages.append(RowMessage(number, m.field, m.text, m.severity))
            for finding in self._scan(fields, entry_id):
                messages.append(RowMessage(number, finding.field, finding.message,
                                           "fout" if finding.blocking else "waarschuwing"))
            result.messages += messages
            if any(m.severity == "fout" for m in messages):
                result.refused_rows.append(number)
            else:
                good.append((number, fields))
        if result.refused_rows and not good_rows_as_concepts:
            return result
        for number, fields in good:
            saved = self.propose(editor, fields, fields["id"], action="bulkimport", extra={"Rij": str(number)})
            result.imported.append((number, saved.proposal.id))
        return result

    def export_entries(self, entry_ids: list[str], fmt: str, reader=None) -> bytes:
        """The published practices `entry_ids` as a table; what `reader` may not see is left out."""
        from ..visibility import ANONYMOUS, PUBLIC_STATUS

        reader = reader or ANONYMOUS
        rows = []
        for entry_id in entry_ids:
            found = self.published(entry_id)
            if found is None:
                continue
            fields = found[0]
            visible = (fields.get("zichtbaarheid") or "openbaar") in reader.visible and (
                reader.sees_unpublished or (fields.get("status") or "gepubliceerd") in PUBLIC_STATUS)
            if visible:
                rows.append(entry_row(fields))
        return write_table(rows, fmt)
