"""The Apothekerskast website, JSON API and Linked Data, as one Flask application.

`create_app()` follows the Flask tutorial's application factory. Data flows one way: files → loader
→ graph and search index → views. The kast is loaded once per process (see `web.site`).

Run it with `kast serve`, or with several worker processes:
`gunicorn -w 2 'web:create_app()'`.
"""
from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter

from . import assets, errors, heap, live, security
from .site import Site


class DatabaseId(IntegerConverter):
    """`<int:…>` in a route: a number that fits a database INTEGER (32 bits in PostgreSQL). A larger one is no
    id of anything, so a 404 instead of an overflow error of the database."""

    def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def create_app(config: dict | None = None) -> Flask:
    """Config keys: KAST_DATA (data folder), KAST_INDEX (search index folder), KAST_BASE_IRI, KAST_VAR
    (runtime folder), KAST_DATABASE_URL (accounts database), KAST_COOKIE_SECURE, SECRET_KEY."""
    static = Path(__file__).parent / "static"
    app = Flask(__name__, static_url_path=assets.static_url_path(static))   # versioned: see web/assets.py
    app.config.update(KAST_DATA=None, KAST_INDEX=None, KAST_BASE_IRI=None, KAST_CONTENT_REPO=None,
                      JSON_AS_ASCII=False)
    app.config.from_prefixed_env("KAST_FLASK")
    if config:
        app.config.update(config)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    # Jinja autoescaping is on for every template: they all end in .html.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.url_map.converters["int"] = DatabaseId   # before any route is added
    app.url_map.strict_slashes = True   # '/praktijken/' is a 404, never a second URL for '/praktijken'

    from . import (account, api, auth, curation, curation_api, curation_bulk, curation_entries, dcat, entities,
                   linkeddata, maps, maps_api, pages, profiles, sparql, sso)

    # The site serves the published work tree of the content repository that curation writes to.
    app.config["KAST_DATA"] = app.config["KAST_CONTENT_REPO"] = str(curation.content_repository(app.config))
    site = app.extensions["kast"] = Site.for_config(app.config)

    from .templating import register as register_templating

    register_templating(app)
    auth.register(app, site)              # login, API tokens, CSRF; sets the reader of each request
    live.register(app)                    # take in published changes between requests
    heap.register(app)                    # full garbage collections after the response (web.heap)
    app.register_blueprint(account.bp)
    sso.register(app)                     # only when KAST_OIDC_ISSUER is set
    app.register_blueprint(curation.bp)   # propose, review, publish, history, nieuw en gewijzigd
    app.register_blueprint(curation_api.bp)
    app.register_blueprint(curation_entries.bp)   # the same for actors, instruments and concepts
    app.register_blueprint(curation_bulk.bp)   # import from CSV/XLSX, export of lists and search results
    curation.warm_up(app)
    profiles.register(app, site)          # /profielen and /api/v1/profielen (issue 13)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(linkeddata.bp)
    app.register_blueprint(maps.bp)       # /kaart and /netwerk (issue 5)
    app.register_blueprint(maps_api.bp)
    app.register_blueprint(sparql.bp)     # /sparql (issue 14)
    app.register_blueprint(dcat.bp)       # /dataset: DCAT-AP-NL, VoID (issue 14)
    app.register_blueprint(entities.bp)   # last: its routes are /<collection>/<id>
    errors.register(app)
    security.register(app)
    assets.register(app)   # compression, versioned static files, favicon
    return app

