"""The ten competency questions of the ontology, answered from the shipped data (queries/*.rq).

Expected answers come from the sources; each test names the passage.
"""
import csv

import pytest

from kast import config
from kast.queries import QueryError, run


def ids(rows, column):
    return {row[column].rsplit("/", 1)[-1] for row in rows if column in row}


def test_cq01_ccv_instruments(kast):
    # 000 §4.4: the CCV developed barrier models and offers process support to municipalities.
    rows = run(kast, "cq01")
    assert "barrieremodel" in ids(rows, "instrument")
    assert {r["rol"] for r in rows} <= {"biedt aan", "ontwikkelde", "ondersteunt"}


def test_cq02_riec_covenant_partners(kast):
    # 004 §6.1 and 000 §4.5: OM, Politie, Belastingdienst, FIOD, Douane, IND, Inspectie SZW, KMar,
    # provinces and municipalities.
    rows = run(kast, "cq02")
    named = {r["deelnemer"].rsplit("/", 1)[-1] for r in rows if r["hoe"] == "deelnemer"}
    assert {"openbaar-ministerie", "politie", "belastingdienst", "fiod", "douane", "ind", "inspectie-szw",
            "kmar"} <= named
    groups = {r["naam"] for r in rows if r["hoe"] == "doelgroep"}
    assert {"gemeenten", "provincies"} <= groups


def test_cq03_practices_using_bibob_and_where(kast):
    rows = run(kast, "cq03")
    practices = ids(rows, "praktijk")
    assert {"bibob-tipbevoegdheid-tussen-overheden", "risicogericht-bibob-beleid-met-toepassingsgebieden"} <= practices
    places = {r["plaatsnaam"] for r in rows if r["praktijk"].endswith("bibob-tipbevoegdheid-tussen-overheden")}
    assert {"Assen", "Emmen"} <= places                      # the Drentse aanpak (003)


def test_cq04_instruments_for_resilient_local_government(kast):
    # 001 themes c (integrity) and a (intimidation) serve the third deelaspect of 000 §3.3.
    found = ids(run(kast, "cq04"), "instrument")
    assert {"integriteitswijzer", "model-gedragscodes-integriteit", "toolkit-veilig-bestuur",
            "riec-quickscan-integriteitsbeleid", "vog-screening", "burgemeestersgame"} <= found
    assert "barrieremodel" not in found


def test_cq05_ambitions_of_information_position_and_ambition_3_6(kast):
    # 003 §4.2: theme 2 holds ambitions 2.1–2.5; ambition 3.6 asks for a current Damoclesbeleid.
    assert [r["nummer"] for r in run(kast, "cq05a")] == ["2.1", "2.2", "2.3", "2.4", "2.5"]
    assert ids(run(kast, "cq05b"), "instrument") == {"damoclesbeleid"}


def test_cq06_region_of_a_municipality(kast):
    rows = run(kast, "cq06", gemeente="gm0106")           # Assen
    assert {r["riecnaam"] for r in rows} == {"RIEC Noord-Nederland"}
    assert {r["vrnaam"] for r in rows} == {"Veiligheidsregio Drenthe"}
    with (config.DEFAULT_DATA / "reference" / "gemeenten.csv").open(encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    same_vr = {r["id"] for r in table if r["veiligheidsregio"] == "vr03"} - {"gm0106"}
    same_riec = {r["id"] for r in table if r["veiligheidsregio"] in ("vr01", "vr02", "vr03")} - {"gm0106"}
    assert ids([r for r in rows if r["deelt"] == "veiligheidsregio"], "andere") == same_vr
    assert ids([r for r in rows if r["deelt"] == "RIEC-regio"], "andere") == same_riec
    assert len(same_vr) == 11


def test_cq07_focus_of_bzk_and_jenv(kast):
    # 002 §4.1 (JenV) and §4.2 (BZK).
    rows = run(kast, "cq07")
    focus = {r["ministerie"].rsplit("/", 1)[-1]: (r["focus"], r["sectie"]) for r in rows}
    jenv, jenv_section = focus["ministerie-jenv"]
    bzk, bzk_section = focus["ministerie-bzk"]
    assert jenv_section == "4.1" and bzk_section == "4.2"
    assert "strafrechtelijk" in jenv and "bestuurlijk" in jenv
    assert "preventief" in bzk.lower() and "politieke ambtsdragers" in bzk


def test_cq08_worst_practices_for_a_theme(kast):
    rows = run(kast, "cq08", thema="deelaspect-weerbaar-lokaal-bestuur")
    assert "integriteitsbeleid-alleen-voor-ambtenaren" in ids(rows, "praktijk")
    assert all(len(r["lessen"]) > 40 for r in rows)
    # A narrower theme only: no practice about holiday parks shows up for integrity of the board.
    assert "vakantieparken-multiproblematiek-integraal-aanpakken" not in ids(rows, "praktijk")


def test_cq09_sources_of_statements(kast):
    rows = run(kast, "cq09", item="wet-bibob")
    assert ("001_e26f3a6b92b12926.txt", "2.4.4") in {(r["bestand"], r["sectie"]) for r in rows}
    described = [r for r in rows if r.get("veld") == "http://purl.org/dc/terms/description"]
    assert described
    for item in ("damoclesbeleid", "ondermijning-als-hobbyisme", "ccv"):
        assert run(kast, "cq09", item=item), item


def test_cq10_who_supports_whom(kast):
    rows = run(kast, "cq10")
    pairs = {(r["van"].rsplit("/", 1)[-1], r["relatie"], r["naar"].rsplit("/", 1)[-1]) for r in rows}
    assert ("ministerie-bzk", "faciliteert", "netwerk-weerbaar-bestuur") in pairs            # 002 §5.2
    assert ("ministerie-jenv", "ondersteunt", "riec-zeeland-west-brabant") in pairs          # 001 §2.4.1
    assert ("liec", "adviseert", "vng-subcommissie-ondermijning") in pairs                  # 000 §2
    assert any(v.startswith("riec-") and r == "werkt samen met" and n == "liec" for v, r, n in pairs)
    assert all("bestand" in r for r in rows), "every relation is cited"


def test_queries_refuse_updates_and_service(kast):
    with pytest.raises(QueryError, match="alleen SELECT"):
        run(kast, "PREFIX x: <y> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="SERVICE"):
        run(kast, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="ongeldig"):
        run(kast, "SELECT * WHERE { ?s ?p }")
