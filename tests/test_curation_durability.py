"""Nothing lost: kill -9 a saving process at random moments, then check files, repository and the last
acknowledged save; stale lock files are recovered only when no process owns them."""
import os
import random
import select
import signal
import subprocess
import sys
import time

import pytest
import yaml

from kast.curation import ContentRepo, Curation
from kast.curation.entry import parse
from kast.curation.repo import RepoError
from kast.readers import YAML_LOADER

from .curation_support import LID, REDACTEUR, content, cur, new_practice  # noqa: F401

KILLS = 100
ENTRY = "bibob-toets-bij-vakantieparken-in-assen"
PATH = f"practices/{ENTRY}.md"


def _saver(cur: Curation, repo_path, write_fd: int) -> None:
    """The child: save, autosave and publish in a loop, acknowledging each save on the pipe."""
    cur.repo = ContentRepo(repo_path)   # its own handles; the validation context is inherited
    out = os.fdopen(write_fd, "w", buffering=1)
    n = int(time.time() * 1000) % 1_000_000_000   # grows across children
    while True:
        fields, version = cur.published(ENTRY)
        pid = cur.propose(LID, dict(fields, resultaat=f"Stand {n}"), ENTRY, version).proposal.id
        out.write(f"opgeslagen {pid} {n}\n")
        for _ in range(6):
            n += 1
            draft = cur.draft(LID, pid, validate=False)
            cur.save(LID, pid, dict(draft.fields, resultaat=f"Stand {n}"), draft.version, autosave=True)
            out.write(f"opgeslagen {pid} {n}\n")
        cur.submit(LID, pid)
        cur.publish(REDACTEUR, pid)
        out.write(f"gepubliceerd {pid} {n}\n")
        n += 1


def _stand(data: bytes) -> int:
    return int(parse(data)["resultaat"].split()[-1])


