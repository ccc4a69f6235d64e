"""The N-Triples download, kept per subject so that a published change re-serialises only what it touched.

rdflib serialises the whole graph at 10,000 practices (325,000 triples, 59 MB) in 1.0–1.5 s, and a worker did
that again after every change, holding up every other request of that worker (benchmarks/publish.py: the
download made the slowest place visible after 2.7 s). N-Triples has one line per triple in no fixed order, so
the download is the lines of each subject, joined; a reload replaces the triples of whole subjects
(`kast.reload`), and only those subjects, with the subjects that point at them (a practice that becomes
hidden takes the triples naming it along), are written again. The lines are rdflib's own (`_nt_row`, the
line writer of its N-Triples serialiser), so the download is the same as a full serialisation.
"""
from collections import defaultdict

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
