"""The content repository: a git repository (dulwich, no shell) whose work tree is the published content.

The published branch (the one HEAD names) is checked out in the work tree that the loader reads; drafts
live only as commits on their own branches and never touch the work tree. Every write happens under one
repository lock (an fcntl lock held by this process), in this order, so a process killed at any moment
leaves a consistent repository:

1. objects (blobs, trees, commit) are written by dulwich, each to a lock file, fsynced and renamed;
2. the branch ref is moved with compare-and-swap (the commit point: a save is acknowledged after this);
3. for the published branch: a journal names the paths to check out, the files are written atomically
   (temp file, fsync, rename) and the journal removed. A journal left by a killed process is replayed by
   the next writer. (The git index is written at creation and by `refresh_index`, not per publication.)

Lock files git leaves behind (``index.lock``, ``refs/heads/x.lock``) are removed only while we hold the
repository lock and no process has them open.
"""
import contextlib
import fcntl
import os
import stat
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from dulwich.file import FileLocked
from dulwich.index import Index, index_entry_from_stat
from dulwich.objects import Blob, Commit, Tree
from dulwich.repo import Repo

DEFAULT_BRANCH = b"gepubliceerd"
DRAFT_PREFIX = b"refs/heads/voorstel/"
JOURNAL = "kast-uitchecken"
LOCK = "kast-schrijven.lock"
TMP_SUFFIX = ".kast-tmp"
FILE_MODE = 0o100644
STALE_LOCK_SECONDS = 600   # where /proc cannot tell who holds a lock file


class RepoError(Exception):
    """Something is wrong with the content repository itself, or it is busy (HTTP 503); the message is
    Dutch and fit for the user."""

    status = 503


@dataclass(frozen=True)
class Signature:
    """Who made a commit: a display name and an account id, never a real e-mail address."""

    name: str
    account: str

    def ident(self) -> bytes:
        name = " ".join(self.name.replace("<", "").replace(">", "").split()) or self.account
        account = "".join(c for c in self.account if c.isalnum() or c in "-_.") or "onbekend"
        return f"{name} <{account}@apothekerskast.invalid>".encode("utf-8")


SYSTEM = Signature("De Apothekerskast", "kast")


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so a reader (or a kill -9) only ever sees the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}{TMP_SUFFIX}"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _open_by_any_process(path: Path) -> bool | None:
    """True when some process has `path` open; None when this system cannot tell (no /proc)."""
    proc = Path("/proc")
    if not (proc / "self" / "fd").is_dir():
        return None
    target = str(path.resolve())
    for pid_dir in proc.iterdir():
        if not pid_dir.name.isdigit():
            continue
        try:
            for fd in (pid_dir / "fd").iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd) == target:
                        return True
        except OSError:
            continue
    return False


TREE_CACHE = 64   # parsed git trees kept per repository object (the practices folder is one large tree)


