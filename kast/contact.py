"""Whom to call: the public, organisational route to people who know about a practice or an organisation.

The kast never names a person. For a practice the route is its contact organisation and role, the RIEC of
the region where it happened, and the VNG; for an organisation it is the organisation itself, the RIEC of
its region and the VNG. Every step is an organisation of the kast, so its page (and for government
organisations the TOOI identifier) tells how to reach it.
"""
from rdflib import URIRef
from rdflib.namespace import DCTERMS

from .describe import label
from .loader import Kast

NATIONAL = "vng"   # the national point of contact for municipalities (000 §3.1, §5: the VNG runs the kast)
RIEC_ROLE = "het RIEC van de regio: advies over de bestuurlijke aanpak en het delen van informatie met partners"
NATIONAL_ROLE = "landelijk aanspreekpunt van gemeenten, beheerder van de kast en van het netwerk van gemeenten"
ACTOR_KINDS = ("actor", "gemeente", "provincie", "waterschap", "veiligheidsregio", "politie-eenheid")


def _riecs(kast: Kast, places) -> list[URIRef]:
    """The RIEC regions of places: a RIEC itself, or the RIEC region of a municipality or safety region."""
    k = kast.vocab.kast
    riec_regions = set(kast.graph.objects(None, k.riecRegion))
    found = []
    for place in places:
        for riec in ([place] if place in riec_regions else list(kast.graph.objects(place, k.riecRegion))):
            if riec not in found:
                found.append(riec)
    return found


def contact_route(kast: Kast, item_id: str, hidden: set[str] = frozenset()) -> list[dict]:
    """[{id, label, kind, role}] in the order to try them; empty for kinds without one.

    >>> from kast.loader import load
    >>> kast = load(shacl=False)
    >>> [(r["id"], r["role"][:8]) for r in contact_route(kast, "actueel-damoclesbeleid")]
    [('bestuurlijk-ondersteuningsteam-riec-noord-nederland', 'Concrete'), ('riec-noord-nederland', 'het RIEC'), ('vng', 'landelij')]
    >>> [r["id"] for r in contact_route(kast, "gm0106")]
    ['gm0106', 'riec-noord-nederland', 'vng']
    """
    item = kast.items.get(item_id)
    if item is None or item_id in hidden:
        return []
    g, k = kast.graph, kast.vocab.kast
    steps: list[tuple[URIRef, str]] = []
    if item.kind == "praktijk":
        organisation = g.value(item.iri, k.contactOrganisation)
        role = g.value(item.iri, k.contactRole)
        if organisation is not None:
            steps.append((organisation, f"{role}: contact voor deze praktijk" if role else "contact voor deze praktijk"))
        places = list(g.objects(item.iri, DCTERMS.spatial))
        steps += [(riec, RIEC_ROLE) for riec in _riecs(kast, places)]
    elif item.kind in ACTOR_KINDS:
        steps.append((item.iri, "de organisatie zelf"))
        steps += [(riec, RIEC_ROLE) for riec in _riecs(kast, [item.iri])]
    else:
        return []
    steps.append((kast.iri(NATIONAL), NATIONAL_ROLE))
    out, seen = [], set()
    for iri, role in steps:
        step_id = kast.id_of(iri)
        if not step_id or step_id in seen or step_id not in kast.items or step_id in hidden:
            continue
        seen.add(step_id)
        out.append({"id": step_id, "label": label(kast, iri), "kind": kast.items[step_id].kind, "role": str(role)})
    return out
