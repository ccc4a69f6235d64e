"""The forms of the load test, shared by `locustfile.py` and the warm-up in `load.py` (which must not import
locust: it patches the standard library with gevent)."""
import re

CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
VERSION = re.compile(r'name="versie" value="([^"]+)"')
PROPOSAL = re.compile(r"/redactie/voorstellen/([a-z0-9-]+)$")
QUEUE_ROW = re.compile(r'href="/redactie/voorstellen/([a-z0-9-]+)".*?</td>.*?</td>.*?</td>\s*<td[^>]*>(ja|nee)', re.S)


def login_form(session, base: str, name: str, password: str):
    """Log in as a browser does (outside locust: the warm-up of load.py)."""
    token = CSRF.search(session.get(base + "/inloggen").text).group(1)
    return session.post(base + "/inloggen", data={"csrf_token": token, "gebruikersnaam": name,
                                                  "wachtwoord": password}, allow_redirects=False)


def proposal_form(org: str, label: str, token: str) -> dict:
    """A complete new practice as the form sends it, for the member's own municipality."""
    return {"csrf_token": token, "titel": f"Integrale parkcontrole {label}", "soort": "best",
            "aard": "lokale-praktijk", "zichtbaarheid": "openbaar",
            "samenvatting": "De gemeente controleert vakantieparken integraal met de omgevingsdienst.",
            "gemeenten": [org], "actoren": [org], "themas": ["fenomeen-vakantieparken"], "instrumenten": ["wet-bibob"],
            "bewijsniveau": "beschreven", "effect": "onbekend",
            "probleem": "Op parken speelt meer dan het toezicht alleen ziet.", "aanpak": "Integrale controles.",
            "werkingsmechanisme": "Samen zien partners meer.", "resultaat": "De bron meldt nog geen resultaat.",
            "lessen": "- Begin klein.", "overdraagbaarheid": "Voor gemeenten met parken.",
            "bronnen-aantal": "1", "bron-0": "003", "sectie-0": "2.1"}
