"""``mteval --help`` against ``python -c pass``: median of several runs, side by side.

Also reports which heavy packages importing ``mteval.cli`` pulls in (none of
torch, transformers, comet, ctranslate2 should be loaded for ``--help``).

    python benchmarks/help_bench.py [--quick] [--runs N]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
HEAVY = ("torch", "transformers", "comet", "ctranslate2", "sentencepiece", "sacrebleu", "numpy", "pandas", "matplotlib")
TARGET_RATIO = 2.0


def _time(cmd: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited with {done.returncode}: {done.stderr[-500:]}")
    return elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 runs instead of 15")
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--out", type=Path, default=RESULTS / "help_bench.json")
    args = parser.parse_args(argv)
    runs = args.runs or (5 if args.quick else 15)

    python = sys.executable
    commands = {
        "python -c pass": [python, "-c", "pass"],
        "mteval --help": [python, "-c", "import sys; from mteval.cli.command import main; sys.argv[0] = 'mteval'; "
                                        "sys.exit(main(['--help']))"],
    }
    script = Path(python).parent / "mteval"
    if script.exists():
        commands["mteval --help"] = [str(script), "--help"]
    for cmd in commands.values():  # warm the OS file cache
        _time(cmd)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):  # interleaved, so a disturbance hits both
        for name, cmd in commands.items():
            times[name].append(_time(cmd))
    medians = {name: statistics.median(values) for name, values in times.items()}
    ratio = medians["mteval --help"] / medians["python -c pass"]

    probe = ("import json, sys; import mteval.cli; "
             f"print(json.dumps({{m: m in sys.modules for m in {list(HEAVY)!r}}}))")
    loaded = json.loads(subprocess.run([python, "-c", probe], capture_output=True, text=True, cwd=REPO,
                                       check=True).stdout.strip().splitlines()[-1])

    print(f"(help) startup time, median of {runs} interleaved runs")
    print(f"{'command':16} {'median ms':>10} {'min ms':>8} {'max ms':>8}")
    for name, values in times.items():
        print(f"{name:16} {medians[name] * 1000:10.1f} {min(values) * 1000:8.1f} {max(values) * 1000:8.1f}")
    verdict = "ok" if ratio <= TARGET_RATIO else "ABOVE TARGET"
    print(f"ratio mteval --help / python -c pass: {ratio:.2f}x  [<= {TARGET_RATIO}x] {verdict}")
    print("loaded by `import mteval.cli`: " + ", ".join(f"{m}={'yes' if v else 'no'}" for m, v in loaded.items()))
    heavy_loaded = [m for m in ("torch", "transformers", "comet", "ctranslate2") if loaded[m]]
    print("heavy packages loaded: " + (", ".join(heavy_loaded) if heavy_loaded else "none"))

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"benchmark": "help", "runs": runs, "times_s": times, "median_s": medians,
                                    "ratio": round(ratio, 3), "target_ratio": TARGET_RATIO,
                                    "modules_after_import_mteval_cli": loaded}, indent=1), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0 if ratio <= TARGET_RATIO else 1  # 1: a target missed (see run_all.py)


if __name__ == "__main__":
    sys.exit(main())
