"""What every hostile-request test checks after a request: no server error, no traceback, a Dutch error
page, and for a refused request nothing stored changed (tests/test_hostile_api.py, test_hostile_forms.py)."""
import hashlib
import json
import re
import sqlite3

from werkzeug.http import HTTP_STATUS_CODES

# Rows a refused request must leave alone. Not the sessions or the audit log: they record the attempt.
STORED_TABLES = ("accounts", "api_tokens", "profiles", "profile_answers", "profile_measurements",
                 "profile_measured_scores", "profile_shares")
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "/', "werkzeug.exceptions", "jinja2.exceptions",
                     "sqlalchemy.exc", "Internal Server Error", "The browser (or proxy) sent a request")
ENGLISH_TITLES = set(HTTP_STATUS_CODES.values())   # Werkzeug's own error pages: "Bad Request", "Not Found" …
HANG_SECONDS = 20.0   # a hang guard only; speed is measured by benchmarks/, not by tests


def stored(app) -> tuple:
    """The refs of the content repository (published branch and every proposal branch) and a hash of the
    stored rows of the accounts and profiles database."""
    from web.curation import curation

    with app.app_context():
        refs = tuple(sorted(curation().repo.refs(b"refs/").items()))
    database = app.config["KAST_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as db:
        tables = [db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() for table in STORED_TABLES]
    return refs, hashlib.sha256(repr(tables).encode()).hexdigest()


def problems(status: int, body: str, mimetype: str, seconds: float) -> list[str]:
    """What is wrong with one response, in words; empty when it is fine."""
    found = []
    if status >= 500:
        found.append(f"status {status}")
    found += [f"traceback in het antwoord ({marker!r})" for marker in TRACEBACK_MARKERS if marker in body]
    if status >= 400 and mimetype == "text/html":
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
        if '<html lang="nl"' not in body or not heading or heading.group(1).strip() in ENGLISH_TITLES:
            found.append("geen Nederlandse foutpagina")
    if status >= 400 and mimetype == "application/problem+json":
        problem = json.loads(body)
        if not problem.get("detail") or problem.get("title") in ENGLISH_TITLES:
            found.append("geen Nederlandse foutmelding (problem+json)")
    if seconds > HANG_SECONDS:
        found.append(f"antwoord na {seconds:.1f} s")
    return found
