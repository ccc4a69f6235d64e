"""The HTML pages: home, search, the browse list of each collection, and 'over de data'."""
from flask import Blueprint, current_app, render_template, request, url_for

from kast.browse import listing
from kast.links import recent
from kast.search import search
from kast.search.documents import NOT_SET

from . import finder
from .dataset import dataset
from .kinds import BY_NAME, COLLECTIONS
from .templating import with_query

bp = Blueprint("pages", __name__)


def site():
    return current_app.extensions["kast"]


def alternate(endpoint: str, query: finder.Query, **values) -> str:
    """The JSON twin of the current page, with the same state (not the ignored parameters: the API is strict)."""
    return with_query(url_for(endpoint, **values), query.pairs())


@bp.get("/")
def home():
    s = site()
    context = s.cached("home", lambda: _home_context(s))   # the data does not change within a process
    return render_template("home.html", alternate=url_for("api.root"), **context)


def _home_context(s) -> dict:
    practices = search("", kind="praktijk", limit=1, opened=s.opened())
    facets = {name: counts for name, counts in practices.facets.items()}
    schemes = listing(s.kast, ("begrippenkader",), (), size=100)["results"]
    actor_types = listing(s.kast, BY_NAME["actoren"].kinds, ("actorsoort",), size=1)["facets"]["actorsoort"]
    return dict(
        stats=s.stats, public_practices=s.stats["practices"]["total"] - len(s.hidden),
        schemes=schemes, actor_types=actor_types,
        instruments=[c for c in facets.get("instrument", []) if c["value"] != NOT_SET][:10],
        provinces=[c for c in facets.get("provincie", []) if c["value"] != NOT_SET],
        riecs=[c for c in facets.get("riec", []) if c["value"] != NOT_SET],
        recent=recent(s.kast, 8, s.hidden, s.data_dir))


@bp.get("/zoeken")
def zoeken():
    query = finder.parse(request.args, known=finder.known_facets(None))
    found = finder.run(site(), query)
    return render_template("zoeken.html", found=found, query=query, collection=None,
                           alternate=alternate("api.zoeken", query))


def browse(collection_name: str):
    collection = BY_NAME[collection_name]
    query = finder.parse(request.args, default_size=20, known=finder.known_facets(collection))
    found = finder.run(site(), query, collection)
    return render_template("lijst.html", found=found, query=query, collection=collection,
                           alternate=alternate("api.collection", query, collection=collection.name))


for _c in COLLECTIONS:
    bp.add_url_rule(f"/{_c.name}", _c.name, lambda _name=_c.name: browse(_name), methods=["GET"])


@bp.get("/over")
def over():
    return render_template("over.html", dataset=dataset(site()), alternate=url_for("api.dataset"))
