"""Networks of the kast: the actor map, the peer network of municipalities and meeting groups.

Pure functions over networkx graphs; the web layer and the command line build on them.

>>> from kast.loader import load
>>> kast = load(shacl=False)
>>> G = actor_map(kast)
>>> [step.relation for step in path(G, "riec-noord-nederland", "vng")]
['werkt samen met', 'werkt samen met']
>>> groups = meeting_groups(peer_network(kast), 6, instrument="wet-bibob")
>>> len(groups), groups[0].reason.startswith("Instrument Wet Bibob")
(2, True)
"""
from .actormap import NODE_TYPES, actor_map
from .base import NetworkError, resolve_node
from .explore import Step, filter_map, focus, path, search_nodes
from .export import edges_csv, exportable, nodes_csv, text_rows, to_gexf, to_graphml
from .groups import Group, groups_csv, meeting_groups
from .layout import positions
from .metrics import Metrics, metrics
from .overview import overview
from .peers import WEIGHTS, peer_network, select_peers
from .visjs import offline_html, safe_json, vis_data
from .peers import substantive

__all__ = [
    "NODE_TYPES", "WEIGHTS", "Group", "Metrics", "NetworkError", "Step", "actor_map", "edges_csv", "exportable",
    "filter_map", "focus", "groups_csv", "meeting_groups", "metrics", "nodes_csv", "offline_html", "overview", "path", "substantive",
    "peer_network", "positions", "resolve_node", "safe_json", "search_nodes", "select_peers", "text_rows",
    "to_gexf", "to_graphml", "vis_data",
]
