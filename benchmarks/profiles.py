"""Timings of the weerbaarheidsprofiel (issue 13): saving a concept, fixing a meting and computing the
result of a meting (gaps with instruments and practices, opted-in peers, waterbed median) when every
municipality of the country has a profile.

Usage: .venv/bin/python benchmarks/profiles.py [--organisations 342] [--metingen 4] [--repeat 5] [--url URL]

The profiles are synthetic (random scores, a third opted in as peer) in a temporary SQLite database, or in
the database of --url (e.g. the PostgreSQL of scripts/start-postgres.sh; its profile tables are emptied
first). Prints one Markdown table: the old way (one query per gap for the peers and their metingen, as
the first version did) next to the current one (all latest metingen and opt-ins in two queries).
"""
import argparse
import datetime as dt
import platform
import random
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kast.loader import load  # noqa: E402
from kast.profiles import Profiles, result  # noqa: E402
from kast.profiles import compare  # noqa: E402
from kast.profiles import models as m  # noqa: E402


def timed(fn, repeat: int):
    best, out = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, out


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s".replace(".", ",")


def orm_latest(profiles: Profiles, orgs=None) -> dict:
    """The first version of Profiles.latest: every meting as ORM objects, the last one per organisation kept."""
    from sqlalchemy import select

    from kast.profiles.service import _measurement

    with profiles.sessions() as db:
        query = select(m.Measurement).order_by(m.Measurement.date, m.Measurement.id)
        if orgs is not None:
            query = query.where(m.Measurement.organisation.in_(list(orgs)))
        return {r.organisation: _measurement(r) for r in db.scalars(query)}


def per_gap_queries(profiles: Profiles, actor, org: str, measurement_id: int):
    """The first version: for every gap, ask the database for its peers and load their metingen as ORM objects."""
    current, _ = profiles.measurement(actor, org, measurement_id)
    near = compare.where(profiles.kast, org)
    peers = []
    for scale in profiles.scales(org):
        opted = profiles.peers().get(scale.ambition, {})
        latest = orm_latest(profiles, opted)
        score = current.scores.get(scale.ambition)
        row = {"ambitie": scale.ambition, "score": score.score if score else None}
        peers.append(compare._peers_ahead(profiles, row, near, opted, latest)["peers"])
    others = {o: mv for o, mv in orm_latest(profiles).items() if o != org}
    compare._waterbed(profiles.kast, [], near, others)
    return peers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=342)
    parser.add_argument("--metingen", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url")
    args = parser.parse_args()

    kast = load(shacl=False)
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/profielen.sqlite"
    profiles = Profiles(kast, url)
    with profiles.sessions.begin() as db:   # a clean start on a reused database
        for table in (m.MeasuredScore, m.Measurement, m.Answer, m.Share, m.Profile):
            db.query(table).delete()
    orgs = sorted(i for i, item in kast.items.items() if item.kind == "gemeente")[:args.organisations]
    rng = random.Random(13)
    start = time.perf_counter()
    for n, org in enumerate(orgs):
        who = SimpleNamespace(id=n + 1, organisation=org, role="lid")
        for k in range(args.metingen):
            answers = {s.ambition: {"score": rng.randint(0, 3), "peer": rng.random() < 0.33,
                                    "notitie": "synthetische notitie"} for s in profiles.scales(org)}
            profiles.save(who, org, answers, contact_role="Adviseur OOV")
            profiles.fix(who, org, dt.date(2024, 1, 1) + dt.timedelta(days=180 * k))
    filled = time.perf_counter() - start
    assen = SimpleNamespace(id=10_000, organisation="gm0106", role="lid")
    last = profiles.measurements(assen, "gm0106")[-1].id
    one_save, _ = timed(lambda: profiles.save(assen, "gm0106", {"ambitie-3-6": {"score": 2}}), args.repeat)
    old, _ = timed(lambda: per_gap_queries(profiles, assen, "gm0106", last), args.repeat)
    new, r = timed(lambda: result(profiles, assen, "gm0106", last), args.repeat)

    print(f"Weerbaarheidsprofiel: {len(orgs)} gemeenten × {args.metingen} metingen × 27 ambities "
          f"({'SQLite' if url.startswith('sqlite') else url.split(':', 1)[0]}), Python {platform.python_version()}, "
          f"beste van {args.repeat}\n")
    print("| wat | tijd |\n| --- | --- |")
    print(f"| alle profielen invullen en vastleggen ({len(orgs) * args.metingen} metingen) | {fmt(filled)} |")
    print(f"| één antwoord opslaan | {fmt(one_save)} |")
    print(f"| alleen peers en waterbed, eerste versie (per gat een query, alle metingen als ORM-objecten) | {fmt(old)} |")
    print(f"| hele resultaat van een meting, nu (laatste metingen en opt-ins in twee queries, vijf peers per gat) | {fmt(new)} |")
    print(f"\n{len(r['gaten'])} gaten, {sum(len(g['peers']) for g in r['gaten'])} peers, "
          f"waterbed: {r['waterbed']['organisaties']} organisaties in de regio")


if __name__ == "__main__":
    main()
