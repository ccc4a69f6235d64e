"""Take in changed entry files without loading the whole kast again.

``reload(kast, paths)`` re-reads only the given files (a deleted file removes its items), builds their
triples in a graph of their own, validates them and whatever refers to what they replace (SHACL on that
neighbourhood, not the whole graph), and only then swaps the file's triples in the loaded graph. A file
with any error is refused as a whole: the returned messages name file, field and reason, and the graph,
items and messages stay as they were (the last good version keeps being served).

Which triples belong to a file: every node a file creates (its items, their citation and relation nodes,
a source's sections) is recorded in `kast.file_of`, and every triple the builder writes has such a node
as subject. Replacing a file is removing the triples of its nodes and adding the new ones. A named graph
per file (rdflib `Dataset`) would say the same, but holds 1.7× the memory (401 against 242 MB) and takes longer to fill at
10,000 practices (docs/prestaties.md), so the kast keeps this bookkeeping instead.

Callers serialise reloads (one writer); a request reading the graph during the few milliseconds of the
swap may see the old or the new version of that one item. Other files are not converted again: a file that
named an id which did not exist yet keeps its message (and lacks that link) until it is reloaded itself or
the kast is loaded anew.
"""
from collections import ChainMap
from pathlib import Path

from rdflib import Graph

from . import config
from .build import Builder
from .readers import REFERENCE, Message, Reader, kind_of_file
from .validate import load_shapes, validate_nodes


class Reloaded(list):
    """The messages of a reload (a list of Message), with what changed."""

    def __init__(self):
        super().__init__()
        self.changed: set[str] = set()     # ids added or changed
        self.removed: set[str] = set()     # ids no longer in the kast
        self.subjects: set = set()         # graph nodes whose triples were replaced (old and new)
        self.kinds: set[str] = set()       # kinds of the files taken in (kast.readers.kind_of_file)
        self.accepted: list[str] = []      # files taken in
        self.rejected: list[str] = []      # files refused (the previous version stays)

    @property
    def ok(self) -> bool:
        return not self.rejected

    @property
    def only_practices(self) -> bool:
        """Only practice files were taken in: they write triples about their own nodes only, so what is
        derived from the rest of the kast (maps, labels) can be updated instead of made again."""
        return self.kinds <= {"praktijk"}


def reload(kast, paths) -> Reloaded:
    """Take in the changed files `paths` (absolute, or relative to the data folder or to its parent)."""
    from .loader import SHAPES_FILE

    result = Reloaded()
    data_dir = Path(kast.data_dir or config.data_dir())
    if kast.shapes is None:
        kast.shapes = load_shapes(config.DEFAULT_ONTOLOGY / SHAPES_FILE, kast.vocab)
    units: dict[Path, str] = {}
    for given in paths:
        path = _resolve(data_dir, Path(given))
        kind = kind_of_file(data_dir, path) if path else None
        if kind is None:
            result.append(Message(str(given), "dit bestand hoort niet bij de kast (verwacht: een .yaml of .md in "
                                              "sources/, actors/, instruments/, themes/ of practices/, of een "
                                              "tabel in reference/)", severity="waarschuwing"))
            continue
        units[data_dir / REFERENCE if kind == REFERENCE else path] = kind
    for path, kind in units.items():
        _reload_unit(kast, data_dir, path, kind, result)
    return result


def _resolve(data_dir: Path, given: Path) -> Path | None:
    candidates = [given] if given.is_absolute() else [data_dir / given, data_dir.parent / given]
    for candidate in candidates:
        if kind_of_file(data_dir, candidate):
            return candidate
    return None


def _reload_unit(kast, data_dir: Path, path: Path, kind: str, result: Reloaded) -> None:
    reader = Reader(data_dir)
    name = reader.rel(path)
    if kind == REFERENCE:
        files = {reader.rel(p) for p in path.glob("*.csv")} | {f for _, (f, _, _) in _items_files(kast)
                                                              if f.startswith(name + "/")}
    else:
        files = {name}
    if path.exists():
        reader.read(path, kind)
    errors = [m for m in reader.messages if m.severity == "fout"]
    if errors:
        return _refuse(result, name, errors + reader.messages[len(errors):])

    old_ids = {i for i, item in kast.items.items() if item.entry.file in files}
    old_nodes = {node for node, (file, _, _) in kast.file_of.items() if file in files}
    staging = Graph()
    builder = Builder(staging, kast.vocab, kast.ontology if kast.ontology is not None else kast.graph)
    builder.items = {i: item for i, item in kast.items.items() if i not in old_ids}
    builder.sections = {key: iri for key, iri in kast.sections.items() if key[0] not in old_ids}
    for entry in builder.register(reader.entries):
        builder.convert(entry)
    found = reader.messages + builder.messages
    if any(m.severity == "fout" for m in found):
        return _refuse(result, name, found)

    new_nodes = set(builder.file_of)
    replaced = frozenset(old_nodes | new_nodes)
    dependents = {s for node in old_nodes for s in kast.graph.subjects(None, node) if s not in replaced}
    file_of = ChainMap(builder.file_of, kast.file_of)
    checked = validate_nodes(new_nodes | dependents, kast.graph, kast.ontology if kast.ontology is not None else Graph(), kast.shapes, file_of,
                             kast.vocab, new=staging, replaced=replaced)
    mine = [m for m in checked if m.file in files]
    broken = [m for m in checked if m.file not in files and m.severity == "fout"]
    if any(m.severity == "fout" for m in mine) or broken:
        if broken:
            broken.append(Message(name, f"deze wijziging maakt {len({m.file for m in broken})} ander(e) bestand(en) "
                                        "ongeldig (zie hierboven): ze verwijzen naar iets dat verdwijnt of verandert"))
        return _refuse(result, name, found + mine + broken)

    # Everything checked: swap the file's triples, items and messages.
    graph = kast.graph
    for node in old_nodes:
        graph.remove((node, None, None))
    graph.addN((s, p, o, graph) for s, p, o in staging)
    for item_id in old_ids:
        del kast.items[item_id]
    for node in old_nodes:
        del kast.file_of[node]
    new_ids = {i for i, item in builder.items.items() if item.entry.file in files}
    kast.items.update({i: builder.items[i] for i in new_ids})
    kast.file_of.update(builder.file_of)
    kast.sections = builder.sections
    kast.messages[:] = [m for m in kast.messages if m.file not in files] + found + mine
    result.extend(found + mine)
    result.accepted.append(name)
    result.changed |= new_ids
    result.removed |= old_ids - new_ids
    result.subjects |= replaced
    result.kinds.add(kind)


def _items_files(kast):
    return ((i, (item.entry.file, i, item.kind)) for i, item in kast.items.items())


def _refuse(result: Reloaded, name: str, messages: list[Message]) -> None:
    result.extend(messages)
    result.append(Message(name, "wijziging niet overgenomen; de vorige versie blijft geladen"))
    result.rejected.append(name)
