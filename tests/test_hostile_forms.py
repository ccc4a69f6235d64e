"""Hostile requests against every route of the site (issue 15). The routes come from `app.url_map`, so a
new page is covered without touching this file; only static files are left out. Hypothesis makes up path
parameters, query strings, the Accept header, now and then a method the route does not take, and for POST
form bodies: wrong types, huge values, control characters, invalid
UTF-8 percent-escapes, script and HTML, repeated keys, fields left out and unknown fields, often on top of
the real form of the page (harvested from the page itself) so the request gets past the first check. Each
is sent as anonymous, lid and redacteur, with a valid CSRF token (so it reaches the view) or without.

After each request: no 5xx, no traceback, a Dutch error page, an answer within the hang guard, and after a
refusal (4xx) the content repository and the accounts and profiles database unchanged."""
import io
import os
import re
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from werkzeug.routing import AnyConverter, IntegerConverter, PathConverter

from kast.curation import Editor

from .curation_support import new_practice
from .hostile import problems, stored
from .html_tools import Page
from .web_auth import Auth, csrf_token

ROLES = {"lid": ("vijand-assen", "gm0106"), "redacteur": ("vijand-redactie", "vng")}
# Examples per route and run; KAST_HOSTILE_SCALE=10 runs ten times as many (for a deeper search by hand).
SCALE = int(os.environ.get("KAST_HOSTILE_SCALE", "1"))
EXAMPLES_READ, EXAMPLES_WRITE = 4 * SCALE, 16 * SCALE   # per route; with 96 routes ~660 requests a run
WEB = Path(__file__).parent.parent / "web"
SKIPPED = {"static", "static_plain"}

HOSTILE_TEXT = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{7*7}}", "${7*7}", "../../etc/passwd",
                "' OR '1'='1", "\x00", "\r\nSet-Cookie: x=y", "-1", "0", "1e999", "NaN", "9" * 40, "x" * 100_000,
                "ä" * 5_000, "\u202e", "%", "🙂", "", " ", "javascript:alert(1)", "//evil.example/", "2024-13-45",
                "9999-12-31", "true", "null", "[]", "{}", "\ud7ff\ufffe\uffff"]
ACCEPT = [None, None, "text/html", "application/json", "text/turtle", "application/ld+json;q=0.9, */*;q=0.1",
          "application/problem+json", "image/png", "*/*;q=x", "\u00e9/\u00e9"]
BAD_ESCAPES = ["%ff", "%c3%28", "%", "%zz", "%e2%82", "%00", "%ed%a0%80", "%f4%90%80%80", "%C0%AF"]


# ------------------------------------------------------------------ the app, its people and what they know

@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from web import create_app

    var = tmp_path_factory.mktemp("vijandig-web")
    app = create_app({"KAST_VAR": str(var), "KAST_INDEX": str(var / "index"),
                      "KAST_DATABASE_URL": f"sqlite:///{var / 'kast.sqlite'}"})
    # as in production: an exception becomes the 500 page a user would see, not an exception in the test
    assert not app.testing and not app.config["PROPAGATE_EXCEPTIONS"]
    return app


class People:
    """A logged-in test client per role (each from its own address, so the login throttle of one does not
    lock out another), logged in again whenever a hostile request logged it out."""

    def __init__(self, app):
        self.app, self.auth, self.clients, self.tokens = app, Auth(app), {}, {}
        for n, role in enumerate(("anoniem", *ROLES), start=1):
            self.login(role, f"192.0.2.{n}")

    def login(self, role: str, address: str | None = None) -> None:
        address = address or self.clients[role].environ_base["REMOTE_ADDR"]
        client = self.app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        if role != "anoniem":
            name, org = ROLES[role]
            assert self.auth.login(client, name, role, org).status_code == 302
        self.clients[role], self.tokens[role] = client, csrf_token(client, "/inloggen")

    def account(self, role: str):
        return self.auth.accounts.get(ROLES[role][0])


def editor_of(account) -> Editor:
    return Editor(f"account-{account.id}", account.display_name, account.role, account.organisation)


@pytest.fixture(scope="module")
def people(app) -> People:
    return People(app)


