"""Fast pages on slow connections: compressed responses, versioned static files with long-lived cache
headers, and a favicon.

- Flask-Compress compresses HTML, CSS, JavaScript, JSON and the RDF and CSV downloads (zstd, brotli or
  gzip, whichever the browser accepts).
- Static files are served under `/static/<version>/…`, where the version is a hash over every file in
  `web/static/`. Such a URL never changes its content, so browsers may keep it for a year (`immutable`);
  a new release gets new URLs. The version is a path segment, not a query parameter, so the relative
  `url()`s inside the vendored CSS (the font files) are versioned too.
- The plain `/static/…` URLs keep working (old links, bookmarks) but must be revalidated.
- `/favicon.ico`, which browsers ask for on every first visit, points to the icon in `static/`.
"""
import hashlib
from pathlib import Path

from flask import Flask, redirect, request, url_for
from flask_compress import Compress

YEAR = 365 * 24 * 3600
EXTRA_MIMETYPES = {"text/turtle", "application/ld+json", "application/n-triples", "text/csv",
                   "application/problem+json", "application/gexf+xml", "application/graphml+xml",
                   "image/svg+xml"}


def static_version(folder: str | Path) -> str:
    """A short hash over the names and contents of every file under `folder` (sorted, so stable)."""
    digest = hashlib.sha256()
    root = Path(folder)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def static_url_path(folder: str | Path) -> str:
    return f"/static/{static_version(folder)}"


def register(app: Flask) -> None:
    compress = Compress()
    compress.init_app(app)
    compress.compress_mimetypes_set |= EXTRA_MIMETYPES

    # The unversioned address of the same files, for links made before a release.
    app.add_url_rule("/static/<path:filename>", endpoint="static_plain", view_func=app.send_static_file)

    @app.after_request
    def cache_headers(response):
        if request.endpoint == "static" and response.status_code in (200, 304):
            response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        elif request.endpoint == "static_plain":
            response.headers["Cache-Control"] = "no-cache"
        return response

    @app.get("/favicon.ico")
    def favicon():
        return redirect(url_for("static", filename="favicon.svg"), 301)
