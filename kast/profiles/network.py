"""The peer network learns from the profiles: for members only, organisations connected by shared gaps
(learn together) and complementary strengths (one is ahead where the other is not yet), each connection
with its reason, and groups around a gap for the meeting planner.

Only opted-in data: an organisation appears for an ambition only when it chose to be shown as a peer for
that ambition ("u kunt ons hierover bellen"), and only with its latest meting. No notes, no exact scores of
others: a connection says "verder" or "nog niet geborgd".

    >>> import tempfile; from types import SimpleNamespace as A; from kast.loader import load
    >>> p = Profiles(load(shacl=False), f"sqlite:///{tempfile.mkdtemp()}/p.sqlite")
    >>> for org, score in (("gm0106", 1), ("gm0114", 3), ("gm0109", 0)):
    ...     who = A(id=1, organisation=org, role="lid")
    ...     _ = p.save(who, org, {"ambitie-3-6": {"score": score, "peer": True}}); _ = p.fix(who, org)
    >>> [(c["van"], c["naar"], c["soort"]) for c in connections(p, who, "ambitie-3-6")]
    [('gm0106', 'gm0109', 'samen-leren'), ('gm0114', 'gm0106', 'kan-helpen'), ('gm0114', 'gm0109', 'kan-helpen')]
"""
from ..describe import label
from .compare import where
from .service import ProfileNotFound, Profiles

AHEAD = 2          # from 'ingericht' on, an organisation can help one that is lower
HELPERS = 3        # helpers per organisation with a gap, nearest first
MAX_GROUP = 20


def _member(actor) -> None:
    """Members of the network (every account) only; for anyone else the view does not exist."""
    if actor is None or getattr(actor, "role", None) not in ("lid", "redacteur", "beheerder"):
        raise ProfileNotFound()


def _opted(profiles: Profiles, ambition: str) -> dict[str, int]:
    """Organisation → latest score on `ambition`, for those that opted in for it and answered it."""
    opted = profiles.peers().get(ambition, {})
    latest = profiles.latest(opted)
    out = {}
    for org in opted:
        answer = latest[org].scores.get(ambition) if org in latest else None
        if answer is not None and answer.score is not None and org in profiles.kast.items:
            out[org] = answer.score
    return out


def summary(profiles: Profiles, actor) -> list[dict]:
    """Per ambition: how many opted-in organisations are not yet at the top, and how many can help."""
    _member(actor)
    model, out = profiles.model, []
    for scale in model.scales if model else []:
        scores = _opted(profiles, scale.ambition)
        out.append({"ambitie": scale.ambition, "nummer": scale.notation, "naam": scale.label,
                    "metGat": sum(1 for s in scores.values() if s < model.top),
                    "kanHelpen": sum(1 for s in scores.values() if s >= AHEAD)})
    return out


def _distance(near, theirs) -> int:
    return 0 if near.riec and near.riec == theirs.riec else 1 if near.province and near.province == theirs.province else 2


def connections(profiles: Profiles, actor, ambition: str) -> list[dict]:
    """Shared gaps within a RIEC region (samen-leren) and, for each organisation with a gap, the nearest
    organisations that are further (kan-helpen), each with its reason in Dutch."""
    _member(actor)
    kast, model = profiles.kast, profiles.model
    scale = model.by_ambition.get(ambition) if model else None
    if scale is None:
        return []
    scores = _opted(profiles, ambition)
    places = {o: where(kast, o) for o in scores}
    gaps = sorted(o for o, s in scores.items() if s < model.top)
    out = []
    for n, a in enumerate(gaps):
        for b in gaps[n + 1:]:
            if places[a].riec and places[a].riec == places[b].riec:
                out.append({"van": a, "naar": b, "soort": "samen-leren", "ambitie": ambition,
                            "reden": f"beide nog niet geborgd op {scale.notation} {scale.label}, in dezelfde RIEC-regio"})
    for a in gaps:
        helpers = sorted((o for o, s in scores.items() if s >= AHEAD and s > scores[a] and o != a),
                         key=lambda o: (_distance(places[a], places[o]), o))[:HELPERS]
        for h in helpers:
            out.append({"van": h, "naar": a, "soort": "kan-helpen", "ambitie": ambition,
                        "reden": f"{label(kast, kast.iri(h))} is verder op {scale.notation} {scale.label}"})
    out.sort(key=lambda c: (c["soort"] != "samen-leren", c["van"], c["naar"]))
    return out


def groups(profiles: Profiles, actor, ambition: str, size: int = 6) -> list[dict]:
    """Groups around a gap for the meeting planner: organisations with the gap, per RIEC region, in groups of
    at most `size`, each with the nearest helpers."""
    _member(actor)
    kast, model = profiles.kast, profiles.model
    if not model or ambition not in model.by_ambition:
        return []
    size = max(2, min(size, MAX_GROUP))
    scores = _opted(profiles, ambition)
    by_region: dict[str, list[str]] = {}
    for org, score in scores.items():
        if score < model.top:
            by_region.setdefault(where(kast, org).riec or "", []).append(org)
    out = []
    for region in sorted(by_region):
        members = sorted(by_region[region], key=lambda o: label(kast, kast.iri(o)))
        helpers = sorted((o for o, s in scores.items() if s >= AHEAD and (where(kast, o).riec or "") == region),
                         key=lambda o: label(kast, kast.iri(o)))
        for start in range(0, len(members), size):
            out.append({"regio": region or None, "regioNaam": label(kast, kast.iri(region)) if region else "geen RIEC-regio",
                        "leden": [{"id": o, "naam": label(kast, kast.iri(o))} for o in members[start:start + size]],
                        "helpers": [{"id": o, "naam": label(kast, kast.iri(o))} for o in helpers[:HELPERS]]})
    return out
