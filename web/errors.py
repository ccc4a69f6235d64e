"""Errors in the form the client asked for: an HTML page in Dutch, or application/problem+json
(RFC 9457) for the API and for Linked Data clients. Never a traceback."""
from flask import Flask, current_app, json, render_template, request
from werkzeug.exceptions import HTTPException

from .finder import BadRequest

API_VERSION = "1.0.0"
TITLES = {400: "Ongeldig verzoek", 401: "Niet ingelogd", 403: "Niet toegestaan", 404: "Niet gevonden",
          405: "Methode niet toegestaan", 429: "Te veel verzoeken", 502: "Andere dienst niet bereikbaar",
          406: "Niet beschikbaar in dit formaat", 500: "Interne fout"}
DETAILS = {400: "Het verzoek kan niet worden gelezen.",
           401: "Log in om dit te zien of te doen.",
           403: "U mag dit niet doen met uw rol.",
           404: "Deze pagina of dit item bestaat niet (meer) in de kast.",
           405: "Deze methode is hier niet toegestaan.",
           429: "Te veel verzoeken in korte tijd; probeer het straks opnieuw.",
           406: "Dit formaat is hier niet beschikbaar.",
           500: "Er ging iets mis bij het maken van dit antwoord. Probeer het later opnieuw."}
MACHINE_TYPES = ("text/turtle", "application/ld+json", "application/n-triples", "application/json",
                 "application/problem+json")


def wants_problem() -> bool:
    """The API always answers in JSON; elsewhere, a client that prefers RDF or JSON over HTML does."""
    if request.path.startswith("/api/"):
        return True
    if not request.accept_mimetypes:
        return False
    return request.accept_mimetypes.best_match(["text/html", *MACHINE_TYPES]) in MACHINE_TYPES


def json_response(body, status: int = 200, mimetype: str = "application/json"):
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), status=status, mimetype=mimetype)
    if request.path.startswith("/api/"):
        response.headers["API-Version"] = API_VERSION
    return response


def problem(status: int, detail: str | None = None, title: str | None = None):
    body = {"type": "about:blank", "title": title or TITLES.get(status, "Fout"), "status": status,
            "detail": detail or DETAILS.get(status, ""), "instance": request.path}
    return json_response(body, status, "application/problem+json")


def error_page(status: int, detail: str | None = None, title: str | None = None):
    if wants_problem():
        return problem(status, detail, title)
    html = render_template("fout.html", status=status, title=title or TITLES.get(status, "Fout"),
                           detail=detail or DETAILS.get(status, ""))
    return current_app.response_class(html, status=status, mimetype="text/html")


def register(app: Flask) -> None:
    @app.errorhandler(BadRequest)
    def bad_request(exc):
        return error_page(400, str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc):
        status = exc.code or 500
        response = error_page(status, DETAILS.get(status, exc.description))
        if status == 405 and getattr(exc, "valid_methods", None):
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected(exc):
        app.logger.exception("onverwachte fout bij %s", request.path)
        return error_page(500)
