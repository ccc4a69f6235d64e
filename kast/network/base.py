"""Shared helpers: the Dutch error, accent-insensitive matching and node lookup by id or name."""
import difflib
import unicodedata

import networkx as nx


class NetworkError(ValueError):
    """A problem a user caused (unknown node, no path, bad depth), with a Dutch message.

    >>> str(NetworkError("Onbekend knooppunt 'x'."))
    "Onbekend knooppunt 'x'."
    """


def fold(text: str) -> str:
    """Lower-case text without accents, for matching what people type.

    >>> fold("Fryslân en Coördinatie")
    'fryslan en coordinatie'
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def notation(iri) -> str:
    """The last path segment of an IRI: the code of a fixed-list value, or an id.

    >>> notation("https://data.apothekerskast.nl/id/niveau/landelijk"), notation(None)
    ('landelijk', '')
    """
    return str(iri).rstrip("/").rsplit("/", 1)[-1] if iri is not None else ""


def label_of(G: nx.Graph, node) -> str:
    """The plain-text label of a node, falling back to its id.

    >>> G = nx.Graph(); G.add_node("vng", label="VNG"); G.add_node("x")
    >>> label_of(G, "vng"), label_of(G, "x")
    ('VNG', 'x')
    """
    return str(G.nodes[node].get("label") or node) if node in G else str(node)


def resolve_node(G: nx.Graph, text: str):
    """The node whose id, or (case- and accent-insensitively) whose label, is `text`.

    Raises NetworkError with a Dutch message and a suggestion when there is no such node.

    >>> G = nx.Graph(); G.add_node("vng", label="Vereniging van Nederlandse Gemeenten")
    >>> resolve_node(G, "vng"), resolve_node(G, "vereniging van nederlandse gemeenten")
    ('vng', 'vng')
    >>> try:
    ...     resolve_node(G, "vgn")
    ... except NetworkError as error:
    ...     print(error)
    Onbekend knooppunt 'vgn': dat id of die naam staat niet in deze kaart. Bedoelde u 'vng'?
    """
    if text in G:
        return text
    wanted = fold(text)
    by_label = {}
    for node, data in G.nodes(data=True):
        by_label.setdefault(fold(data.get("label") or node), node)
        if fold(node) == wanted:
            return node
    if wanted in by_label:
        return by_label[wanted]
    candidates = [str(n) for n in G] + list(by_label)
    hint = difflib.get_close_matches(wanted, candidates, n=1, cutoff=0.6)
    suggestion = ""
    if hint:
        suggestion = f" Bedoelde u '{by_label.get(hint[0], hint[0])}'?"
    raise NetworkError(f"Onbekend knooppunt '{text}': dat id of die naam staat niet in deze kaart.{suggestion}")
