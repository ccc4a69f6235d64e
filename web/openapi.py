"""The OpenAPI 3.0 document of /api/v1, built from the same tables as the routes, so the two cannot drift
apart: the collections from web.kinds, the facets from what the search index and the lists offer.
tests/test_web_api.py checks the responses against it with schemathesis."""
from kast.search import search

from .errors import API_VERSION
from .finder import MAX_PAGE, MAX_SIZE, MAX_VALUE_LENGTH, MAX_VALUES
from .kinds import COLLECTIONS, SORTS, facet_label

ID_PATTERN = "^[a-z0-9][a-z0-9.-]*$"
# The organisation that keeps the kast, with its general (never a personal) address.
CONTACT = {"name": "VNG, De Apothekerskast", "url": "https://vng.nl", "email": "info@vng.nl"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    return dict(schema, nullable=True)


STRING, INT, BOOL = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
HREF = {"type": "object", "required": ["href"], "properties": {"href": STRING}}


def _obj(required: list[str] | None, **props) -> dict:
    """An object schema; `required` None when no property is (OpenAPI forbids an empty list)."""
    schema = {"type": "object", "properties": props}
    if required:
        schema["required"] = required
    return schema


def _array(items: dict) -> dict:
    return {"type": "array", "items": items}


SCHEMAS = {
    "Links": {"type": "object", "additionalProperties": HREF},
    "Probleem": _obj(["type", "title", "status", "detail"], type=STRING, title=STRING, status=INT, detail=STRING,
                     instance=STRING),
    "Resultaat": _obj(["id", "type", "naam", "fragment", "_links"], id=STRING, type=STRING, naam=STRING,
                      fragment={"type": "string", "description": "HTML; alleen <mark> rond de treffers, de rest is "
                                                                  "al ge-escapet"},
                      score=_nullable({"type": "number"}),
                      praktijktype=_nullable({"type": "string", "description": "bij een praktijk: soort en aard, "
                                                                              "bijv. 'worst practice · valkuil'"}),
                      _links=_ref("Links")),
    "Facetwaarde": _obj(["waarde", "label", "aantal", "gekozen"], waarde={"type": "string", "description": "'_geen' = niet ingevuld"},
                        label=STRING, aantal=INT, gekozen=BOOL),
    "Facet": _obj(["naam", "label", "waarden"], naam=STRING, label=STRING, waarden=_array(_ref("Facetwaarde"))),
    "Filter": _obj(["facet", "waarde", "label"], facet=STRING, waarde=STRING, label=STRING),
    "Resultaten": _obj(
        ["zoekvraag", "totaal", "pagina", "paginagrootte", "aantalPaginas", "sortering", "resultaten", "facetten",
         "filters", "_links"],
        zoekvraag=STRING, totaal=INT, pagina=INT, paginagrootte=INT, aantalPaginas=INT,
        sortering={"type": "string", "enum": list(SORTS)}, resultaten=_array(_ref("Resultaat")),
        facetten=_array(_ref("Facet")), filters=_array(_ref("Filter")), suggestie=_nullable(STRING),
        uitgebreidMet=_array(STRING), verouderd=BOOL, melding=_nullable(STRING), _links=_ref("Links")),
    "Bronvermelding": _obj(["bron", "document", "bestand", "sectie", "onderbouwt"],
                           nummer=_nullable(INT), bron=STRING, document=STRING, bestand=STRING, sectie=STRING,
                           sectietitel=STRING, onderbouwt=_array(STRING), citaat=_nullable(STRING)),
    "Waarde": _obj(["waarde"], waarde=STRING, code=_nullable(STRING)),
    "Veld": _obj(["veld", "label", "waarden", "bronnen"], veld=STRING, label=STRING, waarden=_array(_ref("Waarde")),
                 bronnen={"type": "array", "items": INT, "description": "nummers uit 'bronnen'"}),
    "Verwijzing": _obj(["id", "type", "naam", "iri", "bronnen", "_links"], id=STRING, type=STRING, naam=STRING,
                       iri=STRING, bronnen=_array(_ref("Bronvermelding")), _links=_ref("Links")),
    "Relatie": _obj(["relatie", "label", "richting", "items"], relatie=STRING, label=STRING,
                    richting={"type": "string", "enum": ["uit", "in"]}, predicaat=STRING,
                    items=_array(_ref("Verwijzing"))),
    "Vergelijkbaar": _obj(["id", "type", "naam", "score", "_links"], id=STRING, type=STRING, naam=STRING,
                          score={"type": "number"}, gedeeld=_array(STRING), _links=_ref("Links")),
    "Entiteit": _obj(
        ["id", "type", "naam", "iri", "velden", "relaties", "bronnen", "vergelijkbaar", "_links"],
        id=STRING, type=STRING, naam=STRING, iri=STRING, velden=_array(_ref("Veld")), relaties=_array(_ref("Relatie")),
        bronnen=_array(_ref("Bronvermelding")), vergelijkbaar=_array(_ref("Vergelijkbaar")), zelfdeAls=_array(STRING),
        contact=_obj(None, organisatie=_nullable(_obj(["id", "naam"], id=STRING, naam=STRING)), functie=_nullable(STRING)),
        groeimodel={"type": "object", "description": "alleen bij een ambitie met een schaal in het groeimodel: "
                                                     "niveaus, voor wie zij geldt en bronnen"},
        _links=_ref("Links")),
    "Account": _obj(["gebruikersnaam", "naam", "organisatie", "organisatieNaam", "rol", "actief"],
                    gebruikersnaam=STRING, naam=STRING, organisatie={"type": "string", "description": "id in de kast"},
                    organisatieNaam=STRING, rol={"type": "string", "enum": ["lid", "redacteur", "beheerder"]},
                    actief=BOOL),
    "Dataset": _obj(["titel", "beschrijving", "licentie", "distributies", "bronnen", "_links"],
                    titel=STRING, beschrijving=STRING, uitgever=STRING, licentie={"type": "object"}, taal=STRING,
                    gebied=STRING, gewijzigd=_nullable(STRING), basisUri=STRING, ontologie=STRING,
                    aantallen={"type": "object", "additionalProperties": INT},
                    distributies=_array(_obj(["formaat", "mediatype", "url"], formaat=STRING, mediatype=STRING, url=STRING)),
                    citeren=STRING, bronnen=_array({"type": "object"}), _links=_ref("Links")),
}

VERSION_HEADER = {"API-Version": {"description": "Versie van de API (semver)", "schema": STRING}}


def _response(description: str, schema: str, mediatype: str = "application/json") -> dict:
    return {"description": description, "headers": VERSION_HEADER, "content": {mediatype: {"schema": _ref(schema)}}}


PROBLEM_400 = _response("Ongeldige parameter (Nederlandse uitleg in 'detail')", "Probleem", "application/problem+json")
PROBLEM_404 = _response("Niet gevonden", "Probleem", "application/problem+json")
PROBLEM_401 = _response("Niet ingelogd, of het API-token is onbekend of ingetrokken", "Probleem",
                        "application/problem+json")
SECURITY_SCHEMES = {
    "apiToken": {"type": "http", "scheme": "bearer",
                 "description": "Persoonlijk API-token (kast_…), te maken op /account. Zonder token ziet u wat "
                                "openbaar is; met het token van een lid ook de praktijken die alleen binnen het "
                                "netwerk worden gedeeld. Een onbekend of ingetrokken token geeft 401."},
    "sessie": {"type": "apiKey", "in": "cookie", "name": "kast_sessie",
               "description": "De sessie na inloggen op /inloggen (voor de website zelf)."},
}
# Every read works without credentials (the public view); a token or session widens what is visible.
OPTIONAL_AUTH = [{}, {"apiToken": []}, {"sessie": []}]


def _query_params(facets: list[str], sortable: bool, default_size: int) -> list[dict]:
    params = [
        {"name": "pagina", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}},
        {"name": "paginagrootte", "in": "query",
         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_SIZE, "default": default_size}},
    ]
    if sortable:
        params.insert(0, {"name": "q", "in": "query", "description": "Zoekvraag in gewone woorden",
                          "schema": {"type": "string", "maxLength": 500}})
        params.append({"name": "sorteer", "in": "query", "schema": {"type": "string", "enum": list(SORTS),
                                                                     "default": "relevantie"}})
    for name in facets:
        params.append({"name": name, "in": "query", "style": "form", "explode": True,
                       "description": f"Filter op {facet_label(name).lower()} (id; herhaal voor meer waarden; "
                                      "'_geen' = niet ingevuld; lege waarden tellen niet mee)",
                       "schema": {"type": "array", "maxItems": MAX_VALUES,
                                  "items": {"type": "string", "maxLength": MAX_VALUE_LENGTH}}})
    return params


