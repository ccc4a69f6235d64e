"""What the simulated visitors do, for `benchmarks/load.py` (locust). Three kinds, weighted 6 : 3 : 1:

- `Official` (anonymous): searches with facets, reads entity pages and their JSON twins, lists, the actor
  map and the peer network.
- `Member` (a lid of a municipality): logs in through the real login form (CSRF token from the page),
  reads the practices that are only for the network, opens the proposal forms, proposes a new practice
  through the form, saves it twice through the form and once through the API with If-Match, sends one
  save from a stale version (a second tab) that must come back as 412 with the conflicting fields, and
  submits it for review.
- `Curator` (a redacteur): the review queue, opens waiting proposals and publishes the ones they may
  approve (four eyes), at most one publication per 30 s over all of them ($KAST_LAST_PUBLICEREN); the
  site takes each publication in within a second.

Every answer is checked; the only non-2xx/3xx answers counted as success are the ones the scenario
expects (the 412 of the stale save; a 409 when another redacteur published the same proposal first).
The accounts come from the file named by $KAST_LAST_ACCOUNTS, made by load.py (never on the command line).
"""
import itertools
import json
import os
import random
import re
import secrets
import threading
import time
import urllib.request

from locust import HttpUser, between, task

from load_forms import CSRF, PROPOSAL, QUEUE_ROW, VERSION, proposal_form

QUERIES = ["bibob", "13b", "motorbendes", "vakantieparken", "bedreiging wethouder", "huurders screenen",
           "witwassen vastgoed", "damoclesbeleid", "integriteit", "drugs", "ondermijnig", "weerbaarheidsscan"]
FACETS = [(), (("soort", "praktijk"),), (("praktijksoort", "worst"),), (("soort", "instrument"),),
          (("provincie", "pv22"),), (("soort", "praktijk"), ("praktijksoort", "best"))]
# Seconds between publications over all redacteuren (0: none); load.py --publiceren-elke.
PUBLISH_EVERY = float(os.environ.get("KAST_LAST_PUBLICEREN") or 30)
_last_publish = -PUBLISH_EVERY
_accounts = None
_next = {"leden": itertools.count(), "redacteuren": itertools.count()}
_public: list[str] = []
_public_lock = threading.Lock()


def account(group: str) -> tuple[str, str, str]:
    """(name, organisation, password): the accounts made by load.py, handed out in turn."""
    global _accounts
    if _accounts is None:
        with open(os.environ["KAST_LAST_ACCOUNTS"]) as f:
            _accounts = json.load(f)
    name, org = _accounts[group][next(_next[group]) % len(_accounts[group])]
    return name, org, _accounts["wachtwoord"]


def public_practices(host: str) -> list[str]:
    """Ids of the practices anyone sees (one anonymous request per locust process, not measured)."""
    with _public_lock:
        if not _public:
            with urllib.request.urlopen(f"{host}/api/v1/praktijken?paginagrootte=100", timeout=60) as r:
                _public.extend(x["id"] for x in json.load(r)["resultaten"])
        return _public


