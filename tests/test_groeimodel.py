"""The groeimodel of the 28 Drentse ambitions as data (data/groeimodellen/): complete, cited, and bad
files give Dutch messages naming file, ambition and field instead of a traceback."""
import shutil
from pathlib import Path

import pytest
import yaml

from kast.loader import load
from kast.maturity import model

DATA = Path(__file__).resolve().parents[1] / "data"


def test_every_drentse_ambition_has_a_cited_scale_for_the_right_organisations(kast):
    assert kast.ok, [str(m) for m in kast.errors]
    m = model(kast)
    assert len(m.scales) == 28 and [lv.value for lv in m.levels] == [0, 1, 2, 3]
    assert all(set(s.levels) == {0, 1, 2, 3} and all(s.levels.values()) for s in m.scales)
    by_number = {s.notation: s for s in m.scales}
    assert by_number["3.6"].applies_to == ("gemeente",)                    # Damocles: municipalities
    assert by_number["3.4"].applies_to == ("provincie", "waterschap")      # Bibob choices of province and boards
    assert len(by_number["1.1"].applies_to) == 3
    assert "gm0106" in m.signatories and "pv22" in m.signatories and len(m.signatories) == 17
    g, k = kast.graph, kast.vocab.kast
    for scale in g.subjects(k.inModel, None):   # each scale cites its theme's section of the Drentse aanpak
        sections = {str(s).rsplit("/", 1)[-1] for s in g.objects(scale, kast.vocab.resolve("dct:source"))}
        assert sections and all(s.startswith("003-4.") for s in sections), (scale, sections)


@pytest.fixture
def data(tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy


def _edit(data: Path, change) -> None:
    path = data / "groeimodellen" / "drentse-ambities.yaml"
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(content)
    path.write_text(yaml.dump(content, Dumper=_NoAliases, allow_unicode=True, sort_keys=False), encoding="utf-8")


class _NoAliases(yaml.SafeDumper):
    """Write a repeated value out in full: the kast refuses YAML anchors and aliases."""

    def ignore_aliases(self, data):
        return True


def _scale(content, ambition):
    return next(s for s in content["schalen"] if s["ambitie"] == ambition)


@pytest.mark.parametrize("change, entry, field, words", [
    (lambda c: _scale(c, "ambitie-3-6").update({"ambitie": "ambitie-3-66"}), "ambitie-3-66", "ambitie",
     "onbekende verwijzing 'ambitie-3-66'"),
    (lambda c: _scale(c, "ambitie-3-6").update({"geldt-voor": ["gemeente", "ministerie"]}), "ambitie-3-6",
     "geldt-voor", "onbekende soort organisatie 'ministerie'"),
    (lambda c: _scale(c, "ambitie-3-6")["niveaus"].pop(2), "ambitie-3-6", "niveaus",
     "precies de niveaus"),
    (lambda c: _scale(c, "ambitie-3-6")["niveaus"].update({1: "bel 06-12345678"}), "ambitie-3-6", "niveaus.1",
     "persoonsgegeven"),
    (lambda c: c["schalen"].append(dict(_scale(c, "ambitie-1-1"))), "ambitie-1-1", "ambitie",
     "al een schaal"),
    (lambda c: c["groeimodel"]["overeenkomst"].update({"termijn-jaren": "twee"}), "groeimodel-drentse-ambities",
     "overeenkomst.termijn-jaren", "aantal jaren"),
    (lambda c: c["groeimodel"]["overeenkomst"].update({"ondertekenaars": ["gm0106", "gm9999"]}),
     "groeimodel-drentse-ambities", "overeenkomst.ondertekenaars", "onbekende verwijzing 'gm9999'"),
    (lambda c: _scale(c, "ambitie-3-6").pop("bronnen"), "ambitie-3-6", "bronnen", "bronvermelding"),
])
def test_bad_groeimodel_content_gives_a_dutch_message(data, change, entry, field, words):
    _edit(data, change)
    kast = load(data)
    found = [m for m in kast.errors if m.file.endswith("drentse-ambities.yaml") and words in m.text]
    assert found, [str(m) for m in kast.messages]
    assert found[0].entry == entry and found[0].field == field


def test_a_missing_scale_is_a_warning_and_a_broken_file_a_message(data):
    _edit(data, lambda c: c["schalen"].remove(_scale(c, "ambitie-5-2")))
    kast = load(data, shacl=False)
    assert kast.ok and any("ambitie-5-2" in m.text and m.severity == "waarschuwing" for m in kast.messages)
    assert len(model(kast).scales) == 27
    (data / "groeimodellen" / "drentse-ambities.yaml").write_text("groeimodel: [\n", encoding="utf-8")
    kast = load(data, shacl=False)
    assert any("ongeldige YAML" in m.text for m in kast.errors) and model(kast) is None