@pytest.fixture(scope="module")
def known(app, people) -> dict[str, list]:
    """Real values per path parameter name, so that some requests reach deep into a view: practices, a
    proposal in each state, versions, organisations, measurements."""
    from web.curation import curation

    site = app.extensions["kast"]
    kast = site.kast
    practices = sorted(i for i, item in kast.items.items() if item.kind == "praktijk")[:3]
    lid, redacteur = editor_of(people.account("lid")), editor_of(people.account("redacteur"))
    with app.app_context():
        cur = curation()
        concept = cur.propose(lid, new_practice(titel="Vijandig concept van Assen")).proposal.id
        review = cur.propose(lid, new_practice(titel="Vijandig voorstel ter beoordeling")).proposal.id
        cur.submit(lid, review, "graag beoordelen")
        own = cur.propose(redacteur, new_practice(titel="Vijandig voorstel van de redactie")).proposal.id
        versions = [cur.published(p)[1] for p in practices]
        commits = [e["versie"] for e in cur.history(practices[0], None)][:1]
    profiles = app.extensions["profiles"]
    profiles.save(people.account("lid"), "gm0106", {"ambitie-3-6": {"score": 2}})
    measurement = profiles.fix(people.account("lid"), "gm0106").id
    return {"item_id": practices + ["gm0106", "wet-bibob"], "entry_id": practices,
            "proposal_id": [concept, review, own], "versie": versions + commits,
            "org": ["gm0106", "gm0114", "vng"], "collaboration": profiles.collaborations("gm0106")[:2],
            "measurement_id": [measurement], "token_id": [1], "account_id": [1, 2],
            "segment": ["praktijk", "gemeente", "instrument"], "slug": practices[:1] + ["gm0106"],
            "term": ["Praktijk", "bewijsniveau"], "suffix": ["ttl", "jsonld", "nt", "rdf", "xml"],
            "fmt": ["ttl", "jsonld", "nt", "csv", "xlsx"], "filename": ["style.css"]}


def request_names(app) -> list[str]:
    """Every parameter name the views read (from their source) and the query parameters of the API."""
    names = set()
    for source in WEB.glob("*.py"):
        names |= set(re.findall(r'request\.(?:args|form|values|files)\.get(?:list)?\(\s*f?"([^"{]+)', source.read_text()))
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    names |= {p["name"] for ops in document["paths"].values() for op in ops.values() if isinstance(op, dict)
              for p in op.get("parameters", []) if p.get("in") == "query"}
    return sorted(names)


def harvest_forms(app, people, routes, known) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """The POST forms on every page each role can open, filled in as the page fills them: (role, endpoint)
    → the fields. A hostile body often starts from one, so it gets past 'field missing' to the real work."""
    adapter = app.url_map.bind("localhost")
    forms: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for role, client in people.clients.items():
        for rule in routes:
            if "GET" not in rule.methods or rule.endpoint.startswith(("api.", "netwerk", "linkeddata", "dcat")):
                continue
            try:
                url = adapter.build(rule.endpoint, {a: (known.get(a) or sorted(getattr(c, "items", [])) or ["x"])[0]
                                                    for a, c in rule._converters.items()})
            except Exception:
                continue
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            page = Page(response.get_data(as_text=True))
            for form in page.find_all("form"):
                if form.get("method", "get").lower() != "post":
                    continue
                try:
                    endpoint = adapter.match(form.get("action") or url, method="POST")[0]
                except Exception:
                    continue
                forms.setdefault((role, endpoint), fields_of(form))
    return forms


def fields_of(form) -> list[tuple[str, str]]:
    fields = []

    def walk(element):
        name = element.get("name")
        if name and element.tag == "input" and (element.get("type") not in ("checkbox", "radio") or "checked" in element.attrs):
            if element.get("type") != "file":
                fields.append((name, element.get("value", "")))
        elif name and element.tag == "textarea":
            fields.append((name, element.text))
        elif name and element.tag == "select":
            options = [o for o in element.children if o.tag == "option"]
            chosen = [o for o in options if "selected" in o.attrs] or options[:1]
            fields.extend((name, o.get("value", o.text)) for o in chosen)
        for child in element.children:
            walk(child)

    for child in form.children:
        walk(child)
    return fields


# ------------------------------------------------------------------ hostile values

def encoded(text: str, safe: str = "") -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe=safe)


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(st.text(max_size=30), st.sampled_from(HOSTILE_TEXT), st.integers().map(str),
                     st.text(st.characters(max_codepoint=31), max_size=10))


@st.composite
def wire_value(draw, safe: str = "") -> str:
    """A value as it goes over the wire: percent-encoded, sometimes with invalid UTF-8 escapes added."""
    value = encoded(draw(hostile_text()), safe)
    if draw(st.integers(0, 4)) == 0:
        value += draw(st.sampled_from(BAD_ESCAPES))
    return value


@st.composite
def path_of(draw, rule, known) -> str:
    values = {}
    for arg, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            choices = sorted(converter.items)
            values[arg] = draw(st.one_of(st.sampled_from(choices), wire_value()) if draw(st.booleans())
                               else st.sampled_from(choices))
        elif isinstance(converter, IntegerConverter):
            values[arg] = str(draw(st.one_of(st.sampled_from(known.get(arg) or [1]), st.integers(0, 10),
                                             st.integers(2**63 - 2, 10**40))))
        elif known.get(arg) and draw(st.booleans()):
            values[arg] = encoded(str(draw(st.sampled_from(known[arg]))))
        else:
            values[arg] = draw(wire_value("/" if isinstance(converter, PathConverter) else ""))
    return re.sub(r"<(?:[^<>]*:)?(\w+)>", lambda m: values[m.group(1)], rule.rule)


