"""deduce with only the lookup lists the privacy guard needs, so a server process holds ~0.1 GB, not ~1 GB.

deduce keeps every lookup list of its medical de-identification in memory: all Dutch street names and all
healthcare institutions are ~95 % of the ~1 GB a process holds after `Deduce()` (measured: RSS 1,052 MB;
the pickled lists of streets and institutions are 57 of 60 MB). The kast only asks deduce for names of
persons; addresses are found by the guard's own patterns. So the first process that needs deduce builds,
in a short-lived child process, a copy of deduce's cache in which those two lists are empty, and every
process loads that copy. Person names are found as before: the other lists and all annotators stay.

    python -m kast.curation.namefinder FOLDER   # writes FOLDER/cache/lookup_structs.pickle
"""
import datetime as dt
import os
import pickle
import subprocess
import sys
from pathlib import Path

EMPTIED = ("street", "healthcare_institution")   # the two large lists, never needed to find a person


def cache_root() -> Path:
    """Per deduce version, in the user's cache folder (shared by every process and test run)."""
    import deduce

    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "kast" / f"deduce-{deduce.__version__}"


def _cache_file(root: Path) -> Path:
    return root / "cache" / "lookup_structs.pickle"   # where deduce looks under its `cache_path`


def load():
    """A `Deduce` instance on the trimmed lists, building them first (in a child process) when missing."""
    from deduce import Deduce

    root = cache_root()
    if not _cache_file(root).exists():
        # a child process: loading deduce's full lists costs ~1 GB, which the server should not keep
        subprocess.run([sys.executable, "-m", "kast.curation.namefinder", str(root)], check=True, timeout=1800,
                       stdout=subprocess.DEVNULL)
    return Deduce(cache_path=root)


def build(root: Path) -> None:
    """Write the trimmed copy of deduce's lookup lists (atomically: other processes may be reading)."""
    import deduce
    from deduce import Deduce
    from docdeid.ds import LookupTrie

    structs = Deduce().lookup_structs   # builds deduce's own cache on first use (~70 s)
    for name in EMPTIED:
        structs[name] = LookupTrie()
    target = _cache_file(root)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:   # the layout deduce's own cache has (deduce.lookup_structs)
        pickle.dump({"deduce_version": deduce.__version__, "saved_datetime": str(dt.datetime.now()),
                     "lookup_structs": structs}, f)
    os.replace(tmp, target)


if __name__ == "__main__":
    build(Path(sys.argv[1]))
