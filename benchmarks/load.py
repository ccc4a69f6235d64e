"""Load test: simulated users (locust) against the site served as the README says for several processes.

    .venv/bin/python benchmarks/load.py [--users 50] [--seconds 60] [--data MAP] [--trace] [--json]

Everything the run writes lives in a temporary folder that is removed afterwards: a copy of the data as the
content repository (git, `KAST_DATA`), the runtime folder (`KAST_VAR`: account database, secret key) and the
search index, built first as the README says (`kast index`). It creates accounts with the library (leden
of real municipalities and redacteuren; one generated password, handed to locust in a file that only this
user can read), starts `gunicorn -w 2 -b 127.0.0.1:PORT 'web:create_app()'`, warms both workers up (pages,
log in, a proposal; not measured), then runs locust headless on the loopback address for a fixed time
(`benchmarks/locustfile.py`: anonymous readers, logged-in leden who browse and save, redacteuren who review
and publish). It samples the resident memory of each worker and the load average every second and stops
gunicorn at the end. Prints requests, failures, p50/p95/p99 per kind of request and overall, and memory
per worker at the start, after one minute and at the end, with the growth per minute after the first.

`--trace` starts gunicorn with `benchmarks/gunicorn_trace.py`: tracemalloc in each worker from the end of
the warm-up, snapshots after one minute and near the end, and prints what grew in between (slow: the
latencies of a traced run say nothing).
"""
import argparse
import csv
import json
import os
import secrets
import shutil
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
sys.path.insert(0, str(ROOT / "benchmarks"))

WARM = ["/", "/zoeken?q=bibob", "/zoeken?q=13b&soort=praktijk", "/praktijken", "/instrumenten/wet-bibob",
        "/gemeenten/gm0106", "/kaart?focus=wet-bibob&diepte=1", "/kaart?focus=wet-bibob&diepte=2", "/netwerk",
        "/api/v1/zoeken?q=bibob", "/api/v1/praktijken?paginagrootte=50", "/api/v1/kaart?focus=gm0106"]
# Accounts of the run: leden of real municipalities (Assen, Emmen, Amsterdam, Rotterdam, Tilburg), two each,
# and redacteuren of the VNG. Names say what they are; nobody real is meant.
MEMBER_ORGS = ["gm0106", "gm0114", "gm0363", "gm0599", "gm0855"]
CURATORS = 3
MINUTE = 60.0


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


ACCESS_FORMAT = "%(p)s %(s)s %(U)s %(q)s"   # the worker's pid first: tests and benchmarks tell workers apart by it


