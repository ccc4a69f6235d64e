"""Size and modification time of every file of a folder: what the data fingerprint is made of.

A walk stats every file (10,000 at 10,000 practices: 30–50 ms, at every start and every published change).
When the caller knows which files changed since the last walk (a published change names them), `restat`
looks at only those and gives the table a walk would give.
"""
import os
from pathlib import Path

Stamps = dict[str, str]   # relative path → 'relative path|size|mtime' line


def _line(rel: str, st: os.stat_result) -> str:
    return f"{rel}|{st.st_size}|{st.st_mtime_ns}\n"


def walk(folder: str | Path, prefix: str = "") -> Stamps:
    """Every file below `folder` (os.scandir: ten times faster than Path.rglob on 10,000 files). Symbolic
    links to files count with their target; linked folders and a content repository's `.git` are left out
    (drafts change the history, not the data)."""
    stamps: Stamps = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name == ".git":
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stamps.update(walk(entry.path, f"{prefix}{entry.name}/"))
                elif entry.is_file():
                    stamps[prefix + entry.name] = _line(prefix + entry.name, entry.stat())
    except OSError:
        pass
    return stamps


def restat(folder: Path, stamps: Stamps, changed) -> Stamps | None:
    """`stamps` of `folder` with only the `changed` paths looked at again (absolute, or relative to the folder
    or to its parent, as `kast.loader.reload` takes them); None when a path cannot be placed as a walk would
    (then walk)."""
    base = os.path.abspath(folder)
    out = dict(stamps)
    for given in changed:
        rel = _relative(base, str(given), out)
        if rel is None:
            return None
        try:
            st = os.stat(os.path.join(base, rel))
        except FileNotFoundError:
            out.pop(rel, None)
            continue
        except OSError:
            return None
        if not os.path.isfile(os.path.join(base, rel)):
            return None
        out[rel] = _line(rel, st)
    return out


def _relative(base: str, given: str, known: Stamps) -> str | None:
    candidates = [given] if os.path.isabs(given) else [os.path.join(base, given),
                                                        os.path.join(os.path.dirname(base), given)]
    for candidate in candidates:
        path = os.path.abspath(candidate)
        if not path.startswith(base + os.sep):
            continue
        rel = Path(os.path.relpath(path, base))
        if ".git" in rel.parts or any(os.path.islink(os.path.join(base, *rel.parts[:i]))
                                      for i in range(1, len(rel.parts))):
            return None   # where a walk does not look
        if rel.as_posix() in known or os.path.lexists(path):
            return rel.as_posix()
    return None
