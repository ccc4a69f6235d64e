"""Publish-to-visible and save latency at 10,000 practices, over HTTP, in two gunicorn workers.

    .venv/bin/python benchmarks/publish.py [--practices 10000] [--runs 10] [--corpus MAP] [--direct]

Copies the synthetic corpus (written when the folder does not exist) into a temporary content repository,
builds the search index (as the README says: the index first), makes a lid of gm0106 and two redacteuren with
API tokens in a temporary accounts database, and starts `gunicorn -w 2` on the loopback address, serving that
repository as the README says for several processes. After warming both workers, each run:

1. (once both workers are idle: a map view leaves network metrics computing in a thread; `--direct` does not
   wait, for the save latency while they compute) the lid proposes a new practice (POST, odd runs) or a change to a published practice (PUT with If-Match,
   even runs), then saves it twice more (PUT on the proposal): every save is timed over HTTP;
2. the lid submits it and a redacteur publishes it (status API);
3. from the moment the publish answers, six threads ask every place where the change must show, with a unique
   word in the title: the practice page, the search page, the search API (results and facets), "bedoelde u"
   for that word misspelt, the practice in the API, the Atom feed, the actor map focused on the practice,
   the peer network of its region and the downloads of the whole graph (/download/kast.nt, .ttl, .jsonld:
   25–60 MB each, made per process and reader level after a change). Which worker answered is read from gunicorn's access log (the pid, with a
   marker header per request): one port, two workers, as served in production. The change is visible in a
   worker when every place answered by that worker shows it.

Prints per run the publish-to-visible time per worker (and the slowest place), p50/p95/max over all runs and
the save p50/p95, with the targets (visible ≤ 2 s in both workers; save p95 ≤ 300 ms). Nothing is written outside the temporary folder and the corpus folder.
"""
import argparse
import itertools
import json
import os
import random
import shutil
import signal
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
import load  # noqa: E402
from load import free_port, wait_until_up, workers_of  # noqa: E402

VISIBLE_TARGET_S = 2.0
SAVE_TARGET_MS = 300
MARKER = "Kast-Meting"   # a request header the access log records, so each answer is tied to a worker pid
PASSWORD = "paars-kasteel-rijdt-langzaam"
NEW_PRACTICE = {
    "soort": "best", "aard": "lokale-praktijk", "zichtbaarheid": "openbaar",
    "samenvatting": "De gemeenten Assen en Emmen toetsen exploitanten van vakantieparken samen met de Wet Bibob.",
    "actoren": ["gm0106", "gm0114"], "instrumenten": ["wet-bibob"],
    "themas": ["deelaspect-georganiseerde-criminaliteit"], "gemeenten": ["gm0106", "gm0114"],
    "periode": {"van": 2022}, "bewijsniveau": "beschreven", "effect": "onbekend",
    "contact": {"organisatie": "gm0106", "functie": "Bibob-coördinator"}, "bronnen": [{"bron": "003", "sectie": "4.3"}],
    "probleem": "Op vakantieparken vestigden zich bedrijven waarvan niemand wist wie erachter zat.",
    "aanpak": "De gemeenten vragen bij elke nieuwe exploitant een Bibob-toets aan.",
    "werkingsmechanisme": "Criminelen mijden gemeenten die toetsen.",
    "resultaat": "Twee aanvragen zijn ingetrokken; er is geen meting gedaan.",
    "lessen": "- Leg de werkwijze vast in beleid.", "overdraagbaarheid": "Voor gemeenten met recreatieparken."}


class Http:
    """JSON and pages over one loopback address, with a bearer token."""

    def __init__(self, base: str):
        self.base = base

    def call(self, method: str, path: str, token: str | None = None, body=None, headers=None, timeout=120):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()


def start_gunicorn(env: dict, port: int, log: Path, errors: Path) -> subprocess.Popen:
    """As the README serves several processes, with an access log naming the worker pid and our marker."""
    return load.start_gunicorn(None, env["KAST_INDEX"], port, log, env=env, errors=errors,
                               log_format=f"%(p)s %({{{MARKER.lower()}}}i)s %(s)s")


