"""The peer network: municipalities linked by what they share.

Two municipalities are linked when they share practices (a practice names its places with
``dct:spatial``, or its actors with ``prov:wasAssociatedWith``), themes or instruments (those of their
practices), or a region. The edge weight is the sum of

====================  =======  ===========================================================
reason                weight   counted
====================  =======  ===========================================================
shared practice       3.0 × s  per practice both are named in
shared instrument     1.0 × s  per instrument both have a practice with
shared theme          0.5 × s  per theme or ambition both have a practice about
same RIEC region      0.5      once, as context of what they share
same province         0.25     once, as context of what they share
====================  =======  ===========================================================

where s is the item's specificity, ln(N/df)/ln(N) (N = 342 municipalities, df = how many have the
item; see ``specificity``): sharing what almost every municipality has says little, sharing a
practice of two says much. A practice done together weighs most.

Sharing a region is context, not a reason of its own: two municipalities that share nothing but their
RIEC region or province get only a weak link (REGION_ONLY × the region weights, ``regionOnly`` = 1), so
that with all 342 municipalities the most connected ones are those that have something to share, not
those in the largest region. Every edge also says why: the counts (``practices``, ``instruments``,
``themes``, ``sameRiec``, ``sameProvince``), the shared ids (``sharedPractices`` …) and a Dutch ``reason``.
"""
import math
from itertools import repeat
from collections import Counter, defaultdict

import networkx as nx
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from ..visibility import Reader, hidden
from .base import NetworkError, notation

WEIGHTS = {"praktijk": 3.0, "instrument": 1.0, "thema": 0.5, "riec": 0.5, "provincie": 0.25}
REGION_ONLY = 0.2   # factor of the region weights when a region is all two municipalities share


def _label(g, iri) -> str:
    return str(g.value(iri, SKOS.prefLabel) or notation(iri))


def _concepts(kast) -> dict:
    """Per theme or ambition: its narrower closure ('scope') and its related and broader concepts."""
    g = kast.graph
    table = {}
    for item_id, item in kast.items.items():
        if item.kind not in ("thema", "ambitie"):
            continue
        scope, todo = {item.iri}, [item.iri]
        while todo:
            for narrower in g.subjects(SKOS.broader, todo.pop()):
                if narrower not in scope:
                    scope.add(narrower)
                    todo.append(narrower)
        near = set(g.objects(item.iri, SKOS.related)) | set(g.subjects(SKOS.related, item.iri)) \
            | set(g.objects(item.iri, SKOS.broader))
        table[item_id] = {"scope": sorted(kast.id_of(c) for c in scope),
                          "near": sorted(kast.id_of(c) for c in near if kast.id_of(c))}
    return table


def _by_subject(g, predicate) -> dict:
    """One scan of the graph for a predicate: subject → set of objects (much faster than a lookup
    per subject on a 10,000-practice corpus)."""
    out = defaultdict(set)
    for s, o in g.subject_objects(predicate):
        out[s].add(o)
    return out


def _profiles(kast, visibility) -> tuple[dict, dict]:
    """Per municipality its practices, themes and instruments; and the labels of everything named."""
    g, k = kast.graph, kast.vocab.kast
    kinds = {item.iri: (item_id, item.kind) for item_id, item in kast.items.items()}
    practices = defaultdict(set)
    for predicate in (DCTERMS.spatial, PROV.wasAssociatedWith):
        for practice, place in g.subject_objects(predicate):
            if kinds.get(place, ("", ""))[1] == "gemeente" and kinds.get(practice, ("", ""))[1] == "praktijk":
                practices[practice].add(kinds[place][0])
    invisible = {kast.iri(i) for i in hidden(kast, visibility if isinstance(visibility, Reader) else tuple(visibility))}
    themes_of, instruments_of = _by_subject(g, k.theme), _by_subject(g, PROV.used)
    names = {s: str(o) for s, o in g.subject_objects(SKOS.prefLabel) if s in kinds}
    profiles = defaultdict(lambda: {"practices": set(), "themes": set(), "instruments": set()})
    labels = {}
    for practice, places in practices.items():
        if practice in invisible:
            continue
        pid = kinds[practice][0]
        labels[pid] = names.get(practice, pid)
        themes = {kinds[t][0] for t in themes_of[practice] if t in kinds}
        instruments = {kinds[i][0] for i in instruments_of[practice] if i in kinds}
        for x in themes_of[practice] | instruments_of[practice]:
            if x in kinds:
                labels.setdefault(kinds[x][0], names.get(x, kinds[x][0]))
        for place in places:
            profile = profiles[place]
            profile["practices"].add(pid)
            profile["themes"] |= themes
            profile["instruments"] |= instruments
    return profiles, labels


