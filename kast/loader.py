"""The one loader: ontology/ and data/ → one validated rdflib graph.

Usage: ``kast = load()``; then ``kast.graph`` is the graph, ``kast.messages`` every finding (file,
item, field, Dutch text) and ``kast.ok`` whether there were no errors. ``reload(kast, paths)`` takes in
changed files only (see `kast.reload`).

How a large data folder loads fast: the practice files (all but a few hundred of the files) are read,
parsed and scanned for personal data in worker processes while this process converts what has arrived;
SHACL runs with flattened shapes (`kast.validate`), and `while_validating` lets a caller (such as the index
build) use the second core while a forked child validates. To keep memory for serving, a practice's
`items[id].entry.data` is emptied once its triples are in the graph (read the file to edit it), and the
graph lives in a compact store of its own (`kast.triplestore`). The cyclic garbage collector stays off while
the graph is built (`_no_cycle_collection`).
"""
import gc
import os
import pickle
import threading
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from rdflib import Graph, URIRef

from . import config, maturity
from .build import Builder, Item
from .readers import Entry, Message, Reader, scan_personal_data
from .triplestore import new_graph
from .validate import load_shapes, shacl_messages
from .vocab import Vocabulary

ONTOLOGY_FILES = ("kast.ttl", "lijsten.ttl")
SHAPES_FILE = "vormen.ttl"
PARALLEL_FROM = 400      # practice files; below this, starting worker processes costs more than it saves
CHUNK = 250              # practice files per task of a worker


@dataclass
class Kast:
    graph: Graph
    vocab: Vocabulary
    items: dict[str, Item]
    file_of: dict[URIRef, tuple[str, str, str]]
    messages: list[Message] = field(default_factory=list)
    # What `reload` needs to take in a changed file (not needed by readers of the graph).
    data_dir: Path | None = None
    ontology: Graph | None = None        # the ontology files' triples alone
    shapes: Graph | None = None          # flattened SHACL shapes, when they were read
    sections: dict = field(default_factory=dict)   # (source id, section id) → IRI
    validated_with: object = None        # what `load(while_validating=…)` returned

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
         base: str | None = None, shacl: bool = True, *, workers: int | None = None,
         while_validating=None) -> Kast:
    """Read, convert and (optionally) SHACL-validate everything. Never raises on bad content.

    `workers`: reading processes for the practice files (default: one per core, only for large folders;
    1 reads everything in this process). `while_validating(kast)`: work to do in this process while a
    forked child runs SHACL (e.g. building the search index); its result is in `kast.validated_with`.
    """
    vocab = Vocabulary(config.base_iri(base))
    data_dir = config.data_dir(data_dir)
    ontology_dir = Path(ontology_dir or config.DEFAULT_ONTOLOGY)
    ontology = Graph()
    messages: list[Message] = []
    for name in ONTOLOGY_FILES:
        messages += _parse_turtle(ontology, ontology_dir / name, vocab)
    graph = new_graph()   # a store without per-triple context bookkeeping (kast/triplestore.py)
    vocab.bind(graph)
    for prefix, namespace in ontology.namespaces():   # as if the ontology had been parsed into the graph
        graph.bind(prefix, namespace)
    graph.addN((s, p, o, graph) for s, p, o in ontology)

    reader = Reader(data_dir)
    builder = Builder(graph, vocab, ontology)
    if not data_dir.is_dir():
        reader.error(data_dir, "de datamap bestaat niet")
    else:
        with _no_cycle_collection():
            files = reader.files()
            practices = [path for path, kind in files if kind == "praktijk"]
            for path, kind in files:          # sources, actors, instruments, themes and tables: a few hundred
                if kind != "praktijk":
                    reader.read(path, kind)
            _convert(builder, reader.entries)
            for entries, found in read_practices(data_dir, practices, workers):
                reader.messages += found
                _convert(builder, entries)
                for entry in entries:   # the graph holds the content now; the file is the source for editing
                    entry.data, entry.personal = {}, None
            maturity.convert(data_dir, reader, builder)   # data/groeimodellen/ (issue 13)
    messages += reader.messages + builder.messages

    kast = Kast(graph, vocab, builder.items, builder.file_of, messages, data_dir, ontology, None, builder.sections)
    if shacl:
        try:
            kast.shapes = load_shapes(ontology_dir / SHAPES_FILE, vocab)
        except FileNotFoundError:
            messages.append(Message(str(ontology_dir / SHAPES_FILE), "ontologiebestand ontbreekt"))
        except Exception as exc:  # rdflib raises several parser exception types; all mean a broken file
            messages.append(Message(str(ontology_dir / SHAPES_FILE), f"ongeldige Turtle: {str(exc).splitlines()[0]}"))
        if kast.shapes is not None:
            found, kast.validated_with = _validate(kast, while_validating)
            messages += found
            return kast
    if while_validating:
        kast.validated_with = while_validating(kast)
    return kast