class AccessLog:
    """Which worker answered which marker, read from gunicorn's access log as it grows."""

    def __init__(self, path: Path):
        self.path, self.offset, self.pid_of = path, 0, {}

    def read(self) -> dict[str, int]:
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                chunk = f.read()
        except OSError:
            return self.pid_of
        end = chunk.rfind(b"\n") + 1
        self.offset += end
        for line in chunk[:end].decode("utf-8", "replace").splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[1] != "-":
                self.pid_of[parts[1]] = int(parts[0].strip("<>"))
        return self.pid_of


def places(entry_id: str, word: str, region: str) -> dict[str, tuple[str, callable]]:
    """Every place a published change must show, with the test that it does."""
    typo = word[:-2] + word[-1] + word[-2]   # two letters swapped: "bedoelde u" must offer the word

    def api_search(body: bytes) -> bool:
        found = json.loads(body)
        kinds = {v["waarde"]: v["aantal"] for f in found["facetten"] if f["naam"] == "soort" for v in f["waarden"]}
        return any(r["id"] == entry_id for r in found["resultaten"]) and kinds.get("praktijk", 0) >= 1

    return {
        "pagina": (f"/praktijken/{entry_id}", lambda b: word.encode() in b),
        "zoeken": (f"/zoeken?q={word}", lambda b: f"/praktijken/{entry_id}".encode() in b),
        "zoek-API (resultaten, facetten)": (f"/api/v1/zoeken?q={word}", api_search),
        "bedoelde u": (f"/api/v1/zoeken?q={typo}", lambda b: word in str(json.loads(b).get("suggestie"))),
        "API": (f"/api/v1/praktijken/{entry_id}", lambda b: word.encode() in b),
        "feed": ("/nieuw-en-gewijzigd.atom", lambda b: word.encode() in b),
        "kaart": (f"/api/v1/kaart?focus={entry_id}", lambda b: word.encode() in b),
        "netwerk": (f"/api/v1/netwerk?regio={region}", lambda b: f'"{entry_id}"'.encode() in b and word.encode() in b),
        "download (kast.nt)": ("/download/kast.nt", lambda b: word.encode() in b),
        "download (kast.ttl)": ("/download/kast.ttl", lambda b: word.encode() in b),
        "download (kast.jsonld)": ("/download/kast.jsonld", lambda b: word.encode() in b),
    }


def watch(http: Http, log: AccessLog, workers: list[int], checks: dict, start: float,
          deadline_s: float = 60.0, threads: int = 6) -> dict:
    """Ask every place from several threads until every worker showed the change in every place.
    Returns {(pid, place): seconds after `start` at which that worker first answered it changed}."""
    seen: dict[tuple[int, str], float] = {}
    answers: list[tuple[str, str, float, bool]] = []   # marker, place, time received, changed
    stop = threading.Event()
    counter = itertools.count()
    names = list(checks)

    def poll():
        while not stop.is_set():
            n = next(counter)
            name = names[n % len(names)]
            if all((pid, name) in seen for pid in workers):
                time.sleep(0.005)
                continue   # shown by both workers: asking again only loads them (a download is 25–60 MB)
            path, changed = checks[name]
            marker = f"m{n}"
            try:
                status, _, body = http.call("GET", path, headers={MARKER: marker}, timeout=60)
            except OSError as exc:
                status, body = type(exc).__name__, b""
            try:
                ok = status == 200 and changed(body)
            except (ValueError, KeyError, TypeError):   # not the JSON expected: not (yet) changed
                ok = False
            answers.append((marker, name, time.monotonic(), ok))

    pool = [threading.Thread(target=poll, daemon=True) for _ in range(threads)]
    for t in pool:
        t.start()
    try:
        while time.monotonic() - start < deadline_s:
            time.sleep(0.05)
            pid_of = log.read()
            for marker, name, at, ok in list(answers):
                pid = pid_of.get(marker)
                if ok and pid is not None and (pid, name) not in seen:
                    seen[pid, name] = at - start
            if all((pid, name) in seen for pid in workers for name in names):
                break
    finally:
        stop.set()
        for t in pool:
            t.join(timeout=120)
    # a worker that showed a place changed and later answered it unchanged would be a step back
    pid_of = log.read()
    backwards = sorted({(pid_of.get(m), n) for m, n, at, ok in answers
                        if not ok and (pid_of.get(m), n) in seen and at - start > seen[pid_of.get(m), n] + 0.001})
    return {"seen": seen, "backwards": backwards, "answers": len(answers)}


