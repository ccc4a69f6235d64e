"""The N-Triples download, kept per subject so that a published change re-serialises only what it touched.

rdflib serialises the whole graph at 10,000 practices (325,000 triples, 59 MB) in 1.0–1.5 s, and a worker did
that again after every change, holding up every other request of that worker (benchmarks/publish.py: the
download made the slowest place visible after 2.7 s). N-Triples has one line per triple in no fixed order, so
the download is the lines of each subject, joined; a reload replaces the triples of whole subjects
(`kast.reload`), and only those subjects, with the subjects that point at them (a practice that becomes
hidden takes the triples naming it along), are written again. The lines are rdflib's own (`_nt_row`, the
line writer of its N-Triples serialiser), so the download is the same as a full serialisation.
"""
import json
from collections import defaultdict

import pyoxigraph as ox
from rdflib.plugins.serializers.nt import _nt_row

from .links import public_triples


class NTriples:
    """The N-Triples of the graph a reader sees, without the practices in `hide` (kast.links.public_triples).

    >>> from kast.loader import load
    >>> kast = load(shacl=False)
    >>> dump = NTriples(kast, set())
    >>> sorted(dump.bytes().splitlines()) == sorted(kast.graph.serialize(format="nt", encoding="utf-8").splitlines())
    True
    """

    def __init__(self, kast, hide: set[str]):
        self._lines: dict = defaultdict(list)
        for t in public_triples(kast, hide):
            self._lines[t[0]].append(_nt_row(t))
        self._chunks = {s: "".join(rows).encode() for s, rows in self._lines.items()}
        self._lines.clear()
        self._joined: bytes | None = None

    def update(self, kast, hide: set[str], nodes) -> None:
        """After a reload replaced the triples of the subjects `nodes` (old and new), with `hide` the hidden
        practices now: those subjects and every subject that names one of them are written again."""
        nodes = set(nodes)
        subjects = nodes | {s for node in nodes for s in kast.graph.subjects(None, node)}
        for s in subjects:
            self._chunks.pop(s, None)
        rows = defaultdict(list)
        for t in public_triples(kast, hide, subjects):
            rows[t[0]].append(_nt_row(t))
        self._chunks.update((s, "".join(lines).encode()) for s, lines in rows.items())
        self._joined = None

    def bytes(self) -> bytes:
        if self._joined is None:
            self._joined = b"".join(self._chunks.values())
        return self._joined


def convert(nt: bytes, fmt: str, prefixes: dict[str, str]) -> bytes:
    r"""Turtle ("ttl") or JSON-LD ("jsonld") of the N-Triples `nt`, written by pyoxigraph (Rust). At 10,000
    practices: Turtle 1.6 s and JSON-LD 1.7 s, where rdflib's serialisers take 27.6 s and 7.6 s. pyoxigraph
    writes JSON-LD expanded; the kast's prefixes go along as its context (absolute IRIs stay as they are).

    >>> nt = b'<https://example.org/a> <http://purl.org/dc/terms/title> "A"@nl .\n'
    >>> print(convert(nt, "ttl", {"dct": "http://purl.org/dc/terms/"}).decode().strip())
    @prefix dct: <http://purl.org/dc/terms/> .
    <https://example.org/a> dct:title "A"@nl .
    >>> json.loads(convert(nt, "jsonld", {"dct": "http://purl.org/dc/terms/"}))["@context"]
    {'dct': 'http://purl.org/dc/terms/'}
    """
    store = ox.Store()
    store.bulk_load(nt, format=ox.RdfFormat.N_TRIPLES)
    if fmt == "ttl":
        return store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=prefixes)
    expanded = store.dump(format=ox.RdfFormat.JSON_LD, from_graph=ox.DefaultGraph())
    return b'{"@context": ' + json.dumps(prefixes).encode() + b', "@graph": ' + expanded + b"}"
