"""A short run of the load test (benchmarks/load.py): the site under gunicorn with two workers answers every
request of a few simulated visitors without an error. Speed is measured by the benchmark, not here."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_short_load_run_has_no_errors():
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "load.py"), "--users", "5", "--seconds", "5",
                          "--json"], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["requests"] > 0
    assert result["failures"] == 0, result["failure_kinds"]
    assert len(result["memory"]) == 2      # both workers were sampled
