"""The one loader: ontology/ and data/ → one validated rdflib graph.

Usage: ``kast = load()``; then ``kast.graph`` is the graph, ``kast.messages`` every finding (file,
item, field, Dutch text) and ``kast.ok`` whether there were no errors.
"""
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from . import config, maturity
from .build import Builder, Item
from .readers import Message, Reader
from .validate import load_shapes, shacl_messages
from .vocab import Vocabulary

ONTOLOGY_FILES = ("kast.ttl", "lijsten.ttl")
SHAPES_FILE = "vormen.ttl"


@dataclass
class Kast:
    graph: Graph
    vocab: Vocabulary
    items: dict[str, Item]
    file_of: dict[URIRef, tuple[str, str, str]]
    messages: list[Message] = field(default_factory=list)

    @property
    def errors(self) -> list[Message]:
        return [m for m in self.messages if m.severity == "fout"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def iri(self, item_id: str) -> URIRef | None:
        item = self.items.get(item_id)
        return item.iri if item else None

    def id_of(self, iri: URIRef) -> str | None:
        entry = self.file_of.get(iri)
        return entry[1] if entry else None


def load(data_dir: Path | str | None = None, ontology_dir: Path | str | None = None,
         base: str | None = None, shacl: bool = True) -> Kast:
    """Read, convert and (optionally) SHACL-validate everything. Never raises on bad content."""
    vocab = Vocabulary(config.base_iri(base))
    data_dir = config.data_dir(data_dir)
    ontology_dir = Path(ontology_dir or config.DEFAULT_ONTOLOGY)
    graph = Graph()
    vocab.bind(graph)
    messages: list[Message] = []
    for name in ONTOLOGY_FILES:
        messages += _parse_turtle(graph, ontology_dir / name, vocab)

    reader = Reader(data_dir).read_all()
    builder = Builder(graph, vocab)
    for entry in builder.register(reader.entries):
        builder.convert(entry)
    maturity.convert(data_dir, reader, builder)   # data/groeimodellen/ (issue 13)
    messages += reader.messages + builder.messages

    if shacl:
        shapes = Graph()
        shape_messages = _parse_turtle(shapes, ontology_dir / SHAPES_FILE, vocab)
        messages += shape_messages or shacl_messages(graph, shapes, builder.file_of, vocab)
    return Kast(graph, vocab, builder.items, builder.file_of, messages)


def _parse_turtle(graph: Graph, path: Path, vocab: Vocabulary) -> list[Message]:
    try:
        graph.parse(path, format="turtle", publicID=vocab.base)
    except FileNotFoundError:
        return [Message(str(path), "ontologiebestand ontbreekt")]
    except Exception as exc:  # rdflib raises several parser exception types; all mean a broken file
        return [Message(str(path), f"ongeldige Turtle: {str(exc).splitlines()[0]}")]
    return []