def _check(content: ContentRepo, acked: list[str]) -> None:
    fsck = subprocess.run(["git", "fsck", "--strict", "--no-dangling"], cwd=content.path, capture_output=True,
                          text=True)
    assert fsck.returncode == 0 and "error" not in fsck.stdout + fsck.stderr, fsck.stdout + fsck.stderr
    for file in content.path.glob("*/*"):
        if ".git" in file.parts or not file.is_file():
            continue
        if file.suffix == ".md":
            parse(file.read_bytes())
        elif file.suffix == ".yaml":
            yaml.load(file.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    if not acked:
        return
    repo = ContentRepo(content.path)
    published = [line for line in acked if line.startswith("gepubliceerd")]
    if published:
        _, _, n = published[-1].split()
        head = repo.head(repo.published_ref)
        assert _stand(repo.read(head, PATH)[0]) >= int(n), "the last acknowledged publication is lost"
    _, pid, n = acked[-1].split()
    head = repo.head(b"refs/heads/voorstel/" + pid.encode())
    assert head is not None and _stand(repo.read(head, PATH)[0]) >= int(n), "the last acknowledged save is lost"


def test_kill_minus_9_at_random_moments_loses_nothing(content):
    rnd = random.Random(os.environ.get("KAST_KILL_SEED", "2017"))
    cur = Curation(content, names=False)   # the name finder has nothing to do with durability; keep it fast
    cur.publish(REDACTEUR, _publish_first(cur))
    cur.context()
    killed_in = {"voor de eerste bevestiging": 0, "daarna": 0}
    for _ in range(KILLS):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:   # child
            os.close(read_fd)
            try:
                _saver(cur, content.path, write_fd)
            finally:
                os._exit(1)
        os.close(write_fd)
        received = b""
        if rnd.random() < 0.3:    # somewhere in starting up or the first save
            time.sleep(rnd.uniform(0.0, 0.2))
        else:                     # a little after the k-th acknowledged save (publications included)
            k, deadline = rnd.randint(1, 9), time.time() + 20
            while received.count(b"\n") < k and time.time() < deadline:
                ready, _, _ = select.select([read_fd], [], [], 0.5)
                if ready:
                    received += os.read(read_fd, 65536)
            time.sleep(rnd.uniform(0.0, 0.05))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        while chunk := os.read(read_fd, 65536):   # the write end is closed: reads to the end
            received += chunk
        os.close(read_fd)
        acked = [line for line in received.decode().split("\n")[:-1] if line]
        killed_in["daarna" if acked else "voor de eerste bevestiging"] += 1
        _check(content, acked)
    # the repository still works and its work tree matches the published branch (a journal was replayed)
    cur.repo = ContentRepo(content.path)
    fields, version = cur.published(ENTRY)
    result = cur.propose(LID, dict(fields, resultaat="Stand 0 na de test"), ENTRY, version)
    assert result.saved
    cur.repo.refresh_index()   # the index is only for git in the work tree; then git compares work tree and HEAD
    status = subprocess.run(["git", "status", "--porcelain"], cwd=content.path, capture_output=True, text=True)
    assert status.stdout == ""
    assert not list(content.path.rglob("*.kast-tmp"))
    assert killed_in["daarna"] >= KILLS // 2, killed_in


def _publish_first(cur):
    result = cur.propose(LID, new_practice(resultaat="Stand 0"))
    cur.submit(LID, result.proposal.id)
    return result.proposal.id


def test_a_stale_index_lock_is_removed_but_not_one_that_a_process_holds(cur, content):
    pid = _publish_first(cur)
    lock = content.git_dir / "index.lock"
    holder = subprocess.Popen([sys.executable, "-c", "import sys,time; f=open(sys.argv[1],'a'); time.sleep(60)",
                               str(lock)])
    try:
        for _ in range(50):   # wait until it has the file open
            if lock.exists() and any(os.path.realpath(f"/proc/{holder.pid}/fd/{fd}") == str(lock.resolve())
                                     for fd in os.listdir(f"/proc/{holder.pid}/fd")):
                break
            time.sleep(0.05)
        with pytest.raises(RepoError, match="bezet"):
            cur.publish(REDACTEUR, pid)
        assert lock.exists(), "a lock that a live process holds is never removed"
        assert cur.published(ENTRY) is None
    finally:
        holder.kill()
        holder.wait()
    # now nobody holds it: the next write recovers it, and the publication goes through
    cur.publish(REDACTEUR, pid)
    assert not lock.exists()
    assert cur.published(ENTRY)[0]["status"] == "gepubliceerd"


def test_a_stale_ref_lock_left_by_a_killed_process_is_recovered(cur, content):
    result = cur.propose(LID, new_practice())
    ref_lock = content.git_dir / "refs" / "heads" / "voorstel" / f"{result.proposal.id}.lock"
    ref_lock.write_text("half")
    draft = cur.draft(LID, result.proposal.id)
    cur.save(LID, result.proposal.id, dict(draft.fields, titel="Na een crash"), draft.version)
    assert not ref_lock.exists()
    assert cur.draft(LID, result.proposal.id).fields["titel"] == "Na een crash"


def test_threads_of_one_server_process_take_turns(cur):
    """Waitress serves with threads: two saves at once in one process never interleave their writes."""
    import threading

    pid = cur.propose(LID, new_practice()).proposal.id
    start = cur.draft(LID, pid, validate=False)
    errors, results = [], []

    def edit(field, value):
        try:
            results.append(cur.save(LID, pid, dict(start.fields, **{field: value}), start.version))
        except Exception as exc:   # noqa: BLE001 — the test reports any failure
            errors.append(exc)

    threads = [threading.Thread(target=edit, args=(f, f"Waarde {n}")) for n, f in enumerate(
        ["titel", "samenvatting", "probleem", "aanpak", "resultaat", "overdraagbaarheid"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    final = cur.draft(LID, pid, validate=False).fields
    assert all(final[f] == f"Waarde {n}" for n, f in enumerate(
        ["titel", "samenvatting", "probleem", "aanpak", "resultaat", "overdraagbaarheid"]))
