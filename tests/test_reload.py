"""Taking in changed files one at a time: the graph, the items and the search index follow the files, and a
bad change is refused with file, field and reason while the last good version stays loaded."""
import shutil

import pytest
from rdflib import Literal
from rdflib.namespace import SKOS

from kast.loader import load, reload
from kast.search import IndexStore, search

from .conftest import FIXTURES

PRACTICE = (FIXTURES / "basis" / "practices" / "voorbeeldpraktijk.md").read_text(encoding="utf-8")


def _snapshot(kast):
    return set(kast.graph), dict(kast.items), dict(kast.file_of)


def _write(basis, name: str, text: str):
    path = basis / "practices" / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def loaded(basis):
    return load(basis)


def test_changed_practice_replaces_only_its_triples(basis, loaded):
    iri = loaded.iri("voorbeeldpraktijk")
    others = {t for t in loaded.graph if t[0] != iri and loaded.file_of.get(t[0], ("",))[0] != "data/practices/voorbeeldpraktijk.md"}
    path = _write(basis, "voorbeeldpraktijk", PRACTICE.replace("Vergunningen toetsen met de testwet",
                                                              "Aanvragen screenen met de testwet"))
    result = reload(loaded, [path])
    assert result.ok and result.accepted == ["data/practices/voorbeeldpraktijk.md"]
    assert result.changed == {"voorbeeldpraktijk"} and not result.removed
    assert result.only_practices and iri in result.subjects
    assert loaded.graph.value(iri, SKOS.prefLabel) == Literal("Aanvragen screenen met de testwet", lang="nl")
    assert (iri, SKOS.prefLabel, Literal("Vergunningen toetsen met de testwet", lang="nl")) not in loaded.graph
    # Nothing else moved, and the result equals a fresh load of the same files.
    assert others <= set(loaded.graph)
    assert set(loaded.graph) == set(load(basis).graph)


def test_new_and_deleted_files(basis, loaded):
    path = _write(basis, "tweede-praktijk", PRACTICE.replace("id: voorbeeldpraktijk", "id: tweede-praktijk"))
    result = reload(loaded, ["practices/tweede-praktijk.md"])
    assert result.ok and result.changed == {"tweede-praktijk"}
    assert loaded.items["tweede-praktijk"].entry.file == "data/practices/tweede-praktijk.md"
    path.unlink()
    result = reload(loaded, ["data/practices/tweede-praktijk.md"])
    assert result.ok and result.removed == {"tweede-praktijk"}
    assert "tweede-praktijk" not in loaded.items
    assert set(loaded.graph) == set(load(basis).graph)


@pytest.mark.parametrize("change, field, reason", [
    (lambda t: t.replace("titel: Vergunningen", "titel: [Vergunningen"), None, "ongeldige YAML"),
    (lambda t: t.replace("instrumenten: [testwet]", "instrumenten: [testwett]"), "instrumenten",
     "onbekende verwijzing 'testwett'"),
    (lambda t: t.replace("## Probleem\nVergunningen werden zonder toets verleend.\n", ""), "probleem",
     "het kopje '## Probleem' ontbreekt"),
    (lambda t: t.replace("Adviseur", "Adviseur, bel 06-12345678"), "contact.functie", "mogelijk persoonsgegeven"),
    (lambda t: t.replace("soort: best", "soort: no"), "soort", "onbekende waarde 'no'"),
    (lambda t: t + "\x07", None, "stuurteken"),
])
def test_bad_change_is_refused_and_the_last_good_version_stays(basis, loaded, change, field, reason):
    before = _snapshot(loaded)
    messages_before = list(loaded.messages)
    _write(basis, "voorbeeldpraktijk", change(PRACTICE))
    result = reload(loaded, ["practices/voorbeeldpraktijk.md"])
    assert result.rejected == ["data/practices/voorbeeldpraktijk.md"] and not result.changed
    assert any(m.file == "data/practices/voorbeeldpraktijk.md" and m.field == field and reason in m.text
               for m in result), [str(m) for m in result]
    assert any("de vorige versie blijft geladen" in m.text for m in result)
    assert _snapshot(loaded) == before and loaded.messages == messages_before


def test_removing_what_others_refer_to_is_refused(basis, loaded):
    before = _snapshot(loaded)
    instruments = basis / "instruments" / "instrumenten.yaml"
    instruments.unlink()
    result = reload(loaded, [instruments])
    assert result.rejected == ["data/instruments/instrumenten.yaml"]
    assert any(m.file == "data/practices/voorbeeldpraktijk.md" and m.field == "instrumenten" for m in result), \
        [str(m) for m in result]
    assert _snapshot(loaded) == before