class ContentRepo:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        try:
            self.repo = Repo(str(self.path))
        except Exception as exc:
            raise RepoError(f"{self.path} is geen git-repository: {exc}") from exc
        self.git_dir = Path(self.repo.controldir())
        self._trees: dict[bytes, Tree] = {}
        self._thread_lock = threading.RLock()
        self.repo.object_store.fsync_object_files = True   # a written object survives a crash too
        self._locked = 0

    # ------------------------------------------------------------------ creating

    @classmethod
    def init(cls, path: Path | str, seed: Path | None = None) -> "ContentRepo":
        """A new repository at `path` (its files, or a copy of `seed`, as the first commit)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        Repo.init(str(path), default_branch=DEFAULT_BRANCH).close()
        content = cls(path)
        with content.locked():
            if seed is not None:
                _copy_tree(seed, path)
            files = {}
            for file in sorted(path.rglob("*")):
                rel = file.relative_to(path)
                if file.is_file() and rel.parts[0] != ".git" and not file.name.endswith(TMP_SUFFIX):
                    files[rel.as_posix()] = file.read_bytes()
            store = content.repo.object_store
            store.fsync_object_files = False   # thousands of files: one sync before the ref instead
            try:
                commit = content.commit(content.published_ref, files, SYSTEM,
                                        "Inhoud opgenomen in de inhoudsrepository\n\nKast-Actie: begin\n", None)
            finally:
                store.fsync_object_files = True
            content._checkout(commit, list(files), index=True)
        return content

    # ------------------------------------------------------------------ locking and recovery

    @contextlib.contextmanager
    def locked(self):
        """Hold the repository lock: one writer per process (threads wait) and per repository (an fcntl
        lock between processes); re-entrant in the thread that holds it. Repairs what a killed writer left."""
        with self._thread_lock:
            if self._locked:
                self._locked += 1
                try:
                    yield
                finally:
                    self._locked -= 1
                return
            fd = os.open(self.git_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                self._locked = 1
                self.recover()
                yield
            finally:
                self._locked = 0
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)

    def recover(self) -> list[str]:
        """Remove stale lock files and finish an interrupted checkout. Call only under the lock."""
        repaired = []
        candidates = [self.git_dir / "index.lock", self.git_dir / "HEAD.lock", self.git_dir / "packed-refs.lock"]
        candidates += list((self.git_dir / "refs").rglob("*.lock"))
        for lock in candidates:
            if lock.exists() and self._stale(lock):
                lock.unlink(missing_ok=True)
                repaired.append(str(lock.relative_to(self.git_dir)))
        journal = self.git_dir / JOURNAL
        if journal.exists():
            paths = [p for p in journal.read_text(encoding="utf-8").splitlines() if p]
            head = self.head(self.published_ref)
            if head is not None:
                self._checkout(head, paths)
            repaired.append(JOURNAL)
        for tmp in self.git_dir.glob(f".*{TMP_SUFFIX}"):   # a journal half written when its writer was killed
            if self._stale(tmp):
                tmp.unlink(missing_ok=True)
                repaired.append(tmp.name)
        return repaired

    def _stale(self, lock: Path) -> bool:
        owned = _open_by_any_process(lock)
        if owned is None:
            return time.time() - lock.stat().st_mtime > STALE_LOCK_SECONDS
        return not owned

    def _stale_object_lock(self, exc: FileLocked) -> bool:
        lock = Path(os.fsdecode(exc.lockfilename))
        if lock.exists() and self._stale(lock):
            lock.unlink(missing_ok=True)
            return True
        return False

    # ------------------------------------------------------------------ reading

    @property
    def published_ref(self) -> bytes:
        try:
            chain, _ = self.repo.refs.follow(b"HEAD")
            return chain[-1]
        except Exception:   # a HEAD without target: a repository made by init with nothing yet
            return b"refs/heads/" + DEFAULT_BRANCH

    def head(self, ref: bytes) -> bytes | None:
        try:
            return self.repo.refs[ref]
        except KeyError:
            return None

    def refs(self, prefix: bytes) -> dict[bytes, bytes]:
        return {prefix + k: v for k, v in self.repo.refs.as_dict(prefix.rstrip(b"/")).items()}

    def commit_obj(self, commit_id: bytes) -> Commit:
        return self.repo[commit_id]

    def _tree(self, sha: bytes) -> Tree:
        """Trees are immutable: keep the last few parsed (the practices folder has 10,000 entries)."""
        tree = self._trees.get(sha)
        if tree is None:
            tree = self.repo[sha]
            self._remember(tree)
        return tree

    def _remember(self, tree: Tree) -> None:
        """Keep a parsed tree, dropping the oldest beyond TREE_CACHE: every commit makes new trees, and a
        server process commits for as long as it runs (unbounded, this grew by two trees per save)."""
        while len(self._trees) >= TREE_CACHE:
            with contextlib.suppress(StopIteration, KeyError, RuntimeError):   # another thread trimmed it
                self._trees.pop(next(iter(self._trees)))
        self._trees[tree.id] = tree

    def blob_id(self, commit_id: bytes | None, path: str) -> bytes | None:
        if commit_id is None:
            return None
        sha, mode = self.repo[commit_id].tree, stat.S_IFDIR
        for part in path.encode().split(b"/"):
            if not stat.S_ISDIR(mode):
                return None
            try:
                mode, sha = self._tree(sha)[part]
            except KeyError:
                return None
        return sha if stat.S_ISREG(mode) else None

    def read(self, commit_id: bytes | None, path: str) -> tuple[bytes, bytes] | None:
        """(content, blob id) of `path` at `commit_id`, or None when it does not exist there."""
        sha = self.blob_id(commit_id, path)
        return (self.repo[sha].data, sha) if sha else None

    def blob(self, sha: bytes | str) -> bytes | None:
        sha = sha.encode() if isinstance(sha, str) else sha
        try:
            obj = self.repo[sha]
        except (KeyError, ValueError, AssertionError):
            return None
        return obj.data if isinstance(obj, Blob) else None

    def list_dir(self, commit_id: bytes, folder: str) -> list[str]:
        sha, mode = self.repo[commit_id].tree, stat.S_IFDIR
        for part in folder.encode().split(b"/"):
            try:
                mode, sha = self._tree(sha)[part]
            except KeyError:
                return []
        return [e.path.decode() for e in self._tree(sha).iteritems()] if stat.S_ISDIR(mode) else []

    def walk(self, ref_or_commit: bytes, paths: list[str] | None = None, max_entries: int | None = None):
        """Commits reachable from a ref or commit, newest first (optionally only those touching `paths`)."""
        head = self.head(ref_or_commit) if ref_or_commit.startswith(b"refs/") else ref_or_commit
        if head is None:
            return []
        walker = self.repo.get_walker(include=[head], paths=[p.encode() for p in paths] if paths else None,
                                      max_entries=max_entries)
        return [entry.commit for entry in walker]

    def changed_paths(self, old: bytes | None, new: bytes) -> list[str]:
        """Files that differ between two commits (only differing folders are opened)."""
        out: list[str] = []

        def diff(a: bytes | None, b: bytes | None, prefix: str) -> None:
            ea = {e.path: (e.mode, e.sha) for e in self._tree(a).iteritems()} if a else {}
            eb = {e.path: (e.mode, e.sha) for e in self._tree(b).iteritems()} if b else {}
            for name in sorted(set(ea) | set(eb)):
                x, y = ea.get(name), eb.get(name)
                if x == y:
                    continue
                path = prefix + name.decode()
                dirs = [v[1] if v and stat.S_ISDIR(v[0]) else None for v in (x, y)]
                if any(dirs):
                    diff(dirs[0], dirs[1], path + "/")
                for v, d in zip((x, y), dirs):
                    if v and d is None and path not in out:
                        out.append(path)

        diff(self.repo[old].tree if old else None, self.repo[new].tree, "")
        return sorted(out)

    # ------------------------------------------------------------------ writing

    def commit(self, ref: bytes, files: dict[str, bytes | None], author: Signature, message: str,
               expected: bytes | None, parents: list[bytes] | None = None,
               base_tree_of: bytes | None = None) -> bytes:
        """Commit `files` (path → content, None deletes) onto `ref` if it still points at `expected`.

        The tree starts from `base_tree_of` (default: the first parent). Returns the new commit id.
        """
        if not self._locked:
            raise RepoError("schrijven kan alleen binnen ContentRepo.locked()")
        index_lock = self.git_dir / "index.lock"
        if ref == self.published_ref and index_lock.exists() and not self._stale(index_lock):
            # another program (git itself) is writing the index: publish nothing rather than half
            raise RepoError("de repository is bezet (index.lock van een ander proces); probeer het zo opnieuw")
        for attempt in range(3):
            try:
                return self._commit(ref, files, author, message, expected, parents, base_tree_of)
            except FileLocked as exc:   # a lock file left by a killed process
                if attempt == 2 or not self._stale_object_lock(exc):
                    raise RepoError(f"de repository is bezet ({exc.filename}); probeer het zo opnieuw") from exc
        raise AssertionError("unreachable")

    def _commit(self, ref, files, author, message, expected, parents, base_tree_of) -> bytes:
        store = self.repo.object_store
        parents = [expected] if parents is None and expected else (parents or [])
        start = base_tree_of or (parents[0] if parents else None)
        tree = self.repo[start].tree if start else None
        changes = []
        for path, data in sorted(files.items()):
            if data is None:
                changes.append((path.encode(), None, None))
            else:
                blob = Blob.from_string(data)
                store.add_object(blob)
                changes.append((path.encode(), FILE_MODE, blob.id))
        c = Commit()
        if start is None:
            c.tree = _build_tree(store, changes)
        else:
            c.tree = tree
            for path, mode, sha in changes:
                c.tree = self._put(c.tree, path.split(b"/"), mode, sha)
        c.parents = parents
        c.author = c.committer = author.ident()
        c.author_time = c.commit_time = int(time.time())
        c.author_timezone = c.commit_timezone = 0
        c.encoding = b"UTF-8"
        c.message = message.encode("utf-8")
        store.add_object(c)
        if not store.fsync_object_files:
            os.sync()   # every object on disk before the ref points at them
        if not self.repo.refs.set_if_equals(ref, expected, c.id):
            raise RepoError(f"{ref.decode()} is intussen veranderd; probeer het opnieuw")
        if ref == self.published_ref:
            self._checkout(c.id, list(files))
        return c.id

    def _put(self, tree_sha: bytes | None, parts: list[bytes], mode: int | None, sha: bytes | None) -> bytes:
        """A new tree like `tree_sha` with `parts` set to (mode, sha), or removed when sha is None.

        Uses the tree cache: a save into the folder of 10,000 practices reads that tree once per process.
        """
        tree = Tree()
        if tree_sha is not None:
            for entry in self._tree(tree_sha).iteritems():
                tree.add(entry.path, entry.mode, entry.sha)
        name = parts[0]
        if len(parts) == 1:
            if sha is None:
                if name in tree:
                    del tree[name]
            else:
                tree.add(name, mode, sha)
        else:
            sub = tree[name][1] if name in tree and stat.S_ISDIR(tree[name][0]) else None
            new_sub = self._put(sub, parts[1:], mode, sha)
            if new_sub is None:
                if name in tree:
                    del tree[name]
            else:
                tree.add(name, stat.S_IFDIR, new_sub)
        if not len(tree) and tree_sha is not None and len(parts) > 0 and sha is None:
            return None
        self.repo.object_store.add_object(tree)
        self._remember(tree)
        return tree.id

    def set_ref(self, ref: bytes, new: bytes, expected: bytes | None) -> None:
        if not self.repo.refs.set_if_equals(ref, expected, new):
            raise RepoError(f"{ref.decode()} is intussen veranderd; probeer het opnieuw")

    def delete_ref(self, ref: bytes) -> None:
        self.repo.refs.remove_if_equals(ref, None)

    def _checkout(self, commit_id: bytes, paths: list[str], index: bool = False) -> None:
        """Make the work tree (and with `index` the git index) match `commit_id` for `paths`, journaled
        and atomic per file. The index is only for people who run git in the work tree; at 10,000 files
        rewriting it costs more than a second, so publishing leaves it and `refresh_index` renews it."""
        if not paths:
            return
        journal = self.git_dir / JOURNAL
        atomic_write(journal, "\n".join(paths).encode("utf-8"))
        index = (Index(self.repo.index_path()) if os.path.exists(self.repo.index_path()) else Index(
            self.repo.index_path(), read=False)) if index else None
        for path in paths:
            target = self.path / path
            found = self.read(commit_id, path)
            if found is None:
                target.unlink(missing_ok=True)
                if index is not None:
                    with contextlib.suppress(KeyError):
                        del index[path.encode()]
                continue
            data, sha = found
            if not target.exists() or target.read_bytes() != data:
                atomic_write(target, data)
            if index is not None:
                index[path.encode()] = index_entry_from_stat(os.stat(target), sha, FILE_MODE)
        for folder in {(self.path / p).parent for p in paths}:
            for tmp in folder.glob(f".*{TMP_SUFFIX}") if folder.is_dir() else []:
                tmp.unlink(missing_ok=True)
        if index is None or self._write_index(index):
            journal.unlink()   # else the journal stays and the next writer finishes the index

    def refresh_index(self) -> None:
        """Make the git index match the published branch (for `git status` in the work tree)."""
        with self.locked():
            head = self.head(self.published_ref)
            index = Index(self.repo.index_path(), read=False)
            for path in self.files(head):
                target = self.path / path
                if target.exists():
                    index[path.encode()] = index_entry_from_stat(os.stat(target), self.blob_id(head, path),
                                                                 FILE_MODE)
            if not self._write_index(index):
                raise RepoError("de index van de repository is bezet; probeer het zo opnieuw")

    def files(self, commit_id: bytes) -> list[str]:
        out = []

        def walk(sha: bytes, prefix: str) -> None:
            for e in self._tree(sha).iteritems():
                if stat.S_ISDIR(e.mode):
                    walk(e.sha, f"{prefix}{e.path.decode()}/")
                else:
                    out.append(prefix + e.path.decode())

        walk(self.repo[commit_id].tree, "")
        return out

    def _write_index(self, index: Index) -> bool:
        for attempt in range(2):
            try:
                index.write()
                return True
            except FileLocked as exc:
                if attempt or not self._stale_object_lock(exc):
                    return False
        return False


def _build_tree(store, changes) -> bytes:
    """A tree of the added files from scratch (commit_tree_changes is slow for 10,000 files at once)."""
    folders: dict[bytes, dict[bytes, tuple[int, bytes]]] = {b"": {}}
    for path, mode, sha in changes:
        if sha is None:
            continue
        parts = path.split(b"/")
        for depth in range(1, len(parts)):
            folders.setdefault(b"/".join(parts[:depth]), {})
        folders.setdefault(b"/".join(parts[:-1]), {})[parts[-1]] = (mode, sha)
    for folder in sorted((f for f in folders if f), key=lambda f: f.count(b"/"), reverse=True):
        tree = Tree()
        for name, (mode, sha) in folders[folder].items():
            tree.add(name, mode, sha)
        store.add_object(tree)
        parent, _, name = folder.rpartition(b"/")
        folders[parent][name] = (stat.S_IFDIR, tree.id)
    root = Tree()
    for name, (mode, sha) in folders[b""].items():
        root.add(name, mode, sha)
    store.add_object(root)
    return root.id


def _copy_tree(source: Path, target: Path) -> None:
    for file in sorted(Path(source).rglob("*")):
        rel = file.relative_to(source)
        if file.is_file() and ".git" not in rel.parts and "__pycache__" not in rel.parts:
            dest = target / rel
            if not dest.exists():
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(file.read_bytes())
