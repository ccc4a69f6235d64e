"""Curation in the browser: propose, edit, review and publish practices, with history and a feed of what
is new. Every rule is the library's (`kast.curation`); this module only translates HTTP to it and back.

The content repository is $KAST_CONTENT_REPO (or the config key of that name); without it the library's
default (a repository under $KAST_VAR seeded from data/). The site serves that repository's published work
tree, so what is published is what is shown.
"""
import threading

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from kast.curation import Conflict, ContentRepo, Curation, CurationError, Editor, Rejected, atom, kinds, settings
from kast.curation.diff import describe
from kast.curation.meta import STATUS_LABELS

from . import curation_form as cf, live
from .errors import error_page
from .readers import current_reader

bp = Blueprint("redactie", __name__)
_lock = threading.Lock()


def content_repository(cfg) -> str:
    """Where the content repository of this app is, made (and seeded from the data folder) when missing.

    $KAST_CONTENT_REPO names it; otherwise the data folder is the repository, except the project's own
    data/, which is never committed into: then a repository under the runtime folder ($KAST_VAR) is
    seeded with a copy of it. The site serves the repository's published work tree.
    """
    with _lock:
        return settings.open_repo(cfg.get("KAST_DATA"), explicit=cfg.get("KAST_CONTENT_REPO"),
                                  var=cfg.get("KAST_VAR")).path.as_posix()


def warm_up(app) -> None:
    """The name finder (deduce) takes seconds to start: begin now, off the request path."""
    from kast.curation import guard

    guard.warm_up()


def curation():
    """The curation of this app's content repository, opened once per process."""
    app = current_app
    with _lock:
        if "curation" not in app.extensions:
            app.extensions["curation"] = Curation(ContentRepo(app.config["KAST_CONTENT_REPO"]))
        return app.extensions["curation"]


def published_version(entry_id: str, kind: str = "praktijk") -> str | None:
    found = curation().published(entry_id, kind=kind)
    return found[1] if found else None


def editor() -> Editor:
    a = current_user.account
    return Editor(f"account-{a.id}", a.display_name, a.role, a.organisation)


def site():
    return current_app.extensions["kast"]


def failed(exc: CurationError, **context):
    """A refused action as a page: 404/403/409 as their own pages, validation findings back in the form."""
    if isinstance(exc, Rejected) and context:
        findings = [m for m in exc.messages if m.get("vondst")]            # privacy findings carry an id
        messages = [m for m in exc.messages if not m.get("vondst")]        # the rest: validation, per field
        return form_page(status=422, error=str(exc)[:1].upper() + str(exc)[1:], findings=findings,
                         messages=messages, **context)
    return error_page(exc.status, str(exc)[:1].upper() + str(exc)[1:])


# ------------------------------------------------------------------ overviews

@bp.get("/redactie")
@login_required
def overview():
    me = editor()
    cur = curation()
    queue = cur.review_queue(me) if me.curator else None
    return render_template("redactie.html", work=cur.my_work(me), queue=queue, labels=STATUS_LABELS)


@bp.get("/nieuw-en-gewijzigd")
def recent():
    theme = request.args.get("thema") or None
    items = curation().recent_changes(50, theme, current_reader())
    return render_template("nieuw_gewijzigd.html", items=items, theme=theme,
                           feed=url_for("redactie.feed", **({"thema": theme} if theme else {})))


@bp.get("/nieuw-en-gewijzigd.atom")
def feed():
    theme = request.args.get("thema") or None
    items = curation().recent_changes(50, theme, current_reader())
    body = atom(items, request.host_url, feed_path=request.full_path.rstrip("?"))
    return Response(body, mimetype="application/atom+xml")


# ------------------------------------------------------------------ the form

def form_specs(kind: str = "praktijk"):
    """The form fields of an entry kind, computed once per loaded kast."""
    return site().cached(f"redactie-velden-{kind}", lambda: cf.specs(site().kast, kind))


def collection_of(kind: str, entry_id: str) -> str:
    """The site's collection of an entry of a curation kind (a concept is a thema or an ambitie)."""
    item = site().kast.items.get(entry_id)
    if kind != "praktijk" and item is not None:
        from .kinds import BY_KIND

        return BY_KIND[item.kind].name
    return kinds.of(kind).collection