def _get(summary: str, params: list[dict], ok: dict, tag: str, not_found: bool = False) -> dict:
    responses = {"200": ok, "400": PROBLEM_400}
    if not_found:
        responses["404"] = PROBLEM_404
    return {"get": {"summary": summary, "tags": [tag], "parameters": params, "responses": responses,
                    "operationId": summary}}


def document(site) -> dict:
    search_facets = list(search("", limit=1, opened=site.opened()).facets)
    paths = {
        "/zoeken": _get("zoeken", _query_params(search_facets, True, 10),
                        _response("Zoekresultaten met facetten", "Resultaten"), "zoeken"),
        "/account": {"get": {"summary": "account", "operationId": "account", "tags": ["algemeen"], "parameters": [],
                             "security": [{"apiToken": []}, {"sessie": []}],
                             "responses": {"200": _response("Het account van het token of de sessie: naam, "
                                                            "organisatie en rol", "Account"),
                                           "401": PROBLEM_401}}},
        "/dataset": {"get": {"summary": "dataset", "operationId": "dataset", "tags": ["algemeen"], "parameters": [],
                             "responses": {"200": _response("Beschrijving van de dataset (DCAT)", "Dataset")}}},
    }
    for c in COLLECTIONS:
        facets = [f for f in search_facets if f != "soort"] if c.search_kind else list(c.facets)
        paths[f"/{c.name}"] = _get(f"{c.name}", _query_params(facets, bool(c.search_kind), 20),
                                   _response(f"{c.title}, per pagina", "Resultaten"), c.name)
        paths[f"/{c.name}/{{id}}"] = {"get": {
            "summary": f"{c.singular}", "operationId": f"{c.singular}", "tags": [c.name],
            "parameters": [{"name": "id", "in": "path", "required": True,
                            "schema": {"type": "string", "pattern": ID_PATTERN, "maxLength": 120}}],
            "responses": {"200": _response(f"Eén {c.singular} met velden, relaties in beide richtingen en bronnen",
                                           "Entiteit"), "400": PROBLEM_400, "404": PROBLEM_404}}}
    from .maps_api import openapi_paths   # the network views (issue 5)
    paths.update(openapi_paths())
    from .curation_api import openapi as curation_paths   # the curation workflow (issue 10)
    schemas = dict(SCHEMAS)
    curation_paths(paths, schemas)
    from .profiles_openapi import openapi_paths as profile_paths   # the weerbaarheidsprofiel (issue 13)
    profile_doc, profile_schemas = profile_paths()
    paths.update(profile_doc)
    schemas.update(profile_schemas)
    return {
        "openapi": "3.0.3",
        "info": {"title": "De Apothekerskast API", "version": API_VERSION,
                 "description": "Lezen uit de kennisgraaf van de aanpak van ondermijning: praktijken, instrumenten, "
                                "actoren, thema's, ambities, gemeenten en hun bronnen. Volgt de REST API Design "
                                "Rules (NL API Strategie). Fouten zijn application/problem+json.",
                 "contact": CONTACT,
                 "license": {"name": "EUPL-1.2"}},
        "servers": [{"url": "/api/v1"}],
        # The SPARQL endpoint lives outside /api/v1 and follows the SPARQL 1.1 Protocol; it describes itself
        # (SPARQL Service Description, DCAT-AP-NL) rather than in this document.
        "externalDocs": {"description": "SPARQL-eindpunt (SPARQL 1.1-protocol, alleen lezen) en de DCAT-AP-NL-"
                                        "beschrijving van de dataset (/dataset)", "url": "/sparql"},
        "tags": [{"name": "algemeen"}, {"name": "zoeken"}] + [{"name": c.name} for c in COLLECTIONS] + [{"name": "netwerken"}, {"name": "profielen"}],
        "paths": paths,
        "security": OPTIONAL_AUTH,
        "components": {"schemas": schemas, "securitySchemes": SECURITY_SCHEMES},
    }
