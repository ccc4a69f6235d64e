"""Finding a node by what people type: every word of "gemeente Assen" or "riec noord", and the names
closest to a misspelling, for suggestions."""
import difflib

import networkx as nx

from .base import fold


def by_words(G: nx.Graph, text: str) -> list:
    """Nodes whose name, other names and kind together have a word starting with each word of `text`
    ("gemeente assen" → Assen, not "Bibob toepassen"), the one whose kind was typed first, then short names.

    >>> G = nx.Graph()
    >>> G.add_node("gm0106", label="Assen", type="gemeente", aliases=[])
    >>> G.add_node("p", label="Bibob toepassen op gemeentelijke terreinen", type="praktijk", aliases=[])
    >>> by_words(G, "gemeente Assen"), by_words(G, "toepassen")
    (['gm0106'], ['p'])
    """
    wanted = fold(text).replace("-", " ").split()
    if not wanted:
        return []
    found = []
    for node, data in G.nodes(data=True):
        names = [data.get("label") or ""] + list(data.get("aliases") or ())
        kind = fold(" ".join((data.get("type") or "", data.get("typeLabel") or ""))).replace("-", " ").split()
        have = fold(" ".join(names + [str(node)])).replace("-", " ").split() + kind
        if all(any(h.startswith(w) for h in have) for w in wanted):
            label = fold(data.get("label") or "")
            found.append((not any(w in kind for w in wanted), len(label), label, node))
    return [node for *_, node in sorted(found)]


def close_names(G: nx.Graph, text: str, n: int = 5) -> list:
    """Nodes whose name or other name is closest to `text` (for "Bedoelde u …?").

    >>> G = nx.Graph(); G.add_node("vng", label="Vereniging van Nederlandse Gemeenten", aliases=["VNG"])
    >>> close_names(G, "vgn")
    ['vng']
    """
    labels = {}
    for node, data in G.nodes(data=True):
        for name in [data.get("label") or node, *(data.get("aliases") or ())]:
            labels.setdefault(fold(name), node)
    return list(dict.fromkeys(labels[m] for m in difflib.get_close_matches(fold(text), list(labels), n=n, cutoff=0.5)))
