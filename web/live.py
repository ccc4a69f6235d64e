"""Every request reads one version of the kast; a published change is taken in between requests.

Taking in a change (`Site.refresh` → `Site.reload`) changes the loaded graph, the search index and the base
graphs of the maps in place, which is what makes it fast (issue 10: visible within 2 s at 10,000 practices).
A request that reads them meanwhile could see a dictionary change size under it. So each request holds a read
lock of the site, and taking in a change holds the write lock (fasteners' ReaderWriterLock: a waiting writer
goes before new readers, so a change is not starved by a stream of requests). Under gunicorn's sync workers a
worker serves one request at a time and nothing waits; under `kast serve` (waitress threads) the change waits
until the requests in flight are done.
"""
import time

from flask import current_app, g

CHECK_EVERY = 0.25   # seconds: a publish in another worker shows here within this (plus the reload); a check is one ref read
_checked = [0.0]


def _site():
    return current_app.extensions["kast"]


def begin_request() -> None:
    """At most every CHECK_EVERY seconds, take in what was published elsewhere; then read."""
    site = _site()
    now = time.monotonic()
    if now - _checked[0] >= CHECK_EVERY:
        _checked[0] = now
        site.refresh()
    site.versions.acquire_read_lock()
    g.kast_reading = site


def end_request(_error=None) -> None:
    site = g.pop("kast_reading", None)
    if site is not None:
        site.versions.release_read_lock()


def refresh_now() -> None:
    """Take in a change this request just published, so that the answer and the next page show it."""
    site = g.get("kast_reading")
    if site is not None:   # a reader may not become the writer: step out, take it in, read again
        site.versions.release_read_lock()
    try:
        _site().refresh()
    finally:
        if site is not None:
            site.versions.acquire_read_lock()


def register(app) -> None:
    app.before_request(begin_request)
    app.teardown_request(end_request)
