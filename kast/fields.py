"""The fields of each kind of entry file: YAML key → RDF property, value type and target.

One table drives reading, RDF conversion, error messages (RDF property → YAML key) and the practice
template of `kast new practice`, so the file format is described in exactly one place.
"""
from dataclasses import dataclass

from .vocab import ACTOR_KINDS, CONCEPT_KINDS


@dataclass(frozen=True)
class Field:
    key: str          # the (Dutch) key in the file; nested keys are written 'periode.van'
    predicate: str    # CURIE, resolved against the vocabulary
    type: str         # text | texts | literal | ref | refs | concept | concepts | year | date | uri
    target: tuple[str, ...] | str = ()   # entity kinds (ref/refs) or a fixed-list name (concept/concepts)
    help: str = ""


LABELS = (
    Field("naam", "skos:prefLabel", "text", help="De officiële naam."),
    Field("andere-namen", "skos:altLabel", "texts", help="Afkortingen en synoniemen."),
    Field("zoektermen", "skos:hiddenLabel", "texts", help="Spreektaal en spelvarianten waarop men zoekt."),
    Field("beschrijving", "dct:description", "text", help="Beschrijving in eigen woorden."),
)

ACTOR = LABELS + (
    Field("soort", "kast:actorType", "concept", "actorsoort"),
    Field("niveau", "kast:level", "concept", "niveau"),
    Field("tooi", "owl:sameAs", "uri"),
    Field("focus", "kast:focus", "text", help="Waar de actor zich in de aanpak op richt, volgens de bronnen."),
)

INSTRUMENT = LABELS + (
    Field("soort", "kast:instrumentType", "concept", "instrumentsoort"),
    Field("wettelijke-basis", "kast:legalBasis", "text"),
    Field("aangeboden-door", "kast:offeredBy", "refs", ACTOR_KINDS),
    Field("ontwikkeld-door", "kast:developedBy", "refs", ACTOR_KINDS),
    Field("ondersteund-door", "kast:supportedBy", "refs", ACTOR_KINDS),
    Field("themas", "kast:theme", "refs", CONCEPT_KINDS),
    Field("doelgroepen", "kast:audience", "concepts", "doelgroep"),
)

CONCEPT = LABELS + (
    Field("notatie", "skos:notation", "literal"),
    Field("breder", "skos:broader", "ref", CONCEPT_KINDS),
    Field("verwant", "skos:related", "refs", CONCEPT_KINDS),
    Field("instrumenten", "kast:refersToInstrument", "refs", ("instrument",)),
)

SCHEME = (
    Field("naam", "skos:prefLabel", "text"),
    Field("beschrijving", "dct:description", "text"),
)

SOURCE = (
    Field("titel", "dct:title", "text"),
    Field("bestand", "kast:fileName", "literal"),
    Field("soort", "dct:type", "literal"),
    Field("uitgever", "dct:publisher", "refs", ACTOR_KINDS),
    Field("datum", "dct:issued", "date"),
    Field("kenmerk", "dct:bibliographicCitation", "literal"),
    Field("beschrijving", "dct:description", "text"),
)

REGION_KINDS = ("actor", "provincie", "veiligheidsregio", "waterschap", "politie-eenheid", "gemeente")