def start_gunicorn(data: Path | None, index: Path, port: int, log: Path | None = None, *,
                   env: dict | None = None, config: Path | None = None, errors: Path | None = None,
                   log_format: str = ACCESS_FORMAT) -> subprocess.Popen:
    """gunicorn -w 2 on 127.0.0.1:port as the README says; `env` adds settings (KAST_VAR …), `config` a
    gunicorn config file (the tracemalloc hook), `errors` the file for gunicorn's error log (tracebacks)."""
    environment = {**os.environ, "KAST_INDEX": str(index), **(env or {})}
    if data:
        environment["KAST_DATA"] = str(data)
    command = [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "120"]
    if config:
        command += ["--config", str(config)]
    if errors:
        command += ["--error-logfile", str(errors)]
    if log:
        command += ["--access-logfile", str(log), "--access-logformat", log_format]
    return subprocess.Popen(command + ["web:create_app()"], cwd=ROOT, env=environment,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop_gunicorn(server: subprocess.Popen, timeout: float = 60) -> None:
    """SIGTERM (gunicorn stops its workers), and SIGKILL when that takes longer than `timeout`."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        server.kill()


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


# ------------------------------------------------------------------ the temporary site

def prepare(work: Path, source: Path | None) -> dict:
    """Content repository, index and accounts in `work`; returns the environment for gunicorn."""
    from kast import config
    from kast.accounts import SYSTEM, Accounts
    from kast.curation import ContentRepo
    from kast.readers import Reader as FileReader
    from kast.search import IndexStore
    from kast.vocab import ACTOR_KINDS

    content, var, index = work / "inhoud", work / "var", work / "index"
    shutil.copytree(source or config.DEFAULT_DATA, content, ignore=shutil.ignore_patterns(".git"))
    ContentRepo.init(content)                   # the data folder is the repository, as on a server
    IndexStore(root=index, data_dir=content).open()   # as the README: the index first, the workers only read it
    database = f"sqlite:///{var / 'kast.sqlite'}"
    organisations = {e.id for e in FileReader(content).read_all().entries if e.kind in ACTOR_KINDS}
    accounts = Accounts(database, organisations=lambda org: org in organisations)
    password = secrets.token_urlsafe(24)
    people = {"leden": [(f"last-lid-{org}-{n}", org) for org in MEMBER_ORGS for n in (1, 2)],
              "redacteuren": [(f"last-redacteur-{n}", "vng") for n in range(1, CURATORS + 1)]}
    for role, group in (("lid", "leden"), ("redacteur", "redacteuren")):
        for name, org in people[group]:
            accounts.add(SYSTEM, name, password, role, org, display_name=name.replace("-", " ").capitalize())
    secret_file = work / "accounts.json"
    fd = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(dict(people, wachtwoord=password), out)
    return {"KAST_DATA": str(content), "KAST_VAR": str(var), "KAST_INDEX": str(index),
            "KAST_DATABASE_URL": database, "KAST_COOKIE_SECURE": "0",   # plain HTTP on the loopback address
            "KAST_LAST_ACCOUNTS": str(secret_file)}


def warm_up(base: str, accounts_file: str) -> list[int]:
    """Both workers load the kast, fill their caches, start the name finder and make one proposal each
    (not measured): four anonymous and four logged-in sessions at once."""
    import requests

    from load_forms import CSRF, login_form, proposal_form

    people = json.loads(Path(accounts_file).read_text())

    def member(n: int) -> list[int]:
        name, org = people["leden"][n]
        s = requests.Session()
        statuses = [login_form(s, base, name, people["wachtwoord"]).status_code]
        page = s.get(base + "/redactie/nieuw")
        statuses.append(page.status_code)
        made = s.post(base + "/redactie/nieuw", allow_redirects=False,
                      data=proposal_form(org, f"opwarmen {n}", CSRF.search(page.text).group(1)))
        statuses.append(made.status_code)
        statuses.append(s.get(base + made.headers.get("Location", "/redactie")).status_code)
        return statuses

    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(fetch, [base + u for u in WARM * 4]))
        for result in pool.map(member, range(4)):
            statuses += result
    return statuses


# ------------------------------------------------------------------ the run

def run(users: int, seconds: int, data: Path | None, quiet: bool, trace: bool = False, keep: bool = False,
        spawn_rate: int | None = None, publish_every: float = 30) -> dict:
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    work = Path(tempfile.mkdtemp(prefix="kast-last-"))
    try:
        return _run(work, users, seconds, data, say, trace, spawn_rate or max(1, users // 5), publish_every)
    finally:
        if keep:
            say(f"(map bewaard: {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _run(work: Path, users: int, seconds: int, data: Path | None, say, trace: bool, spawn_rate: int,
         publish_every: float) -> dict:
    t_prepare = time.monotonic()
    env = prepare(work, data)
    say(f"Inhoudsrepository, index en {len(MEMBER_ORGS) * 2 + CURATORS} accounts in {work} "
        f"({time.monotonic() - t_prepare:.1f} s)")
    traces = work / "trace"
    if trace:
        traces.mkdir()
        env["KAST_LAST_TRACE"] = str(traces)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(None, Path(env["KAST_INDEX"]), port, env=env,
                            config=ROOT / "benchmarks" / "gunicorn_trace.py" if trace else None,
                            errors=work / "gunicorn.log")
    samples: list[tuple[float, int, float]] = []
    loads: list[float] = []
    stop = threading.Event()
    try:
        wait_until_up(base, server)
        t0 = time.monotonic()
        statuses = warm_up(base, env["KAST_LAST_ACCOUNTS"])
        say(f"Opgewarmd in {time.monotonic() - t0:.1f} s ({len(statuses)} verzoeken, statussen {sorted(set(statuses))})")
        if trace:
            (traces / "trigger-start").touch()

        def sample():
            start = time.monotonic()
            while not stop.is_set():
                for pid in workers_of(server.pid):
                    value = rss_mb(pid)
                    if value:
                        samples.append((time.monotonic() - start, pid, value))
                loads.append(os.getloadavg()[0])
                stop.wait(1.0)

        def snapshots():   # after one minute and shortly before locust stops
            for step, at in (("1min", MINUTE), ("eind", seconds - 5)):
                if stop.wait(at - (time.monotonic() - started)):
                    return
                (traces / f"trigger-{step}").touch()

        started = time.monotonic()
        threading.Thread(target=sample, daemon=True).start()
        if trace and seconds > MINUTE + 10:
            threading.Thread(target=snapshots, daemon=True).start()
        stats = work / "locust"
        say(f"locust: {users} gebruikers, {seconds} s, tegen {base} (gunicorn, twee workers) …")
        subprocess.run([str(BIN / "locust"), "-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless",
                        "-u", str(users), "-r", str(spawn_rate), "-t", f"{seconds}s", "--host", base,
                        "--csv", str(stats), "--only-summary", "--stop-timeout", "5", "--loglevel", "ERROR"],
                       cwd=ROOT, env=dict(os.environ, KAST_LAST_ACCOUNTS=env["KAST_LAST_ACCOUNTS"],
                                    KAST_LAST_PUBLICEREN=str(publish_every)),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=seconds + 120)
        if trace:
            deadline = time.monotonic() + 120   # a snapshot of a big heap takes a while
            while len(list(traces.glob("*-eind.json"))) < 2 and time.monotonic() < deadline:
                time.sleep(1)
        stop.set()
        with open(f"{stats}_stats.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        with open(f"{stats}_failures.csv", newline="") as f:
            failures = list(csv.DictReader(f))
        growth = trace_report(traces) if trace else None
        # A 500 leaves its traceback in gunicorn's error log: keep the last few for the report.
        log = (work / "gunicorn.log").read_text(errors="replace").splitlines()
        tracebacks = [i for i, line in enumerate(log) if line.startswith("Traceback")]
        server_errors = log[tracebacks[-1] - 1:tracebacks[-1] + 40] if tracebacks else []
    finally:
        stop.set()
        stop_gunicorn(server, timeout=30)
    return {"rows": rows, "failures": failures, "memory": memory_summary(samples, seconds),
            "load": {"min": min(loads, default=0), "mean": sum(loads) / max(1, len(loads)),
                     "max": max(loads, default=0)}, "trace": growth, "server_errors": server_errors}


def trace_report(folder: Path, top: int = 15) -> list[str]:
    """What each worker allocated between the snapshot after one minute and the one at the end and still
    holds, largest first, with the call stack of the largest few."""
    import tracemalloc

    lines = []
    noise = [tracemalloc.Filter(False, tracemalloc.__file__), tracemalloc.Filter(False, "<frozen importlib._bootstrap*>"),
             tracemalloc.Filter(False, str(ROOT / "benchmarks" / "gunicorn_trace.py"))]
    for end in sorted(folder.glob("*-eind.snapshot")):
        pid = end.name.split("-")[0]
        first = folder / f"{pid}-1min.snapshot"
        if not first.exists():
            continue
        a = tracemalloc.Snapshot.load(str(first)).filter_traces(noise)
        b = tracemalloc.Snapshot.load(str(end)).filter_traces(noise)
        info = {s: json.loads((folder / f"{pid}-{s}.json").read_text()) for s in ("1min", "eind")}
        lines.append(f"worker {pid}: getraceerd {info['1min']['traced'] / 2**20:.1f} → {info['eind']['traced'] / 2**20:.1f} MB, "
                     f"objecten {info['1min']['objects']} → {info['eind']['objects']}, "
                     f"threads {info['1min']['threads']} → {info['eind']['threads']}")
        diffs = b.compare_to(a, "lineno")
        for d in diffs[:top]:
            frame = d.traceback[0]
            lines.append(f"  {d.size_diff / 1024:+9.1f} kB {d.count_diff:+7d} blokken  "
                         f"{_short(frame.filename)}:{frame.lineno}")
        for d in b.compare_to(a, "traceback")[:3]:
            lines.append(f"  stapel van {d.size_diff / 1024:+.1f} kB:")
            lines += [f"      {_short(f.filename)}:{f.lineno}" for f in list(d.traceback)[:FRAMES_SHOWN]]
    return lines


FRAMES_SHOWN = 12


def _short(filename: str) -> str:
    for prefix in (str(ROOT) + "/", "site-packages/"):
        if prefix in filename:
            return filename.split(prefix, 1)[1]
    return filename


def memory_summary(samples, seconds: int) -> dict:
    """Per worker: RSS at the start, after one minute, at the end and its highest, and the growth after
    the first minute (least-squares slope, MB per minute)."""
    out = {}
    for pid in sorted({pid for _, pid, _ in samples}):
        series = [(t, v) for t, p, v in samples if p == pid]
        near = [v for t, v in series if abs(t - MINUTE) <= 5] or [series[min(len(series) - 1, int(MINUTE))][1]]
        later = [(t, v) for t, v in series if t >= MINUTE]
        slope = None
        if len(later) >= 30:
            mt = sum(t for t, _ in later) / len(later)
            mv = sum(v for _, v in later) / len(later)
            slope = 60 * sum((t - mt) * (v - mv) for t, v in later) / sum((t - mt) ** 2 for t, _ in later)
        minutes = [[v for t, v in series if abs(t - m * MINUTE) <= 5] for m in range(1, int(seconds // MINUTE) + 1)]
        out[str(pid)] = {"start_mb": series[0][1], "one_minute_mb": sum(near) / len(near),
                         "end_mb": series[-1][1], "max_mb": max(v for _, v in series),
                         "growth_per_minute_after_first_mb": slope,
                         "per_minute_mb": [round(sum(m) / len(m), 1) for m in minutes if m]}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--data", type=Path, help="datamap (standaard: data/ van de kast; wordt gekopieerd)")
    ap.add_argument("--trace", action="store_true", help="tracemalloc in de workers: wat groeit er na de eerste minuut")
    ap.add_argument("--keep", action="store_true", help="de tijdelijke map niet weggooien")
    ap.add_argument("--publiceren-elke", type=float, default=30, metavar="S",
                    help="hooguit één publicatie per S seconden (standaard 30; 0: redacteuren publiceren niet)")
    ap.add_argument("--spawn-rate", type=int, help="gebruikers die per seconde beginnen (standaard een vijfde)")
    ap.add_argument("--json", action="store_true", help="alleen één JSON-regel met de uitkomst")
    args = ap.parse_args()
    result = run(args.users, args.seconds, args.data, args.json, args.trace, args.keep, args.spawn_rate,
                 args.publiceren_elke)
    total = next(r for r in result["rows"] if r["Name"] == "Aggregated")
    summary = {"requests": int(total["Request Count"]), "failures": int(total["Failure Count"]),
               "rps": float(total["Requests/s"]), "p50_ms": float(total["50%"]), "p95_ms": float(total["95%"]),
               "p99_ms": float(total["99%"]), "max_ms": float(total["Max Response Time"]),
               "failure_kinds": sorted({f["Error"][:160] for f in result["failures"]}),
               "by_name": {f"{r['Type']} {r['Name']}": int(r["Request Count"]) for r in result["rows"]
                           if r["Name"] != "Aggregated"},
               "memory": result["memory"], "load": result["load"]}
    if args.json:
        print(json.dumps(summary))
        return
    print(f"\n{'verzoek':52} {'aantal':>7} {'fout':>5} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}  (ms)")
    for r in result["rows"]:
        name = f"{r['Type']} {r['Name']}".strip()
        print(f"{name[:52]:52} {r['Request Count']:>7} {r['Failure Count']:>5} {r['50%']:>6} {r['95%']:>6} "
              f"{r['99%']:>6} {float(r['Max Response Time']):>7.0f}")
    print(f"\nSamen: {summary['requests']} verzoeken ({summary['rps']:.1f}/s), {summary['failures']} fouten "
          f"(doel 0), p50 {summary['p50_ms']:.0f} ms, p95 {summary['p95_ms']:.0f} ms (doel ≤ 200 ms), "
          f"p99 {summary['p99_ms']:.0f} ms")
    for kind in summary["failure_kinds"]:
        print(f"  fout: {kind}")
    if result["server_errors"]:
        print("Laatste traceback in het foutenlog van gunicorn:\n  " + "\n  ".join(result["server_errors"]))
    print("Geheugen per worker (RSS, MB): begin / na 1 min / eind / hoogste; groei na de eerste minuut (MB/min)")
    for pid, m in summary["memory"].items():
        slope = m["growth_per_minute_after_first_mb"]
        print(f"  worker {pid}: {m['start_mb']:.0f} / {m['one_minute_mb']:.0f} / {m['end_mb']:.0f} / {m['max_mb']:.0f}; "
              + (f"{slope:+.2f} MB/min" if slope is not None else "te kort om te zeggen")
              + (f"; per minuut {' → '.join(f'{v:.0f}' for v in m['per_minute_mb'])}" if len(m["per_minute_mb"]) > 1 else ""))
    load = summary["load"]
    print(f"Belasting van de machine (1-minuutgemiddelde) tijdens de run: {load['min']:.1f}–{load['max']:.1f} "
          f"(gemiddeld {load['mean']:.1f}; 2 cores, gedeeld met andere agents)")
    if result["trace"]:
        print("\nGroei van de Python-heap (tracemalloc) tussen 1 min en het eind, per worker:")
        print("\n".join(result["trace"]))


if __name__ == "__main__":
    main()