def warm_saves(http: Http, log: AccessLog, workers: list[int], token: str) -> int:
    """Proposals (not measured) until both workers have saved one: the first save in a process waits for the
    name finder (deduce), which each worker starts in the background."""
    served: set[int] = set()
    made = 0
    deadline = time.monotonic() + 600
    while set(workers) - served and time.monotonic() < deadline:
        batch = range(made, made + 4)
        with ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(lambda k: http.call(
                "POST", "/api/v1/praktijken", token, dict(NEW_PRACTICE, titel=f"Opwarmen vakantieparken {k}"),
                {MARKER: f"opwarmen{k}"}, timeout=600)[0], batch))
        if any(s != 201 for s in statuses):
            raise SystemExit(f"opwarmen: statussen {statuses}")
        made += len(batch)
        time.sleep(0.5)
        pid_of = log.read()
        served |= {pid_of[f"opwarmen{k}"] for k in range(made) if f"opwarmen{k}" in pid_of}
    return made


def cpu_ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])   # utime + stime
    except (OSError, IndexError, ValueError):
        return 0


def wait_idle(pids: list[int], quiet: float = 0.5, cap: float = 60.0) -> float:
    """Wait until the workers use no CPU for `quiet` seconds (a map view leaves network metrics computing in a
    thread for seconds after its answer), so a save is timed on its own, not against that work."""
    start = time.monotonic()
    before = [cpu_ticks(p) for p in pids]
    while time.monotonic() - start < cap:
        time.sleep(quiet)
        now = [cpu_ticks(p) for p in pids]
        if now == before:
            break
        before = now
    return time.monotonic() - start