class Official(HttpUser):
    weight = 6
    wait_time = between(0.5, 2.0)

    def on_start(self):
        self.ids = {}
        for collection in ("praktijken", "instrumenten", "gemeenten", "actoren", "themas"):
            with self.client.get(f"/api/v1/{collection}?paginagrootte=50", name=f"/api/v1/{collection}",
                                 catch_response=True) as response:
                if response.status_code == 200:
                    self.ids[collection] = [r["id"] for r in response.json()["resultaten"]] or ["x"]
                    response.success()
                else:
                    response.failure(f"status {response.status_code}")
                    self.ids[collection] = ["x"]

    def pick(self, collection: str) -> str:
        return random.choice(self.ids[collection])

    @task(6)
    def search_page(self):
        params = [("q", random.choice(QUERIES)), *random.choice(FACETS)]
        self.client.get("/zoeken", params=params, name="/zoeken?q=…&facet=…")

    @task(3)
    def search_api(self):
        params = [("q", random.choice(QUERIES)), *random.choice(FACETS)]
        self.client.get("/api/v1/zoeken", params=params, name="/api/v1/zoeken?q=…")

    @task(5)
    def entity_page(self):
        collection = random.choice(["praktijken", "praktijken", "instrumenten", "gemeenten", "actoren", "themas"])
        self.client.get(f"/{collection}/{self.pick(collection)}", name=f"/{collection}/{{id}}")

    @task(2)
    def entity_api(self):
        collection = random.choice(["praktijken", "instrumenten", "gemeenten"])
        self.client.get(f"/api/v1/{collection}/{self.pick(collection)}", name=f"/api/v1/{collection}/{{id}}")

    @task(2)
    def listing(self):
        self.client.get("/praktijken", params=random.choice(FACETS), name="/praktijken?facet=…")

    @task(1)
    def home(self):
        self.client.get("/", name="/")

    @task(1)
    def actor_map(self):
        self.client.get("/kaart", params={"focus": self.pick("instrumenten"), "diepte": random.choice([1, 2])},
                        name="/kaart?focus=…")

    @task(1)
    def map_api(self):
        self.client.get("/api/v1/kaart", params={"focus": self.pick("instrumenten")}, name="/api/v1/kaart?focus=…")

    @task(1)
    def peer_network(self):
        self.client.get("/netwerk", name="/netwerk")


class LoggedIn(HttpUser):
    abstract = True
    group = "leden"

    def on_start(self):
        self.name, self.org, password = account(self.group)
        self.token = self.csrf_from("/inloggen", "/inloggen")
        with self.client.post("/inloggen", data={"csrf_token": self.token, "gebruikersnaam": self.name,
                                                 "wachtwoord": password},
                              allow_redirects=False, name="/inloggen", catch_response=True) as r:
            if r.status_code == 302 and "/inloggen" not in r.headers.get("Location", ""):
                r.success()
            else:
                r.failure(f"inloggen mislukt: status {r.status_code}")
        self.token = self.csrf_from("/account", "/account (ingelogd)")

    def csrf_from(self, url: str, name: str) -> str:
        with self.client.get(url, name=name, catch_response=True) as r:
            found = CSRF.search(r.text or "")
            if r.status_code == 200 and found:
                r.success()
                return found.group(1)
            r.failure(f"geen formulier met CSRF-token op {url} (status {r.status_code})")
            return ""

    def page(self, url: str, name: str, expect: str | None = None) -> str:
        """GET a page that must answer 200 (and contain `expect`, when given)."""
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as r:
            if r.status_code == 200 and (expect is None or expect in r.text):
                r.success()
            else:
                r.failure(f"{url}: status {r.status_code}" + (f", '{expect}' ontbreekt" if expect else ""))
            return r.text or ""


