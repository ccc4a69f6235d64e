"""The HTML pages: home, search, the browse list of each collection, and 'over de data'."""
from flask import Blueprint, current_app, render_template, request, url_for

from rdflib.namespace import DCTERMS, SKOS

from kast.browse import listing
from kast.describe import label
from kast.search import search
from kast.search.documents import NOT_SET

from . import finder
from .dataset import dataset
from .kinds import BY_NAME, COLLECTIONS
from .templating import with_query
from .readers import current_reader

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


# The topics an official recognises ("we have holiday-park problems, a threatened alderman"): the
# phenomena and the themes of undermining local government, not the frameworks of the policy papers.
TOPIC_SCHEMES = ("fenomenen", "themas-ondermijning-lokaal-bestuur")
NEWEST = 8


def topics(s, practice_counts: dict[str, int]) -> list[dict]:
    """The concepts of TOPIC_SCHEMES, scheme by scheme (the phenomena first), within a scheme those with the
    most practices first, with that number."""
    kast = s.kast
    out = []
    for scheme in TOPIC_SCHEMES:
        found = []
        for concept in kast.graph.subjects(SKOS.inScheme, kast.vocab.entity("begrippenkader", scheme)):
            item_id = kast.id_of(concept)
            if item_id in kast.items:
                found.append({"id": item_id, "kind": kast.items[item_id].kind, "label": label(kast, concept),
                              "count": practice_counts.get(item_id, 0)})
        out += sorted(found, key=lambda t: (-t["count"], t["label"].casefold()))
    return out


def newest_practices(s, n: int = NEWEST) -> list[dict]:
    """The public practices, newest first: the latest start, then the latest end, then the title."""
    kast, k = s.kast, s.kast.vocab.kast
    rows = []
    for item_id, item in kast.items.items():
        if item.kind != "praktijk" or item_id in s.hidden:
            continue
        start = kast.graph.value(item.iri, k.startYear)
        end = kast.graph.value(item.iri, k.endYear)
        changed = kast.graph.value(item.iri, DCTERMS.modified)
        kind = kast.graph.value(item.iri, k.practiceKind)
        notation = str(kind).rstrip("/").rsplit("/", 1)[-1] if kind is not None else ""
        year = int(str(end or start)) if (end or start) is not None else 0
        rows.append({"id": item_id, "kind": "praktijk", "label": label(kast, item.iri), "year": year or None,
                     "start": int(str(start)) if start is not None else None,
                     "changed": str(changed or ""), "practiceKind": notation,
                     "practiceKindLabel": label(kast, kind) if kind is not None else "praktijk"})
    rows.sort(key=lambda r: (-(r["start"] or 0), -(r["year"] or 0), r["changed"], r["label"].casefold()))
    return rows[:n]


def _home_context(s) -> dict:
    practices = search("", kind="praktijk", limit=1, opened=s.opened(), reader=current_reader())
    facets = {name: counts for name, counts in practices.facets.items()}
    schemes = listing(s.kast, ("begrippenkader",), (), size=100)["results"]
    themes = {c["value"]: c["count"] for c in facets.get("thema", [])}
    actor_types = listing(s.kast, BY_NAME["actoren"].kinds, ("actorsoort",), size=1)["facets"]["actorsoort"]
    return dict(
        stats=s.stats, public_practices=s.stats["practices"]["total"] - len(s.hidden),
        schemes=schemes, actor_types=actor_types, topics=topics(s, themes), newest=newest_practices(s),
        instruments=[c for c in facets.get("instrument", []) if c["value"] != NOT_SET][:10],
        provinces=[c for c in facets.get("provincie", []) if c["value"] != NOT_SET],
        riecs=[c for c in facets.get("riec", []) if c["value"] != NOT_SET],
    )


@bp.get("/zoeken")
def zoeken():
    query = finder.parse(request.args, known=finder.known_facets(None))
    found = finder.run(site(), query)
    finder.describe_results(site().kast, found["results"])
    return render_template("zoeken.html", found=found, query=query, collection=None,
                           alternate=alternate("api.zoeken", query))


def browse(collection_name: str):
    collection = BY_NAME[collection_name]
    query = finder.parse(request.args, default_size=20, known=finder.known_facets(collection))
    found = finder.run(site(), query, collection)
    finder.describe_results(site().kast, found["results"])
    return render_template("lijst.html", found=found, query=query, collection=collection,
                           alternate=alternate("api.collection", query, collection=collection.name))


for _c in COLLECTIONS:
    bp.add_url_rule(f"/{_c.name}", _c.name, lambda _name=_c.name: browse(_name), methods=["GET"])


@bp.get("/over")
def over():
    return render_template("over.html", dataset=dataset(site()), alternate=url_for("api.dataset"))
