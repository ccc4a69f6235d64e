"""Entity pages (/praktijken/{id}, /gemeenten/{id} …) and the one model they share with the API."""
from flask import Blueprint, current_app, redirect, render_template, url_for
from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL

from kast.contact import contact_route
from kast.describe import label, sources_of
from kast.nearby import nearby, region_index
from kast.links import fields, links
from kast.maturity import scale_view
from kast.search import similar
from kast.search.engine import SearchError

from .errors import error_page
from .kinds import BY_KIND, BY_NAME, NAMES
from .readers import current_reader

bp = Blueprint("entities", __name__)

# The sections of a practice, in the order a case description reads.
PRACTICE_SECTIONS = (
    ("probleem", "Probleem"), ("aanpak", "Aanpak"),
    ("werkingsmechanisme", "Waarom het werkt"), ("resultaat", "Resultaat"), ("lessen", "Lessen"),
    ("overdraagbaarheid", "Overdraagbaarheid"),
)
# Fields shown in the summary table of a practice (the rest is in the sections or in the header).
PRACTICE_FACTS = ("soort", "aard", "periode.van", "periode.tot", "bewijsniveau", "effect", "context.grootte",
                  "context.kenmerken", "status", "gewijzigd")


# Link groups that can grow long, and the list that shows all of them: group key → (page, facet).
MORE = {"gebruiktInPraktijken": ("praktijken", "instrument"), "betrokkenBijPraktijken": ("praktijken", "actor"),
        "contactVoorPraktijken": ("praktijken", "actor"), "bijDitThema": ("zoeken", "thema"),
        "biedtAan": ("instrumenten", "actor"), "ondersteuntInstrumenten": ("instrumenten", "actor"),
        "ontwikkelde": ("instrumenten", "actor"), "inDeProvincie": ("gemeenten", "provincie"),
        "inDeRiecRegio": ("gemeenten", "riec")}


class Unknown(LookupError):
    pass


def find(site, collection_name: str, item_id: str):
    """The item, or Unknown with a Dutch message; a hidden practice is as unknown as a missing one."""
    collection = BY_NAME.get(collection_name)
    if collection is None or not site.public(item_id):
        raise Unknown(f"Er is geen {collection.singular if collection else 'item'} met id '{item_id}'.")
    item = site.kast.items[item_id]
    return collection, item


def model(site, item_id: str) -> dict:
    """Everything an entity page and its JSON twin show."""
    kast = site.kast
    item = kast.items[item_id]
    citations = sources_of(kast, item.iri)
    for n, c in enumerate(citations, 1):
        c["nummer"] = n

    def numbers(cited: list[dict]) -> list[int]:
        keys = {(c["bron"], c["sectie"], c["citaat"]) for c in cited}
        return [c["nummer"] for c in citations if (c["bron"], c["sectie"], c["citaat"]) in keys]

    own = fields(kast, item_id)
    values = {f.key: f for f in own}
    groups = links(kast, item_id, site.hidden)
    try:
        alike = [s for s in similar(item_id, limit=6, opened=site.opened(), reader=current_reader()) if site.public(s["id"])][:5]
    except SearchError:   # not every kind is in the search index (sources, concept schemes)
        alike = []
    for s in alike:
        s["kind"] = kast.items[s["id"]].kind
    m = {
        "id": item_id, "kind": item.kind, "collection": BY_KIND[item.kind].name, "label": label(kast, item.iri),
        "iri": str(item.iri), "fields": [dict(key=f.key, label=f.label, values=f.values, sources=numbers(f.sources))
                                         for f in own],
        "groups": groups, "sources": citations, "similar": alike,
        "sameAs": [str(o) for o in kast.graph.objects(item.iri, OWL.sameAs) if isinstance(o, URIRef)],
        "file": item.entry.file,
        "more": {key: url_for(f"pages.{page}", **{facet: item_id}) for key, (page, facet) in MORE.items()},
    }
    m["contactRoute"] = contact_route(kast, item_id, site.hidden)   # "wie kan ik bellen": organisations only
    if item.kind == "gemeente":
        # computed once per set of hidden practices (the same for every reader of a level)
        index = site.cached(f"regio-index:{hash(frozenset(site.hidden))}", lambda: region_index(kast, site.hidden))
        m["nearby"] = nearby(kast, index, item_id)
    if item.kind == "praktijk":
        worst = (item.iri, kast.vocab.kast.practiceKind, kast.vocab.concept("praktijksoort", "worst")) in kast.graph
        headings = dict(PRACTICE_SECTIONS, werkingsmechanisme="Waarom het misging" if worst else "Waarom het werkt")
        m["sections"] = [{"key": key, "heading": headings[key], "text": values[key].values[0]["waarde"],
                          "sources": numbers(values[key].sources)}
                         for key, _ in PRACTICE_SECTIONS if key in values]
        m["facts"] = [m["fields"][i] for i, f in enumerate(own) if f.key in PRACTICE_FACTS]
        m["summary"] = values["samenvatting"].values[0]["waarde"] if "samenvatting" in values else None
        organisation = kast.graph.value(item.iri, kast.vocab.kast.contactOrganisation)
        role = values.get("contact.functie")
        m["contact"] = {
            "organisatie": {"id": kast.id_of(organisation), "label": label(kast, organisation)}
            if organisation is not None and kast.id_of(organisation) in kast.items else None,
            "functie": role.values[0]["waarde"] if role else None,
        }
        m["kindLabel"] = next((f.values[0]["waarde"] for f in own if f.key == "soort"), "praktijk")
        m["natureLabel"] = next((f.values[0]["waarde"] for f in own if f.key == "aard"), None)
    if item.kind == "ambitie":   # the groeimodel of the weerbaarheidsprofiel (issue 13), when the ambition has one
        m["groeimodel"] = scale_view(kast, item_id)
    if item.kind == "bron":
        m["sections"] = [{"id": str(kast.graph.value(s, DCTERMS.identifier)), "title": label(kast, s)}
                         for s in kast.graph.objects(item.iri, DCTERMS.hasPart)]
        m["sections"].sort(key=lambda s: [int(p) if p.isdigit() else p for p in s["id"].split(".")])
    return m


@bp.get("/<any(" + ", ".join(NAMES) + "):collection>/<item_id>")
def show(collection: str, item_id: str):
    site = current_app.extensions["kast"]
    if item_id not in site.kast.items and site.public(item_id.lower()):
        # ids are lower case; CBS and TOOI write GM0106
        return redirect(url_for("entities.show", collection=collection, item_id=item_id.lower()), 301)
    item = site.kast.items.get(item_id)
    if item is not None and site.public(item_id) and BY_KIND[item.kind].name != collection:
        # one URL per thing: /actoren/gm0106 → /gemeenten/gm0106
        return redirect(url_for("entities.show", collection=BY_KIND[item.kind].name, item_id=item_id), 301)
    try:
        coll, item = find(site, collection, item_id)
    except Unknown as exc:
        return error_page(404, str(exc))
    m = model(site, item_id)
    template = {"praktijk": "praktijk.html", "bron": "bron.html"}.get(item.kind, "entiteit.html")
    return render_template(template, m=m, collection=coll,
                           alternate=url_for("api.item", collection=coll.name, item_id=item_id))
