"""Timing of the likely-duplicate check that `kast validate` runs (issue 11).

Usage: .venv/bin/python benchmarks/duplicates.py [--corpus /tmp/corpus10k] [--repeat 3]

Prints one Markdown table: for the real data/ and, when present, the synthetic corpus (make it with
`kast generate-corpus --practices 10000 -o /tmp/corpus10k`), the number of practices, the time to load
the graph (for comparison: the check runs after loading), the time of the check itself (best of
--repeat; one run for the corpus), the pairs found and the warnings printed (one per practice).
"""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kast import config  # noqa: E402
from kast.duplicates import duplicate_messages, likely_duplicates  # noqa: E402
from kast.loader import load  # noqa: E402


def best_of(fn, repeat: int):
    best, result = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="/tmp/corpus10k")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sets = [("echte data", config.DEFAULT_DATA, args.repeat)]
    if Path(args.corpus).is_dir():
        sets.append((f"synthetisch corpus ({args.corpus})", Path(args.corpus), 1))
    print("| data | praktijken | laden | controle | paren | waarschuwingen |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, folder, repeat in sets:
        start = time.perf_counter()
        kast = load(folder, shacl=False)
        loading = time.perf_counter() - start
        practices = sum(1 for item in kast.items.values() if item.kind == "praktijk")
        check, pairs = best_of(lambda: likely_duplicates(kast), repeat)
        warnings = len(duplicate_messages(kast))
        print(f"| {name} | {practices} | {loading:.2f} s | {check:.2f} s | {len(pairs)} | {warnings} |", flush=True)


if __name__ == "__main__":
    main()
