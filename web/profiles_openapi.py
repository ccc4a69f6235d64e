"""The weerbaarheidsprofiel in the OpenAPI document (web/openapi.py): /profielen/{organisatie}, its
concept (GET, PUT with If-Match) and its metingen (POST, GET). Only with an API token or a session of a
member of that organisation (or a redacteur): 401 without, 404 for anyone else."""

PROBLEM = {"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Probleem"}}}}
HEADERS = {"API-Version": {"description": "Versie van de API (semver)", "schema": {"type": "string"}}}
SECURITY = [{"apiToken": []}, {"sessie": []}]
ORG = {"name": "organisatie", "in": "path", "required": True, "description": "Id van de organisatie in de kast, bijv. gm0106",
       "schema": {"type": "string", "pattern": "^[a-z0-9][a-z0-9.-]*$", "maxLength": 100}}
MEASUREMENT = {"name": "meting", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
ANSWER = {"type": "object", "properties": {
    "score": {"type": "integer", "nullable": True, "minimum": 0, "description": "niveau van het groeimodel; null = niet ingevuld"},
    "notitie": {"type": "string", "maxLength": 2000, "description": "geen namen van personen of zaken"},
    "peer": {"type": "boolean", "description": "toon de organisatie aan anderen als peer bij deze ambitie"}}}
SCHEMAS = {
    "Profiel": {"type": "object", "required": ["organisatie", "versie", "scores", "metingen", "_links"], "properties": {
        "organisatie": {"type": "string"}, "naam": {"type": "string"}, "groeimodel": {"type": "string", "nullable": True},
        "versie": {"type": "integer"}, "contactfunctie": {"type": "string"},
        "bijgewerkt": {"type": "string", "nullable": True},
        "scores": {"type": "object", "additionalProperties": ANSWER, "description": "per ambitie-id"},
        "gedeeldMet": {"type": "array", "items": {"type": "string"}},
        "metingen": {"type": "array", "items": {"type": "object"}}, "_links": {"type": "object"}}},
    "Profielwijziging": {"type": "object", "properties": {
        "contactfunctie": {"type": "string", "maxLength": 120, "description": "een functie, geen naam"},
        "scores": {"type": "object", "additionalProperties": ANSWER}}},
    "Meting": {"type": "object", "required": ["organisatie", "meting", "ambities", "gaten", "waterbed"], "properties": {
        "organisatie": {"type": "object"}, "meting": {"type": "object"}, "vorigeMeting": {"type": "object", "nullable": True},
        "groeimodel": {"type": "object"}, "termijn": {"type": "object", "nullable": True},
        "themas": {"type": "array", "items": {"type": "object"}}, "ambities": {"type": "array", "items": {"type": "object"}},
        "voortgang": {"type": "object", "nullable": True}, "gaten": {"type": "array", "items": {"type": "object"}},
        "waterbed": {"type": "object", "description": "alleen mediaan en aantal van minstens vijf andere organisaties"}}},
}


def _ok(description: str, schema: str, status_headers: dict | None = None) -> dict:
    return {"description": description, "headers": dict(HEADERS, **(status_headers or {})),
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def _problem(description: str) -> dict:
    return dict(PROBLEM, description=description)


DENIED = {"401": _problem("Niet ingelogd, of het API-token is onbekend of ingetrokken"),
          "404": _problem("Geen profiel dat u mag zien (ook als het bestaat)")}


def openapi_paths() -> tuple[dict, dict]:
    """(paths, schemas) to merge into the document."""
    from flask import current_app

    model = current_app.extensions["profiles"].model
    ambitions = {"type": "string", "enum": [s.ambition for s in model.scales]} if model else {"type": "string"}
    etag = {"ETag": {"description": "Versie van het concept; stuur terug in If-Match", "schema": {"type": "string"}}}
    paths = {
        "/profielen/{organisatie}": {
            "get": {"operationId": "profiel", "summary": "Het concept van het weerbaarheidsprofiel en de lijst van metingen",
                    "tags": ["profielen"], "security": SECURITY, "parameters": [ORG],
                    "responses": {"200": _ok("Concept en metingen", "Profiel", etag),
                                  "400": _problem("Ongeldig id van een organisatie"), **DENIED}},
            "put": {"operationId": "profielWijzigen", "summary": "Scores, notities en peerkeuzes van het concept wijzigen "
                                                                 "(alleen de genoemde ambities)",
                    "tags": ["profielen"], "security": SECURITY,
                    "parameters": [ORG, {"name": "If-Match", "in": "header", "required": True,
                                         "schema": {"type": "string"}, "description": "De ETag van GET"}],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Profielwijziging"}}}},
                    "responses": {"200": _ok("Het gewijzigde concept", "Profiel", etag),
                                  "400": _problem("Ongeldige score, notitie of ambitie"), **DENIED,
                                  "412": _problem("Het concept is intussen gewijzigd"),
                                  "428": _problem("If-Match ontbreekt")}}},
        "/profielen/{organisatie}/metingen": {
            "post": {"operationId": "metingVastleggen", "summary": "Het concept vastleggen als meting",
                     "tags": ["profielen"], "security": SECURITY, "parameters": [ORG],
                     "requestBody": {"required": False, "content": {"application/json": {"schema": {
                         "type": "object", "properties": {"datum": {"type": "string", "format": "date"}}}}}},
                     "responses": {"201": _ok("De meting met wat zij teruggeeft", "Meting",
                                              {"Location": {"schema": {"type": "string"}}}),
                                   "400": _problem("Ongeldige datum of nog niets ingevuld"), **DENIED}}},
        "/profielen/{organisatie}/metingen/{meting}": {
            "get": {"operationId": "meting", "summary": "Eén meting: scores, voortgang, gaten met instrumenten, "
                                                        "praktijken en peers, en de waterbedvergelijking",
                    "tags": ["profielen"], "security": SECURITY, "parameters": [ORG, MEASUREMENT],
                    "responses": {"200": _ok("De meting", "Meting"),
                                  "400": _problem("Ongeldig id van een organisatie of meting"), **DENIED}}},
        "/netwerk/profielen": {
            "get": {"operationId": "profielnetwerk", "summary": "Het netwerk van de profielen voor leden: per ambitie "
                                                                "samen leren en wie kan helpen (alleen aangemelde "
                                                                "organisaties), en groepen rond een gat",
                    "tags": ["profielen"], "security": SECURITY,
                    "parameters": [{"name": "ambitie", "in": "query", "schema": ambitions},
                                   {"name": "grootte", "in": "query", "schema": {"type": "integer", "minimum": 2, "maximum": 20}}],
                    "responses": {"200": {"description": "Overzicht, verbindingen en groepen", "headers": HEADERS,
                                          "content": {"application/json": {"schema": {"type": "object"}}}},
                                  "400": _problem("Onbekende ambitie"), "401": DENIED["401"]}}},
    }
    return paths, SCHEMAS
