"""The proposed meeting groups in the picture of the peer network: a colour and shape per group, and a
layout that keeps each group together (the text lists the same groups)."""
from kast.network.layout import declutter, group_positions
from kast.network.visjs import DECLUTTER_UP_TO, label_box

from .maps_cache import SEED

GROUP_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
                 "#bcbd22", "#393b79", "#7f7f7f", "#637939")   # the same in kaart.css (.kast-groepkleur--N)
GROUP_SHAPES = ("dot", "square", "triangle", "diamond", "star", "triangleDown")   # colour is never the only cue


def group_style(number: int) -> tuple[str, str, int]:
    """(colour, shape, CSS class number) of a proposed group; colours repeat after twelve, shapes vary."""
    index = (number - 1) % len(GROUP_COLOURS)
    return GROUP_COLOURS[index], GROUP_SHAPES[((number - 1) // len(GROUP_COLOURS)) % len(GROUP_SHAPES)], index + 1


def with_groups(vis: dict, groups: list | None, G=None) -> dict:
    """vis data whose nodes are coloured by proposed group, lie together per group (when the graph G is
    given) and whose tooltips name it (a copy; the cache stays clean)."""
    if not groups:
        return vis
    number = {m: g.number for g in groups for m in g.members}
    pos = group_positions(G, [g.members for g in groups if any(m in G for m in g.members)], seed=SEED) \
        if G is not None else {}
    if pos and len(pos) <= DECLUTTER_UP_TO:   # small enough to read every name: no label on another
        labels = {n["id"]: n["label"] for n in vis["nodes"]}
        pos = declutter(pos, {n: label_box(labels.get(n, n)) for n in pos})
    nodes = []
    for n in vis["nodes"]:
        if n["id"] in number:
            colour, shape, _ = group_style(number[n["id"]])
            n = dict(n, title=n["title"] + f"\ngroep {number[n['id']]}", color=colour, shape=shape)
        if n["id"] in pos:
            n = dict(n, x=pos[n["id"]][0], y=pos[n["id"]][1])
        nodes.append(n)
    # a shared region between two groups is context the patches already show; drawn, it is only clutter
    edges = [dict(e, hidden=True) if e.get("dashes") and number.get(e["from"]) != number.get(e["to"]) else e
             for e in vis["edges"]]
    return dict(vis, nodes=nodes, edges=edges)
