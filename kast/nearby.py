"""What is near a municipality: practices in its RIEC region and province, and the municipalities around
it that have practices in the kast. Most municipalities have no practice of their own yet; their page
still shows where to look and whom to ask.

`region_index` scans the graph once (cache it per set of hidden practices); `nearby` answers per page.
"""
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib.namespace import DCTERMS

from .describe import label
from .loader import Kast


@dataclass
class RegionIndex:
    riec: dict[str, str] = field(default_factory=dict)           # municipality → RIEC id
    province: dict[str, str] = field(default_factory=dict)       # municipality → province id
    practices: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))   # place id → practices naming it
    labels: dict[str, str] = field(default_factory=dict)


def region_index(kast: Kast, hidden: set[str] = frozenset()) -> RegionIndex:
    """Per municipality its RIEC region and province, and per place (municipality, province, RIEC) the
    public practices that name it, directly or through a municipality in it."""
    g, k = kast.graph, kast.vocab.kast
    ix = RegionIndex()
    for item_id, item in kast.items.items():
        if item.kind == "gemeente":
            riec, province = g.value(item.iri, k.riecRegion), g.value(item.iri, k.province)
            if riec is not None:
                ix.riec[item_id] = kast.id_of(riec)
            if province is not None:
                ix.province[item_id] = kast.id_of(province)
    for item_id, item in kast.items.items():
        if item.kind != "praktijk" or item_id in hidden:
            continue
        ix.labels[item_id] = label(kast, item.iri)
        for place in g.objects(item.iri, DCTERMS.spatial):
            place_id = kast.id_of(place)
            if not place_id:
                continue
            ix.practices[place_id].add(item_id)
            for region in (ix.riec.get(place_id), ix.province.get(place_id)):
                if region:
                    ix.practices[region].add(item_id)
    return ix


def nearby(kast: Kast, ix: RegionIndex, municipality: str, limit: int = 8) -> dict:
    """{own, riec, province, practices, peers}: the practices of the region (RIEC first, then province;
    the municipality's own left out, they are on the page already) and up to `limit` municipalities of the
    same RIEC region or province with practices, most practices first.

    >>> from kast.loader import load
    >>> kast = load(shacl=False)
    >>> near = nearby(kast, region_index(kast), "gm0014")   # Groningen: no practice of its own
    >>> near["own"], near["riec"]["id"], len(near["practices"]) > 0, near["peers"][0]["count"] > 0
    (0, 'riec-noord-nederland', True, True)
    """
    riec, province = ix.riec.get(municipality), ix.province.get(municipality)
    own = ix.practices.get(municipality, set())
    in_riec = ix.practices.get(riec, set()) - own if riec else set()
    in_province = ix.practices.get(province, set()) - own - in_riec if province else set()
    practices = [{"id": p, "label": ix.labels[p], "where": where}
                 for where, group in (("riec", in_riec), ("provincie", in_province))
                 for p in sorted(group, key=lambda p: ix.labels[p].casefold())]
    peers = []
    for other in set(ix.riec) | set(ix.province):
        if other == municipality:
            continue
        same_riec = bool(riec) and ix.riec.get(other) == riec
        same_province = bool(province) and ix.province.get(other) == province
        count = len(ix.practices.get(other, ()))
        if (same_riec or same_province) and count:
            peers.append({"id": other, "label": label(kast, kast.iri(other)), "count": count,
                          "sameRiec": same_riec, "sameProvince": same_province})
    peers.sort(key=lambda p: (-p["sameRiec"], -p["count"], p["label"].casefold()))

    def named(region):
        return {"id": region, "label": label(kast, kast.iri(region))} if region and region in kast.items else None
    return {"own": len(own), "riec": named(riec), "province": named(province), "practices": practices,
            "peers": peers[:limit]}
