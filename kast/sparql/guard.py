"""What may run on the kast's SPARQL endpoint, decided before anything runs.

The query is parsed with rdflib's SPARQL parser and translated to its algebra: only SELECT, ASK,
CONSTRUCT and DESCRIBE; never SERVICE (Oxigraph would call the other host); FROM and FROM NAMED only
with graphs of the kast that the reader may see; and no more than `MAX_QUERY_CHARS` characters.
Every refusal carries a Dutch message that names what is wrong.
"""
import functools
import threading
from dataclasses import dataclass, field

from rdflib.plugins.sparql.algebra import translateQuery, traverse
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

MAX_QUERY_CHARS = 20_000
FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
UPDATE_NAMES = {"Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD",
                "Move": "MOVE", "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA",
                "DeleteWhere": "DELETE WHERE", "Modify": "DELETE/INSERT"}


class Refused(ValueError):
    """A query that may not run; the message is Dutch and meant for the person who wrote it."""


@dataclass
class Checked:
    text: str
    form: str                                        # SELECT, ASK, CONSTRUCT or DESCRIBE
    graphs: list[str] = field(default_factory=list)  # graphs named in FROM / FROM NAMED


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:300]


def _update_names(text: str) -> list[str] | None:
    try:
        with _parser_lock:
            parsed = parseUpdate(text)
    except Exception:   # pyparsing raises several types; not an update either
        return None
    return [UPDATE_NAMES.get(op.name, op.name) for op in parsed.request] or None


_parser_lock = threading.Lock()


@functools.lru_cache(maxsize=512)
def _parse(text: str, base: str):
    """rdflib's parser costs tens of milliseconds a query: the same text (examples, dashboards) parses once.

    One thread at a time: pyparsing (under rdflib) is not thread-safe; two threads parsing at once in a
    threaded server fail with "postParse2() missing 1 required positional argument"."""
    with _parser_lock:
        return translateQuery(parseQuery(text), base=base)


def check(text: str, base: str, allowed_graph=lambda iri: False) -> Checked:
    """Parse `text` and refuse what may not run. `allowed_graph(iri)` says whether FROM may name it.

    >>> check("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "https://example.org/").form
    'SELECT'
    >>> check("INSERT DATA { <a> <b> <c> }", "https://example.org/")
    Traceback (most recent call last):
    ...
    kast.sparql.guard.Refused: de kast is alleen te lezen: INSERT DATA is niet toegestaan
    """
    if not text or not text.strip():
        raise Refused("de query is leeg")
    if len(text) > MAX_QUERY_CHARS:
        raise Refused(f"de query is te lang ({len(text)} tekens); het maximum is {MAX_QUERY_CHARS} tekens")
    try:
        query = _parse(text, base)
    except Exception as exc:   # pyparsing and rdflib raise many types for a malformed query
        names = _update_names(text)
        if names:
            raise Refused(f"de kast is alleen te lezen: {', '.join(dict.fromkeys(names))} is niet toegestaan") from None
        raise Refused(f"de query is ongeldig: {_first_line(exc)}") from None
    algebra = query.algebra
    form = FORMS.get(algebra.name)
    if form is None:
        raise Refused(f"dit soort query ({algebra.name}) is niet toegestaan")
    services = []
    traverse(algebra, visitPost=lambda n: services.append(n) if getattr(n, "name", None) == "ServiceGraphPattern" else None)
    if services:
        raise Refused("SERVICE is niet toegestaan: de kast bevraagt geen andere bronnen")
    graphs = []
    for clause in algebra.get("datasetClause") or []:
        iri = clause.get("default") or clause.get("named")
        if iri is None or not allowed_graph(str(iri)):
            raise Refused(f"FROM en FROM NAMED mogen alleen graven van de kast noemen; <{iri}> is er geen "
                          f"(zie {base}graaf/…)")
        graphs.append(str(iri))
    return Checked(text, form, graphs)


def bind(text: str, bindings: dict[str, str]) -> str:
    """The query with `VALUES` for these variables at the start of its outermost group, so the same text
    runs with the same bindings on the embedded store and on any external SPARQL 1.1 store.

    `bindings` maps a variable name to a term in SPARQL syntax (`<iri>` or a quoted literal).

    >>> bind('PREFIX x: <http://e/#a{> SELECT ?s # {\\n WHERE { ?s ?p ?o }', {"s": "<http://e/1>"})
    'PREFIX x: <http://e/#a{> SELECT ?s # {\\n WHERE { VALUES (?s) { (<http://e/1>) } ?s ?p ?o }'
    """
    if not bindings:
        return text
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif c == "<":
            end = text.find(">", i)
            i = end + 1 if end > 0 and "{" not in text[i:end] else i + 1
            continue
        elif c in "\"'":
            quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else c
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote)
            continue
        elif c == "{":
            names = " ".join(f"?{v}" for v in bindings)
            values = " ".join(bindings.values())
            return f"{text[:i + 1]} VALUES ({names}) {{ ({values}) }}{text[i + 1:]}"
        i += 1
    raise Refused("de query heeft geen WHERE-deel om waarden aan te binden")
