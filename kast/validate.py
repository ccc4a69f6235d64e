"""SHACL validation with pyshacl, its results translated back to file, item and field."""
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph
from rdflib.namespace import RDF, SH

from .fields import FIELDS
from .readers import Message
from .vocab import Vocabulary

SEVERITY = {SH.Violation: "fout", SH.Warning: "waarschuwing", SH.Info: "waarschuwing"}


def load_shapes(path: Path, vocab: Vocabulary) -> Graph:
    shapes = Graph()
    shapes.parse(path, format="turtle", publicID=vocab.base)
    return shapes


def shacl_messages(graph: Graph, shapes: Graph, file_of: dict, vocab: Vocabulary,
                   focus_nodes: list | None = None) -> list[Message]:
    """Validate `graph` against `shapes` (only `focus_nodes` when given); one Message per SHACL result,
    sorted by file."""
    _, results, _ = shacl_validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True,
                                   focus_nodes=focus_nodes)
    keys = {kind: {vocab.resolve(f.predicate): f.key for f in fields if f.predicate}
            for kind, fields in FIELDS.items()}
    messages = []
    for result in results.subjects(SH.resultSeverity, None):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        if isinstance(path, BNode):   # a sequence path ( a b ): the field is its first step
            path = results.value(path, RDF.first)
        text = str(results.value(result, SH.resultMessage) or "voldoet niet aan de vorm")
        file, item, kind = file_of.get(focus, ("(graaf)", str(focus), ""))
        if kind == "bronvermelding":
            field = "bronnen"
        elif kind == "relatie":
            field = "relaties"
        elif path is not None and path in keys.get(kind, {}):
            field = keys[kind][path]
        elif path is not None and kind:
            field = {"http://purl.org/dc/terms/source": "bronnen"}.get(str(path), graph.qname(path))
        else:
            field = None
        severity = SEVERITY.get(results.value(result, SH.resultSeverity), "fout")
        messages.append(Message(file, text, field, item, severity))
    # sh:equals reports a mismatch once from each side; one message per file, item, field and text is enough
    unique = {(m.file, m.entry, m.field, m.text, m.severity): m for m in messages}
    return sorted(unique.values(), key=lambda m: (m.file, m.entry or "", m.field or ""))
