"""Bulk in the browser: import practices from CSV or XLSX (validated row by row, all or nothing unless the
user chooses the good rows as concepts), the template to start from, and the export of any list or search
result to CSV or XLSX. The rules are the library's (`kast.curation.bulk`)."""
from dataclasses import replace

from flask import Blueprint, Response, render_template, request
from flask_login import login_required

from kast.curation import CurationError
from kast.curation.bulk import COLUMNS, BulkError, entry_row, template, write_table
from kast.describe import label

from . import finder
from .curation import curation, editor, site
from .kinds import BY_NAME, NAMES

bp = Blueprint("bulk", __name__)
TYPES = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
MAX_UPLOAD = 10 * 1024 * 1024
MAX_EXPORT = 5000      # rows of one export: a whole collection of the real kast fits many times over
EXPORT_COLUMNS = ["id", "type", "naam", "adres"] + [c for c in COLUMNS if c != "id"]


def download(body: bytes, fmt: str, name: str) -> Response:
    return Response(body, mimetype=TYPES[fmt], headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@bp.get("/redactie/sjabloon.<any(csv, xlsx):fmt>")
def sample(fmt: str):
    return download(template(fmt), fmt, "praktijken-sjabloon")


@bp.route("/redactie/import", methods=["GET", "POST"])
@login_required
def upload():
    if request.method == "GET":
        return render_template("redactie_import.html", result=None, error=None)
    file = request.files.get("bestand")
    name = (file.filename or "") if file else ""
    fmt = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if fmt not in TYPES:
        return render_template("redactie_import.html", result=None,
                               error="Kies een bestand dat eindigt op .csv of .xlsx."), 400
    data = file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        return render_template("redactie_import.html", result=None,
                               error="Het bestand is groter dan 10 MB; splits het in delen."), 413
    try:
        result = curation().import_table(editor(), data, fmt, request.form.get("goede-rijen") == "ja")
    except (BulkError, CurationError) as exc:
        return render_template("redactie_import.html", result=None, error=str(exc)[:1].upper() + str(exc)[1:]), 400
    return render_template("redactie_import.html", result=result, error=None, name=name), 200 if result.ok else 422


def _export(query, collection, fmt: str, stem: str):
    """The results of a search or list page, every page of them, as a table."""
    kast, rows, page = site().kast, [], 1
    while len(rows) < MAX_EXPORT:
        found = finder.run(site(), replace(query, page=page, size=finder.MAX_SIZE), collection)
        for r in found["results"]:
            item = kast.items[r["id"]]
            row = {"id": r["id"], "type": item.kind, "naam": label(kast, item.iri),
                   "adres": f"{request.host_url}{r['collection']}/{r['id']}" if r.get("collection") else ""}
            if item.kind == "praktijk":
                published = curation().published(r["id"])
                if published is not None:
                    row.update({k: v for k, v in entry_row(published[0]).items() if k != "id"})
            rows.append(row)
        if page >= found["pages"]:
            break
        page += 1
    return download(write_table(rows[:MAX_EXPORT], fmt, EXPORT_COLUMNS), fmt, stem)


@bp.get("/zoeken/export.<any(csv, xlsx):fmt>")
def search_export(fmt: str):
    query = finder.parse(request.args, known=finder.known_facets(None))
    return _export(query, None, fmt, "zoekresultaten")


@bp.get("/<any(" + ", ".join(NAMES) + "):collection>/export.<any(csv, xlsx):fmt>")
def list_export(collection: str, fmt: str):
    coll = BY_NAME[collection]
    query = finder.parse(request.args, default_size=20, known=finder.known_facets(coll))
    return _export(query, coll, fmt, collection)
