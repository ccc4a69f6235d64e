"""`kast content …` drives the whole workflow from a shell; where the content repository lives."""
import json
import shutil

import pytest
from click.testing import CliRunner

from kast import config
from kast.cli import main
from kast.curation.entry import serialise, flatten
from kast.curation.settings import open_repo, repo_path

from .curation_support import new_practice

LID = ["--account", "account-17", "--naam", "Beleidsadviseur Assen", "--rol", "lid", "--organisatie", "gm0106"]
RED1 = ["--account", "account-2", "--naam", "Redacteur VNG", "--rol", "redacteur", "--organisatie", "vng"]
RED2 = ["--account", "account-3", "--naam", "Tweede redacteur", "--rol", "redacteur", "--organisatie", "vng"]


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A fresh 'deployment': runtime folder and content repository in tmp_path, seeded from data/."""
    monkeypatch.delenv("KAST_DATA", raising=False)
    monkeypatch.setenv("KAST_VAR", str(tmp_path / "var"))
    monkeypatch.setenv("KAST_CONTENT_REPO", str(tmp_path / "var" / "inhoud"))
    return tmp_path


def run(*args, input=None, code=0):
    result = CliRunner().invoke(main, ["content", *args], input=input, catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def test_whole_workflow_from_the_shell(env, tmp_path):
    init = run("init")
    assert str(env / "var" / "inhoud") in init.output
    assert (env / "var" / "inhoud" / "practices" / "actueel-damoclesbeleid.md").exists()
    file = tmp_path / "voorstel.md"
    file.write_bytes(serialise(flatten(dict(new_practice(), id="bibob-toets-assen"))))
    proposed = json.loads(run(*LID, "voorstel", str(file)).output)
    pid, version = proposed["voorstel"]["id"], proposed["versie"]

    text = run(*LID, "toon", pid, "--bestand").output
    changed = text.replace("Bibob-toets bij vakantieparken in Assen", "Bibob-toets op vakantieparken")
    saved = json.loads(run(*LID, "bewerk", pid, "-", "--versie", version, input=changed).output)
    assert saved["opgeslagen"] is True
    # an edit from the old version of the same field is a conflict (exit 2) and changes nothing
    conflict = run(*LID, "bewerk", pid, "-", "--versie", version, input=text.replace(
        "Bibob-toets bij vakantieparken in Assen", "Iets anders"), code=2)
    assert "titel" in conflict.output and "huidig" in conflict.output

    run(*LID, "indienen", pid)
    queue = json.loads(run(*RED1, "beoordelen").output)
    assert [q["id"] for q in queue] == [pid]
    run(*RED1, "terugsturen", pid, "-m", "Graag een bron bij het resultaat.")
    work = json.loads(run(*LID, "mijn-werk").output)
    assert work["teruggestuurd"][0]["laatste"]["toelichting"] == "Graag een bron bij het resultaat."
    run(*LID, "indienen", pid)
    refused = run(*LID, "publiceer", pid, code=1)
    assert "redacteur" in refused.output and "Traceback" not in refused.output
    run(*RED2, "publiceer", pid, "-m", "Akkoord")
    history = json.loads(run(*RED1, "geschiedenis", "bibob-toets-assen").output)
    assert history[0]["door"]["naam"] == "Tweede redacteur"
    assert "Bibob-toets op vakantieparken" in run(*RED1, "versie", "bibob-toets-assen", history[0]["versie"]).output
    assert "<feed" in run("nieuw", "--atom").output
    run(*RED1, "archiveer", "bibob-toets-assen", "-m", "verouderd")
    assert json.loads(run("status", "--json").output)["voorstellen"] == {"gepubliceerd": 1}


def test_import_template_and_export_from_the_shell(env, tmp_path):
    run("sjabloon", "xlsx", "-o", str(tmp_path / "sjabloon.xlsx"))
    imported = json.loads(run(*LID, "import", str(tmp_path / "sjabloon.xlsx")).output)
    assert len(imported["geimporteerd"]) == 1
    bad = tmp_path / "fout.csv"
    bad.write_text("titel,soort\nZonder veel,misschien\n", encoding="utf-8")
    result = run(*LID, "import", str(bad), code=1)
    assert "rij 2, kolom 'soort'" in result.output
    run("export", "actueel-damoclesbeleid", "--formaat", "csv", "-o", str(tmp_path / "uit.csv"))
    assert "actueel-damoclesbeleid" in (tmp_path / "uit.csv").read_text(encoding="utf-8-sig")


def test_without_an_account_the_command_says_so(env):
    result = run("mijn-werk", code=1)
    assert "--account" in result.output


def test_the_project_checkout_is_never_the_content_repository(tmp_path, monkeypatch):
    monkeypatch.delenv("KAST_DATA", raising=False)
    monkeypatch.delenv("KAST_CONTENT_REPO", raising=False)
    monkeypatch.setenv("KAST_VAR", str(tmp_path / "var"))
    path, seed = repo_path()
    assert path == tmp_path / "var" / "content" and seed.resolve() == config.DEFAULT_DATA.resolve()
    repo = open_repo()
    assert repo.path == tmp_path / "var" / "content"
    assert (repo.path / "practices" / "actueel-damoclesbeleid.md").exists()
    assert config.data_dir() == tmp_path / "var" / "content"   # the site reads what is published


def test_a_data_folder_outside_the_project_becomes_its_own_repository(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(config.DEFAULT_DATA, data)
    monkeypatch.delenv("KAST_CONTENT_REPO", raising=False)
    monkeypatch.setenv("KAST_DATA", str(data))
    repo = open_repo()
    assert repo.path == data and (data / ".git").is_dir()
    assert open_repo().head(repo.published_ref) == repo.head(repo.published_ref)   # adopted, not re-made


def test_an_actor_is_changed_from_the_shell(env, tmp_path):
    run("init")
    from kast.curation import Curation

    cur = Curation(open_repo())
    fields, version = cur.published("ministerie-szw", kind="actor")
    file = tmp_path / "actor.yaml"
    file.write_text(f"id: ministerie-szw\nnaam: {fields['naam']}\nsoort: ministerie\nniveau: landelijk\n"
                    "beschrijving: Ministerie van werk en inkomen; partner in het RIEC-convenant.\n"
                    "bronnen:\n  - {bron: \"004\", sectie: \"4\"}\n", encoding="utf-8")
    made = json.loads(run(*LID, "voorstel", str(file), "--soort", "actor", "--id", "ministerie-szw",
                          "--versie", version).output)
    pid = made["voorstel"]["id"]
    assert made["voorstel"]["itemsoort"] == "actor" and made["voorstel"]["bestand"].startswith("actors/")
    assert "beschrijving: Ministerie van werk en inkomen" in run(*LID, "toon", pid, "--bestand").output
    run(*LID, "indienen", pid)
    run(*LID, "publiceer", pid, code=1)   # a lid never publishes
    run(*RED1, "publiceer", pid)
    history = json.loads(run(*RED1, "geschiedenis", "ministerie-szw", "--soort", "actor").output)
    assert [h["actie"] for h in history] == ["gepubliceerd", "begin"]
    old = run(*RED1, "versie", "ministerie-szw", history[1]["versie"], "--soort", "actor").output
    assert "naam: " in old and "werk en inkomen" not in old
    # without --versie it is a new actor: refused for an id that exists, else appended to the --lijst
    run(*RED1, "voorstel", str(file), "--soort", "actor", "--id", "ministerie-szw", code=1)
    new = json.loads(run(*RED1, "voorstel", str(file), "--soort", "actor", "--id", "nieuw-ministerie",
                         "--lijst", "rijk-en-partners.yaml").output)
    assert new["voorstel"]["nieuw"] is True and new["voorstel"]["bestand"] == "actors/rijk-en-partners.yaml"
    run(*RED1, "voorstel", str(file), "--soort", "actor", "--id", "ander-ministerie", "--lijst", "geen.yaml", code=1)
