"""kill -9 of a gunicorn worker while requests come in: the other worker keeps answering, and the worker
gunicorn starts in its place loads the kast from the files as they are now.

(A kill during a save is covered by the curation work's own kill test; this covers the running site.)
"""
import http.client
import os
import shutil
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from load import free_port, start_gunicorn, stop_gunicorn, wait_until_up, workers_of  # noqa: E402

PRACTICE = "actueel-damoclesbeleid"


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def _pid_of(log: Path, marker: str) -> str | None:
    for line in log.read_text().splitlines():
        pid, _, _, query = (line.split(" ", 3) + ["", "", ""])[:4]
        if query == f"n={marker}":
            return pid.strip("<>")
    return None


@pytest.mark.skipif(not shutil.which("gunicorn", path=str(Path(sys.executable).parent)), reason="gunicorn ontbreekt")
def test_killed_worker_does_not_stop_the_site_and_returns_with_current_content(kast, tmp_path):
    from kast.search import IndexStore

    data = tmp_path / "data"
    shutil.copytree(kast.data_dir, data)
    index = tmp_path / "index"
    IndexStore(root=index, data_dir=data).open()
    port, log = free_port(), tmp_path / "toegang.log"
    server = start_gunicorn(data, index, port, log)
    base = f"http://127.0.0.1:{port}"
    page = f"{base}/praktijken/{PRACTICE}"
    counter = iter(range(10 ** 9))
    try:
        wait_until_up(base, server)
        deadline = time.monotonic() + 120
        while len(set(filter(None, (_pid_of(log, m) for m in _ask_many(page, counter, 8))))) < 2:
            assert time.monotonic() < deadline, "de tweede worker antwoordde niet"
        victim, survivor = workers_of(server.pid)[:2]

        # Requests keep coming from four threads while one worker is killed.
        results: list[tuple[float, int | str]] = []
        stop = threading.Event()

        def visitor():
            while not stop.is_set():
                try:
                    status, _ = _get(f"{page}?n=x{next(counter)}")
                except (OSError, http.client.HTTPException) as exc:   # what the killed worker was serving
                    status = type(exc).__name__
                results.append((time.monotonic(), status))

        threads = [threading.Thread(target=visitor) for _ in range(4)]
        for t in threads:
            t.start()
        time.sleep(1.0)
        # The files change while the worker is down: its replacement must load this version.
        path = data / "practices" / f"{PRACTICE}.md"
        path.write_text(path.read_text(encoding="utf-8").replace("\ntitel: ", "\ntitel: Herstart - ", 1),
                        encoding="utf-8")
        killed_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        time.sleep(3.0)
        stop.set()
        for t in threads:
            t.join(timeout=60)

        after = [status for at, status in results if at > killed_at + 1.0]
        assert after and all(status == 200 for status in after), after[:20]
        lost = [status for _, status in results if status != 200]
        assert len(lost) <= 4, lost      # at most the requests in flight on the killed worker
        assert survivor in workers_of(server.pid)

        # gunicorn has started a new worker; it answers with the changed title, the survivor with the old one.
        deadline, seen = time.monotonic() + 180, []
        while True:
            assert time.monotonic() < deadline, f"de nieuwe worker antwoordde niet met de huidige inhoud: {seen[-5:]}"
            workers = workers_of(server.pid)
            replacement = [w for w in workers if w not in (victim, survivor)]
            bodies = {}
            for marker in _ask_many(page, counter, 8, bodies):
                if marker not in bodies:
                    continue
                pid = _pid_of(log, marker)
                seen.append((workers, pid, b"Herstart - " in bodies[marker]))
                if replacement and pid == str(replacement[0]):
                    assert b"Herstart - " in bodies[marker]
                    return
            time.sleep(0.5)
    finally:
        stop_gunicorn(server)


def _ask_many(page: str, counter, n: int, bodies: dict | None = None) -> list[str]:
    """Ask the page n times at once with a unique marker each; return the markers (the access log names the pid)."""
    markers = [f"m{next(counter)}" for _ in range(n)]

    def ask(marker):
        try:
            status, body = _get(f"{page}?n={marker}")
        except (OSError, http.client.HTTPException):   # a worker still booting on a loaded machine: ask again
            return
        assert status == 200
        if bodies is not None:
            bodies[marker] = body

    with ThreadPoolExecutor(n) as pool:
        list(pool.map(ask, markers))
    time.sleep(0.5)   # the access log is written after the response
    return markers
