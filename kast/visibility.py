"""Who may see a practice: the one rule that search, the pages, the API, the downloads, the SPARQL
endpoint and the network views all apply.

A reader is anonymous, a member of the network (*lid*), a curator (*redacteur*) or an administrator
(*beheerder*). The public sees a practice when its `zichtbaarheid` is `openbaar` (or not set) and its
status is published or archived (or not set). A lid also sees `netwerk` practices. Curators and
administrators see everything, including concepts and `curatoren` practices.

Everything that is hidden from a reader answers as if it did not exist (404), so this module only
says *which ids* are hidden; the callers leave them out of results, totals, facets and exports.
"""
from collections import defaultdict
from dataclasses import dataclass

from rdflib.namespace import RDF

from .loader import Kast

PUBLIC_STATUS = ("gepubliceerd", "gearchiveerd")
PUBLIC = ("openbaar",)
NETWORK = ("openbaar", "netwerk")
EVERYTHING = ("openbaar", "netwerk", "curatoren")

ROLES = ("lid", "redacteur", "beheerder")


@dataclass(frozen=True)
class Reader:
    """Who is reading: a role and (for an account) the id of its organisation in the graph.

    >>> ANONYMOUS.level, Reader("lid", "gm0106").level, Reader("redacteur", "vng").level
    ('openbaar', 'netwerk', 'alles')
    """
    role: str = "anoniem"
    org: str | None = None

    @property
    def visible(self) -> tuple[str, ...]:
        """The `zichtbaarheid` values this reader may see."""
        return {"lid": NETWORK, "redacteur": EVERYTHING, "beheerder": EVERYTHING}.get(self.role, PUBLIC)

    @property
    def sees_unpublished(self) -> bool:
        return self.role in ("redacteur", "beheerder")

    @property
    def level(self) -> str:
        """One word per distinct view of the kast: caches of derived views are kept per level."""
        if self.sees_unpublished:
            return "alles"
        return "netwerk" if "netwerk" in self.visible else "openbaar"


ANONYMOUS = Reader()
LEVELS = {"openbaar": ANONYMOUS, "netwerk": Reader("lid"), "alles": Reader("redacteur")}


def hidden(kast: Kast, reader: "Reader | tuple[str, ...]" = ANONYMOUS) -> set[str]:
    """Ids of the practices that `reader` must not see.

    `reader` may also be a tuple of `zichtbaarheid` values (unpublished practices then stay hidden).

    >>> from kast.loader import load
    >>> k = load(shacl=False)
    >>> "casusuitwisseling-tussen-gemeenten-stokt" in hidden(k), hidden(k, NETWORK) < hidden(k)
    (True, True)
    >>> hidden(k, Reader("redacteur", "vng"))
    set()
    """
    if isinstance(reader, tuple):
        visible, unpublished = reader, False
    else:
        visible, unpublished = reader.visible, reader.sees_unpublished
    if unpublished and set(EVERYTHING) <= set(visible):
        return set()
    g, k, v = kast.graph, kast.vocab.kast, kast.vocab
    allowed = {v.concept("zichtbaarheid", s) for s in visible}
    published = {v.concept("status", s) for s in PUBLIC_STATUS}
    facts = {p: defaultdict(set) for p in (k.visibility, k.status)}
    for p, table in facts.items():   # one scan per property: fast on a 10,000-practice corpus
        for s, o in g.subject_objects(p):
            table[s].add(o)
    out = set()
    for s in g.subjects(RDF.type, k.Practice):
        seen, status = facts[k.visibility][s], facts[k.status][s]
        if (seen and not seen & allowed) or (not unpublished and status and not status & published):
            item_id = kast.id_of(s)
            if item_id:
                out.add(item_id)
    return out


def hidden_among(kast: Kast, ids, reader: "Reader | tuple[str, ...]" = ANONYMOUS) -> set[str]:
    """`hidden` for just the practices `ids` (after a reload of their files), without scanning the graph.

    The rule reads only a practice's own type, visibility and status, so applying it to a graph with just
    those triples of `ids` gives the same answer for them."""
    from types import SimpleNamespace

    from rdflib import Graph

    k = kast.vocab.kast
    part = Graph()
    for item_id in ids:
        iri = kast.iri(item_id)
        for p in (RDF.type, k.visibility, k.status):
            for o in kast.graph.objects(iri, p) if iri is not None else ():
                part.add((iri, p, o))
    return hidden(SimpleNamespace(graph=part, vocab=kast.vocab, id_of=kast.id_of), reader)
