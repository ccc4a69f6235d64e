"""The shipped content: complete, cited, consistent with the reference data, free of personal data."""
import csv
import re
from pathlib import Path

import pytest
from rdflib.namespace import DCTERMS, PROV, RDF

from kast import config
from kast.privacy import find_personal_data
from kast.stats import stats

DATA = config.DEFAULT_DATA
FIVE_SOURCES = {"000", "001", "002", "003", "004"}


def test_real_data_is_valid(kast):
    assert kast.ok, "\n".join(str(m) for m in kast.errors)
    assert not kast.messages, "\n".join(str(m) for m in kast.messages)


def test_counts_meet_the_issue(kast):
    s = stats(kast)
    assert s["actors"] >= 40
    assert s["municipalities"] == 342 and s["provinces"] == 12 and s["safety_regions"] == 25
    assert s["water_boards"] >= 21
    assert s["instruments"] >= 35
    assert s["ambitions"] == 28
    assert s["practices"]["total"] >= 30 and s["practices"]["worst"] >= 8
    assert s["cited_fraction"] == 1.0


def test_every_practice_and_instrument_cites_one_of_the_five_documents(kast):
    g, k = kast.graph, kast.vocab.kast
    for cls in (k.Practice, k.Instrument):
        for item in g.subjects(RDF.type, cls):
            docs = {str(g.value(g.value(s, DCTERMS.isPartOf), DCTERMS.identifier))
                    for s in g.objects(item, DCTERMS.source)}
            assert docs & FIVE_SOURCES, f"{item} cites no source document"


def test_practices_have_both_kinds_with_lessons(kast):
    g, k = kast.graph, kast.vocab.kast
    worst = list(g.subjects(k.practiceKind, kast.vocab.concept("praktijksoort", "worst")))
    assert len(worst) >= 8
    for p in worst:
        assert len(str(g.value(p, k.lessons))) > 40 and len(str(g.value(p, k.mechanism))) > 40


def test_municipalities_have_their_regions(kast):
    g, k = kast.graph, kast.vocab.kast
    with (DATA / "reference" / "veiligheidsregios.csv").open(encoding="utf-8") as f:
        riec_of_region = {r["id"]: r["riec"] for r in csv.DictReader(f)}
    for m in g.subjects(RDF.type, k.Gemeente):
        vr = kast.id_of(g.value(m, k.veiligheidsregio))
        assert kast.id_of(g.value(m, k.riecRegion)) == riec_of_region[vr]
        assert g.value(m, k.province) is not None and g.value(m, k.policeUnit) is not None
        assert str(g.value(m, kast.vocab.resolve("owl:sameAs"))).startswith(
            "https://identifier.overheid.nl/tooi/id/gemeente/gm")
    assert kast.id_of(g.value(kast.iri("gm0106"), k.riecRegion)) == "riec-noord-nederland"
    assert kast.id_of(g.value(kast.iri("gm0855"), k.riecRegion)) == "riec-zeeland-west-brabant"


def test_ten_riecs_each_cover_municipalities(kast):
    g, k = kast.graph, kast.vocab.kast
    riecs = {kast.id_of(r) for r in g.objects(None, k.riecRegion)}
    assert len(riecs) == 10
    for riec in riecs:
        assert kast.items[riec].kind == "actor"


def _data_files():
    return [p for p in DATA.rglob("*") if p.suffix in (".yaml", ".md")]


@pytest.mark.parametrize("path", _data_files(), ids=lambda p: str(p.relative_to(DATA)))
def test_no_personal_data_anywhere_in_the_files(path):
    """Also comments and unknown fields, which the loader never turns into RDF."""
    assert find_personal_data(path.read_text(encoding="utf-8")) == []


# Persons named in the sources (mayors, ministers, officials, researchers): none may appear in the kast.
NAMES_IN_SOURCES = ["Ederveen", "Hamming", "Donders", "Hoogveld", "Schouten", "Nauta", "Koopmans",
                    "Schenk", "Schuurman", "Schilder", "Noordanus", "Pieter Tops", "Blok", "Van der Molen"]


def test_no_names_of_persons_from_the_sources():
    text = "\n".join(p.read_text(encoding="utf-8") for p in _data_files())
    found = [n for n in NAMES_IN_SOURCES if re.search(rf"\b{n}\b", text)]
    assert found == []


def _normalise(text: str) -> str:
    text = text.replace("\u00ad", "").replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"-\s*\n\s*", "", text)  # words hyphenated across lines in the source
    return re.sub(r"\s+", " ", text).strip().lower()


@pytest.mark.skipif(not config.SOURCE_TEXTS.is_dir(), reason="brondocumenten (shared/sources) niet aanwezig")
def test_quotes_are_verbatim_from_the_cited_document(kast):
    g, k = kast.graph, kast.vocab.kast
    texts = {p.name: _normalise(p.read_text(encoding="utf-8")) for p in config.SOURCE_TEXTS.glob("*.txt")}
    checked = 0
    for derivation, quote in g.subject_objects(k.quote):
        doc = g.value(g.value(derivation, PROV.entity), DCTERMS.isPartOf)
        file = str(g.value(doc, k.fileName))
        if file in texts:
            assert _normalise(str(quote)).strip('"') in texts[file], f"{derivation}: {quote}"
            checked += 1
    assert checked >= 20


@pytest.mark.skipif(not config.SOURCE_TEXTS.is_dir(), reason="brondocumenten (shared/sources) niet aanwezig")
def test_source_documents_point_at_existing_files(kast):
    g, k = kast.graph, kast.vocab.kast
    files = {str(g.value(d, k.fileName)) for d in g.subjects(RDF.type, k.SourceDocument)
             if str(g.value(d, DCTERMS.identifier)) in FIVE_SOURCES}
    assert files == {p.name for p in config.SOURCE_TEXTS.glob("*.txt")}
