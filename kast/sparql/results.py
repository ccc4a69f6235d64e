"""Answers in the formats of the SPARQL 1.1 Protocol, cut off at a row cap that is always reported.

pyoxigraph serialises a whole result and cannot stop after N rows, so the rows are read one by one
here and written in the four result formats (JSON, XML, CSV, TSV, each by its W3C recommendation);
graphs go through pyoxigraph's own serialiser (Turtle, N-Triples, JSON-LD). Imports only pyoxigraph
and the standard library: the worker processes load this module.
"""
import csv
import io
import json
from dataclasses import dataclass
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

RESULT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
               "application/ld+json": ox.RdfFormat.JSON_LD}
MIMETYPE = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
            "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8"}


@dataclass
class Answer:
    body: bytes
    mimetype: str
    rows: int              # rows (or triples) in the body
    truncated: bool        # more rows existed than the cap allowed


def _json_term(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != XSD_STRING:
            out["datatype"] = t.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _json_term(t.subject), "predicate": _json_term(t.predicate),
                                        "object": _json_term(t.object)}}


def _xml_term(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    return f"<literal>{escape(str(t))}</literal>"


def _csv_value(t) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    return t.value if isinstance(t, (ox.NamedNode, ox.Literal)) else str(t)


def truncation_notice(cap: int) -> str:
    return (f"Het resultaat is afgekapt na {cap} rijen: er zijn er meer. Gebruik LIMIT en OFFSET om verder te "
            "bladeren, of maak de query specifieker.")


def write_select(variables: list[str], rows: list[list], fmt: str, notice: str | None = None) -> bytes:
    """`rows` hold a term or None per variable, in the order of `variables`. A `notice` (truncation) goes
    into the JSON as the extra member `kast` (clients ignore members they do not know); CSV and TSV have
    no place for it, so the HTTP headers carry it for every format."""
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        body = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        if notice:
            body["kast"] = {"afgekapt": True, "rijen": len(rows), "melding": notice}
        return json.dumps(body, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>" for v, t in zip(variables, row) if t is not None]
            out.append("</result>")
        out.append("</results>")
        if notice:   # a comment: the XML schema has no element for it
            out.append(f"<!-- {escape(notice.replace('--', '-'))} -->")
        out.append("</sparql>\n")
        return "".join(out).encode("utf-8")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_value(t) for t in row] for row in rows)
        return buffer.getvalue().encode("utf-8")
    if fmt == "tsv":   # terms in their Turtle/N-Triples form, tabs and newlines escaped by pyoxigraph
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(fmt)


def write_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{str(value).lower()}</boolean></sparql>\n").encode("utf-8")
    return (str(value).lower() + "\n").encode("utf-8")


def answer(result, fmt: str, graph_format: "ox.RdfFormat", cap: int, prefixes: dict[str, str]) -> Answer:
    """Serialise a pyoxigraph result (solutions, boolean or triples) with at most `cap` rows."""
    if isinstance(result, ox.QueryBoolean) or isinstance(result, bool):
        return Answer(write_boolean(bool(result), fmt), MIMETYPE[fmt], 1, False)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [[solution[v] for v in variables] for solution in islice(result, cap + 1)]
        truncated = len(rows) > cap
        rows = rows[:cap]
        body = write_select(variables, rows, fmt, truncation_notice(cap) if truncated else None)
        return Answer(body, MIMETYPE[fmt], len(rows), truncated)
    triples = list(islice(result, cap + 1))
    truncated = len(triples) > cap
    triples = triples[:cap]
    body = ox.serialize(triples, format=graph_format, prefixes=prefixes)
    return Answer(body, graph_format.media_type, len(triples), truncated)
