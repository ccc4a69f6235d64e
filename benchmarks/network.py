"""Timings of the networks (issue 5): build, groups, metrics, layout and exports.

Usage: .venv/bin/python benchmarks/network.py [--corpus /tmp/corpus10k] [--repeat 3] [--browser | --only-browser]

Prints one Markdown table per data set (the real data/, and the synthetic corpus when present;
make it with `kast generate-corpus --practices 10000 -o /tmp/corpus10k`). Each figure is the best
of --repeat runs (one run for the corpus). Loading the kast itself is timed separately.

--browser adds the draw time of the web pages /kaart and /netwerk in headless Chromium (Debian's
/usr/bin/chromium through Playwright): from the start of the navigation to the moment kaart.js sets
data-getekend after vis-network's first "afterDrawing" (performance.now() at that moment). The first
visit builds map and layout on the server ("koud"; large views start their metrics in a thread); later
visits, once that thread is done, come from the caches ("warm", best and median of --repeat).
"""
import argparse
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kast.loader import load  # noqa: E402
from kast.network import (actor_map, edges_csv, meeting_groups, metrics, nodes_csv, offline_html,  # noqa: E402
                          peer_network, to_gexf, to_graphml, vis_data)
from kast.network.visjs import VIS_JS  # noqa: E402


def timed(fn, repeat: int):
    best, result = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s".replace(".", ",")


def run(name: str, data_dir, repeat: int) -> None:
    rows = []

    def measure(what, fn, detail=lambda r: ""):
        seconds, result = timed(fn, repeat)
        rows.append((what, fmt(seconds), detail(result)))
        return result

    start = time.perf_counter()
    kast = load(data_dir, shacl=False)
    rows.append(("kast laden (zonder SHACL)", fmt(time.perf_counter() - start), f"{len(kast.items)} items"))
    size = lambda G: f"{G.number_of_nodes()} knooppunten, {G.number_of_edges()} randen"  # noqa: E731
    G = measure("actorenkaart (gekoppelde gemeenten)", lambda: actor_map(kast), size)
    G_all = measure("actorenkaart (alle gemeenten)", lambda: actor_map(kast, municipalities="all"), size)
    P = measure("peernetwerk (gemeenten met praktijken)", lambda: peer_network(kast), size)
    P_all = measure("peernetwerk (alle 342 gemeenten)", lambda: peer_network(kast, include_all=True), size)
    measure("peernetwerk rond thema vakantieparken", lambda: peer_network(kast, theme="fenomeen-vakantieparken"), size)
    groups = lambda gs: f"{len(gs)} groepen, grootte {min(map(len, gs))}–{max(map(len, gs))}" if gs else "geen"  # noqa: E731
    measure("groepen van 6 (peernetwerk met praktijken)", lambda: meeting_groups(P, 6), groups)
    measure("groepen van 6 (alle 342 gemeenten)", lambda: meeting_groups(P_all, 6), groups)
    measure("groepen van 6 rond Wet Bibob", lambda: meeting_groups(P, 6, instrument="wet-bibob"), groups)
    measure("netwerkmaten actorenkaart", lambda: metrics(G), lambda m: m.note)
    measure("netwerkmaten actorenkaart (alle gemeenten)", lambda: metrics(G_all), lambda m: m.note)
    for label, graph in (("actorenkaart", G), ("peernetwerk", P)):
        data = measure(f"vis-data met posities, {label}", lambda: vis_data(graph),
                       lambda d: f"{d['meta']['nodes']} knooppunten, {d['meta']['edges']} van {d['meta']['allEdges']} randen")
        measure(f"GEXF, {label}", lambda: to_gexf(graph), lambda b: f"{len(b) // 1024} kB")
        measure(f"GraphML, {label}", lambda: to_graphml(graph), lambda b: f"{len(b) // 1024} kB")
        measure(f"CSV knopen + randen, {label}", lambda: nodes_csv(graph) + edges_csv(graph), lambda s: f"{len(s) // 1024} kB")
        if VIS_JS.exists():
            measure(f"offline HTML uit vis-data, {label}", lambda: offline_html(data, title=label),
                    lambda s: f"{len(s) // 1024} kB")
    try:
        from pyvis.network import Network
    except ImportError:
        Network = None
    if Network is not None and G.number_of_edges() <= 20000:
        def with_pyvis():
            net = Network(directed=True)
            net.from_nx(G)
            return net
        measure("ter vergelijking: pyvis from_nx, actorenkaart", with_pyvis, lambda n: f"{len(n.edges)} randen")
    measure_update(kast, data_dir, G, P, P_all, measure)
    print(f"\n### {name}\n")
    print("| wat | tijd | omvang |\n| --- | --- | --- |")
    for what, seconds, detail in rows:
        print(f"| {what} | {seconds} | {detail} |")


