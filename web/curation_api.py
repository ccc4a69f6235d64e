"""The JSON API of the curation workflow (REST API Design Rules): propose, change with If-Match, change
status, and read the history. Authenticated with a personal API token (`Authorization: Bearer …`) or the
session; every rule is the library's (`kast.curation`).

- `POST /api/v1/praktijken` → 201, `Location`, `ETag`: a new practice as concept.
- `PUT /api/v1/praktijken/{id}` needs `If-Match` (428 without it): saves the caller's open proposal for
  the entry, or proposes a change to the published entry. A change since that version is merged when
  other fields changed, and answered 412 with both versions per field when the same ones did.
- `POST /api/v1/praktijken/{id}/status` with `{"status": …, "toelichting": …}`.
- `GET /api/v1/praktijken/{id}/versies` and `/versies/{versie}`.
The same POST, PUT, status and versions for actoren, instrumenten, themas and ambities (entries of list
files). A new one (`POST /api/v1/actoren` …) names in `bestand` the list file it goes into (for a theme or
ambition: the file of its begrippenkader; actors and instruments default to landelijk.yaml) and gets its
id from `id` or its `naam`. In a PUT, `relaties` left out are kept as they are and `"relaties": []`
removes them. Validation and privacy findings come back as application/problem+json with one entry per
field.
"""
from flask import Blueprint, request, url_for
from flask_login import current_user

from kast.curation import Conflict, CurationError, Rejected, kinds
from kast.curation.entry import EntryFormatError

from . import live
from .curation import curation, editor, site
from .errors import json_response, problem

bp = Blueprint("redactie_api", __name__, url_prefix="/api/v1")
# collections whose entries the curation changes → the loader's kinds in them
EDITABLE = {"praktijken": ("praktijk",), "actoren": ("actor",), "instrumenten": ("instrument",),
            "themas": ("thema",), "ambities": ("ambitie",)}
COLLECTION = "<any(" + ", ".join(EDITABLE) + "):collection>"
SINGULAR = {"praktijken": "praktijk", "actoren": "actor", "instrumenten": "instrument", "themas": "thema",
            "ambities": "ambitie"}
# the curation's kind of the entries of each collection (kast.curation.kinds), and for a new entry the
# loader's kind (a theme or an ambition: which begrippenkaders it may go into)
CURATION_KIND = {"praktijken": "praktijk", "actoren": "actor", "instrumenten": "instrument", "themas": "begrip",
                 "ambities": "begrip"}
NEW_KIND = {"actoren": "actor", "instrumenten": "instrument", "themas": "thema", "ambities": "ambitie"}
STATUS_STEPS = {"ter-beoordeling": "indienen", "ter-review": "indienen", "concept": "terugsturen",
                "gepubliceerd": "publiceren", "ingetrokken": "intrekken", "gearchiveerd": "archiveren"}


def _problem(status: int, detail: str, errors: list | None = None, **extra):
    response = problem(status, detail[:1].upper() + detail[1:])
    body = response.get_json()
    if errors:
        body["fouten"] = [{"veld": e.get("veld") or e.get("field") or "", "melding": e.get("melding") or e.get("tekst", "")}
                          for e in errors]
    body.update(extra)
    response.set_data(json_response(body).get_data())
    return response


def _failed(exc: CurationError):
    if isinstance(exc, Rejected):
        return _problem(422, str(exc), exc.messages)
    if isinstance(exc, Conflict):
        return _problem(412, str(exc), None, conflicten=exc.fields, huidigeVersie=exc.current_version)
    return _problem(exc.status, str(exc))


def _needs_account():
    if not current_user.is_authenticated:
        response = _problem(401, "log in of stuur een API-token mee (Authorization: Bearer …)")
        response.headers["WWW-Authenticate"] = "Bearer"
        return response
    return None


def _body() -> dict | None:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else None


def _saved(result, status: int = 200, collection: str = "praktijken"):
    body = result.as_dict()
    response = json_response(body, status)
    response.headers["ETag"] = f'"{result.version}"'
    response.headers["Location"] = url_for("redactie_api.versions", collection=collection,
                                           entry_id=result.proposal.entry_id)
    return response


def _kind(collection: str, entry_id: str) -> str | None:
    """The loader's kind of a visible entry of this collection; None when there is none for the caller."""
    item = site().kast.items.get(entry_id)
    if item is None or item.kind not in EDITABLE[collection] or not site().public(entry_id):
        return None
    return item.kind


def _missing(collection: str):
    return _problem(404, f"{kinds.this(SINGULAR[collection])} {SINGULAR[collection]} bestaat niet")


