"""SHACL validation with pyshacl, its results translated back to file, item and field.

pyshacl checks the `sh:property` shapes of a node shape one focus node at a time, building the
constraint objects anew for each (226,000 calls at 10,000 practices: ~20 s). `flatten` rewrites every
`sh:property` of a targeted node shape into a property shape with the node shape's targets, which pyshacl
checks once for all focus nodes: the same results (a test compares both) in a tenth of the time.

Every shape of the kast looks one step from its focus node (a property, and the type of its value), so a
part of the graph can be validated on its own: `validate_nodes` builds a small graph of the given nodes'
triples, the types of their values and the ontology, and keeps only the results about those nodes. The
reload of one changed file validates that way.
"""
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS

from .fields import FIELDS
from .readers import Message
from .vocab import Vocabulary

SEVERITY = {SH.Violation: "fout", SH.Warning: "waarschuwing", SH.Info: "waarschuwing"}
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def load_shapes(path: Path, vocab: Vocabulary) -> Graph:
    shapes = Graph()
    shapes.parse(path, format="turtle", publicID=vocab.base)
    return flatten(shapes)


def flatten(shapes: Graph) -> Graph:
    """The same shapes with each `sh:property` of a targeted node shape as a targeted property shape."""
    out = Graph()
    for triple in shapes:
        out.add(triple)
    for node, prop in list(shapes.subject_objects(SH.property)):
        targets = [(p, o) for p in TARGETS for o in shapes.objects(node, p)]
        if not targets:
            continue
        copy = BNode()
        for p, o in shapes.predicate_objects(prop):
            if p != RDF.type:
                out.add((copy, p, o))
        out.add((copy, RDF.type, SH.PropertyShape))
        for p, o in targets:
            out.add((copy, p, o))
        out.remove((node, SH.property, prop))
    return out


def shacl_messages(graph: Graph, shapes: Graph, file_of: dict, vocab: Vocabulary,
                   keep=None, focus_nodes: list | None = None) -> list[Message]:
    """Validate `graph` against `shapes` (only `focus_nodes` when given); one Message per SHACL result (only
    about nodes in `keep`, when given), sorted by file."""
    _, results, _ = shacl_validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True,
                                   focus_nodes=focus_nodes)
    keys = {kind: {vocab.resolve(f.predicate): f.key for f in fields if f.predicate}
            for kind, fields in FIELDS.items()}
    messages = []
    for result in results.subjects(SH.resultSeverity, None):
        focus = results.value(result, SH.focusNode)
        if keep is not None and focus not in keep:
            continue
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


def neighbourhood(nodes, graph: Graph, ontology: Graph, new: Graph | None = None,
                  replaced: frozenset = frozenset()) -> Graph:
    """What the shapes look at for `nodes`: their triples, the types of their values, and the class
    hierarchy of the ontology (`rdfs:subClassOf`, for targets and `sh:class`). With `new`, the triples of the nodes in `replaced`
    come from `new` instead of `graph` (a reload checks the graph as it would be after the change)."""
    part = Graph()
    for triple in ontology.triples((None, RDFS.subClassOf, None)):   # all that targets and sh:class use
        part.add(triple)

    def sources(node):
        if new is None:
            return (graph,)
        return (new,) if node in replaced else (graph, new)

    for node in nodes:
        for source in sources(node):
            for p, o in source.predicate_objects(node):
                part.add((node, p, o))
                if isinstance(o, (URIRef, BNode)):
                    for typing in sources(o):
                        for t in typing.objects(o, RDF.type):
                            part.add((o, RDF.type, t))
                    if (o, SKOS.inScheme, None) in ontology:   # a fixed-list value: shapes follow its links
                        for lp, lo in ontology.predicate_objects(o):   # (aard → kast:natureOfKind → soort)
                            part.add((o, lp, lo))
    return part


def validate_nodes(nodes, graph: Graph, ontology: Graph, shapes: Graph, file_of: dict, vocab: Vocabulary,
                   new: Graph | None = None, replaced: frozenset = frozenset()) -> list[Message]:
    """SHACL results about `nodes` only, from their neighbourhood rather than the whole graph."""
    nodes = set(nodes)
    if not nodes:
        return []
    part = neighbourhood(nodes, graph, ontology, new, replaced)
    return shacl_messages(part, shapes, file_of, vocab, keep=nodes)
