"""Curation of actors, instruments and concepts (themes, ambitions) in the browser: the same proposals,
review, history and revert as for practices (web.curation), at /actoren/<id>/bewerken and so on, and new
ones at /redactie/nieuw/actoren (instrumenten, themas, ambities). Every rule is the library's; a lid
proposes, a redacteur edits and publishes, nobody their own.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from kast.curation import Conflict, CurationError, kinds
from kast.curation.diff import describe

from . import curation_form as cf
from .curation import ROWS_ADDED, curation, editor, failed, form_page, form_specs, more_rows, site, submitted
from .errors import error_page

bp = Blueprint("redactie_items", __name__)
# the site's collections whose entries live in list files → the loader's kinds in them
COLLECTIONS = {"actoren": ("actor",), "instrumenten": ("instrument",), "themas": ("thema",), "ambities": ("ambitie",)}
EDITABLE = "<any(" + ", ".join(COLLECTIONS) + "):collection>"
# a new entry of these collections: the loader's kind (also what it is called)
NEW = {"actoren": "actor", "instrumenten": "instrument", "themas": "thema", "ambities": "ambitie"}


def _kind(collection: str, entry_id: str) -> str:
    """The loader's kind of a visible entry of this collection, or 404."""
    item = site().kast.items.get(entry_id)
    if item is None or item.kind not in COLLECTIONS[collection] or not site().public(entry_id):
        abort(404)
    return item.kind


@bp.route(f"/{EDITABLE}/<entry_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(collection: str, entry_id: str):
    kind = _kind(collection, entry_id)
    cur, me = curation(), editor()
    current = cur.published(entry_id, me, kind)
    if current is None:   # e.g. an actor from the reference tables: not in a list file of the curation
        return error_page(404, "Dit item wordt niet via de redactie beheerd.")
    action = url_for("redactie_items.edit", collection=collection, entry_id=entry_id)
    if request.method == "GET":
        return form_page(current[0], action, current[1], entry_id=entry_id, kind=kind)
    fields = submitted(kind)
    if (extra := more_rows()) is not None:
        return form_page(fields, action, request.form.get("versie"), entry_id=entry_id, kind=kind,
                         relation_extra=extra, note=ROWS_ADDED)
    try:
        result = cur.propose(me, fields, entry_id, request.form.get("versie"), kind=kind,
                             override=request.form.get("reden-geen-persoonsgegeven") or None)
    except Conflict as exc:
        return form_page(current[0], action, exc.current_version, status=409, error=str(exc),
                         conflict={"fields": exc.fields, "mine": fields}, entry_id=entry_id, kind=kind)
    except CurationError as exc:
        return failed(exc, fields=fields, action=action, version=request.form.get("versie"), entry_id=entry_id,
                      kind=kind)
    flash(result.note.replace("Opgeslagen.", "Uw wijziging is bewaard als voorstel.", 1)
          + " Bied het voorstel ter beoordeling aan als het af is.")
    return redirect(url_for("redactie.proposal", proposal_id=result.proposal.id))


@bp.route(f"/redactie/nieuw/{EDITABLE}", methods=["GET", "POST"])
@login_required
def new(collection: str):
    """Propose a new actor, instrument, theme or ambition, appended to a list file the proposer picks."""
    kind = name = NEW[collection]
    cur = curation()
    handler = kinds.of(kind)
    files = handler.files(cur.repo, cur.repo.head(cur.repo.published_ref), kind if handler.scheme else None)
    action = url_for("redactie_items.new", collection=collection)
    page = dict(kind=kind, files=files, kind_name=name)
    if request.method == "GET":
        return form_page({}, action, file=kinds.DEFAULT_FILES.get(handler.name), **page)
    fields, file = submitted(kind), request.form.get("bestand", "").strip() or None
    if request.form.get("id", "").strip():
        fields["id"] = request.form["id"].strip()
    if (extra := more_rows()) is not None:
        return form_page(fields, action, file=file, relation_extra=extra, note=ROWS_ADDED, **page)
    try:
        result = cur.propose(editor(), fields, kind=kind, file=file, create=True,
                             override=request.form.get("reden-geen-persoonsgegeven") or None)
    except CurationError as exc:
        return failed(exc, fields=fields, action=action, file=file, **page)
    flash(f"Uw voorstel voor {kinds.a_new(name)} is bewaard als concept. Bied het ter beoordeling aan als het af is.")
    return redirect(url_for("redactie.proposal", proposal_id=result.proposal.id))


@bp.get(f"/{EDITABLE}/<entry_id>/geschiedenis")
def history(collection: str, entry_id: str):
    kind = _kind(collection, entry_id)
    me = editor() if current_user.is_authenticated else None
    try:
        events = curation().history(entry_id, me, kind=kind)
    except CurationError as exc:
        return failed(exc)
    return render_template("geschiedenis.html", entry_id=entry_id, events=events, collection=collection,
                           title=site().kast.graph.value(site().kast.iri(entry_id), cf.SKOS.prefLabel))


@bp.get(f"/{EDITABLE}/<entry_id>/versies/<versie>")
def version(collection: str, entry_id: str, versie: str):
    kind = _kind(collection, entry_id)
    me = editor() if current_user.is_authenticated else None
    try:
        fields = curation().version_at(entry_id, versie, me, kind=kind)
    except CurationError as exc:
        return failed(exc)
    return render_template("versie.html", entry_id=entry_id, versie=versie, fields=fields, describe=describe,
                           specs=form_specs(kind),
                           values=cf.values, collection=collection, title=fields.get("naam"))


@bp.post(f"/{EDITABLE}/<entry_id>/terugzetten")
@login_required
def revert(collection: str, entry_id: str):
    kind = _kind(collection, entry_id)
    try:
        result = curation().revert(editor(), entry_id, request.form.get("versie", ""),
                                   request.form.get("toelichting", ""), kind=kind)
    except CurationError as exc:
        return failed(exc)
    flash("De oude versie is als nieuw voorstel klaargezet; na beoordeling wordt ze gepubliceerd.")
    return redirect(url_for("redactie.proposal", proposal_id=result.proposal.id))
