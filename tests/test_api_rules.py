"""The whole OpenAPI document, read and write, against the official linter of the Dutch API Design Rules
(the Spectral ruleset of developer.overheid.nl, in tests/spectral/linter.yaml), with 0 errors."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

SPECTRAL = Path(__file__).parent / "spectral"
BINARY = SPECTRAL / "node_modules" / ".bin" / "spectral"


def test_openapi_passes_the_api_design_rules_linter(client, tmp_path):
    if not BINARY.exists() or not shutil.which("node"):
        message = "Spectral ontbreekt: bash scripts/install-node-tools.sh (make test doet dat)"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(client.get("/api/v1/openapi.json").get_json()), encoding="utf-8")
    run = subprocess.run([str(BINARY), "lint", "-r", str(SPECTRAL / "linter.yaml"), str(document), "-f", "json",
                          "--quiet"], capture_output=True, text=True, timeout=300)
    results = json.loads(run.stdout or "[]")
    errors = [f"{'.'.join(map(str, r['path']))}: {r['code']}: {r['message']}" for r in results if r["severity"] == 0]
    assert not errors, "\n".join(errors)
