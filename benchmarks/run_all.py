"""Run every ``benchmarks/*_bench.py`` in turn, each in its own process, and print their tables.

    python benchmarks/run_all.py [--quick] [--only NAME ...]

Extra flags after ``--`` are passed to every script. Each script writes its
JSON under ``benchmarks/results/``; this prints a summary of exit statuses
and fails (status 1) when any script failed. A script exits 1 when it ran
but missed one of its targets (help, ci, translate, e2e, scale and comet
check theirs; bounded, scoring and significance have none and only print
their figures), anything else nonzero when it crashed.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="pass --quick to the scripts that take it")
    parser.add_argument("--only", nargs="*", default=None, help="script names (without _bench.py) to run")
    parser.add_argument("extra", nargs="*", help="arguments passed to every script (after --)")
    args = parser.parse_args(argv)
    scripts = sorted(HERE.glob("*_bench.py"))
    if args.only:
        scripts = [s for s in scripts if s.stem.removesuffix("_bench") in args.only]
    summary = []
    for script in scripts:
        cmd = [sys.executable, str(script), *args.extra]
        if args.quick and "--quick" in script.read_text(encoding="utf-8"):
            cmd.append("--quick")
        print(f"\n=== {script.name} ===", flush=True)
        start = time.perf_counter()
        status = subprocess.run(cmd, cwd=HERE.parent, check=False).returncode
        summary.append((script.name, status, time.perf_counter() - start))
    print("\n=== summary ===")
    for name, status, seconds in summary:
        verdict = {0: "ok", 1: "TARGET MISSED"}.get(status, f"FAILED ({status})")
        print(f"{name:28} {verdict:14} {seconds:7.1f}s")
    return 0 if all(status == 0 for _, status, _ in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
