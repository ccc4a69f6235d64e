"""/netwerk/profielen: the peer network of the weerbaarheidsprofielen, for members only (kast.profiles.network):
shared gaps and complementary strengths per ambition, each connection with its reason, and groups around a
gap for the meeting planner. Only opted-in data; the public /netwerk is unchanged. A table, no JavaScript."""
from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import login_required

from kast.describe import label
from kast.profiles import ProfileNotFound
from kast.profiles import network

from .auth import actor
from .errors import error_page, json_response

bp = Blueprint("profiles_network", __name__)


@bp.errorhandler(ProfileNotFound)
def not_found(_):
    return error_page(404)


def _view() -> dict:
    profiles = current_app.extensions["profiles"]
    me = actor()
    ambition = request.args.get("ambitie") or None
    try:
        size = int(request.args.get("grootte", "6"))
    except ValueError:
        size = 6
    known = profiles.model.by_ambition if profiles.model else {}
    if ambition is not None and ambition not in known:
        return {"error": f"onbekende ambitie '{ambition}'"}
    return {"ambitie": ambition, "grootte": size, "overzicht": network.summary(profiles, me),
            "verbindingen": network.connections(profiles, me, ambition) if ambition else [],
            "groepen": network.groups(profiles, me, ambition, size) if ambition else [],
            "ambitieNaam": f"{known[ambition].notation} {known[ambition].label}" if ambition else None}


@bp.get("/netwerk/profielen")
@login_required
def page():
    view = _view()
    if "error" in view:
        return error_page(400, view["error"].capitalize() + ".")
    kast = current_app.extensions["kast"].kast
    names = {i: label(kast, kast.iri(i)) for c in view["verbindingen"] for i in (c["van"], c["naar"])}
    return render_template("netwerk_profielen.html", v=view, names=names,
                           alternate=url_for("profiles_network.api", **request.args))


@bp.get("/api/v1/netwerk/profielen")
@login_required
def api():
    view = _view()
    if "error" in view:
        return error_page(400, view["error"])
    return json_response(view)
