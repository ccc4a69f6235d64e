"""What a first visit costs (issue 12): bytes over the wire and the time until the page is loaded, with and
without compression, in headless Chromium (Debian's /usr/bin/chromium through Playwright).

Usage: .venv/bin/python benchmarks/transfer.py [--repeat 3]

For each page: a fresh browser context (empty cache) visits it and sums, over every request, the response
body as sent (compressed when the server compressed it) plus the headers. "zonder compressie" is the same
visit with `Accept-Encoding: identity`, which is what the site cost before issue 12. The time is from the
start of the navigation to the `load` event, on a slow mobile connection emulated by Chromium (Network.
emulateNetworkConditions: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, as Lighthouse's "slow 4G");
for the map pages until kaart.js has drawn the picture. The best of --repeat visits is printed.
A second visit (warm cache) shows what the long-lived cache headers save.
"""
import argparse
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PAGES = ["/", "/zoeken?q=bedreiging+wethouder", "/praktijken/actueel-damoclesbeleid", "/gemeenten/gm0106", "/kaart",
         "/netwerk?grootte=6"]
SLOW = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
BUDGET_HOME = 300_000


def serve():
    from werkzeug.serving import WSGIRequestHandler, make_server

    from web import create_app

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):
            pass

    server = make_server("127.0.0.1", 0, create_app(), threaded=True, request_handler=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def visit(browser, origin: str, path: str, compressed: bool, slow: bool, warm: bool = False) -> tuple[int, float]:
    """(bytes transferred, ms until loaded) of one visit with an empty cache (and, with `warm`, of the
    visit right after it, with the cache of the first)."""
    headers = {} if compressed else {"Accept-Encoding": "identity"}
    context = browser.new_context(extra_http_headers=headers, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    if slow:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW)
    sizes = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()))
    try:
        for _ in range(2 if warm else 1):
            sizes.clear()
            page.goto(origin + path, wait_until="load", timeout=120_000)
            if page.locator("#kaart").count():
                page.wait_for_selector("#kaart[data-getekend]", state="attached", timeout=120_000)
                ms = float(page.get_attribute("#kaart", "data-getekend-ms"))
            else:
                ms = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
        total = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes)
        return total, ms
    finally:
        context.close()


def kb(n: int) -> str:
    return f"{n / 1000:,.0f} kB".replace(",", ".")


def seconds(ms: float) -> str:
    return f"{ms / 1000:.1f} s".replace(".", ",")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    server, origin = serve()
    failed = False
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"])
        for path in PAGES:   # warm the server's caches (maps, layouts) so the first row is not a server build
            visit(browser, origin, path, True, False)
        print("| pagina | eerste bezoek, gecomprimeerd | zonder compressie | tweede bezoek | klaar op traag mobiel (gecomprimeerd) | zonder compressie |")
        print("| --- | --- | --- | --- | --- | --- |")
        for path in PAGES:
            small, _ = visit(browser, origin, path, True, False)
            large, _ = visit(browser, origin, path, False, False)
            again, _ = visit(browser, origin, path, True, False, warm=True)
            fast = min(visit(browser, origin, path, True, True)[1] for _ in range(args.repeat))
            slow = min(visit(browser, origin, path, False, True)[1] for _ in range(args.repeat))
            print(f"| `{path}` | {kb(small)} | {kb(large)} | {kb(again)} | {seconds(fast)} | {seconds(slow)} |")
            if path == "/" and small >= BUDGET_HOME:
                failed = True
        browser.close()
    server.shutdown()
    print(f"\nDoel: eerste bezoek van home onder {kb(BUDGET_HOME)}: {'NIET gehaald' if failed else 'gehaald'}.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
