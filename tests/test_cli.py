"""The `kast` command as a user runs it, on the real data."""
import json

from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from kast.cli import main
from kast.loader import load
from kast.readers import Reader

from .conftest import FIXTURES


def kast_cmd(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_validate_real_data_exits_zero():
    result = kast_cmd("validate")
    assert result.exit_code == 0, result.output
    assert "0 fouten" in result.output


def test_stats_json_has_the_promised_keys():
    stats = json.loads(kast_cmd("stats", "--json").output)
    assert {"actors", "municipalities", "instruments", "themes", "ambitions", "practices",
            "cited_fraction"} <= set(stats)
    assert set(stats["practices"]) == {"total", "best", "worst"}
    assert 0 <= stats["cited_fraction"] <= 1


def test_stats_table_is_dutch():
    output = kast_cmd("stats").output
    assert "gemeenten" in output and "praktijken" in output


def test_show_by_id_lists_properties_neighbours_and_sources():
    output = kast_cmd("show", "damoclesbeleid").output
    assert "Damoclesbeleid" in output
    assert "003_78082d47c9342c12.txt" in output      # its source file
    assert "Wordt genoemd door:" in output           # e.g. ambition 3.6 refers to it


def test_show_by_name_and_json():
    data = json.loads(kast_cmd("show", "Assen", "--json").output)
    assert data["id"] == "gm0106"
    assert data["eigenschappen"]["zelfde als"][0]["iri"] == "https://identifier.overheid.nl/tooi/id/gemeente/gm0106"


def test_show_unknown_is_a_dutch_error():
    result = CliRunner().invoke(main, ["show", "damoclesbeleidd"])
    assert result.exit_code == 1
    assert "geen item 'damoclesbeleidd' gevonden; bedoelde u: damoclesbeleid" in result.output


def test_export_reloads_isomorphic(tmp_path, kast):
    for fmt, parser in (("turtle", "turtle"), ("jsonld", "json-ld"), ("nt", "nt")):
        out = tmp_path / f"kast.{fmt}"
        result = kast_cmd("export", "--format", fmt, "-o", str(out))
        assert result.exit_code == 0
        reloaded = Graph().parse(out, format=parser)
        assert len(reloaded) == len(kast.graph)
        assert isomorphic(reloaded, kast.graph), fmt


def test_new_practice_scaffold(tmp_path):
    data = tmp_path / "data"
    result = kast_cmd("--data", str(data), "new", "practice", "mijn-aanpak", "--titel", "Mijn aanpak",
                      "--soort", "worst")
    assert result.exit_code == 0
    path = data / "practices" / "mijn-aanpak.md"
    text = path.read_text(encoding="utf-8")
    assert "titel: Mijn aanpak" in text and "soort: worst" in text and "## Werkingsmechanisme" in text
    # Every key in the template is a known field: reading it gives no message about the format.
    reader = Reader(data).read_all()
    assert reader.messages == [] and reader.entries[0].id == "mijn-aanpak"
    # Never overwrite.
    again = CliRunner().invoke(main, ["--data", str(data), "new", "practice", "mijn-aanpak"])
    assert again.exit_code == 1 and "bestaat al" in again.output
    assert path.read_text(encoding="utf-8") == text


def test_filled_in_scaffold_validates(tmp_path, basis):
    kast_cmd("--data", str(basis), "new", "practice", "nieuw")
    path = basis / "practices" / "nieuw.md"
    text = path.read_text(encoding="utf-8")
    filled = (text.replace("titel: ", "titel: Nieuwe aanpak", 1)
              .replace("samenvatting:", "samenvatting: Korte samenvatting.", 1)
              .replace("actoren: []", "actoren: [testvereniging]").replace("themas: []", "themas: [testthema-integriteit]")
              .replace('bron: ""', "bron: t01").replace('sectie: ""', 'sectie: "1"'))
    for heading in ("Probleem", "Aanpak", "Werkingsmechanisme", "Resultaat", "Lessen", "Overdraagbaarheid"):
        filled = filled.replace(f"## {heading}\n", f"## {heading}\nTekst over {heading.lower()}.\n")
    path.write_text(filled, encoding="utf-8")
    kast = load(basis)
    assert kast.ok, [str(m) for m in kast.messages]


def test_other_base_iri(basis):
    kast = load(basis, base="https://voorbeeld.example/kast")
    subjects = {str(s) for s in kast.graph.subjects() if str(s).startswith("http")}
    assert all(not s.startswith("https://data.apothekerskast.nl/") for s in subjects)
    assert str(kast.iri("testwet")) == "https://voorbeeld.example/kast/id/instrument/testwet"
    assert kast.ok
