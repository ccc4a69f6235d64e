"""Networks of the kast: the actor map, the peer network of municipalities and meeting groups.

Pure functions over networkx graphs; the web layer and the command line build on them.
"""
from .actormap import NODE_TYPES, actor_map
from .base import NetworkError, resolve_node