def unique_word(rnd: random.Random) -> str:
    """Ends in two different letters: "bedoelde u" asks for the word with those two swapped."""
    while True:
        word = "meetwoord" + "".join(rnd.choice(string.ascii_lowercase) for _ in range(6))
        if word[-1] != word[-2]:
            return word


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    from kast.accounts import SYSTEM, Accounts
    from kast.corpus import generate
    from kast.curation import ContentRepo, Curation
    from kast.search import IndexStore

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="datamap met het corpus (standaard: een map in /tmp per aantal)")
    parser.add_argument("--practices", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--direct", action="store_true",
                        help="elke ronde meteen, zonder te wachten tot de netwerkmaten van de vorige klaar zijn")
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("gestopt (SIGTERM)"))   # still stop gunicorn and clean up
    args.corpus = args.corpus or Path(tempfile.gettempdir()) / f"kast-corpus-publiceren-{args.practices}"
    if not (args.corpus / "practices").is_dir():
        t = time.perf_counter()
        generate(args.corpus, args.practices)
        print(f"corpus geschreven: {args.practices} praktijken in {time.perf_counter() - t:.1f} s", flush=True)
    work = Path(tempfile.mkdtemp(prefix="kast-bench-publiceren-"))
    server = None
    try:
        data, var = work / "inhoud", work / "var"
        shutil.copytree(args.corpus, data)
        count = len(list((data / "practices").glob("*.md")))
        t = time.perf_counter()
        ContentRepo.init(data)
        print(f"inhoudsrepository: {count} praktijken, eerste commit in {time.perf_counter() - t:.1f} s", flush=True)
        t = time.perf_counter()
        IndexStore(root=var / "index", data_dir=data).open()
        print(f"zoekindex gebouwd in {time.perf_counter() - t:.1f} s", flush=True)

        database = f"sqlite:///{var / 'kast.sqlite'}"
        import kast.profiles.service  # noqa: F401  (its tables too, made here: two workers making them at once can
        # fail one with 'table … already exists')
        accounts = Accounts(database, organisations=lambda org: org in ("gm0106", "vng"))
        tokens = {}
        for name, role, org in (("meting-lid", "lid", "gm0106"), ("meting-redactie-a", "redacteur", "vng"),
                                ("meting-redactie-b", "redacteur", "vng")):
            account = accounts.add(SYSTEM, name, PASSWORD, role, org)
            tokens[name] = accounts.create_token(SYSTEM, account.id, "benchmark")[1]
        lid, editors = tokens["meting-lid"], [tokens["meting-redactie-a"], tokens["meting-redactie-b"]]

        env = dict(os.environ, KAST_DATA=str(data), KAST_CONTENT_REPO=str(data), KAST_VAR=str(var),
                   KAST_INDEX=str(var / "index"), KAST_DATABASE_URL=database)
        port, log_path = free_port(), work / "toegang.log"
        base = f"http://127.0.0.1:{port}"
        t = time.perf_counter()
        server = start_gunicorn(env, port, log_path, work / "gunicorn.log")
        wait_until_up(base, server, seconds=600)
        http, log = Http(base), AccessLog(log_path)
        workers = sorted(workers_of(server.pid))
        print(f"gunicorn -w 2 antwoordt na {time.perf_counter() - t:.1f} s; workers {workers}", flush=True)

        ids = sorted(p.stem for p in (data / "practices").glob("*.md"))
        cur = Curation(ContentRepo(data))   # only reads: the published version for If-Match
        region = _region_of(http)
        warm = places(ids[0], "bibob", region)
        t = time.perf_counter()
        warm_up = watch(http, log, workers, {k: (p, lambda b: True) for k, (p, _) in warm.items()},
                        time.monotonic(), deadline_s=600)
        print(f"beide workers opgewarmd in {time.perf_counter() - t:.1f} s ({warm_up['answers']} verzoeken)", flush=True)
        t = time.perf_counter()
        made = warm_saves(http, log, workers, lid)
        print(f"opslaan opgewarmd in beide workers (deduce gestart) in {time.perf_counter() - t:.1f} s "
              f"({made} concepten, niet gemeten)", flush=True)

        saves, publishes, visible, rows, per_place = [], [], [], [], {}
        for run in range(args.runs):
            word = unique_word(rnd)
            new = run % 2 == 0
            if not args.direct:
                wait_idle(workers)
            # 1. propose and save twice more, as a lid
            if new:
                fields = dict(NEW_PRACTICE, titel=f"Bibob-toets vakantieparken {word} Assen en Emmen")
                t = time.perf_counter()
                status, headers, body = http.call("POST", "/api/v1/praktijken", lid, fields)
                saves.append(time.perf_counter() - t)
                _expect(status, 201, "voorstel", body)
                entry_id = json.loads(body)["voorstel"]["item"]
            else:
                entry_id = ids[rnd.randrange(len(ids))]
                fields, version = cur.published(entry_id)
                # the title gets the word; Assen and Emmen join, so the practice links them in the peer network
                fields = dict(fields, titel=f"{fields['titel']} {word}",
                              gemeenten=sorted(set(fields.get("gemeenten") or []) | {"gm0106", "gm0114"}))
                t = time.perf_counter()
                status, headers, body = http.call("PUT", f"/api/v1/praktijken/{entry_id}", lid, fields,
                                                  {"If-Match": f'"{version}"'})
                saves.append(time.perf_counter() - t)
                _expect(status, 200, "wijziging voorstellen", body)
            etag = headers["ETag"]
            for k in range(2):
                fields = dict(fields, lessen=f"- Les {k} uit meting {run}.")
                t = time.perf_counter()
                status, headers, body = http.call("PUT", f"/api/v1/praktijken/{entry_id}", lid, fields, {"If-Match": etag})
                saves.append(time.perf_counter() - t)
                _expect(status, 200, "opslaan", body)
                etag = headers["ETag"]
            status, _, body = http.call("POST", f"/api/v1/praktijken/{entry_id}/status", lid, {"status": "ter-beoordeling"})
            _expect(status, 200, "indienen", body)
            # 2. a redacteur publishes; 3. every place in both workers
            checks = places(entry_id, word, region)
            t = time.perf_counter()
            status, _, body = http.call("POST", f"/api/v1/praktijken/{entry_id}/status", editors[run % 2],
                                        {"status": "gepubliceerd", "toelichting": "meting"})
            published_at = time.monotonic()
            publishes.append(time.perf_counter() - t)
            _expect(status, 200, "publiceren", body)
            found = watch(http, log, workers, checks, published_at)
            seen = found["seen"]
            missing = [(pid, name) for pid in workers for name in checks if (pid, name) not in seen]
            per_worker = {pid: max((seen.get((pid, n), float("inf")), n) for n in checks) for pid in workers}
            slowest = max(per_worker.values())
            visible.append(slowest[0])
            rows.append((run, "nieuw" if new else "wijziging", entry_id, per_worker, missing, found["backwards"]))
            for name in checks:
                per_place.setdefault(name, []).append(max(seen.get((pid, name), float("inf")) for pid in workers))
            print(f"  ronde {run + 1:>2} ({'nieuw    ' if new else 'wijziging'}): opslaan "
                  f"{' / '.join(f'{s * 1000:.0f}' for s in saves[-3:])} ms, publiceren {publishes[-1] * 1000:.0f} ms, "
                  "zichtbaar " + ", ".join(f"worker {pid} {v:.2f} s ({name})" for pid, (v, name) in per_worker.items())
                  + (f"  ONTBREEKT: {missing}" if missing else "")
                  + (f"  TERUGVAL: {found['backwards']}" if found["backwards"] else ""), flush=True)
            time.sleep(rnd.uniform(0.0, 1.0))   # the next publish lands at a random moment of the workers' check

        print(f"\nbij {count} praktijken, gunicorn -w 2, {args.runs} publicaties "
              f"(belasting van de machine: {os.getloadavg()[0]:.1f}):")
        save_ms = [s * 1000 for s in saves]
        print(f"  opslaan over HTTP (POST/PUT)   n={len(save_ms):>3}  p50 {statistics.median(save_ms):6.0f} ms  "
              f"p95 {percentile(save_ms, 0.95):6.0f} ms  max {max(save_ms):6.0f} ms")
        pub_ms = [s * 1000 for s in publishes]
        print(f"  publiceren over HTTP           n={len(pub_ms):>3}  p50 {statistics.median(pub_ms):6.0f} ms  "
              f"p95 {percentile(pub_ms, 0.95):6.0f} ms  max {max(pub_ms):6.0f} ms")
        print(f"  publiceren → zichtbaar (alle plaatsen, beide workers)  p50 {statistics.median(visible):.2f} s  "
              f"p95 {percentile(visible, 0.95):.2f} s  max {max(visible):.2f} s")
        print("  per plaats (de langzaamste van de twee workers):")
        for name, times in per_place.items():
            print(f"    {name:<34} p50 {statistics.median(times):6.2f} s  p95 {percentile(times, 0.95):6.2f} s  "
                  f"max {max(times):6.2f} s  {'≤ 2 s' if max(times) <= VISIBLE_TARGET_S else '> 2 s'}")
        met_visible = max(visible) <= VISIBLE_TARGET_S and not any(r[4] or r[5] for r in rows)
        met_save = percentile(save_ms, 0.95) <= SAVE_TARGET_MS
        print(f"\nzichtbaar ≤ {VISIBLE_TARGET_S:.0f} s in beide workers: {'gehaald' if met_visible else 'NIET gehaald'} "
              f"(max {max(visible):.2f} s)")
        print(f"opslaan p95 ≤ {SAVE_TARGET_MS} ms: {'gehaald' if met_save else 'NIET gehaald'} "
              f"({percentile(save_ms, 0.95):.0f} ms)")
    except BaseException:
        if (work / "gunicorn.log").exists():
            print("gunicorn.log (laatste regels):\n" + "\n".join(
                (work / "gunicorn.log").read_text(errors="replace").splitlines()[-40:]), file=sys.stderr)
        raise
    finally:
        if server is not None:
            load.stop_gunicorn(server)
        shutil.rmtree(work, ignore_errors=True)


def _region_of(http: Http) -> str:
    """The RIEC region of Assen, as the peer network names it."""
    status, _, body = http.call("GET", "/api/v1/gemeenten/gm0106")
    _expect(status, 200, "gemeente Assen", body)
    text = body.decode()
    for candidate in ("riec-noord-nederland",):
        if candidate in text:
            return candidate
    raise SystemExit("de RIEC-regio van Assen staat niet in de API")


def _expect(status: int, want: int, what: str, body: bytes = b"") -> None:
    if status != want:
        raise SystemExit(f"{what}: status {status} (verwacht {want}): {body[:500].decode('utf-8', 'replace')}")


if __name__ == "__main__":
    main()
