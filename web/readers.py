"""Who is reading this request: the one place the web layer asks, so every view, API call, export and
network page applies the same `kast.visibility` rule.

The accounts layer (`web.auth`) sets `flask.g.reader` before each request from the session or an API
token; without it the reader is anonymous.
"""
from flask import g, has_app_context

from kast.visibility import ANONYMOUS, Reader


def current_reader() -> Reader:
    if not has_app_context():
        return ANONYMOUS
    return getattr(g, "reader", None) or ANONYMOUS
