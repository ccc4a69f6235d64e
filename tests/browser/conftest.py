"""Browser tests: the real Flask app on a free localhost port, driven by Debian's Chromium through
Playwright (sync API).

Chromium comes from Debian (/usr/bin/chromium) and playwright from PyPI; both are installed by
scripts/install-browser.sh. Playwright's own browser download does not work without internet, so
the tests always launch /usr/bin/chromium.

A missing browser is a FAILURE, not a skip: in CI a skipped browser test would hide that nothing
was tested. Only KAST_SKIP_BROWSER=1, set by hand for local development, skips these tests, and
never when CI=true.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium tries Google's hosts at every start and this
# machine's closed network refuses those connections noisily.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_FILE = "vendor/axe-core/axe.min.js"  # relative to the app's static folder
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SKIP_ENV = "KAST_SKIP_BROWSER"
TIMEOUT_MS = 10_000

# The app's configuration keys for the data folder and the search index (see web/__init__.py).
CONFIG_DATA = "KAST_DATA"
CONFIG_INDEX = "KAST_INDEX"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: browsertest in Chromium via Playwright (vereist scripts/install-browser.sh)")


def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser/ is a browser test, marked or not."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def _missing() -> list[str]:
    missing = []
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(f"Chromium ({CHROMIUM})")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("het Python-pakket playwright")
    return missing


def require_browser() -> None:
    """Fail (or, with KAST_SKIP_BROWSER=1 outside CI, skip) when the browser tooling is absent."""
    skip = os.environ.get(SKIP_ENV) == "1"
    in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    if skip and in_ci:
        pytest.fail(f"{SKIP_ENV}=1 is niet toegestaan in CI: browsertests mogen daar niet worden "
                    "overgeslagen.", pytrace=False)
    if skip:
        pytest.skip(f"browsertests overgeslagen omdat {SKIP_ENV}=1 is gezet (alleen voor lokaal gebruik)")
    missing = _missing()
    if missing:
        pytest.fail(f"Browsertests kunnen niet draaien: {' en '.join(missing)} ontbreekt. "
                    f"Draai eerst scripts/install-browser.sh (make test doet dat ook). "
                    f"Alleen lokaal overslaan kan met {SKIP_ENV}=1.", pytrace=False)


# --------------------------------------------------------------------------- the live server

class LiveServer:
    """A Flask app served by werkzeug on 127.0.0.1 and a free port, in a background thread."""

    def __init__(self, app):
        from werkzeug.serving import WSGIRequestHandler, make_server

        class QuietHandler(WSGIRequestHandler):
            def log_request(self, *args, **kwargs):   # no access log; errors are still logged
                pass

        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
        self.origin = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"kast-{self.origin}",
                                        daemon=True)

    def start(self) -> "LiveServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def static_url(self, filename: str) -> str:
        """The URL under which the app serves one file of its static folder."""
        from flask import url_for

        with self.app.test_request_context():
            return self.origin + url_for("static", filename=filename)

    def is_local(self, url: str) -> bool:
        return url == self.origin or url.startswith(self.origin + "/") or url.startswith(("data:", "about:"))


def _serve(app):
    app.extensions["kast"].opened()   # build the search index now, not within a test's page-load timeout
    return LiveServer(app).start()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The real app on data/ of the repository, with its runtime state (accounts database, secret key)
    in a temporary folder."""
    require_browser()
    from web import create_app

    var = tmp_path_factory.mktemp("var")
    live = _serve(create_app({"KAST_VAR": str(var), "KAST_DATABASE_URL": f"sqlite:///{var / 'kast.sqlite'}"}))
    yield live
    live.stop()


@pytest.fixture(scope="session")
def xss_server(tmp_path_factory):
    """A second app on a copy of data/ with one practice full of XSS payloads (see xss_data.py)."""
    require_browser()
    from web import create_app

    from .xss_data import make_data

    base = tmp_path_factory.mktemp("xss")
    data = make_data(ROOT / "data", base / "data")
    live = _serve(create_app({CONFIG_DATA: str(data), CONFIG_INDEX: str(base / "index"), "KAST_VAR": str(base),
                              "KAST_DATABASE_URL": f"sqlite:///{base / 'kast.sqlite'}"}))
    yield live
    live.stop()


