"""The weerbaarheidsprofiel on the web: fill in, fix a meting, see what it gives back, share, export, and
the JSON API /api/v1/profielen/{organisatie}. Every decision is the library's (`kast.profiles`): a profile
the reader may not see answers 404 here, anonymous readers are sent to log in (401 on the API).

The form needs no JavaScript. Only the result page loads a script, to draw the chart from the JSON twin;
the same numbers are in the table next to it.
"""
import csv
import datetime as dt
import io

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from kast.describe import label
from kast.profiles import ProfileError, ProfileNotFound, Profiles, VersionConflict, result

from .auth import actor
from .errors import error_page, json_response, problem
from .readers import current_reader

bp = Blueprint("profiles", __name__)
UNANSWERED = ""


def register(app: Flask, site) -> None:
    from . import profiles_network

    app.extensions["profiles"] = Profiles(site.kast, app.config.get("KAST_DATABASE_URL"))
    app.register_blueprint(bp)
    app.register_blueprint(profiles_network.bp)   # /netwerk/profielen, for members


def profiles() -> Profiles:
    return current_app.extensions["profiles"]


def site():
    return current_app.extensions["kast"]


def org_name(org: str) -> str:
    kast = site().kast
    return label(kast, kast.iri(org)) if org in kast.items else org


@bp.errorhandler(ProfileNotFound)
def not_found(_):
    return error_page(404)


def _hidden():
    return site().hidden_for(current_reader())


# ------------------------------------------------------------------ pages

@bp.get("/profiel")
@login_required
def mine():
    return redirect(url_for("profiles.overview", org=current_user.account.organisation))


@bp.get("/profielen/<org>")
@login_required
def overview(org: str):
    p, me = profiles(), actor()
    concept = p.concept(me, org)
    may_edit = p.may_edit(me, org)
    shared = p.shared_with(org)
    return render_template(
        "profiel.html", org=org, name=org_name(org), kind=p.kind(org), concept=concept, scales=p.scales(org),
        measurements=list(reversed(p.measurements(me, org))), may_edit=may_edit, model=p.model,
        collaborations=[(c, org_name(c), c in shared) for c in p.collaborations(org)] if may_edit else [],
        shared=[(c, org_name(c)) for c in shared], today=dt.date.today().isoformat(),
        alternate=url_for("profiles.api_get", org=org))


def _form_answers(org: str) -> dict[str, dict]:
    answers = {}
    for scale in profiles().scales(org):
        a = scale.ambition
        answers[a] = {"score": request.form.get(f"score-{a}", UNANSWERED),
                      "notitie": request.form.get(f"notitie-{a}", ""), "peer": request.form.get(f"peer-{a}") == "ja"}
    return answers


@bp.route("/profielen/<org>/invullen", methods=["GET", "POST"])
@login_required
def fill(org: str):
    p, me = profiles(), actor()
    if not p.may_edit(me, org):
        raise ProfileNotFound()
    concept = p.concept(me, org)
    errors, status, values, role, version = [], 200, None, concept.contact_role, concept.version
    target = None   # the form field an error is about, so the message can link to it
    if request.method == "POST":
        values = _form_answers(org)
        role = request.form.get("contactfunctie")   # absent (a script posting part of the form): unchanged
        try:
            version = int(request.form.get("versie", ""))
        except ValueError:
            version = None
        try:
            p.save(me, org, values, contact_role=role, version=version)
        except VersionConflict as exc:
            errors, status, version = [exc.message + " Uw invoer staat hieronder; controleer en sla opnieuw op."], 409, exc.current
        except ProfileError as exc:
            errors, status, target = [exc.message], 400, _field_id(exc.field)
        else:
            section = request.form.get("bewaar", "")
            flash("Opgeslagen als concept." if section else "Opgeslagen.")
            return redirect(url_for("profiles.fill", org=org) + (f"#{section}" if section else ""))
    if values is None:
        values = {a: {"score": "" if v.score is None else str(v.score), "notitie": v.note, "peer": v.peer}
                  for a, v in concept.answers.items()}
    return render_template("profiel_invullen.html", org=org, name=org_name(org), model=p.model,
                           themes=p.model.themes(p.kind(org)) if p.scales(org) else [], values=values, role=role,
                           version=version, errors=errors, target=target), status


