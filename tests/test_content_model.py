"""What an entry is (aard), likely duplicates, and the Drentse ambitions each served by something."""
import yaml
from rdflib.namespace import PROV, RDF, SKOS

from kast.duplicates import duplicate_messages, likely_duplicates
from kast.loader import load

from .test_cli import kast_cmd

NATURES = {"best": {"lokale-praktijk", "landelijk-programma", "voornemen"}, "worst": {"voorgevallen", "valkuil"}}


def _notation(kast, node) -> str:
    return str(kast.graph.value(node, SKOS.notation))


def test_every_practice_says_what_it_is_and_it_fits_its_kind(kast):
    g, k = kast.graph, kast.vocab.kast
    practices = list(g.subjects(RDF.type, k.Practice))
    assert len(practices) >= 30
    seen = set()
    for p in practices:
        kind, nature = _notation(kast, g.value(p, k.practiceKind)), _notation(kast, g.value(p, k.practiceNature))
        assert nature in NATURES[kind], f"{kast.id_of(p)}: {kind} met aard {nature}"
        seen.add(nature)
    assert seen == NATURES["best"] | NATURES["worst"]   # every value is used, so the facet means something


def _write(basis, name: str, **changes) -> None:
    """A copy of the fixture practice under another id, with some front-matter values changed."""
    text = (basis / "practices" / "voorbeeldpraktijk.md").read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    front = dict(yaml.safe_load(head), id=name, **changes)
    (basis / "practices" / f"{name}.md").write_text(
        "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + body, encoding="utf-8")


def test_missing_or_mismatched_nature_is_an_error_on_the_field(basis):
    _write(basis, "zonder-aard", aard=None)
    _write(basis, "verkeerde-aard", soort="worst")
    kast = load(basis)
    texts = {(m.entry, m.field, m.text.split(":")[0]) for m in kast.errors}
    assert ("zonder-aard", "aard", "kies precies één aard") in texts
    assert ("verkeerde-aard", "aard", "de aard past niet bij de soort") in texts
    assert len([m for m in kast.errors if m.entry == "verkeerde-aard"]) == 1   # reported once, not per side


def test_nature_is_a_search_facet_and_shown_on_the_page(client):
    body = client.get("/api/v1/zoeken?soort=praktijk&aard=valkuil&paginagrootte=100").get_json()
    assert body["totaal"] >= 3
    assert all(r["praktijktype"] == "worst practice · valkuil" for r in body["resultaten"])
    facet = next(f for f in body["facetten"] if f["naam"] == "aard")
    assert {"label": "valkuil", "gekozen": True} == {k: v for k, v in next(
        w for w in facet["waarden"] if w["waarde"] == "valkuil").items() if k in ("label", "gekozen")}
    page = client.get("/praktijken?aard=voornemen").get_data(as_text=True)
    assert "best practice · voornemen of afspraak" in page
    one = client.get("/praktijken/verouderde-apv-en-bibob-beleid").get_data(as_text=True)
    assert "worst practice: valkuil" in one


def test_near_duplicate_practices_are_flagged_as_a_warning(basis):
    _write(basis, "vergunningen-toetsen-tweede", titel="Vergunningen toetsen met de testwet in een tweede gemeente")
    _write(basis, "iets-heel-anders", titel="Raadsleden oefenen met dilemma's", samenvatting="Een game voor raadsleden.")
    kast = load(basis)
    assert kast.ok
    pairs = {(p.first, p.second) for p in likely_duplicates(kast)}
    assert pairs == {("vergunningen-toetsen-tweede", "voorbeeldpraktijk")}
    [message] = duplicate_messages(kast)
    assert message.severity == "waarschuwing" and message.field == "titel"
    assert "lijkt op de praktijk 'voorbeeldpraktijk'" in message.text
    result = kast_cmd("--data", str(basis), "validate")
    assert result.exit_code == 0 and "1 waarschuwingen" in result.output


def test_a_practice_with_several_look_alikes_gets_one_warning(basis):
    for n in (2, 3):
        _write(basis, f"aa-kopie-{n}", titel=f"Vergunningen toetsen met de testwet, kopie {n}")
    # words that every practice shares say nothing, so the corpus needs practices about something else too
    _write(basis, "raadsleden-oefenen", titel="Raadsleden oefenen met dilemma's", samenvatting="Een game voor de raad.")
    _write(basis, "wijkagent-meldt", titel="Wijkagent meldt signalen aan het RIEC", samenvatting="Signalen uit de wijk.")
    kast = load(basis)
    assert len(likely_duplicates(kast)) == 3          # every pair of the three look-alikes
    messages = {m.entry: m.text for m in duplicate_messages(kast)}
    assert set(messages) == {"aa-kopie-2", "aa-kopie-3"}
    assert "en op 1 andere" in messages["aa-kopie-2"]


def test_no_likely_duplicates_left_in_the_real_data(kast):
    assert [(p.first, p.second) for p in likely_duplicates(kast)] == []


def test_every_drentse_ambition_is_served_by_an_instrument_or_practice(kast):
    g, k = kast.graph, kast.vocab.kast
    scheme = kast.vocab.entity("begrippenkader", "drentse-ambities")
    ambitions = list(g.subjects(SKOS.inScheme, scheme))
    assert len(ambitions) == 28
    bare = [kast.id_of(a) for a in ambitions
            if g.value(a, k.refersToInstrument) is None
            and not any((p, RDF.type, k.Practice) in g for p in g.subjects(k.theme, a))]
    assert bare == []


def test_every_practice_citing_a_drentse_ambition_links_it(kast):
    """A practice that cites the ambitions (003 §4.1–4.5) names at least one of them as its theme."""
    g, k, v = kast.graph, kast.vocab.kast, kast.vocab
    drenthe = v.entity("begrippenkader", "drentse-ambities")
    ambition_sections = {v.section("003", f"4.{n}") for n in range(1, 6)}
    missing = []
    for p in g.subjects(RDF.type, k.Practice):
        cites = ambition_sections & set(g.objects(p, v.resolve("dct:source")))
        linked = [t for t in g.objects(p, k.theme) if (t, SKOS.inScheme, drenthe) in g]
        if cites and not linked:
            missing.append(kast.id_of(p))
    assert missing == []
