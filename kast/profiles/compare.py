"""What a meting gives back: scores per theme and ambition, progress against the previous meting, the gaps
ranked with what closes them (instruments, practices, actors from the graph), peers who are ahead and chose
to be asked, and the waterbed comparison with the RIEC region.

Confidentiality: other organisations appear only as opted-in peers (organisation and contact function, per
ambition) or inside aggregates of at least `MIN_GROUP` organisations (the median of the region).
"""
import statistics
from dataclasses import dataclass

from rdflib.namespace import RDF

from ..describe import label
from .service import MeasurementView, Profiles

MIN_GROUP = 5   # comparisons only as aggregates of at least this many organisations
MAX_PEERS = 5   # peers shown per gap, nearest first (the rest is counted)


@dataclass
class Near:
    """Where an organisation lies: its RIEC region and province (ids in the graph, or None)."""
    riec: str | None
    province: str | None


def where(kast, org: str) -> Near:
    g, k = kast.graph, kast.vocab.kast
    iri = kast.iri(org)
    riec = g.value(iri, k.riecRegion) if iri is not None else None
    province = g.value(iri, k.province) if iri is not None else None
    if province is None and iri is not None and kast.items[org].kind == "provincie":
        province = iri
    return Near(kast.id_of(riec) if riec is not None else None, kast.id_of(province) if province is not None else None)


def linked(kast, ambition: str, hidden=frozenset()) -> dict:
    """The instruments, practices (best and worst, minus `hidden`) and actors that help reach `ambition`."""
    g, k, v = kast.graph, kast.vocab.kast, kast.vocab
    iri = kast.iri(ambition)
    ref = lambda node: {"id": kast.id_of(node), "naam": label(kast, node)}   # noqa: E731
    instruments = sorted({n for n in g.objects(iri, k.refersToInstrument)} |
                         {n for n in g.subjects(k.theme, iri) if (n, RDF.type, k.Instrument) in g}, key=str)
    practices = [p for p in g.subjects(k.theme, iri) if (p, RDF.type, k.Practice) in g]
    practices += [p for i in instruments for p in g.subjects(v.resolve("prov:used"), i)
                  if (p, RDF.type, k.Practice) in g and p not in practices]
    practices = [p for p in practices if kast.id_of(p) not in hidden]
    worst = v.concept("praktijksoort", "worst")
    actors = set()
    for i in instruments:
        actors |= set(g.objects(i, k.offeredBy)) | set(g.objects(i, k.developedBy))
    for p in practices:
        actors |= set(g.objects(p, k.contactOrganisation))
    by_name = lambda refs: sorted(refs, key=lambda r: r["naam"].lower())   # noqa: E731
    return {
        "instrumenten": by_name(ref(i) for i in instruments),
        "bestPractices": by_name(ref(p) for p in practices if (p, k.practiceKind, worst) not in g),
        "worstPractices": by_name(ref(p) for p in practices if (p, k.practiceKind, worst) in g),
        "actoren": by_name(ref(a) for a in actors if kast.id_of(a)),
    }


def result(profiles: Profiles, actor, org: str, measurement_id: int, hidden=frozenset()) -> dict:
    """Everything the result page of one meting shows (and its JSON twin returns)."""
    kast, model = profiles.kast, profiles.model
    current, previous = profiles.measurement(actor, org, measurement_id)
    scales = profiles.scales(org)
    top = model.top
    rows = []
    for s in scales:
        score = current.scores.get(s.ambition)
        before = previous.scores.get(s.ambition) if previous else None
        value = score.score if score else None
        old = before.score if before else None
        rows.append({"ambitie": s.ambition, "nummer": s.notation, "naam": s.label, "thema": s.theme,
                     "themaNaam": s.theme_label, "score": value, "niveau": model.level_name(value),
                     "betekenis": s.levels.get(value, "") if value is not None else "",
                     "notitie": score.note if score else "", "vorige": old,
                     "verschil": value - old if value is not None and old is not None else None})
    themes = []
    for theme, theme_label, members in model.themes(profiles.kind(org)):
        values = [r["score"] for r in rows if r["thema"] == theme and r["score"] is not None]
        themes.append({"thema": theme, "naam": theme_label, "ambities": len(members),
                       "gemiddelde": round(statistics.mean(values), 2) if values else None})
    near = where(kast, org)
    latest = profiles.latest()   # one query for the peers and the region, however many gaps there are
    others = {o: mv for o, mv in latest.items() if o != org}
    peers = profiles.peers()
    return {
        "organisatie": {"id": org, "naam": label(kast, kast.iri(org))},
        "meting": {"id": current.id, "datum": current.date.isoformat()},
        "vorigeMeting": {"id": previous.id, "datum": previous.date.isoformat()} if previous else None,
        "groeimodel": {"id": model.id, "naam": model.label, "hoogsteNiveau": top,
                       "niveaus": [{"waarde": lv.value, "naam": lv.name} for lv in model.levels]},
        "termijn": _deadline(model, org),
        "themas": themes,
        "ambities": rows,
        "voortgang": _progress(rows) if previous else None,
        "gaten": _gaps(profiles, rows, top, near, hidden, latest, peers),
        "waterbed": _waterbed(kast, rows, near, others),
    }