def _field_id(field: str | None) -> str | None:
    """'ambitie-3-6.notitie' → the id of that control in the form ('notitie-ambitie-3-6')."""
    if not field:
        return None
    ambition, _, part = field.partition(".")
    if part == "score":
        return f"score-{ambition}-0"
    if part in ("notitie", "peer"):
        return f"{part}-{ambition}"
    return field if field == "contactfunctie" else None


@bp.post("/profielen/<org>/metingen")
@login_required
def fix(org: str):
    p, me = profiles(), actor()
    if not p.may_edit(me, org):
        raise ProfileNotFound()
    try:
        date = dt.date.fromisoformat(request.form.get("datum") or dt.date.today().isoformat())
    except ValueError:
        flash(f"De datum '{request.form.get('datum')}' is geen geldige datum (JJJJ-MM-DD); er is niets vastgelegd.")
        return redirect(url_for("profiles.overview", org=org))
    try:
        measured = p.fix(me, org, date)
    except ProfileError as exc:
        flash(f"Niet vastgelegd: {exc.message}.")
        return redirect(url_for("profiles.overview", org=org))
    flash(f"Meting van {measured.date.strftime('%d-%m-%Y')} vastgelegd. Het concept blijft staan voor de volgende meting.")
    return redirect(url_for("profiles.measurement", org=org, measurement_id=measured.id))


@bp.get("/profielen/<org>/metingen/<int:measurement_id>")
@login_required
def measurement(org: str, measurement_id: int):
    data = result(profiles(), actor(), org, measurement_id, _hidden())
    return render_template("profiel_meting.html", r=data, org=org, printing=False, may_edit=profiles().may_edit(actor(), org),
                           alternate=url_for("profiles.api_measurement", org=org, measurement_id=measurement_id))


@bp.get("/profielen/<org>/metingen/<int:measurement_id>/afdrukken")
@login_required
def printable(org: str, measurement_id: int):
    data = result(profiles(), actor(), org, measurement_id, _hidden())
    return render_template("profiel_meting.html", r=data, org=org, printing=True, may_edit=False,
                           alternate=url_for("profiles.api_measurement", org=org, measurement_id=measurement_id))


@bp.post("/profielen/<org>/delen")
@login_required
def share(org: str):
    p, me = profiles(), actor()
    collaboration = request.form.get("samenwerking", "")
    on = request.form.get("delen") == "ja"
    try:
        p.share(me, org, collaboration, on)
    except ProfileError as exc:
        if isinstance(exc, ProfileNotFound):
            raise
        flash(f"Niet gewijzigd: {exc.message}.")
    else:
        flash(f"Uw profiel wordt {'nu' if on else 'niet meer'} gedeeld met {org_name(collaboration)}.")
    return redirect(url_for("profiles.overview", org=org))


@bp.get("/samenwerkingen/<collaboration>/profielen")
@login_required
def group(collaboration: str):
    p = profiles()
    rows = p.group(actor(), collaboration)
    scales = p.model.scales
    return render_template("profiel_groep.html", collaboration=collaboration, name=org_name(collaboration),
                           rows=[(o, org_name(o), mv) for o, mv in rows], scales=scales, model=p.model)


# ------------------------------------------------------------------ export of one's own profile

def export_rows(org: str) -> list[dict]:
    p, me = profiles(), actor()
    if not p.may_edit(me, org):
        raise ProfileNotFound()
    rows = []
    concept = p.concept(me, org)
    scales = p.scales(org)
    for mv in p.measurements(me, org):
        for s in scales:
            a = mv.scores.get(s.ambition)
            rows.append({"meting": mv.date.isoformat(), "ambitie": s.ambition, "nummer": s.notation, "naam": s.label,
                         "score": a.score if a else None, "niveau": p.model.level_name(a.score if a else None),
                         "notitie": a.note if a else ""})
    for s in scales:
        a = concept.answers.get(s.ambition)
        rows.append({"meting": "concept", "ambitie": s.ambition, "nummer": s.notation, "naam": s.label,
                     "score": a.score if a else None, "niveau": p.model.level_name(a.score if a else None),
                     "notitie": a.note if a else ""})
    return rows