def _open_proposal(entry_id: str):
    """The caller's (a curator: anyone's) open proposal for this entry, newest first, or None."""
    me = editor()
    for p in sorted(curation().proposals(), key=lambda p: p.updated, reverse=True):
        if p.entry_id == entry_id and p.status in ("concept", "ter-review") and (me.curator or p.proposer == me.account):
            return p
    return None


@bp.post("/praktijken")
def create():
    if (refused := _needs_account()) is not None:
        return refused
    fields = _body()
    if fields is None:
        return _problem(400, "stuur de praktijk als JSON-object met de veldnamen van het bestandsformaat")
    try:
        result = curation().propose(editor(), fields, override=request.headers.get("Kast-Geen-Persoonsgegeven"))
    except (CurationError, EntryFormatError) as exc:
        return _failed(exc) if isinstance(exc, CurationError) else _problem(400, str(exc))
    return _saved(result, 201)


def _file(fields: dict):
    """The `bestand` of a body (not a field of the entry itself): (name or None, problem or None)."""
    file = fields.pop("bestand", None)
    if file is not None and (not isinstance(file, str) or len(file) > 120):
        return None, _problem(400, "'bestand' is de naam van een lijstbestand, zoals landelijk.yaml")
    return file or None, None


@bp.post("/<any(" + ", ".join(NEW_KIND) + "):collection>")
def create_entry(collection: str):
    """A new actor, instrument, theme or ambition as a concept proposal."""
    if (refused := _needs_account()) is not None:
        return refused
    fields = _body()
    if fields is None:
        return _problem(400, f"stuur de {SINGULAR[collection]} als JSON-object met de veldnamen van het bestandsformaat")
    file, bad = _file(fields)
    if bad is not None:
        return bad
    try:
        result = curation().propose(editor(), fields, kind=NEW_KIND[collection], file=file, create=True,
                                    override=request.headers.get("Kast-Geen-Persoonsgegeven"))
    except CurationError as exc:
        return _failed(exc)
    return _saved(result, 201, collection)


@bp.put(f"/{COLLECTION}/<entry_id>")
def change(collection: str, entry_id: str):
    if (refused := _needs_account()) is not None:
        return refused
    version = (request.headers.get("If-Match") or "").strip().strip('"').removeprefix("W/").strip('"')
    if not version:
        return _problem(428, "stuur de versie waarvan u uitging mee in If-Match (de ETag van het item)")
    fields = _body()
    if fields is None:
        return _problem(400, f"stuur de {SINGULAR[collection]} als JSON-object met de veldnamen van het bestandsformaat")
    file = None
    if collection != "praktijken":
        file, bad = _file(fields)
        if bad is not None:
            return bad
    cur, me = curation(), editor()
    override = request.headers.get("Kast-Geen-Persoonsgegeven")
    kind = _kind(collection, entry_id) if collection != "praktijken" else "praktijk"
    try:
        mine = _open_proposal(entry_id)   # also a new entry that is not published yet
        if mine is not None and kinds.of(mine.kind) is kinds.of(CURATION_KIND[collection]):
            if file and file.removesuffix(".yaml") != mine.path.rsplit("/", 1)[-1].removesuffix(".yaml"):
                message = f"dit voorstel staat in {mine.path}; een item verhuist niet naar een ander bestand"
                return _problem(422, message, [{"veld": "bestand", "melding": message}])
            result = cur.save(me, mine.id, fields, version, override=override)
        elif kind and cur.published(entry_id, me, kind) is not None and site().public(entry_id):
            result = cur.propose(me, fields, entry_id, version, override=override, kind=kind, file=file)
        else:
            return _missing(collection)
    except CurationError as exc:
        return _failed(exc)
    return _saved(result, collection=collection)


@bp.post(f"/{COLLECTION}/<entry_id>/status")
def status(collection: str, entry_id: str):
    if (refused := _needs_account()) is not None:
        return refused
    body = _body() or {}
    step = STATUS_STEPS.get(str(body.get("status", "")))
    if step is None:
        return _problem(400, "status moet een van deze zijn: " + ", ".join(STATUS_STEPS))
    comment = str(body.get("toelichting") or "")
    cur, me = curation(), editor()
    try:
        if step == "archiveren":
            if collection != "praktijken" or not site().public(entry_id):
                return _problem(404 if collection == "praktijken" else 409,
                                "deze praktijk bestaat niet" if collection == "praktijken"
                                else "alleen praktijken worden via de redactie gearchiveerd")
            event = cur.archive(me, entry_id, comment)
            live.refresh_now()
            return json_response(event.as_dict())
        p = _open_proposal(entry_id)
        if p is None or kinds.of(p.kind) is not kinds.of(CURATION_KIND[collection]):
            return _problem(404, f"er is geen open voorstel voor {kinds.this(SINGULAR[collection])} {SINGULAR[collection]}")
        if step == "indienen":
            done = cur.submit(me, p.id, comment).as_dict()
        elif step == "terugsturen":
            done = cur.send_back(me, p.id, comment).as_dict()
        elif step == "intrekken":
            done = cur.withdraw(me, p.id, comment).as_dict()
        else:
            done = cur.publish(me, p.id, comment).as_dict()
            live.refresh_now()
    except CurationError as exc:
        return _failed(exc)
    return json_response(done)