def specificity(profiles: dict, population: int) -> dict:
    """How telling it is to share an item: ln(N / df) / ln(N), with N the number of municipalities
    in the country and df the number that have the item. 1 for an item of one municipality, near 0
    for an item almost all have.

    >>> s = specificity({"a": {"themes": {"t"}}, "b": {"themes": {"t", "u"}}}, 342)
    >>> round(s["t"], 2), round(s["u"], 2)
    (0.88, 1.0)
    """
    df = Counter()
    for profile in profiles.values():
        for items in profile.values():
            df.update(items)
    scale = math.log(population) if population > 1 else 1.0
    return {item: math.log(population / n) / scale for item, n in df.items()}


def _node(kast, gm: str, profile: dict | None, labels: dict) -> dict:
    g, k = kast.graph, kast.vocab.kast
    iri = kast.iri(gm)
    province, riec = g.value(iri, k.province), g.value(iri, k.riecRegion)
    data = {"id": gm, "label": _label(g, iri), "kind": "gemeente", "type": "gemeente",
            "tooi": str(g.value(iri, OWL.sameAs) or ""),
            "province": kast.id_of(province) if province is not None else "",
            "riec": kast.id_of(riec) if riec is not None else ""}
    for key in ("province", "riec"):
        if data[key]:
            labels.setdefault(data[key], _label(g, kast.iri(data[key])))
    profile = profile or {"practices": set(), "themes": set(), "instruments": set()}
    for key in ("practices", "themes", "instruments"):
        data[key] = sorted(profile[key])
    data["regions"] = [r for r in (data["province"], data["riec"]) if r]
    return data


def choose(nodes: dict, concepts: dict, labels: dict, theme=None, region=None, instrument=None):
    """Which municipalities match the filters; returns (ids, Dutch note or "").

    A theme matches itself and its narrower concepts. When no municipality has a practice on the
    theme, the choice widens to the related and broader concepts, and the note says so.

    >>> nodes = {"a": {"themes": ["drugs"], "instruments": [], "regions": ["pv1"]},
    ...          "b": {"themes": ["parken"], "instruments": ["bibob"], "regions": ["pv2"]}}
    >>> concepts = {"vakantie": {"scope": ["vakantie"], "near": ["parken"]},
    ...             "drugs": {"scope": ["drugs"], "near": []}, "parken": {"scope": ["parken"], "near": []}}
    >>> labels = {"vakantie": "Vakantieparken", "parken": "Parken"}
    >>> choose(nodes, concepts, labels, theme="drugs")
    (['a'], '')
    >>> choose(nodes, concepts, labels, theme="vakantie")
    (['b'], "Geen gemeente heeft een praktijk over Vakantieparken; gekozen op verwante thema's: Parken.")
    """
    chosen = sorted(nodes)
    notes = []
    if region is not None:
        chosen = [n for n in chosen if region in nodes[n].get("regions", ())]
    if instrument is not None:
        chosen = [n for n in chosen if instrument in nodes[n].get("instruments", ())]
    if theme is not None:
        if theme not in concepts:
            raise NetworkError(f"Onbekend thema '{theme}': gebruik het id van een thema of ambitie.")
        scope = set(concepts[theme]["scope"])
        direct = [n for n in chosen if scope & set(nodes[n].get("themes", ()))]
        if not direct and concepts[theme]["near"]:
            near = set(concepts[theme]["near"])
            for c in concepts[theme]["near"]:
                near |= set(concepts.get(c, {}).get("scope", ()))
            direct = [n for n in chosen if near & set(nodes[n].get("themes", ()))]
            if direct:
                names = ", ".join(labels.get(c, c) for c in sorted(concepts[theme]["near"]))
                notes.append(f"Geen gemeente heeft een praktijk over {labels.get(theme, theme)}; "
                             f"gekozen op verwante thema's: {names}.")
        chosen = direct
    if not chosen:
        notes.append("Geen gemeenten gevonden met deze filters.")
    return chosen, " ".join(notes)