def form_page(fields: dict, action: str, version: str | None = None, proposal=None, status: int = 200,
              messages=(), findings=(), note: str | None = None, error: str | None = None, conflict=None,
              marked=None, entry_id: str | None = None, kind: str = "praktijk", files=None, file: str | None = None,
              relation_extra: int = cf.RELATION_ROWS_EXTRA, kind_name: str | None = None):
    """The curation form of an entry of `kind`; `files` (path, label) when a new list entry picks its file."""
    kast = site().kast
    specs = form_specs(kind)
    handler = kinds.of(kind)
    if kind_name is None and kind in ("thema", "ambitie"):
        kind_name = kind
    elif kind_name is None and getattr(handler, "scheme", False) and proposal is not None:   # a thema or an ambitie
        repo = curation().repo
        kind_name = handler.loader_kind(repo, repo.head(repo.published_ref), proposal.path)[0]
    relations = None
    if handler.name == "actor":
        relations = {"rows": cf.relation_rows(fields, relation_extra),
                     **site().cached("redactie-relaties", lambda: cf.relation_options(kast))}
    html = render_template(
        "redactie_formulier.html", specs=specs, fields=fields, values=cf.values, action=action, version=version,
        proposal=proposal, sources=site().cached("redactie-bronnen", lambda: cf.sources(kast)),
        citations=cf.citation_rows(fields), by_field=cf.messages_by_field(messages, findings), findings=findings,
        note=note, error=error, conflict=conflict, marked=marked or {}, entry_id=entry_id,
        me=editor(), labels=STATUS_LABELS, kind=handler.name, kind_name=kind_name or handler.label,
        a_new=kinds.a_new, the=kinds.the, target_options=cf.target_options, shown=cf.shown,
        title=handler.title(fields) if fields else "", relations=relations, files=files, file=file)
    return html, status


def submitted(kind: str = "praktijk") -> dict:
    fields = cf.parse(request.form, form_specs(kind))
    if kinds.of(kind).name == "actor":
        relations = cf.parse_relations(request.form)
        if relations is not None:
            fields["relaties"] = relations   # sent, even when empty: removing every relation is an edit too
    return fields


def more_rows() -> int | None:
    """With "Nog een relatie" the form comes back with one more empty row, nothing saved; else None."""
    if request.form.get("actie") != "meer-rijen":
        return None
    shown = str(request.form.get("relaties-extra", "1"))
    return min((int(shown) if shown.isdigit() else 1) + 1, 20)


ROWS_ADDED = "Er staat een lege rij voor een relatie klaar. Er is nog niets opgeslagen."


@bp.route("/redactie/nieuw", methods=["GET", "POST"])
@login_required
def new():
    if request.method == "GET":   # a new practice is public unless the proposer chooses otherwise
        return form_page({"zichtbaarheid": "openbaar"}, url_for("redactie.new"))
    fields = submitted()
    try:
        result = curation().propose(editor(), fields, override=request.form.get("reden-geen-persoonsgegeven") or None)
    except CurationError as exc:
        return failed(exc, fields=fields, action=url_for("redactie.new"))
    flash("Uw voorstel is bewaard als concept. Bied het ter beoordeling aan als het af is.")
    return redirect(url_for("redactie.proposal", proposal_id=result.proposal.id))


