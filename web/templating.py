"""Template helpers: URLs that keep the current state, the navigation, and safe text rendering.

Autoescaping is on everywhere. The one place that emits HTML from data is the `snippet` filter: the
search engine returns an already escaped fragment with <mark> around the matches. The filter does not
trust that either: it unescapes the text between the marks and escapes it again, so the only markup
that can reach the page is <mark> and </mark>.
"""
import re
from html import unescape
from urllib.parse import urlencode

from flask import Flask, current_app, request, url_for
from markupsafe import Markup, escape
from werkzeug.routing import BuildError

from .kinds import BY_KIND, KIND_LABELS, NAV, SORTS

MARK = re.compile(r"(</?mark>)")


def snippet(fragment: str | None) -> Markup:
    """Only <mark> survives; everything else is text."""
    out = []
    for part in MARK.split(fragment or ""):
        out.append(part if part in ("<mark>", "</mark>") else str(escape(unescape(part))))
    html = "".join(out)
    # A fragment cut in the middle of a mark must not leave an open tag behind.
    opened = html.count("<mark>") - html.count("</mark>")
    return Markup(html + "</mark>" * max(opened, 0))


def blocks(text: str | None) -> list[tuple[str, object]]:
    """Plain text with blank lines and '- ' bullets → [("p", text) | ("ul", [items])], for templates."""
    out: list[tuple[str, object]] = []
    for para in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [line.strip() for line in para.splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith(("- ", "* ")):   # a list; other lines continue the item above
            items: list[str] = []
            for line in lines:
                if line.startswith(("- ", "* ")):
                    items.append(line[2:].strip())
                elif items:
                    items[-1] += " " + line
            out.append(("ul", items))
        else:
            out.append(("p", " ".join(lines)))
    return out


def entity_url(item_id: str, kind: str | None = None, api: bool = False) -> str:
    kast = current_app.extensions["kast"].kast
    kind = kind or kast.items[item_id].kind
    collection = BY_KIND[kind].name
    if api:
        return url_for("api.item", collection=collection, item_id=item_id)
    return url_for("entities.show", collection=collection, item_id=item_id)


def with_query(path: str, pairs) -> str:
    return f"{path}?{urlencode(list(pairs))}" if pairs else path


def here(pairs) -> str:
    """The current page with other parameters."""
    return with_query(request.path, pairs)


def toggle(query, name: str, value: str) -> str:
    """The current page with one facet value added or removed, back on page 1."""
    facets = {k: list(v) for k, v in query.facets.items()}
    values = facets.setdefault(name, [])
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    return here(query.pairs(page=1, facets={k: v for k, v in facets.items() if v}))


def nav_items() -> list[dict]:
    out = []
    for endpoint, label in NAV:
        try:
            href = url_for(endpoint)
        except BuildError:   # not built yet (network views) or not registered in this app
            continue
        current = request.endpoint == endpoint or (href != "/" and request.path.startswith(href + "/"))
        out.append({"href": href, "label": label, "current": current})
    return out


def register(app: Flask) -> None:
    app.jinja_env.filters["snippet"] = snippet
    app.jinja_env.filters["blocks"] = blocks
    app.jinja_env.globals.update(entity_url=entity_url, here=here, toggle=toggle, with_query=with_query,
                                 nav_items=nav_items, kind_label=KIND_LABELS.get, sorts=SORTS)