def _deadline(model, org: str) -> dict | None:
    if org not in model.signatories or model.deadline is None:
        return None
    return {"ondertekend": model.signed.isoformat(), "uiterlijk": model.deadline.isoformat(), "jaren": model.years}


def _progress(rows: list[dict]) -> dict:
    changed = [r for r in rows if r["verschil"]]
    return {"hoger": sum(1 for r in changed if r["verschil"] > 0), "lager": sum(1 for r in changed if r["verschil"] < 0),
            "gelijk": sum(1 for r in rows if r["verschil"] == 0)}


def _gaps(profiles: Profiles, rows: list[dict], top: int, near: Near, hidden, latest: dict, peers: dict) -> list[dict]:
    """Ambitions below the top level, largest gap first (unanswered count as the largest)."""
    kast = profiles.kast
    gaps = []
    for r in rows:
        gap = top - (r["score"] if r["score"] is not None else -1)
        if r["score"] is not None and gap <= 0:
            continue
        links = linked(kast, r["ambitie"], hidden)
        gaps.append({"ambitie": r["ambitie"], "nummer": r["nummer"], "naam": r["naam"], "score": r["score"],
                     "niveau": r["niveau"], "afstand": top - (r["score"] or 0), "nietIngevuld": r["score"] is None,
                     **links, "zonderKoppelingen": not any(links.values()),
                     **_peers_ahead(profiles, r, near, peers.get(r["ambitie"], {}), latest)})
    gaps.sort(key=lambda g: (-g["afstand"], not g["nietIngevuld"], [int(p) for p in g["nummer"].split(".")]))
    return gaps


def _peers_ahead(profiles: Profiles, row: dict, near: Near, opted: dict[str, str], latest: dict) -> list[dict]:
    """Organisations that opted in for this ambition and whose latest meting scores higher; nearest first."""
    kast, own = profiles.kast, row["score"] if row["score"] is not None else -1
    out = []
    for org, role in opted.items():
        measured = latest.get(org)
        score = measured.scores.get(row["ambitie"]) if measured else None
        if org not in kast.items or score is None or score.score is None or score.score <= own:
            continue
        theirs = where(kast, org)
        distance = (0 if near.riec and theirs.riec == near.riec else
                    1 if near.province and theirs.province == near.province else 2)
        out.append({"organisatie": org, "naam": label(kast, kast.iri(org)), "contactfunctie": role or None,
                    "niveau": profiles.model.level_name(score.score), "score": score.score,
                    "nabijheid": ("zelfde RIEC-regio", "zelfde provincie", "elders")[distance], "_d": distance})
    out.sort(key=lambda p: (p["_d"], -p["score"], p["naam"]))
    for p in out:
        del p["_d"]
    return {"peers": out[:MAX_PEERS], "peersMeer": max(0, len(out) - MAX_PEERS)}


def _waterbed(kast, rows: list[dict], near: Near, others: dict[str, MeasurementView]) -> dict:
    """Per ambition: is the score below the median of the other organisations in the RIEC region? Only with
    at least MIN_GROUP other organisations with a meting there; otherwise say so."""
    region = [mv for o, mv in others.items() if near.riec and where(kast, o).riec == near.riec]
    base = {"riec": near.riec, "riecNaam": label(kast, kast.iri(near.riec)) if near.riec else None,
            "organisaties": len(region) if len(region) >= MIN_GROUP else None, "minimum": MIN_GROUP}
    if len(region) < MIN_GROUP:
        return dict(base, genoeg=False, lager=[], vergelijking=[])
    lower, table = [], []
    for r in rows:
        values = [mv.scores[r["ambitie"]].score for mv in region
                  if r["ambitie"] in mv.scores and mv.scores[r["ambitie"]].score is not None]
        if len(values) < MIN_GROUP:
            table.append({"ambitie": r["ambitie"], "nummer": r["nummer"], "mediaan": None, "aantal": None})
            continue
        median = statistics.median(values)
        table.append({"ambitie": r["ambitie"], "nummer": r["nummer"], "mediaan": median, "aantal": len(values)})
        if r["score"] is not None and r["score"] < median:
            lower.append({"ambitie": r["ambitie"], "nummer": r["nummer"], "naam": r["naam"], "score": r["score"],
                          "mediaan": median})
    return dict(base, genoeg=True, lager=lower, vergelijking=table)
