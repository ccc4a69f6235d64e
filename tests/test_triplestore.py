"""The kast's graph store answers every triple pattern as rdflib's own in-memory store does."""
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from kast.triplestore import new_graph

NODES = [URIRef(f"https://example.org/{n}") for n in "abcd"]
OBJECTS = NODES + [Literal("x"), Literal("x", lang="nl"), Literal(2017), Literal("2017")]
triples = st.tuples(st.sampled_from(NODES), st.sampled_from(NODES[:3]), st.sampled_from(OBJECTS))
patterns = st.tuples(st.sampled_from([None, *NODES]), st.sampled_from([None, *NODES[:3]]),
                     st.sampled_from([None, *OBJECTS]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.booleans(), triples), max_size=40), st.lists(patterns, min_size=1, max_size=8))
def test_same_answers_as_rdflib_memory_after_adds_and_removes(steps, queries):
    ours, reference = new_graph(), Graph(store="SimpleMemory")
    for adding, triple in steps:
        for graph in (ours, reference):
            if adding:
                graph.add(triple)
            else:
                graph.remove((triple[0], None, triple[2]))
    assert len(ours) == len(set(reference))
    assert set(ours) == set(reference)
    for pattern in queries:
        assert list(ours.triples(pattern)) == list(reference.triples(pattern)) or \
            sorted(ours.triples(pattern)) == sorted(reference.triples(pattern))
        assert (pattern in ours) == (pattern in reference)


def test_values_keep_their_order_and_duplicates_are_ignored():
    g = new_graph()
    s, p = NODES[0], NODES[1]
    for value in ["c", "a", "b", "a"]:
        g.add((s, p, Literal(value)))
    assert [str(o) for o in g.objects(s, p)] == ["c", "a", "b"]
    assert len(g) == 3
    g.remove((s, p, Literal("a")))
    assert [str(o) for o in g.objects(s, p)] == ["c", "b"] and len(g) == 2
    g.remove((s, None, None))
    assert len(g) == 0 and list(g) == [] and (None, p, None) not in g


def test_a_walk_survives_a_change_of_the_graph_meanwhile():
    """A request may walk the graph while a reload swaps a file's triples (kast.reload)."""
    g = new_graph()
    kind, practice = NODES[1], NODES[2]
    for n in range(50):
        g.add((URIRef(f"https://example.org/p{n}"), kind, practice))
    seen = []
    for n, subject in enumerate(g.subjects(kind, practice)):
        seen.append(subject)
        g.add((URIRef(f"https://example.org/q{n}"), kind, practice))
        g.remove((URIRef(f"https://example.org/p{n + 1}"), None, None))
    assert len(seen) == 50
    for pattern in [(None, None, None), (None, kind, None), (None, None, practice), (seen[0], None, None)]:
        for n, _ in enumerate(g.triples(pattern)):
            g.add((URIRef(f"https://example.org/r{n}"), kind, practice))