class Member(LoggedIn):
    """A lid of a municipality: reads what only the network sees, and writes a proposal step by step."""
    weight = 3
    wait_time = between(1.0, 3.0)
    group = "leden"

    def on_start(self):
        super().on_start()
        public = set(public_practices(self.host))
        with self.client.get("/api/v1/praktijken?paginagrootte=100", name="/api/v1/praktijken (ingelogd)",
                             catch_response=True) as r:
            mine = [x["id"] for x in r.json()["resultaten"]] if r.status_code == 200 else []
            self.network = [i for i in mine if i not in public]
            if self.network:
                r.success()
            else:
                r.failure("een lid ziet na inloggen geen praktijken die alleen voor het netwerk zijn")
                self.network = ["x"]
        self.public = sorted(public)
        self.proposal = None      # (page url, entry id, version, saves)
        self.propose()            # the first thing a member here does: a proposal (so every run has saves)

    @task(4)
    def search(self):
        self.client.get("/zoeken", params=[("q", random.choice(QUERIES)), *random.choice(FACETS)],
                        name="/zoeken?q=… (ingelogd)")

    @task(3)
    def network_practice(self):
        self.page(f"/praktijken/{random.choice(self.network)}", "/praktijken/{netwerk-id} (lid)")

    @task(1)
    def own_municipality(self):
        self.page(f"/gemeenten/{self.org}", "/gemeenten/{eigen} (lid)")

    @task(1)
    def my_work(self):
        self.page("/redactie", "/redactie (lid)", "Mijn werk")

    @task(1)
    def open_change_form(self):
        self.page(f"/praktijken/{random.choice(self.public)}/bewerken", "/praktijken/{id}/bewerken (formulier)",
                  'name="versie"')

    @task(4)
    def work_on_proposal(self):
        if self.proposal is None:
            self.propose()
        elif self.proposal[3] < 2:
            self.save_form()
        elif self.proposal[3] == 2:
            self.save_api()
        else:
            self.submit()

    # ---------------------------------------------------------------- the steps of one proposal

    def propose(self):
        page = self.page("/redactie/nieuw", "/redactie/nieuw (formulier)", 'name="csrf_token"')
        found = CSRF.search(page)
        if not found:
            return
        with self.client.post("/redactie/nieuw", data=proposal_form(self.org, secrets.token_hex(4), found.group(1)),
                              allow_redirects=False, name="/redactie/nieuw (voorstel)", catch_response=True) as r:
            location = PROPOSAL.search(r.headers.get("Location", ""))
            if r.status_code == 302 and location:
                r.success()
                url = f"/redactie/voorstellen/{location.group(1)}"
                self.proposal = (url, location.group(1).rsplit("-", 1)[0], None, 0)
            else:
                r.failure(f"voorstel niet bewaard: status {r.status_code}")

    def save_form(self):
        url, entry, _, saves = self.proposal
        page = self.page(url, "/redactie/voorstellen/{id}", 'name="versie"')
        version, token = VERSION.search(page), CSRF.search(page)
        if not (version and token):
            return
        form = proposal_form(self.org, "", token.group(1))
        form.update(titel=re.search(r'name="titel"[^>]*value="([^"]*)"', page).group(1), versie=version.group(1),
                    actie="opslaan", resultaat=f"Na {saves + 1} controles: twee aanvragen ingetrokken.")
        with self.client.post(url, data=form, allow_redirects=False, name="/redactie/voorstellen/{id} (opslaan)",
                              catch_response=True) as r:
            if r.status_code == 302 and r.headers.get("Location", "").endswith(url):
                r.success()
                self.proposal = (url, entry, version.group(1), saves + 1)
            else:
                r.failure(f"opslaan via het formulier: status {r.status_code}")

    def save_api(self):
        url, entry, _, saves = self.proposal
        page = self.page(url, "/redactie/voorstellen/{id}", 'name="versie"')
        found = VERSION.search(page)
        if not found:
            return
        title = re.search(r'name="titel"[^>]*value="([^"]*)"', page).group(1)
        body = {k: v for k, v in proposal_form(self.org, "", "").items()
                if k not in ("csrf_token", "bronnen-aantal", "bron-0", "sectie-0")}
        body.update(titel=title, bronnen=[{"bron": "003", "sectie": "2.1"}])
        start = found.group(1)
        headers = {"X-CSRFToken": self.token, "Content-Type": "application/json"}
        with self.client.put(f"/api/v1/praktijken/{entry}", name="/api/v1/praktijken/{id} (If-Match)",
                             data=json.dumps(dict(body, resultaat="Via de API: drie aanvragen ingetrokken.")),
                             headers=dict(headers, **{"If-Match": f'"{start}"'}), catch_response=True) as r:
            if r.status_code == 200 and r.headers.get("ETag"):
                r.success()
            else:
                r.failure(f"opslaan via de API: status {r.status_code}")
                return
        # A second tab still on the old version changes the same field: 412 with both versions is the answer.
        with self.client.put(f"/api/v1/praktijken/{entry}", name="/api/v1/praktijken/{id} (oude versie: 412 verwacht)",
                             data=json.dumps(dict(body, resultaat="Uit een ander tabblad: vier aanvragen.")),
                             headers=dict(headers, **{"If-Match": f'"{start}"'}), catch_response=True) as r:
            if r.status_code == 412 and "resultaat" in (r.json().get("conflicten") or []):
                r.success()
            else:
                r.failure(f"opslaan vanaf een oude versie gaf {r.status_code} in plaats van 412 met het conflict")
        self.proposal = (url, entry, None, saves + 1)

    def submit(self):
        url, entry, _, _ = self.proposal
        with self.client.post(f"/api/v1/praktijken/{entry}/status", name="/api/v1/praktijken/{id}/status (indienen)",
                              data=json.dumps({"status": "ter-beoordeling", "toelichting": "Klaar voor beoordeling."}),
                              headers={"X-CSRFToken": self.token, "Content-Type": "application/json"},
                              catch_response=True) as r:
            if r.status_code == 200:
                r.success()
            else:
                r.failure(f"indienen: status {r.status_code}")
        self.proposal = None


