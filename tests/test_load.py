"""A short run of the load test (benchmarks/load.py): the site under gunicorn with two workers, on a temporary
content repository with accounts, answers every request of a few simulated visitors without an error: anonymous
readers, a lid who logs in through the form, reads what only the network sees and saves a proposal, and a
redacteur. Speed and memory are measured by the benchmark itself (docs/prestaties.md), not here."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_short_load_run_with_logged_in_users_and_saves_has_no_errors():
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "load.py"), "--users", "6", "--seconds", "8",
                          "--spawn-rate", "6", "--json"], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["failures"] == 0, result["failure_kinds"]
    done = result["by_name"]
    assert done.get("POST /inloggen", 0) >= 1, done                      # logged in through the real form
    assert done.get("GET /praktijken/{netwerk-id} (lid)", 0) + done.get("GET /api/v1/praktijken (ingelogd)", 0) >= 1
    assert done.get("POST /redactie/nieuw (voorstel)", 0) >= 1, done     # a save: a proposal committed
    assert done.get("GET /api/v1/praktijken", 0) >= 1, done              # anonymous readers too
    assert len(result["memory"]) == 2      # both workers were sampled