# --------------------------------------------------------------------------- the browser

@pytest.fixture(scope="session")
def browser():
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Record:
    """What happened while a test's page was open."""
    requests: list[str] = field(default_factory=list)      # every request URL, in order
    statuses: dict[str, int] = field(default_factory=dict) # URL → status of its last response
    dialogs: list[str] = field(default_factory=list)       # alert/confirm/prompt messages
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)   # uncaught exceptions in the page

    def csp_violations(self) -> list[str]:
        return [m for m in self.console_errors if "Content Security Policy" in m]

    def external(self, server: "LiveServer") -> list[str]:
        """Requests that went (or tried to go) anywhere but the server under test."""
        return [url for url in self.requests if not server.is_local(url)]


@pytest.fixture
def record() -> Record:
    return Record()


def _context(browser, server: LiveServer, record: Record, **options):
    context = browser.new_context(base_url=server.origin, locale="nl-NL", **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.on("request", lambda request: record.requests.append(request.url))
    context.on("response", lambda response: record.statuses.__setitem__(response.url, response.status))

    # Record first (above), then refuse anything that would leave the server: the tests assert on
    # the record, and nothing is ever sent to another host.
    def guard(route):
        if server.is_local(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    return context


def _watch(page, record: Record):
    page.on("websocket", lambda ws: record.requests.append(ws.url))
    page.on("console", lambda msg: record.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: record.page_errors.append(str(error)))

    def on_dialog(dialog):
        record.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return page


def _check_local(record: Record, server: LiveServer) -> None:
    external = record.external(server)
    assert not external, ("verzoeken naar buiten localhost (de kast mag niets van een andere host laden):\n"
                          + "\n".join(sorted(set(external))))


@pytest.fixture
def page(browser, server, record):
    """A fresh page on the real app; every request URL, dialog and console error goes to `record`.

    Whatever the test does, no request may leave the server: checked again when the page closes.
    """
    context = _context(browser, server, record)
    yield _watch(context.new_page(), record)
    context.close()
    _check_local(record, server)


@pytest.fixture
def xss_page(browser, xss_server, record):
    """A fresh page on the app with the XSS practice, recorded like `page`.

    This context bypasses the CSP (bypass_csp=True), and only this one: the pages' CSP
    (script-src 'self') would block an injected inline script or event handler anyway, so with the
    CSP on, an escaping bug would go unnoticed. These tests check the escaping itself.
    """
    context = _context(browser, xss_server, record, bypass_csp=True)
    yield _watch(context.new_page(), record)
    context.close()
    _check_local(record, xss_server)


# --------------------------------------------------------------------------- helpers

def axe_violations(page, server: LiveServer, tags: list[str] | None = None) -> list[dict]:
    """Run the vendored axe-core on the page and return its violations for the WCAG 2.1 A/AA tags.

    The pages' CSP is `script-src 'self'` without 'unsafe-inline', so axe is not injected inline
    (add_script_tag(path=...) or content=...) but loaded from the app's own static route, as
    a same-origin script that the CSP allows. No bypass_csp is needed.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(url=server.static_url(AXE_FILE))
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => ({
                    target: n.target.join(' '), html: n.html.slice(0, 200), summary: n.failureSummary,
                })),
            }));
        }""",
        tags or WCAG_TAGS,
    )


def describe_violations(url: str, violations: list[dict]) -> str:
    """A readable (Dutch) failure message for axe violations."""
    lines = [f"{len(violations)} toegankelijkheidsfout(en) volgens axe-core op {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for n in v["nodes"]:
            lines.append(f"    {n['target']}: {n['html']}")
            if n.get("summary"):
                lines.append("      " + n["summary"].replace("\n", "\n      "))
    return "\n".join(lines)
