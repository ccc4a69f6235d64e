"""Dutch full-text search over the kast, with ontology-aware expansion, facets and suggestions.

`search(query)` is the one entry point the CLI, the web pages and the API call.
"""
from .engine import Results, search, similar  # noqa: F401
from .store import IndexStore  # noqa: F401
