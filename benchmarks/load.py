"""Load test: simulated users (locust) against the site served as the README says for several processes.

    .venv/bin/python benchmarks/load.py [--users 50] [--seconds 60] [--data MAP] [--json]

Builds the search index first (`kast index`), starts `gunicorn -w 2 -b 127.0.0.1:PORT 'web:create_app()'`,
visits every kind of page a few times so both workers have loaded the kast and filled their caches (not
measured), then runs locust headless on the loopback address for a fixed time (`benchmarks/locustfile.py`:
search with facets, entity pages, lists, the actor map and the peer network, the JSON API). It samples the
resident memory of each worker every second and stops gunicorn at the end. Prints requests, failures,
p50/p95/p99 per kind of request and overall, and memory per worker at the start, middle and end.
"""
import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

WARM = ["/", "/zoeken?q=bibob", "/zoeken?q=13b&soort=praktijk", "/praktijken", "/instrumenten/wet-bibob",
        "/gemeenten/gm0106", "/kaart?focus=wet-bibob&diepte=1", "/kaart?focus=wet-bibob&diepte=2", "/netwerk",
        "/api/v1/zoeken?q=bibob", "/api/v1/praktijken?paginagrootte=50", "/api/v1/kaart?focus=gm0106"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def workers_of(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def fetch(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def start_gunicorn(data: Path | None, index: Path, port: int, log: Path | None = None) -> subprocess.Popen:
    env = dict(os.environ, KAST_INDEX=str(index))
    if data:
        env["KAST_DATA"] = str(data)
    command = [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "120"]
    if log:
        command += ["--access-logfile", str(log), "--access-logformat", "%(p)s %(s)s %(U)s %(q)s"]
    return subprocess.Popen(command + ["web:create_app()"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_until_up(base: str, server: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if fetch(base + "/api/v1") == 200:
                return
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("gunicorn start niet")
        time.sleep(0.3)


def run(users: int, seconds: int, data: Path | None, quiet: bool) -> dict:
    from kast.search import IndexStore

    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    work = Path(tempfile.mkdtemp(prefix="kast-last-"))
    index = work / "index"
    IndexStore(root=index, data_dir=data).open()      # as the README: the index first, the workers only read it
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(data, index, port)
    samples: list[tuple[float, int, float]] = []
    stop = threading.Event()
    try:
        wait_until_up(base, server)
        t0 = time.monotonic()
        with ThreadPoolExecutor(4) as pool:         # both workers: load the kast, fill the caches
            statuses = list(pool.map(fetch, [base + u for u in WARM * 4]))
        say(f"Opgewarmd in {time.monotonic() - t0:.1f} s ({len(statuses)} verzoeken, statussen {sorted(set(statuses))})")

        def sample():
            start = time.monotonic()
            while not stop.is_set():
                for pid in workers_of(server.pid):
                    value = rss_mb(pid)
                    if value:
                        samples.append((time.monotonic() - start, pid, value))
                stop.wait(1.0)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        stats = work / "locust"
        say(f"locust: {users} gebruikers, {seconds} s, tegen {base} (gunicorn, twee workers) …")
        subprocess.run([str(BIN / "locust"), "-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless",
                        "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{seconds}s", "--host", base,
                        "--csv", str(stats), "--only-summary", "--stop-timeout", "5", "--loglevel", "ERROR"],
                       cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=seconds + 120)
        stop.set()
        sampler.join()
        with open(f"{stats}_stats.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        with open(f"{stats}_failures.csv", newline="") as f:
            failures = list(csv.DictReader(f))
    finally:
        stop.set()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return {"rows": rows, "failures": failures, "memory": memory_summary(samples, seconds)}


def memory_summary(samples, seconds: int) -> dict:
    out = {}
    for pid in sorted({pid for _, pid, _ in samples}):
        series = [(t, v) for t, p, v in samples if p == pid]
        third = [v for t, v in series if t <= seconds / 3] or [series[0][1]]
        last = [v for t, v in series if t >= seconds * 2 / 3] or [series[-1][1]]
        out[str(pid)] = {"start_mb": series[0][1], "first_third_max_mb": max(third), "end_mb": series[-1][1],
                         "last_third_max_mb": max(last), "max_mb": max(v for _, v in series)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--data", type=Path, help="datamap (standaard: data/ van de kast)")
    ap.add_argument("--json", action="store_true", help="alleen één JSON-regel met de uitkomst")
    args = ap.parse_args()
    result = run(args.users, args.seconds, args.data, args.json)
    total = next(r for r in result["rows"] if r["Name"] == "Aggregated")
    summary = {"requests": int(total["Request Count"]), "failures": int(total["Failure Count"]),
               "rps": float(total["Requests/s"]), "p50_ms": float(total["50%"]), "p95_ms": float(total["95%"]),
               "p99_ms": float(total["99%"]), "max_ms": float(total["Max Response Time"]),
               "failure_kinds": sorted({f["Error"][:120] for f in result["failures"]}), "memory": result["memory"]}
    if args.json:
        print(json.dumps(summary))
        return
    print(f"\n{'verzoek':34} {'aantal':>7} {'fout':>5} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}  (ms)")
    for r in result["rows"]:
        print(f"{r['Name'][:34]:34} {r['Request Count']:>7} {r['Failure Count']:>5} {r['50%']:>6} {r['95%']:>6} "
              f"{r['99%']:>6} {float(r['Max Response Time']):>7.0f}")
    print(f"\nSamen: {summary['requests']} verzoeken ({summary['rps']:.1f}/s), {summary['failures']} fouten "
          f"(doel 0), p95 {summary['p95_ms']:.0f} ms (doel ≤ 200 ms)")
    for kind in summary["failure_kinds"]:
        print(f"  fout: {kind}")
    print("Geheugen per worker (RSS, MB): begin / hoogste in het eerste derde / hoogste in het laatste derde / eind")
    for pid, m in summary["memory"].items():
        print(f"  worker {pid}: {m['start_mb']:.0f} / {m['first_third_max_mb']:.0f} / {m['last_third_max_mb']:.0f} / "
              f"{m['end_mb']:.0f}")
    print(f"Belasting van de machine (1 min gemiddeld) aan het eind: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