@contextmanager
def _no_cycle_collection():
    """Python's cyclic garbage collector runs every few hundred new objects and now and then walks every
    object there is; while the graph grows by 300,000 triples that is ~1.2 s of a 10,000-practice load, for
    no garbage (terms and the store's dictionaries hold no cycles). Reference counting still frees
    everything else; what cycles the parsers leave are collected by a later full collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Everything made meanwhile is still "young": the next collections would walk all of it, twice, before
        # it ages. Freezing and unfreezing moves it to the oldest generation at once (two list splices).
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


def _convert(builder: Builder, entries: list[Entry]) -> None:
    """Convert entries, adding their triples to the store in one batch: `Graph.add` checks the type of
    every term (three `isinstance` calls on abstract classes per triple), and the builder makes only terms."""
    batch: list = []
    builder.add = batch.append
    try:
        for entry in builder.register(entries):
            builder.convert(entry)
    finally:
        del builder.add   # the method again
        builder.g.store.addN((s, p, o, builder.g) for s, p, o in batch)


# ---------------------------------------------------------------------- reading in parallel

def read_practices(data_dir: Path, paths: list[Path], workers: int | None = None):
    """Yield (entries, messages) per chunk of practice files, in file order; in worker processes when
    there are many files and this process has no other threads (forking a process with threads can hand
    the child a lock one of them holds; spawned workers would re-import the caller's main script)."""
    workers = workers or min(2, os.cpu_count() or 1)
    chunks = [paths[i:i + CHUNK] for i in range(0, len(paths), CHUNK)]
    if workers <= 1 or len(paths) < PARALLEL_FROM or threading.active_count() > 1 or not hasattr(os, "fork"):
        for chunk in chunks:
            yield read_chunk(data_dir, chunk)
        return
    done = 0
    try:
        # gc.enable: the workers inherit a disabled collector (`_no_cycle_collection`), and YAML parsers leave cycles
        with ProcessPoolExecutor(workers, mp_context=get_context("fork"), initializer=gc.enable) as pool:
            for result in pool.map(read_chunk, [data_dir] * len(chunks), chunks):
                done += 1
                yield result
    except BrokenProcessPool:   # a worker died (out of memory, killed): read the rest here
        for chunk in chunks[done:]:
            yield read_chunk(data_dir, chunk)


def read_chunk(data_dir: Path, paths: list[Path]) -> tuple[list[Entry], list[Message]]:
    reader = Reader(data_dir)
    for path in paths:
        reader.read(path, "praktijk")
    return [scan_personal_data(e) for e in reader.entries], reader.messages


# ---------------------------------------------------------------------- SHACL next to other work

def _validate(kast: Kast, while_validating) -> tuple[list[Message], object]:
    """SHACL messages, and the result of `while_validating` run meanwhile in this process."""
    if while_validating is None:
        return shacl_messages(kast.graph, kast.shapes, kast.file_of, kast.vocab), None
    if threading.active_count() > 1 or not hasattr(os, "fork"):
        # Forking a process with other threads can inherit a lock one of them holds: validate here.
        done = while_validating(kast)
        return shacl_messages(kast.graph, kast.shapes, kast.file_of, kast.vocab), done
    read_end, write_end = os.pipe()
    # The child shares the graph's pages with this process (copy on write). The garbage collector would
    # write to every object's header and so copy them all: keep the loaded objects out of its reach.
    gc.freeze()
    pid = os.fork()
    if pid == 0:   # the child only reads the graph
        os.close(read_end)
        code = 0
        try:
            found = shacl_messages(kast.graph, kast.shapes, kast.file_of, kast.vocab)
            with os.fdopen(write_end, "wb") as out:
                pickle.dump(found, out)
        except BaseException:
            code = 1
        os._exit(code)
    os.close(write_end)
    try:   # still frozen here: the collector leaves the loaded graph alone while the index is built
        done = while_validating(kast)
    finally:
        gc.unfreeze()
        with os.fdopen(read_end, "rb") as inp:
            data = inp.read()
        _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return shacl_messages(kast.graph, kast.shapes, kast.file_of, kast.vocab), done
    return pickle.loads(data), done


def _parse_turtle(graph: Graph, path: Path, vocab: Vocabulary) -> list[Message]:
    try:
        graph.parse(path, format="turtle", publicID=vocab.base)
    except FileNotFoundError:
        return [Message(str(path), "ontologiebestand ontbreekt")]
    except Exception as exc:  # rdflib raises several parser exception types; all mean a broken file
        return [Message(str(path), f"ongeldige Turtle: {str(exc).splitlines()[0]}")]
    return []


from .reload import reload  # noqa: E402,F401  (the incremental counterpart of load)
