"""Queries in killable worker processes: a hard timeout, a limit on concurrent queries and a budget of
query time per client (as the Wikidata Query Service does: so many seconds a minute, then 429).

`Pool(workers=2)` keeps that many worker processes (`worker.main`); a query waits at most `queue_wait`
seconds for a free one (else `Busy`), and a query still running after `timeout` seconds is stopped by
killing its worker (`Timeout`); a fresh worker takes its place on the next query.
"""
import logging
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections import OrderedDict, deque
from multiprocessing.connection import Connection
from pathlib import Path

from ..errors import UserError

ROOT = Path(__file__).resolve().parents[2]
log = logging.getLogger("kast.sparql")


class QueryFailed(UserError):
    """A query did not produce an answer; `status` is the HTTP status, the message Dutch."""

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class Timeout(QueryFailed):
    status = 504


class Busy(QueryFailed):
    status = 503


class OverBudget(QueryFailed):
    status = 429


class WorkerCrashed(QueryFailed):
    status = 500


class ExternalFailed(QueryFailed):
    status = 502


class _Slot:
    """One worker process and the pipe to it."""

    def __init__(self, memory_mb):
        self.memory_mb = memory_mb
        self.process: subprocess.Popen | None = None
        self.conn: Connection | None = None

    def _start(self) -> None:
        # A fresh interpreter (`python -m kast.sparql.worker FD`), not multiprocessing's spawn: that would
        # import the parent's __main__ again, which scripts and servers do not all allow.
        ours, theirs = socket.socketpair()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kast.sparql.worker", str(theirs.fileno()), str(self.memory_mb or 0)],
            pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL, close_fds=True)
        theirs.close()
        self.conn = Connection(ours.detach())
        try:
            ready = self.conn.poll(60) and self.conn.recv()[0] == "klaar"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.kill()
            raise WorkerCrashed("de SPARQL-werker start niet; probeer het later opnieuw")

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()   # only our own worker, by its Popen object
            self.process.wait(5)
        if self.conn is not None:
            self.conn.close()
        self.process = self.conn = None

    def run(self, job: dict, timeout: float):
        if self.process is None or self.process.poll() is not None:
            self.kill()
            self._start()
        self.conn.send(job)
        if not self.conn.poll(timeout):
            self.kill()
            raise Timeout(f"de query duurde langer dan {timeout:g} seconden en is afgebroken; "
                          "maak hem kleiner of specifieker (minder variabelen zonder verband, een LIMIT)")
        try:
            status, value = self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise WorkerCrashed("de query vroeg meer geheugen of rekentijd dan de kast geeft en is afgebroken; "
                                "maak hem kleiner") from None
        if status == "extern":
            log.warning("externe SPARQL-store: %s", value)
            raise ExternalFailed("de externe SPARQL-store antwoordt niet; probeer het later opnieuw", retry_after=30)
        if status != "ok":
            raise QueryFailed(value)
        return value


class Pool:
    def __init__(self, workers: int = 2, timeout: float = 10.0, queue_wait: float | None = None,
                 memory_mb: int | None = 2048):
        self.timeout = timeout
        self.queue_wait = timeout if queue_wait is None else queue_wait
        self._idle: queue.Queue = queue.Queue()
        self._slots = [_Slot(memory_mb) for _ in range(max(1, workers))]
        for slot in self._slots:
            self._idle.put(slot)

    def run(self, job: dict):
        try:
            slot = self._idle.get(timeout=self.queue_wait)
        except queue.Empty:
            raise Busy("alle SPARQL-werkers zijn bezet; probeer het over enkele seconden opnieuw",
                       retry_after=max(1, round(self.timeout))) from None
        try:
            return slot.run(dict(job, timeout=self.timeout), self.timeout)
        finally:
            self._idle.put(slot)

    def close(self) -> None:
        for slot in self._slots:
            slot.kill()


class Budget:
    """Seconds of query time per client in a sliding window; the oldest clients are forgotten first."""

    def __init__(self, seconds: float = 60.0, window: float = 60.0, max_clients: int = 10_000):
        self.seconds, self.window, self.max_clients = seconds, window, max_clients
        self._spent: OrderedDict[str, deque] = OrderedDict()
        self._lock = threading.Lock()

    def _used(self, client: str, now: float) -> deque:
        spent = self._spent.setdefault(client, deque())
        self._spent.move_to_end(client)
        while spent and spent[0][0] <= now - self.window:
            spent.popleft()
        while len(self._spent) > self.max_clients:
            self._spent.popitem(last=False)
        return spent

    def check(self, client: str) -> None:
        """Raise `OverBudget` with the seconds until the client may query again."""
        now = time.monotonic()
        with self._lock:
            spent = self._used(client, now)
            total = sum(s for _, s in spent)
            if total < self.seconds:
                return
            # wait until enough of the oldest entries leave the window
            over, wait = total - self.seconds, self.window
            for when, seconds in spent:
                over -= seconds
                if over < 0:
                    wait = when + self.window - now
                    break
        raise OverBudget(f"u heeft de rekentijd voor queries van deze minuut gebruikt ({self.seconds:g} seconden per "
                         f"{self.window:g} seconden); probeer het over {max(1, round(wait))} seconden opnieuw",
                         retry_after=max(1, round(wait)))

    def spend(self, client: str, seconds: float) -> None:
        with self._lock:
            self._used(client, time.monotonic()).append((time.monotonic(), seconds))