def link(a: dict, b: dict, spec: dict | None = None) -> dict | None:
    """The edge between two municipalities, or None when they share nothing.

    `a` and `b` hold the sets 'practices', 'themes' and 'instruments' and the ids 'riec' and
    'province'; `spec` is the specificity of each item (default 1).

    >>> a = {"practices": {"p1"}, "themes": {"t1", "t2"}, "instruments": set(), "riec": "r", "province": "p"}
    >>> b = {"practices": {"p1"}, "themes": {"t2"}, "instruments": set(), "riec": "r", "province": "q"}
    >>> e = link(a, b)
    >>> e["weight"], e["reason"]
    (4.0, '1 gedeelde praktijk, 1 gedeeld thema, zelfde RIEC-regio')
    >>> link(a, b, {"p1": 0.5, "t2": 0.2})["weight"]
    2.1
    >>> c = {"practices": set(), "themes": set(), "instruments": set(), "riec": "r", "province": "p"}
    >>> e = link(c, dict(c))
    >>> e["weight"], e["regionOnly"], e["reason"]
    (0.15, 1, 'alleen zelfde RIEC-regio en provincie (nog niets gedeeld in de kast)')
    """
    spec = spec or {}
    shared = {key: sorted(a[key] & b[key]) for key in ("practices", "themes", "instruments")}
    same_riec = int(bool(a["riec"]) and a["riec"] == b["riec"])
    same_province = int(bool(a["province"]) and a["province"] == b["province"])
    region = WEIGHTS["riec"] * same_riec + WEIGHTS["provincie"] * same_province
    substance = 0.0
    for key, kind in (("practices", "praktijk"), ("themes", "thema"), ("instruments", "instrument")):
        substance += WEIGHTS[kind] * sum(map(spec.get, shared[key], repeat(1.0)))
    region_only = int(not any(shared.values()))
    weight = region * REGION_ONLY if region_only else substance + region
    if not weight:
        return None
    parts = []
    for key, one, many in (("practices", "gedeelde praktijk", "gedeelde praktijken"),
                           ("themes", "gedeeld thema", "gedeelde thema's"),
                           ("instruments", "gedeeld instrument", "gedeelde instrumenten")):
        n = len(shared[key])
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    if region_only:
        where = " en ".join(w for w, on in (("RIEC-regio", same_riec), ("provincie", same_province)) if on)
        reason = f"alleen zelfde {where} (nog niets gedeeld in de kast)"
    else:
        if same_riec:
            parts.append("zelfde RIEC-regio")
        if same_province:
            parts.append("zelfde provincie")
        reason = ", ".join(parts)
    return {"weight": round(weight, 3), "practices": len(shared["practices"]), "themes": len(shared["themes"]),
            "instruments": len(shared["instruments"]), "sameRiec": same_riec, "sameProvince": same_province,
            "regionOnly": region_only, "sharedPractices": shared["practices"], "sharedThemes": shared["themes"],
            "sharedInstruments": shared["instruments"], "reason": reason}


def substantive(G: nx.Graph) -> nx.Graph:
    """The peer network without the links that are only a shared region (for "most connected").

    >>> G = nx.Graph(); G.add_edge("a", "b", regionOnly=1); G.add_edge("a", "c", regionOnly=0)
    >>> sorted(substantive(G).edges()), sorted(substantive(G))
    ([('a', 'c')], ['a', 'b', 'c'])
    """
    H = G.copy()
    H.remove_edges_from([(u, v) for u, v, only in G.edges(data="regionOnly") if only])
    return H


