"""Hostile requests against the whole JSON API, read and write (issue 15): schemathesis generates valid and
invalid requests for every operation of /api/v1/openapi.json, sent with the API token of a lid and of a
redacteur. Never a 5xx; status, content type, headers and body as the document says; a refused write (4xx)
leaves the content repository and the accounts and profiles database exactly as they were.

Bounded (a few examples per operation, mode and role) so it runs in CI in about a minute. The app has its
own runtime folder: content repository, search index and database are temporary."""
import os
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi import checks

from kast.accounts import SYSTEM

from .hostile import problems, stored

CHECKS = [schemathesis.checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_headers_conformance, checks.response_schema_conformance]
# Examples per operation, mode and role; KAST_HOSTILE_SCALE=10 runs ten times as many, at random.
SCALE = int(os.environ.get("KAST_HOSTILE_SCALE", "1"))
EXAMPLES = {GenerationMode.POSITIVE: 4 * SCALE, GenerationMode.NEGATIVE: 3 * SCALE}
WRITES = ("POST", "PUT", "PATCH", "DELETE")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from web import create_app

    var = tmp_path_factory.mktemp("vijandig-api")
    app = create_app({"KAST_VAR": str(var), "KAST_INDEX": str(var / "index"),
                      "KAST_DATABASE_URL": f"sqlite:///{var / 'kast.sqlite'}"})
    assert not app.testing and not app.config["PROPAGATE_EXCEPTIONS"]   # a 500 is what a client would get
    return app


@pytest.fixture(scope="module")
def tokens(app) -> dict[str, str]:
    accounts, out = app.extensions["accounts"], {}
    for name, role, org in (("vijandig-lid", "lid", "gm0106"), ("vijandig-redacteur", "redacteur", "vng")):
        account = accounts.add(SYSTEM, name, "paars-kasteel-rijdt-langzaam", role, org)
        out[role] = accounts.create_token(SYSTEM, account.id, "schemathesis")[1]
    return out


@pytest.mark.parametrize("role", ["lid", "redacteur"])
def test_every_operation_survives_generated_requests(app, tokens, role):
    """Every operation of the document (read from the app, so new ones are covered), valid and invalid
    requests. Not checked: that every schema-violating request is refused (query values are text, see
    test_web_api) or that every schema-valid practice is accepted (the document cannot express the rules of
    validation and privacy, which answer 422)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {tokens[role]}", "Accept-Encoding": "identity"}
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 35, "het OpenAPI-document beschrijft minder operaties dan verwacht"
    for operation in operations:
        for mode, examples in EXAMPLES.items():
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=examples, deadline=None, derandomize=SCALE == 1, database=None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            def check(case):
                before = stored(app) if case.method.upper() in WRITES else None
                started = time.perf_counter()
                response = case.call_and_validate(headers=headers, checks=CHECKS)
                seconds = time.perf_counter() - started
                found = problems(response.status_code, response.text, response.headers.get("Content-Type", [""])[0],
                                 seconds)
                if before is not None and response.status_code >= 400 and stored(app) != before:
                    found.append(f"geweigerd ({response.status_code}) maar er is iets opgeslagen")
                assert not found, f"{case.method} {case.formatted_path}: {'; '.join(found)}"

            try:
                check()
            except Unsatisfiable:   # an operation without parameters or body has nothing to get wrong
                assert mode is GenerationMode.NEGATIVE, f"{operation.path}: geen geldig verzoek te maken"
            except Exception as exc:   # collect all operations' failures, then report them together
                failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {exc}"[:1500])
    assert not failures, "\n\n".join(failures)


def test_write_sequences_follow_the_links_of_the_document(app, tokens):
    """Stateful: schemathesis follows the OpenAPI links from a new proposal (201) to changing it with its
    ETag in If-Match, changing its status and reading its history, as a lid. A documented answer every
    step; never a 5xx."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {tokens['lid']}", "Accept-Encoding": "identity"}

    class AsLid(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS)

    AsLid.run(settings=settings(max_examples=3 * SCALE, stateful_step_count=4, deadline=None,
                                derandomize=SCALE == 1, database=None, suppress_health_check=list(HealthCheck)))
