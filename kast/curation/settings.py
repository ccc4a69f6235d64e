"""Where the content repository lives.

`KAST_CONTENT_REPO` names it. Without it, the data folder (`KAST_DATA`) is the repository, unless that is
the project's own `data/` (or any folder inside the project checkout): the project's checkout is never
committed into, so a separate repository is made under the runtime folder `KAST_VAR` (default `var/`),
seeded with a copy of that folder, and the site reads from there (see `kast.config.data_dir`).
"""
import fcntl
import os
from pathlib import Path

from .. import config
from .repo import ContentRepo


def var_dir(explicit: str | os.PathLike | None = None) -> Path:
    return config.var_dir(explicit)


def repo_path(data_dir: Path | None = None, explicit: str | os.PathLike | None = None,
              var: str | os.PathLike | None = None) -> tuple[Path, Path | None]:
    """(where the repository is, which folder seeds it when it does not exist yet). The arguments override
    $KAST_DATA, $KAST_CONTENT_REPO and $KAST_VAR (the web app passes its own configuration)."""
    explicit = explicit or os.environ.get("KAST_CONTENT_REPO")
    if explicit:
        return Path(explicit), Path(data_dir or os.environ.get("KAST_DATA") or config.DEFAULT_DATA)
    data = config.data_dir(data_dir).resolve()
    inside_project = data == config.ROOT or config.ROOT in data.parents
    if inside_project and not (data / ".git").exists():
        return var_dir(var) / "content", data
    return data, None


def open_repo(data_dir: Path | None = None, create: bool = True, explicit: str | os.PathLike | None = None,
              var: str | os.PathLike | None = None) -> ContentRepo:
    """The content repository, created (and seeded) on first use when `create`."""
    path, seed = repo_path(data_dir, explicit, var)
    if (path / ".git").is_dir():
        return ContentRepo(path)
    if not create:
        raise FileNotFoundError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Several server processes start at once: one makes the repository, the others wait and open it.
    with open(path.parent / f".{path.name}.maken.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (path / ".git").is_dir():
            return ContentRepo(path)
        return _create(path, seed, var)


def _create(path: Path, seed: Path | None, var) -> ContentRepo:
    if path.resolve() == config.ROOT or config.ROOT in path.resolve().parents and not str(
            path.resolve()).startswith(str(var_dir(var).resolve())):
        raise ValueError(f"de inhoudsrepository mag niet in de projectmap staan: {path}")
    seed = seed if seed is not None and seed.resolve() != path.resolve() else None
    return ContentRepo.init(path, seed=seed)