class Curator(LoggedIn):
    """A redacteur of the VNG: the review queue, and publishing what waits (never their own: four eyes)."""
    weight = 1
    wait_time = between(2.0, 5.0)
    group = "redacteuren"

    def on_start(self):
        super().on_start()
        self.waiting: list[str] = []

    @task(3)
    def queue(self):
        page = self.page("/redactie", "/redactie (redacteur)", "Ter beoordeling")
        self.waiting = [pid for pid, may in QUEUE_ROW.findall(page) if may == "ja"]

    @task(1)
    def open_waiting(self):
        if not self.waiting:
            return
        pid = random.choice(self.waiting)
        with self.client.get(f"/redactie/voorstellen/{pid}", name="/redactie/voorstellen/{id} (redacteur)",
                             allow_redirects=False, catch_response=True) as r:
            # Waiting: the publish form. Another redacteur may have published it since the queue was read.
            if r.status_code == 200 and ("/publiceren" in r.text or "Status: <strong>gepubliceerd</strong>" in r.text):
                r.success()
            else:
                r.failure(f"voorstel {pid}: status {r.status_code}, geen publiceerknop en niet gepubliceerd")
            if "/publiceren" not in (r.text or "") and pid in self.waiting:
                self.waiting.remove(pid)

    @task(1)
    def search(self):
        self.client.get("/zoeken", params=[("q", random.choice(QUERIES))], name="/zoeken?q=… (ingelogd)")

    @task(1)
    def publish(self):
        # Every publication makes each worker take in the change and rebuild its derived views (seconds of
        # work); redacteuren publish a few times a day, so here at most once per PUBLISH_EVERY seconds.
        global _last_publish
        now = time.monotonic()
        if not self.waiting or PUBLISH_EVERY <= 0 or now - _last_publish < PUBLISH_EVERY:
            return
        _last_publish = now
        pid = self.waiting.pop(random.randrange(len(self.waiting)))
        url = f"/redactie/voorstellen/{pid}"
        page = self.page(url, "/redactie/voorstellen/{id} (redacteur)")
        token = CSRF.search(page)
        if not token:
            return
        with self.client.post(f"{url}/publiceren", data={"csrf_token": token.group(1), "toelichting": "Compleet."},
                              allow_redirects=False, name="/redactie/voorstellen/{id}/publiceren",
                              catch_response=True) as r:
            if r.status_code == 302 and "/praktijken/" in r.headers.get("Location", ""):
                r.success()
            elif r.status_code == 409 and "gepubliceerd" in r.text:   # another redacteur was first
                r.success()
            else:
                r.failure(f"publiceren: status {r.status_code}")
