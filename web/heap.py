"""Full garbage collections after the response, not in the middle of a save.

A full (generation 2) collection walks every object the collector tracks and is not frozen. At 10,000
practices the caches a worker builds on first use after a change (the lists of the home page, the search
index, the maps and networks and their metrics) hold half a million objects, and a full collection over them
takes 0.2–0.5 s. Python starts one whenever enough objects survived, so it fell in whichever request came
next, often a save (benchmarks/publish.py: the first save of a round 340–490 ms against a p50 of 77 ms).

So after every response, once its body has gone out (Werkzeug's `call_on_close`, under gunicorn and waitress
alike), the worker collects what is not frozen and freezes what survived (`gc.freeze`): the next full
collection skips it and stays short, in every request. Frozen objects are still freed by reference counting
when a change replaces them; only reference cycles among them stay, and there are few (413 objects after 12
changes at 10,000 practices). So after `RELEASE_AFTER` changes the whole heap is collected once
(`gc.unfreeze`; 0.7 s at 10,000 practices), also after a response.
"""
import gc
import threading

RELEASE_AFTER = 100   # changes taken in before frozen cycles are collected (a walk of the whole heap)

_lock = threading.Lock()
_changes = [0]


def changed() -> None:
    """The caches were replaced by a change (Site._derived): what was frozen may be garbage by now."""
    _changes[0] += 1


def settle() -> None:
    """Collect and freeze; with RELEASE_AFTER changes since the last time, the frozen objects too."""
    if not _lock.acquire(blocking=False):   # another thread of `kast serve` is at it
        return
    try:
        _collect(everything=_changes[0] >= RELEASE_AFTER)
    finally:
        _lock.release()


def release() -> None:
    """Collect the whole heap, frozen objects too, and freeze what is alive: after a full load of the kast."""
    with _lock:
        _collect(everything=True)


def _collect(everything: bool) -> None:
    if everything:
        _changes[0] = 0
        gc.unfreeze()
    gc.collect()
    gc.freeze()


def _after(response):
    response.call_on_close(settle)
    return response


def register(app) -> None:
    app.after_request(_after)
