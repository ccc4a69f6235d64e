"""Where the kast finds its files and which base IRI it mints identifiers under."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT / "data"
DEFAULT_ONTOLOGY = ROOT / "ontology"
QUERIES = ROOT / "queries"
DEFAULT_BASE_IRI = "https://data.apothekerskast.nl/"


def base_iri(explicit: str | None = None) -> str:
    """The base IRI from the argument, else $KAST_BASE_IRI, else the default; always ending in '/'.

    >>> base_iri("https://example.org/kast")
    'https://example.org/kast/'
    """
    base = explicit or os.environ.get("KAST_BASE_IRI") or DEFAULT_BASE_IRI
    return base if base.endswith("/") else base + "/"


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The folder the kast reads: the argument, $KAST_DATA, the content repository (see kast.curation:
    $KAST_CONTENT_REPO, or var/content once `kast content init` made it), else data/."""
    chosen = explicit or os.environ.get("KAST_DATA") or os.environ.get("KAST_CONTENT_REPO")
    if chosen:
        return Path(chosen)
    content = Path(os.environ.get("KAST_VAR") or ROOT / "var") / "content"
    return content if (content / ".git").is_dir() else DEFAULT_DATA

# The source documents themselves live beside the repository (shared/sources), not in it.
SOURCE_TEXTS = Path(os.environ.get("KAST_SOURCE_TEXTS") or ROOT.parent / "shared" / "sources")


def var_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The runtime folder for everything the kast writes while it runs: search index, database, secret key.

    One setting ($KAST_VAR) moves all runtime state; it never lives in `data/`.
    """
    return Path(explicit or os.environ.get("KAST_VAR") or ROOT / "var")


def database_url(explicit: str | None = None) -> str:
    """Any SQLAlchemy URL via $KAST_DATABASE_URL; by default SQLite in the runtime folder."""
    return explicit or os.environ.get("KAST_DATABASE_URL") or f"sqlite:///{var_dir() / 'kast.sqlite'}"
