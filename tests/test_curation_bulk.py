"""Bulk import from CSV and XLSX (row by row, all or nothing unless asked) and export to CSV and XLSX."""
import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from kast.curation.bulk import COLUMNS, BulkError, entry_row, read_table, template
from kast.visibility import Reader

from .curation_support import LID, REDACTEUR, REDACTEUR2, content, cur, new_practice  # noqa: F401


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _xlsx(rows: list[dict]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([row.get(c, "") for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row(**overrides) -> dict:
    row = entry_row(new_practice())
    row.update(overrides)
    return row


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_has_every_column_and_an_example_row_that_imports(cur, fmt):
    data = template(fmt)
    rows = read_table(data, fmt)
    assert len(rows) == 1 and rows[0][0] == 2 and set(rows[0][1]) == set(COLUMNS)
    result = cur.import_table(LID, data, fmt)
    assert result.ok, [str(m) for m in result.messages]
    assert len(result.imported) == 1


@pytest.mark.parametrize("fmt,make", [("csv", _csv), ("xlsx", _xlsx)])
def test_a_wrong_row_stops_the_import_with_row_column_and_reason(cur, fmt, make):
    rows = [_row(id="goede-praktijk-een"), _row(id="foute-praktijk", actoren="bestaat-niet", **{"periode.van": "ooit"}),
            _row(id="goede-praktijk-twee", titel="Tweede goede praktijk")]
    result = cur.import_table(LID, make(rows), fmt)
    assert not result.ok and result.imported == [] and result.refused_rows == [3]
    where = {(m.row, m.column) for m in result.messages if m.severity == "fout"}
    assert (3, "actoren") in where and (3, "periode.van") in where
    assert any("bestaat-niet" in m.text and m.row == 3 for m in result.messages)
    assert cur.proposals() == []

    # the caller may choose to import the good rows as concepts
    result = cur.import_table(LID, make(rows), fmt, good_rows_as_concepts=True)
    assert [r for r, _ in result.imported] == [2, 4]
    assert {p.status for p in cur.proposals()} == {"concept"}
    assert {p.entry_id for p in cur.proposals()} == {"goede-praktijk-een", "goede-praktijk-twee"}


def test_personal_data_and_duplicates_are_refused_per_row(cur):
    rows = [_row(id="een"), _row(id="een"), _row(id="drie", samenvatting="Mail naar jan@gemeente.nl")]
    result = cur.import_table(LID, _csv(rows), "csv")
    assert result.refused_rows == [3, 4]
    assert any(m.row == 4 and m.column == "samenvatting" and "e-mailadres" in m.text for m in result.messages)
    assert "jan@gemeente.nl" not in str(result.as_dict())
    assert any(m.row == 3 and m.column == "id" for m in result.messages)


def test_unreadable_files_say_why(cur):
    with pytest.raises(BulkError, match="onbekende kolom"):
        read_table(b"titel,kleur\nx,rood\n", "csv")
    with pytest.raises(BulkError, match="XLSX"):
        read_table(b"geen werkboek", "xlsx")
    with pytest.raises(BulkError, match="UTF-8"):
        read_table("titel\ncoördinator\n".encode("latin-1"), "csv")


def test_semicolon_separated_csv_from_a_dutch_excel_is_read(cur):
    text = ";".join(COLUMNS) + "\n" + ";".join(
        str(_row()[c] or "").replace(";", ",") for c in COLUMNS) + "\n"
    rows = read_table(text.encode("utf-8-sig"), "csv")
    assert rows[0][1]["titel"] == new_practice()["titel"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_leaves_out_what_the_reader_may_not_see_and_writes_no_formulas(cur, fmt):
    for fields in (new_practice(), new_practice(id="alleen-netwerk", titel="=HYPERLINK(\"x\")", zichtbaarheid="netwerk")):
        pid = cur.propose(REDACTEUR, fields).proposal.id
        cur.submit(REDACTEUR, pid)
        cur.publish(REDACTEUR2, pid)
    ids = ["bibob-toets-bij-vakantieparken-in-assen", "alleen-netwerk", "bestaat-niet"]
    public = read_table(cur.export_entries(ids, fmt), fmt)
    assert [r["id"] for _, r in public] == ["bibob-toets-bij-vakantieparken-in-assen"]
    member = cur.export_entries(ids, fmt, Reader("lid", "gm0106"))
    rows = read_table(member, fmt)
    assert [r["id"] for _, r in rows] == ids[:2]
    assert rows[1][1]["titel"] == "=HYPERLINK(\"x\")"     # round-trips as text
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(member)).active
        assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row if cell.value)
    else:
        assert "'=HYPERLINK" in member.decode("utf-8-sig")
