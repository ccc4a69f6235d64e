"""Each broken fixture file yields its own clear Dutch message, naming file and field; the rest loads."""
import shutil
import subprocess
import sys

import pytest

from kast.loader import load

from .conftest import FIXTURES

# case → (file inside the data folder, field or None, text the message must contain)
CASES = {
    "yaml-syntax": ("actors/kapot.yaml", None, "ongeldige YAML (regel 3"),
    "geen-utf8": ("actors/latin1.yaml", None, "geen geldige UTF-8"),
    "geen-lijst": ("instruments/object.yaml", None, "verwacht een lijst van items"),
    "dubbel-id": ("instruments/tweede.yaml", "id", "het id 'testwet' bestaat al in data/instruments/instrumenten.yaml"),
    "onbekende-verwijzing": ("practices/verkeerde-verwijzing.md", "instrumenten",
                             "onbekende verwijzing 'testwett' (verwacht: instrument); bedoelde u 'testwet'?"),
    "verkeerde-soort": ("practices/verkeerde-soort.md", "instrumenten",
                        "'testthema-integriteit' is een thema, hier wordt een instrument verwacht"),
    "onbekend-veld": ("instruments/onbekend-veld.yaml", "wettelijke_basis", "onbekend veld; bedoelde u 'wettelijke-basis'?"),
    "onbekende-waarde": ("practices/bewezen.md", "bewijsniveau", "onbekende waarde 'bewezen'; kies uit: beschreven"),
    "onbekende-sectie": ("instruments/sectie.yaml", "bronnen", "bron t01 heeft geen sectie '9'; secties: 1, 2.1"),
    "onbekende-relatiesoort": ("actors/relatiesoort.yaml", "relaties", "onbekende relatiesoort 'bestuurt'"),
    "relatie-zonder-bron": ("actors/relatie.yaml", "relaties", "heeft geen bronvermelding"),
    "id-bestandsnaam": ("practices/andere-naam.md", "id", "moet gelijk zijn aan de bestandsnaam 'andere-naam'"),
    "onbekend-kopje": ("practices/kopje.md", None, "onbekend kopje '## Resultaten'"),
    "ontbrekend-kopje": ("practices/zonder-probleem.md", "probleem", "het kopje '## Probleem' ontbreekt of is leeg"),
    "geen-bron": ("instruments/zonder-bron.yaml", "bronnen", "minstens één bronvermelding (bron en sectie) is verplicht"),
    "te-lang-citaat": ("practices/lang-citaat.md", "bronnen", "citeer hooguit 200 tekens"),
    "ongeldig-jaar": ("practices/ongeldig-jaar.md", "periode.van", "verwacht een jaartal (zoals 2017), gevonden 'vorig jaar'"),
    "bsn": ("practices/bsn-in-tekst.md", "probleem", "mogelijk persoonsgegeven (BSN …333)"),
    "email": ("actors/email.yaml", "beschrijving", "mogelijk persoonsgegeven (e-mailadres ….nl)"),
    "telefoon": ("practices/telefoonnummer.md", "contact.functie", "mogelijk persoonsgegeven (telefoonnummer …678)"),
}


def test_basis_is_valid(basis):
    kast = load(basis)
    assert kast.ok, [str(m) for m in kast.messages]
    assert {"testvereniging", "testwet", "voorbeeldpraktijk", "testthema-integriteit"} <= set(kast.items)


def test_every_fixture_has_a_case():
    assert {p.name for p in (FIXTURES / "kapot").iterdir()} == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_file_message(basis, case):
    shutil.copytree(FIXTURES / "kapot" / case, basis, dirs_exist_ok=True)
    rel, field, text = CASES[case]
    kast = load(basis)
    matching = [m for m in kast.errors if m.file == f"data/{rel}" and m.field == field and text in m.text]
    assert matching, "\n".join(str(m) for m in kast.messages)
    # The good files still load.
    assert {"testvereniging", "testwet", "voorbeeldpraktijk"} <= set(kast.items)


def test_personal_data_never_reaches_the_graph(basis):
    shutil.copytree(FIXTURES / "kapot" / "bsn", basis, dirs_exist_ok=True)
    shutil.copytree(FIXTURES / "kapot" / "email", basis, dirs_exist_ok=True)
    text = load(basis).graph.serialize(format="nt")
    assert "111222333" not in text and "@example.nl" not in text


def test_cli_reports_without_traceback(basis):
    shutil.copytree(FIXTURES / "kapot" / "yaml-syntax", basis, dirs_exist_ok=True)
    shutil.copytree(FIXTURES / "kapot" / "onbekende-verwijzing", basis, dirs_exist_ok=True)
    run = subprocess.run([sys.executable, "-m", "kast.cli", "--data", str(basis), "validate"],
                         capture_output=True, text=True)
    assert run.returncode == 1
    output = run.stdout + run.stderr
    assert "Traceback" not in output
    assert "data/actors/kapot.yaml" in output and "ongeldige YAML" in output
    assert "data/practices/verkeerde-verwijzing.md [verkeerde-verwijzing] veld 'instrumenten'" in output


def test_missing_data_folder_is_a_message(tmp_path):
    kast = load(tmp_path / "bestaat-niet")
    assert not kast.ok
    assert "de datamap bestaat niet" in kast.errors[0].text
