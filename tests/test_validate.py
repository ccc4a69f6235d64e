"""The flattened SHACL shapes (kast.validate.flatten) find exactly what the shapes as written find, and
validating a part of the graph (kast.validate.validate_nodes) finds exactly what the whole graph says about
that part."""
import shutil

from rdflib import Graph

from kast.loader import load
from kast.validate import flatten, shacl_messages, validate_nodes

from .conftest import FIXTURES

SHAPES = FIXTURES.parent.parent / "ontology" / "vormen.ttl"


def _broken(basis):
    for case in (FIXTURES / "kapot").iterdir():
        shutil.copytree(case, basis, dirs_exist_ok=True)
    return load(basis, shacl=False)


def _as_written(kast) -> Graph:
    shapes = Graph()
    shapes.parse(SHAPES, format="turtle", publicID=kast.vocab.base)
    return shapes


def test_flattened_shapes_give_the_same_messages(basis):
    kast = _broken(basis)
    written = _as_written(kast)
    original = shacl_messages(kast.graph, written, kast.file_of, kast.vocab)
    assert len(original) >= 3    # the broken fixtures do break shapes
    assert [str(m) for m in shacl_messages(kast.graph, flatten(written), kast.file_of, kast.vocab)] == \
           [str(m) for m in original]


def test_validating_part_of_the_graph_equals_the_whole(basis):
    kast = _broken(basis)
    shapes = flatten(_as_written(kast))
    whole = shacl_messages(kast.graph, shapes, kast.file_of, kast.vocab)
    broken = sorted({m.entry for m in whole if m.entry in kast.items})
    assert len(broken) >= 2
    for item_id in broken + ["voorbeeldpraktijk"]:
        nodes = {n for n, (_, i, _) in kast.file_of.items() if i == item_id}
        part = validate_nodes(nodes, kast.graph, kast.ontology, shapes, kast.file_of, kast.vocab)
        assert [str(m) for m in part] == [str(m) for m in whole if m.entry == item_id], item_id