PRACTICE = (
    Field("titel", "skos:prefLabel", "text", help="Korte, beschrijvende titel."),
    Field("soort", "kast:practiceKind", "concept", "praktijksoort",
          help="best (navolgen waard) of worst (misging of kan misgaan, met les); zie ook aard."),
    Field("aard", "kast:practiceNature", "concept", "praktijkaard",
          help="Wat het is. Bij best: lokale-praktijk (een organisatie deed het), landelijk-programma (landelijk "
               "beleid of programma) of voornemen (voornemen, pleidooi of afspraak; uitvoering niet gemeld). "
               "Bij worst: voorgevallen (gebeurde echt) of valkuil (risico waarvoor de bronnen waarschuwen)."),
    Field("samenvatting", "dct:abstract", "text", help="Twee of drie zinnen: wat, wie, met welk resultaat."),
    Field("status", "kast:status", "concept", "status", help="concept | ter-review | gepubliceerd | gearchiveerd"),
    Field("zichtbaarheid", "kast:visibility", "concept", "zichtbaarheid",
          help="openbaar | netwerk (alleen leden van het netwerk) | curatoren"),
    Field("andere-namen", "skos:altLabel", "texts", help="Andere namen waaronder de praktijk bekend is."),
    Field("zoektermen", "skos:hiddenLabel", "texts", help="Woorden waarop gebruikers zoeken."),
    Field("actoren", "prov:wasAssociatedWith", "refs", ACTOR_KINDS,
          help="Id's van de betrokken organisaties (data/actors/ of gemeenten zoals gm0106)."),
    Field("instrumenten", "prov:used", "refs", ("instrument",), help="Id's van de gebruikte instrumenten."),
    Field("themas", "kast:theme", "refs", CONCEPT_KINDS, help="Id's van thema's of ambities (data/themes/)."),
    Field("gemeenten", "dct:spatial", "refs", ("gemeente",), help="CBS-codes van gemeenten, bijv. gm0106."),
    Field("regios", "dct:spatial", "refs", REGION_KINDS,
          help="RIEC-id's, provincies (pv22), veiligheidsregio's (vr03) of waterschappen (ws0664)."),
    Field("periode.van", "kast:startYear", "year", help="Beginjaar."),
    Field("periode.tot", "kast:endYear", "year", help="Eindjaar; leeg als het nog loopt."),
    Field("bewijsniveau", "kast:evidenceLevel", "concept", "bewijsniveau",
          help="beschreven | theoretisch-onderbouwd | eerste-aanwijzingen | goede-aanwijzingen | sterke-aanwijzingen"),
    Field("effect", "kast:effectDirection", "concept", "effect", help="positief | gemengd | geen | negatief | onbekend"),
    Field("context.grootte", "kast:suitableSize", "concepts", "gemeentegrootte",
          help="Gemeentegrootte waarvoor het past: klein | middelgroot | groot."),
    Field("context.kenmerken", "kast:contextFeature", "concepts", "gemeentekenmerk",
          help="stedelijk | landelijk | grensregio | toeristisch | haven-of-logistiek | agrarisch"),
    Field("contact.organisatie", "kast:contactOrganisation", "ref", ACTOR_KINDS,
          help="Id van de organisatie die het werk deed (nooit een persoon); leeg als de bron die niet noemt."),
    Field("contact.functie", "kast:contactRole", "text",
          help="Alleen een rol die de bron noemt; nooit een verzonnen functietitel."),
    Field("aangemaakt", "dct:created", "date", help="Datum van aanmaken (JJJJ-MM-DD)."),
    Field("gewijzigd", "dct:modified", "date", help="Datum van de laatste wijziging (JJJJ-MM-DD)."),
)

# The Markdown body of a practice: heading → field.
PRACTICE_BODY = (
    Field("probleem", "kast:problem", "text", help="Wat speelde er?"),
    Field("aanpak", "kast:approach", "text", help="Wat is er gedaan, door wie, met welk instrument?"),
    Field("werkingsmechanisme", "kast:mechanism", "text",
          help="Waarom werkt het? Bij een worst practice: waarom ging het mis?"),
    Field("resultaat", "kast:result", "text", help="Wat leverde het op? Wat is (niet) bekend?"),
    Field("lessen", "kast:lessons", "text", help="De lessen, als opsomming."),
    Field("overdraagbaarheid", "kast:transferability", "text",
          help="Voor welke gemeenten en omstandigheden is dit geschikt?"),
)
BODY_HEADINGS = {f.key.capitalize(): f for f in PRACTICE_BODY}

# Keys handled by special code rather than by the table.
SPECIAL = {"id", "bronnen", "relaties", "secties", "schema", "begrippen"}

FIELDS = {
    "actor": ACTOR,
    "instrument": INSTRUMENT,
    "thema": CONCEPT,
    "ambitie": CONCEPT,
    "begrippenkader": SCHEME + (Field("soort", "", "literal"),),
    "praktijk": PRACTICE + PRACTICE_BODY,
    "bron": SOURCE,
}
NESTED = {"periode", "context", "contact"}


def fields_of(kind: str) -> dict[str, Field]:
    return {f.key: f for f in FIELDS[kind]}

# Reference organisations (data/reference/*.csv), mapped by kast.reference.
REFERENCE = (
    Field("naam", "skos:prefLabel", "text"),
    Field("tooi", "owl:sameAs", "uri"),
    Field("soort", "kast:actorType", "concept", "actorsoort"),
    Field("niveau", "kast:level", "concept", "niveau"),
    Field("provincie", "kast:province", "ref", ("provincie",)),
    Field("veiligheidsregio", "kast:veiligheidsregio", "ref", ("veiligheidsregio",)),
    Field("politie-eenheid", "kast:policeUnit", "ref", ("politie-eenheid",)),
    Field("riec", "kast:riecRegion", "ref", ("actor",)),
    Field("onderdeel-van", "org:subOrganizationOf", "ref", ("actor",)),
)
for _kind in ("gemeente", "provincie", "waterschap", "veiligheidsregio", "politie-eenheid"):
    FIELDS[_kind] = REFERENCE
