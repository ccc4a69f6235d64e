"""Who may see a practice: the one rule that search, the pages, the API, the downloads and the network
views all apply.

A practice is public when its `zichtbaarheid` is `openbaar` (or not set) and its status is published or
archived (or not set). Members of the network may also see `netwerk` practices.
"""
from collections import defaultdict

from rdflib.namespace import RDF

from .loader import Kast

PUBLIC_STATUS = ("gepubliceerd", "gearchiveerd")
PUBLIC = ("openbaar",)
NETWORK = ("openbaar", "netwerk")


def hidden(kast: Kast, visible: tuple[str, ...] = PUBLIC) -> set[str]:
    """Ids of the practices that a reader who may see `visible` must not see.

    >>> from kast.loader import load
    >>> k = load(shacl=False)
    >>> "casusuitwisseling-tussen-gemeenten-stokt" in hidden(k), hidden(k, NETWORK) < hidden(k)
    (True, True)
    """
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
        if (seen and not seen & allowed) or (status and not status & published):
            item_id = kast.id_of(s)
            if item_id:
                out.add(item_id)
    return out