@st.composite
def pairs(draw, names, base=()) -> str:
    """key=value&… : the base form with fields left out, changed and repeated, plus unknown keys."""
    chosen = [(encoded(k), encoded(v)) for k, v in base if draw(st.integers(0, 5))]
    extra = draw(st.lists(st.tuples(st.one_of(st.sampled_from(names).map(encoded), wire_value()), wire_value()),
                          max_size=6))
    for i in range(len(chosen)):
        if draw(st.integers(0, 6)) == 0:
            chosen[i] = (chosen[i][0], draw(wire_value()))
    return "&".join(f"{k}={v}" for k, v in chosen + extra)


@st.composite
def hostile_request(draw, rule, known, names, forms) -> dict:
    methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
    method = draw(st.sampled_from(methods * 4 + ["DELETE"]))   # now and then one the route does not take
    role = draw(st.sampled_from(["anoniem", *ROLES]))
    request = {"role": role, "method": method, "path": draw(path_of(rule, known)), "csrf": draw(st.booleans())}
    request["query"] = draw(pairs(names)) if draw(st.booleans()) else ""
    request["accept"] = draw(st.sampled_from(ACCEPT))
    if method in ("POST", "PUT"):
        base = forms.get((role, rule.endpoint), [])
        base = [(k, v) for k, v in base if k != "csrf_token"] if draw(st.integers(0, 3)) else []
        kind = draw(st.sampled_from(["form", "form", "form", "multipart", "garbage"]))
        request["kind"] = kind
        if kind == "form":
            request["body"] = draw(pairs(names, base))
        elif kind == "multipart":
            request["body"] = {k: v for k, v in base}
            request["body"].update(draw(st.dictionaries(st.sampled_from(names), hostile_text(), max_size=4)))
            request["file"] = draw(st.one_of(st.binary(max_size=200), st.sampled_from(
                [b"PK\x03\x04" + b"\x00" * 40, b"titel;soort\n\"open;best\n", b"\xff\xfe\x00", b"<x>" * 1000])))
        else:
            request["body"] = draw(st.binary(max_size=300))
    return request


# ------------------------------------------------------------------ the test

def send(people, rule, request):
    role = request["role"]
    client, token = people.clients[role], people.tokens[role]
    kwargs = {"method": request["method"], "query_string": request["query"],
              "headers": {"Accept": request["accept"]} if request["accept"] else {}}
    if "body" in request:
        if request["kind"] == "form":
            body = request["body"] + (f"&csrf_token={token}" if request["csrf"] else "")
            kwargs.update(data=body.lstrip("&").encode("ascii"), content_type="application/x-www-form-urlencoded")
        elif request["kind"] == "multipart":
            data = dict(request["body"], bestand=(io.BytesIO(request["file"]), "vijandig.csv"))
            if request["csrf"]:
                data["csrf_token"] = token
            kwargs.update(data=data, content_type="multipart/form-data")
        else:
            kwargs.update(data=request["body"], content_type="text/plain")
    started = time.perf_counter()
    response = client.open(request["path"], **kwargs)
    seconds = time.perf_counter() - started
    if rule.endpoint in ("auth.logout", "auth.login") and request["method"] == "POST":
        people.login(role)   # the hostile request may have ended this client's session (and its CSRF token)
    return response, seconds


def routes_of(app) -> list:
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint not in SKIPPED), key=lambda r: r.rule)


@pytest.mark.filterwarnings("ignore:Generating overly large repr")
def test_every_route_survives_hostile_requests(app, people, known):
    routes = routes_of(app)
    assert len(routes) >= 90, "minder routes dan verwacht: wordt de url_map nog goed gelezen?"
    names = request_names(app)
    forms = harvest_forms(app, people, routes, known)
    assert ("lid", "redactie.new") in forms and ("anoniem", "auth.login") in forms, sorted(forms)
    failures: list[str] = []
    for rule in routes:
        examples = EXAMPLES_WRITE if rule.methods & {"POST", "PUT"} else EXAMPLES_READ

        @given(request=hostile_request(rule, known, names, forms))
        @settings(max_examples=examples, deadline=None, derandomize=SCALE == 1, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def check(request):
            before = stored(app)
            response, seconds = send(people, rule, request)
            body = response.get_data().decode("utf-8", "replace")   # exports are binary
            found = problems(response.status_code, body, response.mimetype, seconds)
            if response.status_code >= 400 and stored(app) != before:
                found.append(f"geweigerd ({response.status_code}) maar er is iets opgeslagen")
            assert not found, (f"{request['role']} {request['method']} {request['path'][:200]}"
                               f"?{request['query'][:200]}: {'; '.join(found)}\n{body[-1500:]}")

        try:
            check()
        except Exception as exc:   # every route's failure, reported together
            failures.append(f"{rule.endpoint} {rule.rule}: {exc}"[:2500])
    assert not failures, "\n\n".join(failures)