@bp.route("/praktijken/<entry_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_published(entry_id: str):
    cur, me = curation(), editor()
    current = cur.published(entry_id, me)
    if current is None or not site().public(entry_id):
        return error_page(404)
    action = url_for("redactie.edit_published", entry_id=entry_id)
    if request.method == "GET":
        return form_page(current[0], action, current[1], entry_id=entry_id)
    fields = submitted()
    try:
        result = cur.propose(me, fields, entry_id, request.form.get("versie"),
                             override=request.form.get("reden-geen-persoonsgegeven") or None)
    except Conflict as exc:
        return form_page(current[0], action, exc.current_version, status=409, error=str(exc),
                         conflict={"fields": exc.fields, "mine": fields}, entry_id=entry_id)
    except CurationError as exc:
        return failed(exc, fields=fields, action=action, version=request.form.get("versie"), entry_id=entry_id)
    flash(result.note.replace("Opgeslagen.", "Uw wijziging is bewaard als voorstel.", 1))
    return redirect(url_for("redactie.proposal", proposal_id=result.proposal.id))


@bp.route("/redactie/voorstellen/<proposal_id>", methods=["GET", "POST"])
@login_required
def proposal(proposal_id: str):
    cur, me = curation(), editor()
    action = url_for("redactie.proposal", proposal_id=proposal_id)
    try:
        draft = cur.draft(me, proposal_id)
    except CurationError as exc:
        return failed(exc)
    if request.method == "GET":
        return page(draft, action)
    fields = submitted(draft.proposal.kind)
    if (extra := more_rows()) is not None:
        return page(draft, action, fields=fields, version=request.form.get("versie"), relation_extra=extra,
                    note=ROWS_ADDED)
    try:
        result = cur.save(me, proposal_id, fields, request.form.get("versie", ""),
                          override=request.form.get("reden-geen-persoonsgegeven") or None)
        if request.form.get("actie") == "indienen":
            cur.submit(me, proposal_id, request.form.get("toelichting", ""))
            flash("Uw voorstel ligt ter beoordeling bij de redactie.")
        else:
            flash(result.note)
    except Conflict as exc:
        return page(cur.draft(me, proposal_id), action, status=409, error=str(exc),
                    conflict={"fields": exc.fields, "mine": fields})
    except CurationError as exc:
        return failed(exc, fields=fields, action=action, version=request.form.get("versie"), proposal=draft.proposal,
                      kind=draft.proposal.kind)
    return redirect(action)


def page(draft, action: str, extra_messages=(), **extra):
    history = curation().proposal_history(editor(), draft.proposal.id)
    findings = [f.as_dict() for f in draft.findings]
    known = {f["vondst"] for f in findings}
    findings += [m for m in extra_messages if m.get("vondst") and m["vondst"] not in known]
    messages = list(draft.messages) + [m for m in extra_messages if not m.get("vondst")]
    html, status = form_page(extra.pop("fields", draft.fields), action, extra.pop("version", draft.version), draft.proposal,
                             messages=messages,
                             findings=findings, marked=draft.marked, entry_id=draft.proposal.entry_id,
                             kind=draft.proposal.kind,
                             **{k: v for k, v in extra.items() if k != "status"})
    return html.replace("<!--geschiedenis-->", render_template("_voorstel_geschiedenis.html", history=history)), \
        extra.get("status", status)


@bp.post("/redactie/voorstellen/<proposal_id>/<any(terugsturen, publiceren, intrekken, vrijgeven):stap>")
@login_required
def step(proposal_id: str, stap: str):
    cur, me = curation(), editor()
    comment = request.form.get("toelichting", "")
    try:
        if stap == "terugsturen":
            cur.send_back(me, proposal_id, comment)
            flash("Het voorstel is teruggestuurd met uw toelichting.")
        elif stap == "publiceren":
            event = cur.publish(me, proposal_id, comment)
            live.refresh_now()
            kind = cur.proposal(me, proposal_id).kind
            label = kinds.of(kind).label
            flash(f"Gepubliceerd: {kinds.the(label)} {label} staat nu op de site.")
            return redirect(url_for("entities.show", collection=collection_of(kind, event.entry_id),
                                    item_id=event.entry_id))
        elif stap == "intrekken":
            cur.withdraw(me, proposal_id, comment)
            flash("Het voorstel is ingetrokken.")
        else:
            cur.mark_not_personal(me, proposal_id, request.form.get("vondst", ""), comment)
            flash("De vondst is gemarkeerd als geen persoonsgegeven; de reden is vastgelegd.")
    except Conflict as exc:   # published meanwhile on the same fields: show both, let the curator choose
        return page(cur.draft(me, proposal_id), url_for("redactie.proposal", proposal_id=proposal_id), status=409,
                    error=str(exc)[:1].upper() + str(exc)[1:], conflict={"fields": exc.fields, "mine": {},
                                                                         "choose": True})
    except Rejected as exc:   # back on the proposal's page, with what stands in the way next to its field
        try:
            draft = cur.draft(me, proposal_id)
        except CurationError as missing:   # refused before it was looked up, and there is no such proposal
            return failed(missing)
        return page(draft, url_for("redactie.proposal", proposal_id=proposal_id), status=422,
                    error=str(exc)[:1].upper() + str(exc)[1:] + ".", extra_messages=exc.messages)
    except CurationError as exc:
        return failed(exc)
    return redirect(url_for("redactie.proposal", proposal_id=proposal_id))


@bp.post("/redactie/voorstellen/<proposal_id>/bijwerken")
@login_required
def update(proposal_id: str):
    """Bring a proposal onto the published version, with a choice per conflicting field."""
    choices = {key[len("keuze-"):]: value for key, value in request.form.items()
               if key.startswith("keuze-") and value in ("mijn", "huidig")}
    try:
        result = curation().update_from_published(editor(), proposal_id, choices)
    except CurationError as exc:
        return failed(exc)
    flash("Het voorstel is bijgewerkt met de gepubliceerde versie" + (
        f" (overgenomen: {', '.join(result.merged_fields)})" if result.merged_fields else "") + ".")
    return redirect(url_for("redactie.proposal", proposal_id=proposal_id))


# ------------------------------------------------------------------ history

@bp.get("/praktijken/<entry_id>/geschiedenis")
def history(entry_id: str):
    if not site().public(entry_id):
        return error_page(404)
    me = editor() if current_user.is_authenticated else None
    try:
        events = curation().history(entry_id, me)
    except CurationError as exc:
        return failed(exc)
    return render_template("geschiedenis.html", entry_id=entry_id, events=events,
                           title=site().kast.graph.value(site().kast.iri(entry_id), cf.SKOS.prefLabel))


@bp.get("/praktijken/<entry_id>/versies/<versie>")
def version(entry_id: str, versie: str):
    if not site().public(entry_id):
        return error_page(404)
    me = editor() if current_user.is_authenticated else None
    try:
        fields = curation().version_at(entry_id, versie, me)
    except CurationError as exc:
        return failed(exc)
    specs = form_specs()
    return render_template("versie.html", entry_id=entry_id, versie=versie, fields=fields, describe=describe,
                           specs=specs,
                           values=cf.values)


@bp.post("/praktijken/<entry_id>/terugzetten")
@login_required
def revert(entry_id: str):
    if not site().public(entry_id):
        return error_page(404)
    try:
        result = curation().revert(editor(), entry_id, request.form.get("versie", ""), request.form.get("toelichting", ""))
    except CurationError as exc:
        return failed(exc)
    flash("De oude versie is als nieuw voorstel klaargezet; na beoordeling wordt ze gepubliceerd.")
    return redirect(url_for("redactie.proposal", proposal_id=result.proposal.id))
