"""A synthetic corpus of practice files for scale tests, built from the real vocabulary.

Every practice is plainly marked synthetic (id, title and summary), uses real actors, instruments,
themes and municipalities, and cites a section its instrument really cites. The real data/ folder is
never written to.
"""
import random
import shutil
from pathlib import Path

import yaml
from rdflib.namespace import DCTERMS, PROV, SKOS

from . import config
from .loader import load

PROBLEMS = [
    "Signalen over {fenomeen} in {gemeente} kwamen bij verschillende afdelingen binnen, maar niemand bracht ze samen.",
    "In {gemeente} groeide de zorg over {fenomeen}; de gemeente had geen zicht op wie erachter zat.",
    "Ondernemers in {gemeente} meldden druk van criminelen; het ging om {fenomeen}.",
    "Na een incident rond {fenomeen} bleek dat {gemeente} haar werkwijze niet op orde had.",
]
APPROACHES = [
    "De gemeente zette {instrument} in, samen met {actor}. {instrument_tekst}",
    "Met steun van {actor} koos {gemeente} voor {instrument}. Medewerkers werden getraind en signalen werden elke maand besproken.",
    "{gemeente} legde afspraken vast met {actor} en gebruikte {instrument} bij elke nieuwe vergunning.",
]
MECHANISMS_BEST = [
    "Doordat informatie op één plek samenkwam, konden partners eerder ingrijpen.",
    "De drempel voor criminelen werd hoger, omdat ze wisten dat de gemeente toetste.",
    "Bestuurlijke steun gaf medewerkers de ruimte om door te pakken.",
]
MECHANISMS_WORST = [
    "De aanpak hing aan één persoon; toen die vertrok, viel alles stil.",
    "Partners hielden vast aan eigen doelen, waardoor de gezamenlijke aanpak stokte.",
    "De buurgemeenten deden niets, zodat het probleem zich verplaatste.",
]
RESULTS = [
    "Er zijn geen metingen gedaan; betrokkenen noemen de samenwerking beter.",
    "Het aantal signalen nam toe; of de criminaliteit afnam, is niet onderzocht.",
    "Na twee jaar is de werkwijze geëvalueerd; de effecten zijn gemengd.",
]
LESSONS = ["- Begin klein en leg afspraken vast.", "- Betrek het bestuur vanaf het begin.",
           "- Deel signalen met de buurgemeenten.", "- Borg kennis bij meer dan één medewerker.",
           "- Evalueer na een jaar en stel bij."]


def _label(kast, iri) -> str:
    return str(kast.graph.value(iri, SKOS.prefLabel))


def generate(out: Path, practices: int, seed: int = 2017) -> int:
    """Write a complete data folder to `out` with `practices` synthetic practices; return the count."""
    out = Path(out).resolve()
    if out == config.DEFAULT_DATA.resolve() or config.DEFAULT_DATA.resolve() in out.parents:
        raise ValueError("het synthetische corpus mag nooit in data/ van de kast staan")
    kast = load(shacl=False)
    g, k = kast.graph, kast.vocab.kast
    rnd = random.Random(seed)
    by_kind: dict[str, list] = {}
    for item_id, item in kast.items.items():
        by_kind.setdefault(item.kind, []).append(item_id)
    instruments = [i for i in sorted(by_kind["instrument"]) if list(g.objects(kast.iri(i), DCTERMS.source))]
    themes = sorted(by_kind["thema"])
    phenomena = [t for t in themes if t.startswith("fenomeen-")]
    actors = sorted(by_kind["actor"])
    municipalities = sorted(by_kind["gemeente"])
    out.mkdir(parents=True, exist_ok=True)
    for folder in ("sources", "actors", "instruments", "themes", "reference"):
        shutil.copytree(config.DEFAULT_DATA / folder, out / folder, dirs_exist_ok=True)
    target = out / "practices"
    target.mkdir(exist_ok=True)
    (out / "LEESMIJ.txt").write_text(
        f"Synthetisch corpus van {practices} praktijken voor schaaltests, gemaakt met "
        f"`kast generate-corpus` (seed {seed}). Geen echte praktijken; niet publiceren.\n", encoding="utf-8")
    for n in range(1, practices + 1):
        kind = "worst" if rnd.random() < 0.3 else "best"
        instrument = rnd.choice(instruments)
        gemeente = rnd.choice(municipalities)
        fenomeen = rnd.choice(phenomena)
        actor = rnd.choice(actors)
        iri = kast.iri(instrument)
        section = rnd.choice(sorted(g.objects(iri, DCTERMS.source)))
        doc = g.value(section, DCTERMS.isPartOf)
        words = {"gemeente": _label(kast, kast.iri(gemeente)), "fenomeen": _label(kast, kast.iri(fenomeen)).lower(),
                 "instrument": _label(kast, iri), "actor": _label(kast, kast.iri(actor)),
                 "instrument_tekst": str(g.value(iri, DCTERMS.description) or "").split(". ")[0] + "."}
        start = rnd.randint(2012, 2024)
        front = {
            "id": f"synthetisch-{n:05d}",
            "titel": f"[Synthetisch] {words['instrument']} tegen {words['fenomeen']} in {words['gemeente']}",
            "soort": kind, "aard": "voorgevallen" if kind == "worst" else "lokale-praktijk",
            "samenvatting": f"Synthetische praktijk voor schaaltests. {rnd.choice(PROBLEMS).format(**words)}",
            "status": "gepubliceerd", "zichtbaarheid": "openbaar",
            "actoren": sorted({actor, gemeente}), "instrumenten": [instrument],
            "themas": sorted({fenomeen, rnd.choice(themes)}), "gemeenten": [gemeente],
            "periode": {"van": start, "tot": min(start + rnd.randint(0, 4), 2026)},
            "bewijsniveau": rnd.choice(["beschreven", "beschreven", "theoretisch-onderbouwd", "eerste-aanwijzingen"]),
            "effect": "negatief" if kind == "worst" else rnd.choice(["positief", "gemengd", "onbekend"]),
            "context": {"grootte": [rnd.choice(["klein", "middelgroot", "groot"])]},
            "contact": {"organisatie": gemeente, "functie": "Beleidsadviseur openbare orde en veiligheid"},
            "bronnen": [{"bron": str(g.value(doc, DCTERMS.identifier)),
                         "sectie": str(g.value(section, DCTERMS.identifier))}],
        }
        mechanism = rnd.choice(MECHANISMS_WORST if kind == "worst" else MECHANISMS_BEST)
        body = "\n\n".join([
            f"## Probleem\n{rnd.choice(PROBLEMS).format(**words)}",
            f"## Aanpak\n{rnd.choice(APPROACHES).format(**words)}",
            f"## Werkingsmechanisme\n{mechanism}", f"## Resultaat\n{rnd.choice(RESULTS)}",
            "## Lessen\n" + "\n".join(rnd.sample(LESSONS, 2)),
            f"## Overdraagbaarheid\nGeschikt voor gemeenten die net als {words['gemeente']} met {words['fenomeen']} te maken hebben.",
        ])
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n" + body + "\n"
        (target / f"{front['id']}.md").write_text(text, encoding="utf-8")
    return practices