def _history_kind(collection: str, entry_id: str) -> str | None:
    if collection == "praktijken":
        return "praktijk" if site().public(entry_id) else None
    return _kind(collection, entry_id)


@bp.get(f"/{COLLECTION}/<entry_id>/versies")
def versions(collection: str, entry_id: str):
    if (kind := _history_kind(collection, entry_id)) is None:
        return _missing(collection)
    try:
        events = curation().history(entry_id, editor() if current_user.is_authenticated else None, kind=kind)
    except CurationError as exc:
        return _failed(exc)
    html = url_for("redactie.history", entry_id=entry_id) if collection == "praktijken" else url_for(
        "redactie_items.history", collection=collection, entry_id=entry_id)
    return json_response({SINGULAR[collection]: entry_id, "versies": events,
                          "_links": {"self": {"href": request.path}, "html": {"href": html}}})


@bp.get(f"/{COLLECTION}/<entry_id>/versies/<versie>")
def version(collection: str, entry_id: str, versie: str):
    if (kind := _history_kind(collection, entry_id)) is None:
        return _missing(collection)
    try:
        fields = curation().version_at(entry_id, versie, editor() if current_user.is_authenticated else None,
                                       kind=kind)
    except CurationError as exc:
        return _failed(exc)
    from kast.curation.entry import nest

    return json_response({SINGULAR[collection]: entry_id, "versie": versie, "velden": nest(fields)})


