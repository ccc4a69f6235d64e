"""Counts of what the kast holds, for `kast stats` and the home page."""
from rdflib.namespace import DCTERMS, RDF

from .loader import Kast

REFERENCE_CLASSES = ("Gemeente", "Provincie", "Waterschap", "Veiligheidsregio")


def stats(kast: Kast) -> dict:
    """One dict of counts; `cited_fraction` is the share of practices and instruments with a source.

    >>> from kast.loader import load
    >>> s = stats(load(shacl=False))
    >>> s["municipalities"], s["practices"]["total"] == s["practices"]["best"] + s["practices"]["worst"]
    (342, True)
    """
    g, k = kast.graph, kast.vocab.kast

    def instances(cls) -> set:
        return set(g.subjects(RDF.type, cls))

    reference = set().union(*(instances(k[c]) for c in REFERENCE_CLASSES))
    practices = instances(k.Practice)
    by_kind = {kind: sum(1 for _ in g.subjects(k.practiceKind, kast.vocab.concept("praktijksoort", kind)))
               for kind in ("best", "worst")}
    cited_pool = practices | instances(k.Instrument)
    cited = sum(1 for x in cited_pool if g.value(x, DCTERMS.source) is not None)
    return {
        "actors": len(instances(k.Actor) - reference),
        "municipalities": len(instances(k.Gemeente)),
        "provinces": len(instances(k.Provincie)),
        "water_boards": len(instances(k.Waterschap)),
        "safety_regions": len(instances(k.Veiligheidsregio)),
        "instruments": len(instances(k.Instrument)),
        "themes": len(instances(k.Theme)),
        "ambitions": len(instances(k.Ambition)),
        "practices": {"total": len(practices), "best": by_kind["best"], "worst": by_kind["worst"]},
        "sources": len(instances(k.SourceDocument)),
        "cited_fraction": round(cited / len(cited_pool), 4) if cited_pool else 0.0,
        "triples": len(g),
    }


LABELS = {
    "actors": "actoren (zonder gemeenten, provincies, waterschappen, veiligheidsregio's)",
    "municipalities": "gemeenten", "provinces": "provincies", "water_boards": "waterschappen",
    "safety_regions": "veiligheidsregio's", "instruments": "instrumenten", "themes": "thema's",
    "ambitions": "ambities", "sources": "bronnen", "cited_fraction": "aandeel met bronvermelding",
    "triples": "tripels",
}


def as_table(s: dict) -> str:
    rows = []
    for key, value in s.items():
        if key == "practices":
            rows.append(("praktijken", f"{value['total']} ({value['best']} best, {value['worst']} worst)"))
        elif key == "cited_fraction":
            rows.append((LABELS[key], f"{value:.0%}"))
        else:
            rows.append((LABELS[key], str(value)))
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label.ljust(width)}  {value}" for label, value in rows)