def peer_network(kast, theme=None, region=None, instrument=None, include_all: bool = False,
                 visibility=("openbaar",)) -> nx.Graph:
    """The weighted peer network of municipalities (see the module docstring for the weights).

    Parameters
    ----------
    theme, instrument : str, optional
        Only municipalities with a practice on this theme (or a narrower one; widened to related
        themes when none has one, see ``choose``) or with this instrument.
    region : str, optional
        Only municipalities in this province (pv..) or RIEC region (RIEC id).
    include_all : bool
        Also the municipalities without any practice (linked by region only). Default False: peers
        are the municipalities that have something to share.
    visibility : iterable of str
        Practices of these visibilities count (default only "openbaar").

    The graph's ``note`` says in Dutch when the choice was widened or nothing matched; ``labels``
    maps every id named in nodes and edges to its name; ``concepts`` holds the theme scopes so that
    ``select_peers`` can filter the graph later.

    Examples
    --------
    >>> from kast.loader import load
    >>> G = peer_network(load(shacl=False), region="pv22")
    >>> G.number_of_nodes(), G.nodes["gm0106"]["label"], G.nodes["gm0106"]["riec"]
    (12, 'Assen', 'riec-noord-nederland')
    >>> G["gm0106"]["gm1680"]["sameRiec"], G["gm0106"]["gm1680"]["practices"] > 0
    (1, True)
    """
    visibility = visibility if isinstance(visibility, Reader) else tuple(visibility)
    for name, value, kinds in (("regio", region, ("provincie", "actor")), ("instrument", instrument, ("instrument",))):
        if value is not None and (value not in kast.items or kast.items[value].kind not in kinds):
            raise NetworkError(f"Onbekende {name} '{value}'.")
    profiles, labels = _profiles(kast, visibility)
    ids = sorted(i for i, item in kast.items.items() if item.kind == "gemeente") if include_all else sorted(profiles)
    nodes = {gm: _node(kast, gm, profiles.get(gm), labels) for gm in ids}
    concepts = _concepts(kast)
    for c in concepts:
        labels.setdefault(c, _label(kast.graph, kast.iri(c)))
    chosen, note = choose(nodes, concepts, labels, theme, region, instrument)
    population = sum(1 for item in kast.items.values() if item.kind == "gemeente")
    spec = specificity(profiles, population)
    G = nx.Graph(name="Peernetwerk", note=note, weights=dict(WEIGHTS), labels=labels, concepts=concepts,
                 specificity=spec, filters={"theme": theme, "region": region, "instrument": instrument},
                 include_all=include_all)
    sets = {}
    for gm in chosen:
        G.add_node(gm, **nodes[gm])
        sets[gm] = {key: set(nodes[gm][key]) for key in ("practices", "themes", "instruments")}
        sets[gm].update(riec=nodes[gm]["riec"], province=nodes[gm]["province"])
    for i, a in enumerate(chosen):
        for b in chosen[i + 1:]:
            edge = link(sets[a], sets[b], spec)
            if edge:
                G.add_edge(a, b, **edge)
    return G


def select_peers(G: nx.Graph, theme=None, region=None, instrument=None) -> nx.Graph:
    """The part of a peer network that matches the filters (the same rules as ``peer_network``).

    >>> from kast.loader import load
    >>> G = peer_network(load(shacl=False), include_all=True)
    >>> H = select_peers(G, region="riec-noord-nederland")
    >>> all(d == "riec-noord-nederland" for _, d in H.nodes(data="riec")), H.number_of_nodes() > 12
    (True, True)
    """
    if theme is None and region is None and instrument is None:
        return G.copy()
    nodes = dict(G.nodes(data=True))
    chosen, note = choose(nodes, G.graph.get("concepts", {}), G.graph.get("labels", {}), theme, region, instrument)
    H = G.subgraph(chosen).copy()
    H.graph["note"] = note
    H.graph["filters"] = {"theme": theme, "region": region, "instrument": instrument}
    return H