def openapi(paths: dict, schemas: dict) -> None:
    """Add the write operations to the OpenAPI document (web.openapi)."""
    from .openapi import PROBLEM_401, PROBLEM_404, VERSION_HEADER, _ref, _response

    problem = lambda text: _response(text, "Probleem", "application/problem+json")   # noqa: E731
    schemas["Praktijkvelden"] = {
        "type": "object", "additionalProperties": True,
        "description": "De velden van docs/dataformaat.md: titel, soort, aard, samenvatting, zichtbaarheid, actoren, "
                       "instrumenten, themas, gemeenten, regios, periode{van,tot}, bewijsniveau, effect, "
                       "context{grootte,kenmerken}, contact{organisatie,functie}, bronnen[{bron,sectie,onderbouwt,"
                       "citaat}] en de teksten probleem, aanpak, werkingsmechanisme, resultaat, lessen, overdraagbaarheid."}
    schemas["Opgeslagen"] = {"type": "object", "required": ["voorstel", "versie", "opgeslagen"],
                             "properties": {"voorstel": {"type": "object"}, "versie": {"type": "string"},
                                            "opgeslagen": {"type": "boolean"}, "bericht": {"type": "string"},
                                            "samengevoegd": {"type": "array", "items": {"type": "string"}},
                                            "meldingen": {"type": "array", "items": {"type": "object"}},
                                            "vondsten": {"type": "array", "items": {"type": "object"}}}}
    schemas["Voorstelstand"] = {"type": "object", "required": ["status"],
                                "properties": {"id": {"type": "string"}, "item": {"type": "string"},
                                               "status": {"type": "string"}, "laatste": {"type": "object"}}}
    secured = [{"apiToken": []}, {"sessie": []}]
    saved = {"description": "Opgeslagen als concept", "content": {"application/json": {"schema": _ref("Opgeslagen")}},
             "headers": dict(VERSION_HEADER, ETag={"description": "De versie, voor If-Match", "schema": {"type": "string"}},
                             Location={"description": "De geschiedenis van het item (te lezen zodra het gepubliceerd is)",
                                       "schema": {"type": "string"}})}
    body = {"required": True, "content": {"application/json": {"schema": _ref("Praktijkvelden")}}}
    entry_id = {"name": "id", "in": "path", "required": True,
                "schema": {"type": "string", "pattern": "^[a-z0-9][a-z0-9.-]*$", "maxLength": 120}}
    errors = {"400": problem("Geen JSON-object"), "401": PROBLEM_401,
              "422": problem("Validatie of mogelijke persoonsgegevens; 'fouten' heeft één regel per veld")}
    # OpenAPI links: what a client can do next with the new proposal (schemathesis follows them too)
    item = "$response.body#/voorstel/item"
    created = dict(saved, links={
        "wijzigen": {"operationId": "praktijkWijzigen",
                     "parameters": {"path.id": item, "header.If-Match": "$response.header.ETag"}},
        "statusWijzigen": {"operationId": "praktijkStatus", "parameters": {"path.id": item}},
        "geschiedenis": {"operationId": "praktijkVersies", "parameters": {"path.id": item}}})
    paths.setdefault("/praktijken", {})["post"] = {
        "summary": "praktijk voorstellen", "operationId": "praktijkVoorstellen", "tags": ["praktijken"],
        "security": secured, "requestBody": body, "responses": {"201": created, **errors}}
    paths.setdefault("/praktijken/{id}", {})["put"] = {
        "summary": "praktijk wijzigen", "operationId": "praktijkWijzigen", "tags": ["praktijken"], "security": secured,
        "parameters": [entry_id, {"name": "If-Match", "in": "header", "required": True, "schema": {"type": "string"},
                                  "description": "De ETag van de versie waarvan u uitging"}],
        "requestBody": body,
        "responses": {"200": saved, **errors, "404": PROBLEM_404,
                      "412": problem("Intussen zijn dezelfde velden gewijzigd; 'conflicten' toont beide versies"),
                      "428": problem("If-Match ontbreekt")}}
    paths[f"/praktijken/{{id}}/status"] = {"post": {
        "summary": "status wijzigen", "operationId": "praktijkStatus", "tags": ["praktijken"], "security": secured,
        "parameters": [entry_id],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["status"],
            "properties": {"status": {"type": "string", "enum": list(STATUS_STEPS)}, "toelichting": {"type": "string"}}}}}},
        "responses": {"200": _response("De nieuwe stand van het voorstel (bij archiveren: de gebeurtenis)", "Voorstelstand"),
                      **errors, "404": PROBLEM_404,
                      "403": problem("Niet toegestaan: een lid publiceert niet; niemand keurt zijn eigen voorstel goed"),
                      "409": problem("Deze stap past niet bij de status van het voorstel")}}}
    history = {"type": "object", "properties": {"praktijk": {"type": "string"},
                                                "versies": {"type": "array", "items": {"type": "object"}}}}
    paths["/praktijken/{id}/versies"] = _versions_get("praktijk", entry_id, history, problem)
    paths["/praktijken/{id}/versies/{versie}"] = _version_get("praktijk", entry_id, problem)
    text, texts = {"type": "string"}, {"type": "array", "items": {"type": "string"}}
    schemas["Bronveld"] = {
        "type": "object", "required": ["bron", "sectie"], "additionalProperties": True,
        "description": "Een bronvermelding: brondocument (id in data/sources/) en sectie.",
        "properties": {"bron": text, "sectie": text, "onderbouwt": texts,
                       "citaat": {"type": "string", "description": "Kort letterlijk citaat, hooguit 200 tekens"}}}
    schemas["Relatieveld"] = {
        "type": "object", "required": ["soort", "doel", "bronnen"], "additionalProperties": True,
        "description": "Een relatie van een actor: soort (de vaste lijst relatiesoort), doel (id van een actor; bij "
                       "neemt-deel-aan een instrument) en bronnen.",
        "properties": {"soort": {"type": "string", "enum": _relation_kinds()}, "doel": text,
                       "bronnen": {"type": "array", "items": _ref("Bronveld")}}}
    item_properties = {
        "id": {"type": "string", "description": "Alleen bij een nieuw item: het id (kleine letters, cijfers en "
                                                "koppeltekens); zonder id wordt het gemaakt van de naam"},
        "naam": text, "andere-namen": texts, "zoektermen": texts, "beschrijving": text, "soort": text,
        "niveau": text, "tooi": text, "focus": text, "wettelijke-basis": text, "aangeboden-door": texts,
        "ontwikkeld-door": texts, "ondersteund-door": texts, "themas": texts, "doelgroepen": texts,
        "notatie": text, "breder": text, "verwant": texts, "instrumenten": texts,
        "relaties": {"type": "array", "items": _ref("Relatieveld"),
                     "description": "Alleen bij een actor. Weggelaten: de relaties blijven zoals ze zijn; een lege "
                                    "lijst haalt ze weg."},
        "bronnen": {"type": "array", "items": _ref("Bronveld")},
        "bestand": {"type": "string", "maxLength": 120,
                    "description": "Alleen bij een nieuw item: het lijstbestand waar het achteraan in komt (bijv. "
                                   "drenthe.yaml; bij een thema of ambitie het bestand van het begrippenkader). "
                                   "Zonder keuze: landelijk.yaml voor actoren en instrumenten."}}
    schemas["Itemvelden"] = {
        "type": "object", "additionalProperties": True, "properties": item_properties,
        "description": "De velden van een actor, instrument of begrip zoals in docs/dataformaat.md (naam, andere-namen, "
                       "zoektermen, beschrijving, en per soort focus, soort, niveau, tooi, wettelijke-basis, "
                       "aangeboden-door, themas, notatie, breder, verwant, relaties …) en bronnen."}
    item_body = {"required": True, "content": {"application/json": {"schema": _ref("Itemvelden")}}}
    for collection, singular in SINGULAR.items():
        if collection == "praktijken":
            continue
        created_item = dict(saved, links={
            "wijzigen": {"operationId": f"{singular}Wijzigen",
                         "parameters": {"path.id": item, "header.If-Match": "$response.header.ETag"}},
            "statusWijzigen": {"operationId": f"{singular}Status", "parameters": {"path.id": item}}})
        paths.setdefault(f"/{collection}", {})["post"] = {
            "summary": f"{kinds.a_new(singular).removeprefix('een ')} voorstellen", "operationId": f"{singular}Voorstellen", "tags": [collection],
            "security": secured, "requestBody": item_body,
            "responses": {"201": created_item, **errors}}
    for collection, singular in SINGULAR.items():
        if collection == "praktijken":
            continue
        tag = collection
        paths.setdefault(f"/{collection}/{{id}}", {})["put"] = {
            "summary": f"{singular} wijzigen", "operationId": f"{singular}Wijzigen", "tags": [tag], "security": secured,
            "parameters": [entry_id, {"name": "If-Match", "in": "header", "required": True, "schema": {"type": "string"},
                                      "description": f"De ETag van de {singular} (GET /{collection}/{{id}})"}],
            "requestBody": item_body,
            "responses": {"200": saved, **errors, "404": PROBLEM_404,
                          "412": problem("Intussen zijn dezelfde velden gewijzigd; 'conflicten' toont beide versies"),
                          "428": problem("If-Match ontbreekt")}}
        paths[f"/{collection}/{{id}}/status"] = {"post": dict(
            paths["/praktijken/{id}/status"]["post"], summary="status van het voorstel wijzigen",
            operationId=f"{singular}Status", tags=[tag])}
        paths[f"/{collection}/{{id}}/versies"] = _versions_get(singular, entry_id, history, problem, tag)
        paths[f"/{collection}/{{id}}/versies/{{versie}}"] = _version_get(singular, entry_id, problem, tag)


