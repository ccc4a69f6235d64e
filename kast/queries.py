"""Run the shipped SPARQL queries (queries/*.rq) against the kast's own graph, guarded.

Only SELECT and ASK queries run, and never with SERVICE: rdflib would otherwise fetch remote data.
"""
from pathlib import Path

from rdflib import Literal
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.algebra import traverse

from . import config
from .loader import Kast


class QueryError(ValueError):
    """A query that cannot or may not run; the message is Dutch and meant for the user."""


def query_path(name: str) -> Path:
    """A query by file name, stem or unique prefix ('cq06')."""
    path = Path(name)
    if path.suffix == ".rq" and path.is_file():
        return path
    matches = sorted(config.QUERIES.glob(f"{name}*.rq"))
    if len(matches) != 1:
        known = ", ".join(p.stem for p in sorted(config.QUERIES.glob("*.rq")))
        raise QueryError(f"geen eenduidige query '{name}'; beschikbaar: {known}")
    return matches[0]


def _uses_service(algebra) -> bool:
    found = []

    def visit(node):
        if getattr(node, "name", None) == "ServiceGraphPattern":
            found.append(node)

    traverse(algebra, visitPost=visit)
    return bool(found)


def prepare(kast: Kast, text: str):
    try:
        query = prepareQuery(text, base=kast.vocab.base)
    except Exception as exc:  # pyparsing and rdflib raise many types for a malformed query
        raise QueryError(f"de query is ongeldig: {str(exc).splitlines()[0]}") from None
    if query.algebra.name not in ("SelectQuery", "AskQuery"):
        raise QueryError("alleen SELECT- en ASK-queries zijn toegestaan")
    if _uses_service(query.algebra):
        raise QueryError("SERVICE is niet toegestaan: de kast bevraagt geen andere bronnen")
    return query


def run(kast: Kast, name_or_text: str, **bindings: str) -> list[dict[str, str]]:
    """Run a query (name of a shipped query, or query text); bind ids or literals by variable name.

    >>> from kast.loader import load
    >>> rows = run(load(shacl=False), "cq06", gemeente="gm0106")
    >>> rows[0]["riecnaam"]
    'RIEC Noord-Nederland'
    """
    is_text = "{" in name_or_text   # a name or path never holds a brace; every query does
    text = name_or_text if is_text else query_path(name_or_text).read_text(encoding="utf-8")
    query = prepare(kast, text)
    init = {var: kast.iri(value) or Literal(value) for var, value in bindings.items()}
    result = kast.graph.query(query, initBindings=init)
    if result.type == "ASK":
        return [{"antwoord": str(bool(result.askAnswer)).lower()}]
    return [{str(var): str(row[var]) for var in result.vars if row[var] is not None} for row in result]
