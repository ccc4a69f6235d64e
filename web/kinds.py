"""The collections the site and the API offer, the main navigation, and the Dutch facet names.

One table: the page /praktijken, its JSON twin /api/v1/praktijken and the redirect from
/id/praktijk/… all come from the same row.
"""
from dataclasses import dataclass

from kast.vocab import SEGMENT


@dataclass(frozen=True)
class Collection:
    name: str                 # URL segment, plural Dutch: /praktijken, /api/v1/praktijken
    kinds: tuple[str, ...]    # entity kinds of the loader
    singular: str
    title: str
    intro: str
    search_kind: str | None = None     # served by the search index with this kind …
    facets: tuple[str, ...] = ()       # … or listed from the graph with these facets


COLLECTIONS = (
    Collection("praktijken", ("praktijk",), "praktijk", "Praktijken",
               "Best en worst practices van gemeenten en partners: wat werkte, wat misging en waarom.", "praktijk"),
    Collection("instrumenten", ("instrument",), "instrument", "Instrumenten",
               "Wetten, bevoegdheden, scans, trainingen, handreikingen en voorzieningen in de aanpak.", "instrument"),
    Collection("actoren", ("actor", "politie-eenheid"), "actor", "Actoren",
               "Ministeries, RIEC's, kennisinstituten, netwerken en andere organisaties met een rol in de aanpak. "
               "Gemeenten, provincies, veiligheidsregio's en waterschappen hebben elk een eigen lijst.",
               facets=("actorsoort", "niveau")),
    Collection("themas", ("thema",), "thema", "Thema's",
               "Thema's, deelaspecten en fenomenen van ondermijning uit de bronnen.", "thema"),
    Collection("ambities", ("ambitie",), "ambitie", "Ambities",
               "Gedeelde ambities uit de Toekomstagenda en de Drentse aanpak.", "ambitie"),
    Collection("gemeenten", ("gemeente",), "gemeente", "Gemeenten",
               "Alle gemeenten met hun provincie, veiligheidsregio en RIEC-regio.", facets=("provincie", "riec")),
    Collection("provincies", ("provincie",), "provincie", "Provincies", "De twaalf provincies."),
    Collection("veiligheidsregios", ("veiligheidsregio",), "veiligheidsregio", "Veiligheidsregio's",
               "De veiligheidsregio's met hun RIEC-regio.", facets=("riec",)),
    Collection("waterschappen", ("waterschap",), "waterschap", "Waterschappen", "De waterschappen."),
    Collection("begrippenkaders", ("begrippenkader",), "begrippenkader", "Begrippenkaders",
               "De kaders waarin thema's en ambities geordend zijn."),
    Collection("bronnen", ("bron",), "bron", "Bronnen", "De documenten en tabellen waarop de kast steunt."),
)
BY_NAME = {c.name: c for c in COLLECTIONS}
BY_KIND = {kind: c for c in COLLECTIONS for kind in c.kinds}
NAMES = tuple(BY_NAME)
# /id/{segment}/{slug}: which collection a segment of the URI strategy belongs to
SEGMENTS = {SEGMENT[kind]: BY_KIND[kind] for kind in BY_KIND}

# The main navigation: (endpoint, label). Items whose endpoint is not (yet) registered are left out,
# so the network views of issue 5 appear as soon as their blueprint registers these endpoints.
NAV = (
    ("pages.home", "Home"),
    ("pages.zoeken", "Zoeken"),
    ("pages.praktijken", "Praktijken"),
    ("pages.instrumenten", "Instrumenten"),
    ("pages.actoren", "Actoren"),
    ("pages.themas", "Thema's"),
    ("pages.gemeenten", "Gemeenten"),
    ("netwerk.actorenkaart", "Actorenkaart"),
    ("netwerk.gemeenten", "Netwerk van gemeenten"),
    ("pages.over", "Over de data"),
)

FACET_LABELS = {
    "soort": "Soort", "praktijksoort": "Best of worst", "aard": "Aard","thema": "Thema", "instrument": "Instrument",
    "actor": "Actor", "provincie": "Provincie", "riec": "RIEC-regio", "bewijsniveau": "Bewijsniveau",
    "jaar": "Jaar", "actorsoort": "Soort actor", "niveau": "Niveau", "veiligheidsregio": "Veiligheidsregio",
}
SORTS = {"relevantie": "relevantie", "titel": "titel (A-Z)", "nieuwste": "nieuwste eerst"}

KIND_LABELS = {
    "praktijk": "praktijk", "instrument": "instrument", "actor": "actor", "thema": "thema", "ambitie": "ambitie",
    "gemeente": "gemeente", "provincie": "provincie", "veiligheidsregio": "veiligheidsregio",
    "waterschap": "waterschap", "politie-eenheid": "politie-eenheid", "begrippenkader": "begrippenkader",
    "bron": "bron",
}


def facet_label(name: str) -> str:
    return FACET_LABELS.get(name, name.capitalize())
