"""Validate one entry with the rules of `kast validate`, in the context of the current graph.

There is one validator: this module runs the loader's own Reader (parsing), Builder (fields, references,
privacy of values, citations) and SHACL shapes on the single entry. What it needs of the rest of the
kast (which ids exist and of what kind, which source sections exist, the fixed lists) is read once per
published version from everything except the practices, whose ids come from their file names; so
validating an edit at 10,000 practices does not load 10,000 files.
"""
import copy
import tempfile
import threading
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from .. import config
from ..build import Builder
from ..loader import ONTOLOGY_FILES, SHAPES_FILE
from ..readers import Entry, Message, Reader
from ..validate import shacl_messages
from ..vocab import ACTOR_KINDS, Vocabulary
from . import entry as entry_format



class _IdsOnlyReader(Reader):
    """Reads everything but the practices, which only register their id (the file name)."""

    def read(self, path: Path, kind: str) -> "Reader":
        if kind == "praktijk":
            self.entries.append(Entry("praktijk", path.stem, {}, self.rel(path)))
            return self
        return super().read(path, kind)


class Context:
    """What validating one entry needs of the current kast: built once per published version."""

    def __init__(self, data_dir: Path, ontology_dir: Path | None = None, base: str | None = None):
        self.vocab = Vocabulary(config.base_iri(base))
        ontology_dir = Path(ontology_dir or config.DEFAULT_ONTOLOGY)
        self.ontology = Graph()
        for name in ONTOLOGY_FILES:
            self.ontology.parse(ontology_dir / name, format="turtle", publicID=self.vocab.base)
        self.shapes = Graph().parse(ontology_dir / SHAPES_FILE, format="turtle", publicID=self.vocab.base)
        reader = _IdsOnlyReader(Path(data_dir)).read_all()
        builder = Builder(Graph(), self.vocab, self.ontology)   # fixed lists and relation kinds: the ontology
        builder.register(reader.entries)
        self._template = builder
        self.items = builder.items
        self.sections = builder.sections
        self.fixed, self.relation_kinds = builder.fixed, builder.relation_kinds
        # Names of places and organisations the kast knows: never a person (deduce reads "Commissaris van
        # de Koning" or "burgemeester van Assen" as surnames).
        names = set()
        for item in self.items.values():
            data = item.entry.data
            for label in [data.get("naam")] + list(data.get("andere-namen") or []):
                if isinstance(label, str) and label.strip():
                    names.add(label.strip().casefold())
        self.places = frozenset(names)
        self._lock = threading.Lock()

    def add_practice(self, entry_id: str) -> None:
        """A practice published in this process: known from now on without rebuilding."""
        if entry_id not in self.items:
            builder = self._builder(Graph())
            builder.register([Entry("praktijk", entry_id, {}, entry_format.path_of(entry_id))])
            self.items = builder.items

    def _builder(self, graph: Graph) -> Builder:
        builder = copy.copy(self._template)   # the lists and caches of the template, a graph of its own
        builder.g = graph
        builder.items = dict(self.items)
        builder.sections = self.sections
        builder.messages = []
        builder.file_of = {}
        return builder

    def validate(self, fields: dict, shacl: bool = True) -> list[Message]:
        """Messages (file, field, Dutch text) for one practice given as flat fields."""
        entry_id = fields.get("id")
        try:
            path = entry_format.path_of(entry_id)
        except entry_format.EntryFormatError as exc:
            return [Message("practices/", str(exc), "id")]
        messages = [Message(path, f"onbekend kopje '## {h}'", None, entry_id) for h in fields.get(
            "_onbekende-kopjes", [])]
        with tempfile.TemporaryDirectory(prefix="kast-valideer-") as tmp:
            data = Path(tmp) / "data"
            (data / "practices").mkdir(parents=True)
            file = data / path
            file.write_bytes(entry_format.serialise(fields))
            reader = Reader(data)
            reader.read(file, "praktijk")
        graph = Graph()   # the entry's triples only: the builder reads the fixed lists from the context
        builder = self._builder(graph)
        existing = builder.items.get(entry_id)
        if existing is not None and existing.kind == "praktijk":
            del builder.items[entry_id]     # the entry is being replaced, not duplicated
        for entry in builder.register(reader.entries):
            builder.convert(entry)
        messages += reader.messages + builder.messages
        return self._with_shapes(graph, builder, entry_id, messages, path, shacl)

    def _with_shapes(self, graph, builder, entry_id: str, messages: list, path: str, shacl: bool) -> list[Message]:
        """Add the SHACL messages of the entry (unless its id is already wrong) and name the real file."""
        item = builder.items.get(entry_id)
        if shacl and item is not None and not [m for m in messages if m.severity == "fout" and m.field == "id"]:
            self._add_types(graph, item.iri)
            focus = [node for node, (_, owner, _) in builder.file_of.items() if owner == entry_id]
            messages += [m for m in shacl_messages(graph, self.shapes, builder.file_of, self.vocab, focus_nodes=focus)
                         if m.entry == entry_id]
        for m in messages:   # the temporary folder is no part of the message
            m.file = path
        return messages

    def validate_listed(self, kind: str, fields: dict, path: str, scheme: dict | None = None,
                        shacl: bool = True) -> list[Message]:
        """Messages for one entry of a list file (an actor, instrument or concept of `scheme`), read by the
        loader's own Reader as a list file with only this entry, in the context of everything else."""
        import yaml

        entry_id = fields.get("id")
        data = entry_format.nest({k: v for k, v in fields.items() if not k.startswith("_")})
        with tempfile.TemporaryDirectory(prefix="kast-valideer-") as tmp:
            folder = Path(tmp) / "data" / path.split("/")[0]
            folder.mkdir(parents=True)
            file = folder / path.split("/")[-1]
            if scheme is not None:
                content, file_kind = {"schema": dict(scheme), "begrippen": [data]}, "schema"
            else:
                content, file_kind = [data], kind
            file.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
            reader = Reader(Path(tmp) / "data")
            reader.read(file, file_kind)
        graph = Graph()
        builder = self._builder(graph)
        for entry in reader.entries:        # the entry (and its scheme) replace what is there
            if entry.id in builder.items and builder.items[entry.id].kind == entry.kind:
                del builder.items[entry.id]
        for entry in builder.register(reader.entries):
            builder.convert(entry)
        messages = [m for m in reader.messages + builder.messages if m.entry in (entry_id, None)]
        return self._with_shapes(graph, builder, entry_id, messages, path, shacl)

    def _add_types(self, graph: Graph, subject) -> None:
        """Give referenced items their classes, so sh:class checks see what the full graph would."""
        kinds = {item.iri: item.kind for item in self.items.values()}
        for obj in set(graph.objects(subject, None)):
            if (obj, SKOS.inScheme, None) in self.ontology:   # a fixed-list value: shapes may follow its links
                for p, o in self.ontology.predicate_objects(obj):   # (aard → kast:natureOfKind → soort)
                    graph.add((obj, p, o))
            kind = kinds.get(obj)
            if kind:
                graph.add((obj, RDF.type, self.vocab.classes[kind]))
                if kind in ACTOR_KINDS:
                    graph.add((obj, RDF.type, self.vocab.kast.Actor))
            if obj in self.sections.values():
                graph.add((obj, RDF.type, self.vocab.kast.SourceSection))
        for sec in set(graph.objects(None, self.vocab.resolve("prov:entity"))):
            graph.add((sec, RDF.type, self.vocab.kast.SourceSection))