def measure_update(kast, data_dir, G, P, P_all, measure) -> None:
    """What a worker does after a publication instead of building the graphs again (kast.network.update): one
    practice gets a new title and one more municipality, in a copy of the data folder taken in with `reload`."""
    import shutil
    import tempfile

    from kast.curation.entry import parse, serialise
    from kast.network.update import update_actor_map, update_peer_network
    from kast.reload import reload

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(data_dir or ROOT / "data")
        copy = Path(tmp) / source.name   # the kast names files by their folder: keep it, or ids look doubled
        shutil.copytree(source, copy)
        kast.data_dir = copy
        path = sorted((copy / "practices").glob("*.md"))[0]
        fields = parse(path.read_bytes())
        gemeenten = sorted(set(fields.get("gemeenten") or []) | {"gm0106"})
        path.write_bytes(serialise(dict(fields, titel=f"{fields['titel']} (bijgewerkt)", gemeenten=gemeenten)))
        result = reload(kast, [path])
        assert result.ok, [str(m) for m in result]
        ids = result.changed | result.removed
        changed = lambda _: f"{len(ids)} praktijk gewijzigd"  # noqa: E731
        measure("bijwerken na één gewijzigde praktijk: actorenkaart", lambda: update_actor_map(G, kast, ids), changed)
        measure("bijwerken na één gewijzigde praktijk: peernetwerk", lambda: update_peer_network(P, kast, ids), changed)
        measure("bijwerken na één gewijzigde praktijk: peernetwerk (alle 342)",
                lambda: update_peer_network(P_all, kast, ids), changed)


PAGES = ("/kaart", "/netwerk", "/netwerk?alle=1")


def draw_times(name: str, data_dir, repeat: int) -> None:
    """Draw times of the network pages in headless Chromium (see the module docstring)."""
    import statistics
    import tempfile
    import threading

    from playwright.sync_api import sync_playwright
    from werkzeug.serving import WSGIRequestHandler, make_server

    from web import create_app
    from web.maps_cache import state_of

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):
            pass

    start = time.perf_counter()
    app = create_app({"KAST_DATA": str(data_dir) if data_dir else None, "KAST_INDEX": tempfile.mkdtemp()})
    loaded = time.perf_counter() - start
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_port}"
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(origin) else route.abort())

        def visit(path: str) -> tuple[float, dict]:
            page.goto(origin + path, timeout=600_000)
            page.wait_for_selector("#kaart[data-getekend]", state="attached", timeout=600_000)
            info = page.evaluate("""() => { const d = JSON.parse(document.getElementById('kaart-data').textContent);
                return {nodes: d.graaf.nodes.length, edges: d.graaf.edges.length,
                        kb: Math.round(document.documentElement.outerHTML.length / 1024)}; }""")
            return int(page.get_attribute("#kaart", "data-getekend-ms")) / 1000, info

        state = state_of(app.extensions["kast"])
        for path in PAGES:
            cold, info = visit(path)
            while state._background:   # warm means: every cache filled, the metrics thread done too
                time.sleep(0.5)
            warm = [visit(path)[0] for _ in range(repeat)]
            rows.append((path, fmt(cold), fmt(min(warm)), fmt(statistics.median(warm)),
                         f"{info['nodes']} knooppunten, {info['edges']} getekende verbindingen, pagina {info['kb']} kB"))
        browser.close()
    server.shutdown()
    print(f"\n### Tekenen in Chromium: {name}\n")
    print(f"App gestart (kast laden) in {fmt(loaded)}; tijd van navigatie tot de eerste tekening (data-getekend).\n")
    print("| pagina | eerste bezoek (koud) | warm, beste | warm, mediaan | omvang |\n| --- | --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="/tmp/corpus10k")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--browser", action="store_true", help="ook de tekentijd van /kaart en /netwerk in Chromium")
    parser.add_argument("--only-browser", action="store_true", help="alleen de tekentijd in Chromium")
    args = parser.parse_args()
    print(f"Python {platform.python_version()} op {platform.machine()}, {time.strftime('%Y-%m-%d')}")
    corpus = (Path(args.corpus) / "practices").is_dir()
    if not args.only_browser:
        run("Echte data (data/)", None, args.repeat)
        if corpus:
            run(f"Synthetisch corpus ({args.corpus})", args.corpus, 1)
    if args.browser or args.only_browser:
        draw_times("echte data (data/)", None, args.repeat)
        if corpus:
            draw_times(f"synthetisch corpus ({args.corpus})", args.corpus, args.repeat)
    if not corpus:
        print(f"\n(geen corpus in {args.corpus}; maak het met `kast generate-corpus --practices 10000 -o {args.corpus}`)")


if __name__ == "__main__":
    main()