@bp.get("/profielen/<org>/export.csv")
@login_required
def export_csv(org: str):
    rows = export_rows(org)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["meting", "ambitie", "nummer", "naam", "score", "niveau", "notitie"])
    writer.writeheader()
    for row in rows:   # a note starting with = + - @ must not become a spreadsheet formula
        writer.writerow({k: ("'" + v if isinstance(v, str) and v and v[0] in "=+-@" else v) for k, v in row.items()})
    response = current_app.response_class(out.getvalue(), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="weerbaarheidsprofiel-{org}.csv"'
    return response


@bp.get("/profielen/<org>/export.json")
@login_required
def export_json(org: str):
    response = json_response({"organisatie": org, "naam": org_name(org), "rijen": export_rows(org)})
    response.headers["Content-Disposition"] = f'attachment; filename="weerbaarheidsprofiel-{org}.json"'
    return response


# ------------------------------------------------------------------ JSON API

def concept_json(org: str) -> dict:
    p, me = profiles(), actor()
    concept = p.concept(me, org)
    return {
        "organisatie": org, "naam": org_name(org), "groeimodel": p.model.id if p.model else None,
        "versie": concept.version, "contactfunctie": concept.contact_role,
        "bijgewerkt": concept.updated.isoformat() + "Z" if concept.updated else None,
        "scores": {s.ambition: {"nummer": s.notation,
                                "score": concept.answers[s.ambition].score if s.ambition in concept.answers else None,
                                "notitie": concept.answers[s.ambition].note if s.ambition in concept.answers else "",
                                "peer": concept.answers[s.ambition].peer if s.ambition in concept.answers else False}
                   for s in p.scales(org)},
        "gedeeldMet": p.shared_with(org),
        "metingen": [{"id": mv.id, "datum": mv.date.isoformat(),
                      "_links": {"self": {"href": url_for("profiles.api_measurement", org=org, measurement_id=mv.id)}}}
                     for mv in p.measurements(me, org)],
        "_links": {"self": {"href": url_for("profiles.api_get", org=org)},
                   "html": {"href": url_for("profiles.overview", org=org)}},
    }, concept.etag


def _with_etag(body_and_tag, status: int = 200):
    body, tag = body_and_tag
    response = json_response(body, status)
    response.headers["ETag"] = tag
    return response


@bp.get("/api/v1/profielen/<org>")
@login_required
def api_get(org: str):
    return _with_etag(concept_json(org))


@bp.put("/api/v1/profielen/<org>")
@login_required
def api_put(org: str):
    p, me = profiles(), actor()
    if not p.may_edit(me, org):
        raise ProfileNotFound()
    match = request.headers.get("If-Match", "").strip()
    if not match:
        return problem(428, "Stuur de ETag van het concept mee in If-Match, zodat u geen nieuwere wijziging "
                            "overschrijft.", "If-Match ontbreekt")
    try:
        version = int(match.removeprefix("W/").strip('"').removeprefix("v"))
    except ValueError:
        return problem(412, f"If-Match '{match}' is geen ETag van dit concept.", "Verouderde versie")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return problem(400, "Verwacht een JSON-object met 'scores' (per ambitie score, notitie, peer) en/of "
                            "'contactfunctie'.")
    try:
        p.save(me, org, body.get("scores") or {}, contact_role=body.get("contactfunctie"), version=version)
    except VersionConflict as exc:
        return problem(412, exc.message, "Verouderde versie")
    except ProfileError as exc:
        return problem(400, f"{exc.field}: {exc.message}" if exc.field else exc.message)
    return _with_etag(concept_json(org))


@bp.post("/api/v1/profielen/<org>/metingen")
@login_required
def api_fix(org: str):
    p, me = profiles(), actor()
    if not p.may_edit(me, org):
        raise ProfileNotFound()
    body = request.get_json(silent=True) or {}
    try:
        date = dt.date.fromisoformat(body["datum"]) if body.get("datum") else None
    except (TypeError, ValueError):
        return problem(400, f"datum: '{body.get('datum')}' is geen datum als JJJJ-MM-DD.")
    try:
        measured = p.fix(me, org, date)
    except ProfileError as exc:
        return problem(400, f"{exc.field}: {exc.message}" if exc.field else exc.message)
    location = url_for("profiles.api_measurement", org=org, measurement_id=measured.id)
    response = json_response(result(p, me, org, measured.id, _hidden()), 201)
    response.headers["Location"] = location
    return response


@bp.get("/api/v1/profielen/<org>/metingen/<int:measurement_id>")
@login_required
def api_measurement(org: str, measurement_id: int):
    return json_response(result(profiles(), actor(), org, measurement_id, _hidden()))
