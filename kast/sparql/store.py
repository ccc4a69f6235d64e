"""The kast as quads: every triple in the named graph of the file it came from, per visibility level.

A data file `data/practices/x.md` becomes the graph `{base}graaf/practices/x.md`, an ontology file
`ontology/kast.ttl` the graph `{base}graaf/ontology/kast.ttl`. The default graph of a query is the union
of all named graphs (`use_default_graph_as_union`), so the competency queries need no GRAPH clause.

A level's quads are the graph that its representative reader may see (`kast.visibility.LEVELS`): hidden
practices, their citation nodes and every triple naming them are left out, as in the downloads
(`kast.links.public_graph`).
"""
import hashlib
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from .. import config
from ..links import public_triples
from ..loader import ONTOLOGY_FILES, Kast
from ..visibility import LEVELS, hidden

GRAPH_SEGMENT = "graaf/"
DERIVED = "afgeleid"   # triples of no single file (none today; kept so nothing is ever dropped)


def graph_iri(base: str, file: str) -> str:
    """The named graph of a file: its path below the data folder (or `ontology/…`).

    >>> graph_iri("https://example.org/", "data/practices/x.md")
    'https://example.org/graaf/practices/x.md'
    """
    parts = Path(file).parts
    rel = "/".join(parts[1:]) if len(parts) > 1 else file
    return f"{base}{GRAPH_SEGMENT}{rel}"


def is_graph_iri(base: str, iri: str) -> bool:
    return iri.startswith(base + GRAPH_SEGMENT)


def _ontology_triples(kast: Kast, ontology_dir: Path | None) -> dict:
    """triple → ontology file, parsed again per file (small) because the loader merges them."""
    out = {}
    folder = Path(ontology_dir or config.DEFAULT_ONTOLOGY)
    for name in ONTOLOGY_FILES:
        g = Graph()
        try:
            g.parse(folder / name, format="turtle", publicID=kast.vocab.base)
        except Exception:   # the loader already reported a broken ontology file
            continue
        for t in g:
            out.setdefault(t, f"ontology/{name}")
    return out


def level_graphs(kast: Kast, level: str, ontology_dir: Path | None = None) -> dict[str, list[tuple]]:
    """graph IRI → the rdflib triples of that file that the level's reader may see."""
    ontology = _ontology_triples(kast, ontology_dir)
    base = kast.vocab.base
    by_file: dict[str, list[tuple]] = defaultdict(list)
    file_of = kast.file_of
    names: dict[str, str] = {}
    for t in public_triples(kast, hidden(kast, LEVELS[level])):
        s = t[0]
        entry = file_of.get(s) or (file_of.get(URIRef(str(s).split("#", 1)[0])) if "#" in str(s) else None)
        if entry:
            name = names.get(entry[0]) or names.setdefault(entry[0], graph_iri(base, entry[0]))
            by_file[name].append(t)
        elif t in ontology:
            by_file[f"{base}{GRAPH_SEGMENT}{ontology[t]}"].append(t)
        else:
            by_file[f"{base}{GRAPH_SEGMENT}{DERIVED}"].append(t)
    return dict(by_file)


def term(node) -> "ox.NamedNode | ox.BlankNode | ox.Literal":
    """An rdflib term as a pyoxigraph term."""
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"geen RDF-term: {node!r}")


def quads(graphs: dict[str, list[tuple]]):
    for name, triples in graphs.items():
        g = ox.NamedNode(name)
        for s, p, o in triples:
            yield ox.Quad(term(s), term(p), term(o), g)


def fingerprint(triples: list[tuple]) -> str:
    """A hash of one file's triples, independent of their order (the loader has no blank nodes)."""
    lines = sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in triples)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def build(graphs: dict[str, list[tuple]], path: Path | str | None = None) -> ox.Store:
    """A store with these graphs: in memory, or on disk at `path` (for worker processes to open read-only)."""
    if path is None:
        store = ox.Store()
        store.extend(quads(graphs))
        return store
    store = ox.Store(str(path))
    store.bulk_extend(quads(graphs))
    store.flush()
    store.optimize()
    return store


MANIFEST = "bestanden"   # the graph that lists every file graph with the hash and size of its content


def with_manifest(graphs: dict[str, list[tuple]], base: str) -> dict[str, list[tuple]]:
    """The graphs plus one that names each with `dct:identifier "sha256:…"` and `void:triples`, so an
    external store can tell which files changed without a copy of the kast."""
    from rdflib.namespace import DCTERMS, VOID, XSD

    rows = []
    for name, triples in graphs.items():
        rows.append((URIRef(name), DCTERMS.identifier, Literal("sha256:" + fingerprint(triples))))
        rows.append((URIRef(name), VOID.triples, Literal(len(triples), datatype=XSD.integer)))
    return {**graphs, f"{base}{GRAPH_SEGMENT}{MANIFEST}": rows}


def level_store_graphs(kast: Kast, level: str, ontology_dir: Path | None = None) -> dict[str, list[tuple]]:
    """Everything a level's store holds: the file graphs and the manifest."""
    return with_manifest(level_graphs(kast, level, ontology_dir), kast.vocab.base)


def prefixes(kast: Kast) -> dict[str, str]:
    """The kast's own prefixes (its vocabulary and id namespaces), for query pages and Turtle answers."""
    base = kast.vocab.base
    return {p: str(ns) for p, ns in sorted(kast.graph.namespaces())
            if p and (p in kast.vocab.prefixes or str(ns).startswith(base))}
