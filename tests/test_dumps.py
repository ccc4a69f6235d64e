"""The downloads after published changes are the graph the reader may see (N-Triples line for line, Turtle
and JSON-LD triple for triple), while only the changed subjects are written again (kast.dumps)."""
import shutil
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import DCTERMS

from kast.curation.entry import parse, serialise
from kast.links import public_graph
from kast.loader import load
from kast.dumps import Downloads
from kast.reload import reload
from kast.visibility import LEVELS, hidden

DATA = Path(__file__).resolve().parent.parent / "data"
PRACTICE = "actueel-damoclesbeleid"


def _fresh(kast, level) -> list[bytes]:
    hide = hidden(kast, LEVELS[level])
    return sorted(public_graph(kast, hide).serialize(format="nt", encoding="utf-8").splitlines())


def _edit(path: Path, **fields) -> Path:
    path.write_bytes(serialise(dict(parse(path.read_bytes()), **fields)))
    return path


@pytest.fixture(scope="module")
def kast(tmp_path_factory):
    data = tmp_path_factory.mktemp("nt") / "data"
    shutil.copytree(DATA, data)
    return load(data, shacl=False)


def test_the_download_follows_every_kind_of_change(kast):
    data = kast.data_dir
    dumps = {level: Downloads(kast, hidden(kast, reader)) for level, reader in LEVELS.items()}
    for level in dumps:
        dumps[level].get("ttl"), dumps[level].get("jsonld")   # made before the changes: they must follow too
    practice = data / "practices" / f"{PRACTICE}.md"
    other = sorted((data / "practices").glob("*.md"))[-1]
    steps = [
        ("titel", lambda: _edit(practice, titel="Damoclesbeleid, bijgewerkt")),
        ("verborgen", lambda: _edit(practice, zichtbaarheid="netwerk")),
        ("weer openbaar", lambda: _edit(practice, zichtbaarheid="openbaar")),
        ("verwijderd", lambda: (other.unlink(), other)[1]),
    ]
    saved = other.read_bytes()
    steps.append(("terug", lambda: (other.write_bytes(saved), other)[1]))
    for name, change in steps:
        result = reload(kast, [change()])
        assert result.ok, (name, [str(m) for m in result])
        for level, dump in dumps.items():
            dump.update(kast, hidden(kast, LEVELS[level]), result.subjects)
            assert sorted(dump.get("nt").splitlines()) == _fresh(kast, level), (name, level)
    for level, dump in dumps.items():
        expected = set(public_graph(kast, hidden(kast, LEVELS[level])))
        for fmt, parser in (("ttl", "turtle"), ("jsonld", "json-ld")):
            assert set(Graph().parse(data=dump.get(fmt), format=parser)) == expected, (fmt, level)
    assert b"Damoclesbeleid, bijgewerkt" in dumps["openbaar"].get("nt")


def test_a_hidden_practice_leaves_no_triple_that_names_it(kast):
    """Also a triple of another subject (no field names a practice today; the filter must hold when one does)."""
    practice = kast.data_dir / "practices" / f"{PRACTICE}.md"
    kast.graph.add((kast.items["vng"].iri, DCTERMS.references, kast.items[PRACTICE].iri))
    dump = Downloads(kast, hidden(kast, LEVELS["openbaar"]))
    assert str(kast.items[PRACTICE].iri).encode() in dump.get("nt")
    result = reload(kast, [_edit(practice, zichtbaarheid="netwerk")])
    assert result.ok
    dump.update(kast, hidden(kast, LEVELS["openbaar"]), result.subjects)
    assert str(kast.items[PRACTICE].iri).encode() not in dump.get("nt")
    assert sorted(dump.get("nt").splitlines()) == _fresh(kast, "openbaar")
    result = reload(kast, [_edit(practice, zichtbaarheid="openbaar")])
    dump.update(kast, hidden(kast, LEVELS["openbaar"]), result.subjects)
    assert str(kast.items[PRACTICE].iri).encode() in dump.get("nt")