def _versions_get(singular: str, entry_id: dict, history: dict, problem, tag: str = "praktijken") -> dict:
    from .openapi import PROBLEM_404, VERSION_HEADER

    return {"get": {
        "summary": "geschiedenis", "operationId": f"{singular}Versies", "tags": [tag], "parameters": [entry_id],
        "responses": {"200": {"description": "Elke gepubliceerde wijziging: wie, wanneer, waarom en wat per veld",
                              "headers": VERSION_HEADER, "content": {"application/json": {"schema": history}}},
                      "400": problem("Ongeldig verzoek"), "404": PROBLEM_404}}}


def _version_get(singular: str, entry_id: dict, problem, tag: str = "praktijken") -> dict:
    from .openapi import PROBLEM_404, VERSION_HEADER

    return {"get": {
        "summary": "versie", "operationId": f"{singular}Versie", "tags": [tag],
        "parameters": [entry_id, {"name": "versie", "in": "path", "required": True,
                                  "schema": {"type": "string", "pattern": "^[0-9a-f]{40}$"}}],
        "responses": {"200": {"description": "De velden zoals ze in die versie waren", "headers": VERSION_HEADER,
                              "content": {"application/json": {"schema": {"type": "object"}}}},
                      "400": problem("Ongeldig verzoek"), "404": PROBLEM_404}}}


def _relation_kinds() -> list[str]:
    """The notations of the fixed list relatiesoort (ontology/lijsten.ttl), as the loader knows them."""
    from . import curation_form as cf

    kast = site().kast
    options = site().cached("redactie-relaties", lambda: cf.relation_options(kast))
    return sorted(value for value, _ in options["soorten"])
