"""Run the shipped SPARQL queries (queries/*.rq) on the kast in Oxigraph, guarded.

Only SELECT and ASK queries run, never with SERVICE or an update (`kast.sparql.guard`). By default they
run on an in-memory Oxigraph store of the whole graph (one named graph per file, the default graph their
union), made once per loaded kast; `on=` takes another store: a pyoxigraph `Store` (such as one visibility
level) or a `kast.sparql.remote.RemoteStore`.
"""
import threading
import weakref
from pathlib import Path

import pyoxigraph as ox

from . import config
from .loader import Kast
from .sparql import guard, store as sparql_store


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


def prepare(kast: Kast, text: str) -> guard.Checked:
    try:
        checked = guard.check(text, kast.vocab.base, lambda iri: sparql_store.is_graph_iri(kast.vocab.base, iri))
    except guard.Refused as exc:
        raise QueryError(str(exc)) from None
    if checked.form not in ("SELECT", "ASK"):
        raise QueryError("alleen SELECT- en ASK-queries zijn toegestaan")
    return checked


_stores: dict[int, ox.Store] = {}
_stores_lock = threading.Lock()


def embedded(kast: Kast) -> ox.Store:
    """The in-memory store of everything in this kast (the curator's view), built once per kast."""
    with _stores_lock:
        found = _stores.get(id(kast))
        if found is None:
            found = _stores[id(kast)] = sparql_store.build(sparql_store.level_store_graphs(kast, "alles"))
            weakref.finalize(kast, _stores.pop, id(kast), None)
        return found


def _sparql_term(kast: Kast, value: str) -> str:
    iri = kast.iri(value)
    if iri is not None:
        return f"<{iri}>"
    return str(ox.Literal(value))   # quoted and escaped as in N-Triples


def run(kast: Kast, name_or_text: str, on=None, **bindings: str) -> list[dict[str, str]]:
    """Run a query (name of a shipped query, or query text); bind ids or literals by variable name.

    >>> from kast.loader import load
    >>> rows = run(load(shacl=False), "cq06", gemeente="gm0106")
    >>> rows[0]["riecnaam"]
    'RIEC Noord-Nederland'
    """
    is_text = "{" in name_or_text   # a name or path never holds a brace; every query does
    text = name_or_text if is_text else query_path(name_or_text).read_text(encoding="utf-8")
    checked = prepare(kast, text)
    try:
        text = guard.bind(text, {var: _sparql_term(kast, value) for var, value in bindings.items()})
        if on is None or isinstance(on, ox.Store):
            result = (on or embedded(kast)).query(text, base_iri=kast.vocab.base,
                                                  use_default_graph_as_union=not checked.graphs)
        else:
            result = on.execute(text, checked.form, base=kast.vocab.base)
        if checked.form == "ASK":
            return [{"antwoord": str(bool(result)).lower()}]
        names = [v.value for v in result.variables]
        return [{name: row[name].value for name in names if row[name] is not None} for row in result]
    except guard.Refused as exc:
        raise QueryError(str(exc)) from None
    except SyntaxError as exc:
        raise QueryError(f"de query is ongeldig: {str(exc).splitlines()[0]}") from None


def examples(kast: Kast) -> list[dict]:
    """The shipped queries as examples for the query page: name, question (the first comment) and text,
    with the example value of the comment (`-p var=id`) bound, so each runs as it is.

    >>> from kast.loader import load
    >>> found = {e["naam"]: e for e in examples(load(shacl=False))}
    >>> found["cq06_regio_van_gemeente"]["vraag"][:30], "VALUES (?gemeente)" in found["cq06_regio_van_gemeente"]["query"]
    ('In welke RIEC-regio en veiligh', True)
    """
    import re

    out = []
    for path in sorted(config.QUERIES.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        comments = " ".join(line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#"))
        title = re.sub(r"^CV\w+\.\s*", "", comments.split("?", 1)[0] + "?")
        bound = dict(re.findall(r"-p (\w+)=([\w.-]+)", text))
        out.append({"naam": path.stem, "vraag": title,
                    "query": guard.bind(text, {v: _sparql_term(kast, value) for v, value in bound.items()})})
    return out
