"""The downloads of the whole graph (N-Triples, Turtle, JSON-LD), kept per subject so that a published change
writes again only what it touched.

Serialising the whole graph at 10,000 practices (325,000 triples, 22,000 subjects) takes rdflib 1.0–1.5 s in
N-Triples, 7.6 s in JSON-LD and 27.6 s in Turtle, and a worker did that again after every change, holding up
every other request it had to answer (benchmarks/publish.py). A reload replaces the triples of whole subjects
(`kast.reload`), and each of the three formats can be written one subject at a time: N-Triples is a line per
triple, Turtle a block per subject after the prefixes, expanded JSON-LD a node object per subject. So the
download is its subjects' parts, joined; after a change only the changed subjects, and the subjects that
point at them (a practice that becomes hidden takes the triples naming it along), are written again.

N-Triples lines are rdflib's own (`_nt_row`, the line writer of its serialiser), so that download is exactly
what rdflib writes. Turtle and JSON-LD are written by pyoxigraph from a subject's N-Triples: 1.7 and 1.2 s for
all subjects at 10,000 practices, against rdflib's 27.6 and 7.6 s for the whole graph.
"""
import json
from collections import defaultdict

import pyoxigraph as ox
from rdflib.plugins.serializers.nt import _nt_row

from .links import public_triples

FORMATS = {"ttl": "text/turtle; charset=utf-8", "jsonld": "application/ld+json", "nt": "application/n-triples"}


class Downloads:
    """The graph a reader sees, without the practices in `hide` (kast.links.public_triples), per format.

    >>> from kast.loader import load
    >>> kast = load(shacl=False)
    >>> downloads = Downloads(kast, set())
    >>> lines = sorted(downloads.get("nt").splitlines())
    >>> lines == sorted(kast.graph.serialize(format="nt", encoding="utf-8").splitlines())
    True
    >>> from rdflib import Graph
    >>> len(Graph().parse(data=downloads.get("ttl"), format="turtle")) == len(lines)
    True
    """

    def __init__(self, kast, hide: set[str]):
        self._prefixes = {p: str(ns) for p, ns in kast.graph.namespaces() if p}
        self._head = _turtle_head(self._prefixes)
        self._parts: dict[str, dict] = {"nt": _nt_parts(public_triples(kast, hide))}

    def update(self, kast, hide: set[str], nodes) -> None:
        """After a reload replaced the triples of the subjects `nodes` (old and new), with `hide` the hidden
        practices now: those subjects and every subject that names one of them are written again."""
        nodes = set(nodes)
        subjects = nodes | {s for node in nodes for s in kast.graph.subjects(None, node)}
        fresh = _nt_parts(public_triples(kast, hide, subjects))
        for fmt, parts in self._parts.items():
            for s in subjects:
                parts.pop(s, None)
            parts.update(fresh if fmt == "nt" else {s: self._write(fmt, nt) for s, nt in fresh.items()})

    def chunks(self, fmt: str) -> list[bytes]:
        """The whole download in `fmt` (one of FORMATS), as the pieces to send one after the other: the
        parts themselves, not a joined copy (at 10,000 practices 25–60 MB per format)."""
        if fmt not in self._parts:
            self._parts[fmt] = {s: self._write(fmt, nt) for s, nt in self._parts["nt"].items()}
        parts = list(self._parts[fmt].values())
        if fmt == "ttl":
            return [self._head, *parts]
        if fmt == "jsonld":   # each part begins with a comma: the first one's is left out
            start = b'{"@context": ' + json.dumps(self._prefixes).encode() + b', "@graph": ['
            return [start, parts[0][1:], *parts[1:], b"]}"] if parts else [start, b"]}"]
        return parts

    def get(self, fmt: str) -> bytes:
        """The whole download in `fmt`, joined."""
        return b"".join(self.chunks(fmt))

    def _write(self, fmt: str, nt: bytes) -> bytes:
        """One subject's part: a Turtle block without the prefixes, or its JSON-LD node object (expanded;
        the kast's prefixes go along as the context, absolute IRIs stay as they are)."""
        triples = ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)
        if fmt == "ttl":
            text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=self._prefixes)
            return text[len(self._head):] if text.startswith(self._head) else text
        return b"," + ox.serialize(triples, format=ox.RdfFormat.JSON_LD).strip()[1:-1]   # the object, not the list


def _nt_parts(triples) -> dict:
    rows = defaultdict(list)
    for t in triples:
        rows[t[0]].append(_nt_row(t))
    return {s: "".join(lines).encode() for s, lines in rows.items()}


def _turtle_head(prefixes: dict[str, str]) -> bytes:
    """The @prefix lines pyoxigraph writes before any triple (with no triple it writes nothing)."""
    sample = ox.Triple(ox.NamedNode("urn:x"), ox.NamedNode("urn:x"), ox.NamedNode("urn:x"))
    lines = ox.serialize([sample], format=ox.RdfFormat.TURTLE, prefixes=prefixes).splitlines(keepends=True)
    return b"".join(line for line in lines if line.startswith(b"@prefix "))
