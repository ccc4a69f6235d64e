"""What one simulated visitor does, for `benchmarks/load.py` (locust): officials searching with facets, reading
entity pages and their JSON twins, and organisers opening the actor map and the peer network.

Logged-in browsing and saving come with the accounts and curation work (issue 10): add a `Curator` user
here once those routes exist (log in, open an edit form, save), weighted like one in ten visitors.
"""
import random

from locust import HttpUser, between, task

QUERIES = ["bibob", "13b", "motorbendes", "vakantieparken", "bedreiging wethouder", "huurders screenen",
           "witwassen vastgoed", "damoclesbeleid", "integriteit", "drugs", "ondermijnig", "weerbaarheidsscan"]
FACETS = [(), (("soort", "praktijk"),), (("praktijksoort", "worst"),), (("soort", "instrument"),),
          (("provincie", "pv22"),), (("soort", "praktijk"), ("praktijksoort", "best"))]


class Official(HttpUser):
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