def test_files_outside_the_kast_are_named_not_read(basis, loaded):
    (basis / "notities.txt").write_text("x", encoding="utf-8")
    result = reload(loaded, [basis / "notities.txt"])
    assert result.ok and len(result) == 1 and result[0].severity == "waarschuwing"


def test_index_update_equals_a_full_rebuild(basis, loaded, tmp_path):
    store = IndexStore(root=tmp_path / "ix", data_dir=basis)
    store.rebuild(kast=loaded)
    _write(basis, "voorbeeldpraktijk", PRACTICE.replace("Vergunningen toetsen met de testwet",
                                                        "Horecapanden screenen met de testwet"))
    _write(basis, "tweede-praktijk", PRACTICE.replace("id: voorbeeldpraktijk", "id: tweede-praktijk")
           .replace("soort: best", "soort: worst").replace("aard: lokale-praktijk", "aard: voorgevallen").replace("Vergunningen toetsen", "Vastgoed volgen"))
    result = reload(loaded, ["practices/voorbeeldpraktijk.md", "practices/tweede-praktijk.md"])
    assert result.ok, [str(m) for m in result]
    updated = store.update(loaded, result)
    assert updated.index.path.parent.name == store.fingerprint()
    fresh = IndexStore(root=tmp_path / "vers", data_dir=basis).rebuild(kast=load(basis))
    for query in ("horecapanden", "vergunningen", "vastgoed", "testwet", ""):
        a, b = search(query, opened=updated), search(query, opened=fresh)
        assert (a.total, sorted(r["id"] for r in a.results), a.facets) == \
               (b.total, sorted(r["id"] for r in b.results), b.facets), query
    assert search("horecapanden", opened=updated).total == 1
    # Deleting a file removes its row; the numbers stay dense.
    (basis / "practices" / "voorbeeldpraktijk.md").unlink()
    result = reload(loaded, ["practices/voorbeeldpraktijk.md"])
    assert result.ok and result.removed == {"voorbeeldpraktijk"}
    updated = store.update(loaded, result)
    assert search("horecapanden", opened=updated).total == 0
    assert sorted(updated.index.number.values()) == list(range(updated.index.doc_count()))
    assert search("vastgoed", opened=updated).total == 1


def test_real_data_reload_of_one_practice(kast, tmp_path):
    """The shipped data: a practice edited in a copy is taken in without loading the rest again."""
    data = tmp_path / "data"
    shutil.copytree(kast.data_dir, data)
    loaded = load(data)
    assert loaded.ok
    path = sorted((data / "practices").glob("*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8").replace("\n## Lessen\n", "\n## Lessen\n- Leg vast wie belt.\n"),
                    encoding="utf-8")
    result = reload(loaded, [path])
    assert result.ok, [str(m) for m in result]
    assert set(loaded.graph) == set(load(data).graph)


def test_site_reload_serves_the_change(basis, tmp_path):
    """The running site takes in a changed file: the page, the search and the JSON API show it at once."""
    from web import create_app

    app = create_app({"KAST_DATA": str(basis), "KAST_INDEX": str(tmp_path / "ix"), "TESTING": True})
    client = app.test_client()
    assert client.get("/zoeken?q=horecapanden").get_data(as_text=True).count("voorbeeldpraktijk") == 0
    _write(basis, "voorbeeldpraktijk", PRACTICE.replace("Vergunningen toetsen met de testwet",
                                                        "Horecapanden screenen met de testwet"))
    site = app.extensions["kast"]
    result = site.reload(["practices/voorbeeldpraktijk.md"])
    assert result.ok
    assert "Horecapanden screenen" in client.get("/praktijken/voorbeeldpraktijk").get_data(as_text=True)
    assert client.get("/api/v1/zoeken?q=horecapanden").get_json()["totaal"] == 1
    # A broken edit is refused and the page keeps the last good version.
    _write(basis, "voorbeeldpraktijk", PRACTICE.replace("soort: best", "soort: beste"))
    assert not site.reload(["practices/voorbeeldpraktijk.md"]).ok
    assert "Horecapanden screenen" in client.get("/praktijken/voorbeeldpraktijk").get_data(as_text=True)


def test_a_changed_actor_file_is_not_only_practices(basis, loaded):
    """What is derived from the rest of the kast (maps, labels) is made again after such a change (web.site)."""
    path = basis / "actors" / "actoren.yaml"
    text = path.read_text(encoding="utf-8")
    name = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.strip().startswith("naam:"))
    path.write_text(text.replace(f"naam: {name}", f"naam: {name} (hernoemd)", 1), encoding="utf-8")
    result = reload(loaded, [path])
    assert result.ok and result.kinds and not result.only_practices
