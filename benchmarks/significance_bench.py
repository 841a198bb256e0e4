"""Benchmark: paired bootstrap (1000) + approximate randomization (10000), BLEU + chrF,
2,000 segments, 3 systems — mteval versus sacrebleu's own ``--paired-bs`` / ``--paired-ar``
on the same files, measured in one run.

Segments are synthetic: sentences of the seed articles, repeated with seeded word
drops and swaps, so that the three systems differ by known amounts.

Usage: python benchmarks/significance_bench.py [--segments 2000] [--skip-sacrebleu-ar]
Writes benchmarks/results/significance.json.
"""
from __future__ import annotations

import argparse
import json
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from mteval.metrics.significance import (  # noqa: E402
    approximate_randomization,
    paired_bootstrap,
    segment_statistics,
)

SEEDS = [REPO.parent / "shared" / "seeds", REPO / "examples" / "antara-kominfo-2024"]


def _clauses() -> list[str]:
    for folder in SEEDS:
        files = sorted(folder.glob("*.txt"))
        if files:
            text = "\n".join(p.read_text(encoding="utf-8") for p in files)
            return [c.strip() for c in re.split(r"(?<=[.!?,;])\s+|\n+", text) if len(c.split()) >= 4]
    raise SystemExit("no seed text found")


def _degrade(sentence: str, rng: random.Random, rate: float) -> str:
    words = sentence.split()
    kept = [w for w in words if rng.random() > rate] or words[:1]
    if len(kept) > 2 and rng.random() < rate:
        i = rng.randrange(len(kept) - 1)
        kept[i], kept[i + 1] = kept[i + 1], kept[i]
    return " ".join(kept)


def make_corpus(n: int) -> tuple[dict[str, list[str]], list[str]]:
    clauses = _clauses()
    rng = random.Random(2024)
    refs = [_degrade(clauses[i % len(clauses)], rng, 0.1) + f" ({i})" for i in range(n)]
    systems = {
        "baseline": [_degrade(r, rng, 0.25) for r in refs],
        "better": [_degrade(r, rng, 0.18) for r in refs],
        "same-ish": [_degrade(r, rng, 0.25) for r in refs],
    }
    return systems, refs


def _sacrebleu(folder: Path, names: list[str], flag: str, n: int) -> tuple[float, list]:
    cmd = [str(Path(sys.executable).parent / "sacrebleu"), "ref.txt", "-i", *[f"{s}.txt" for s in names],
           "-m", "bleu", "chrf", flag, "-f", "json", "--paired-jobs", "1"]
    cmd += ["--paired-bs-n", str(n)] if flag == "--paired-bs" else ["--paired-ar-n", str(n)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=folder)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-2000:])
    return elapsed, json.loads(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=2000)
    parser.add_argument("--bs", type=int, default=1000)
    parser.add_argument("--ar", type=int, default=10000)
    parser.add_argument("--skip-sacrebleu-ar", action="store_true", help="sacrebleu's AR with 10000 trials takes minutes")
    args = parser.parse_args()

    systems, refs = make_corpus(args.segments)
    names = list(systems)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "ref.txt").write_text("\n".join(refs) + "\n", encoding="utf-8")
        for name, hyps in systems.items():
            (folder / f"{name}.txt").write_text("\n".join(hyps) + "\n", encoding="utf-8")

        # mteval in-process. Each test alone includes extracting the statistics;
        # "both" extracts them once and runs both tests on them.
        start = time.perf_counter()
        bs = paired_bootstrap(hypotheses=systems, references=refs, metrics=("bleu", "chrf"), n_samples=args.bs)
        t_bs = time.perf_counter() - start
        start = time.perf_counter()
        ar = approximate_randomization(hypotheses=systems, references=refs, metrics=("bleu", "chrf"), n_trials=args.ar)
        t_ar = time.perf_counter() - start
        start = time.perf_counter()
        shared = segment_statistics(hypotheses=systems, references=refs, metrics=("bleu", "chrf"))
        t_extract = time.perf_counter() - start
        paired_bootstrap(statistics=shared, n_samples=args.bs)
        approximate_randomization(statistics=shared, n_trials=args.ar)
        t_both = time.perf_counter() - start
        start = time.perf_counter()
        bs_compat = paired_bootstrap(
            hypotheses=systems, references=refs, metrics=("bleu", "chrf"), n_samples=args.bs, sacrebleu_compatible=True
        )
        t_bs_compat = time.perf_counter() - start

        t_sb_bs, sb_bs = _sacrebleu(folder, names, "--paired-bs", args.bs)
        rows.append(("paired bootstrap", args.bs, t_bs, t_sb_bs))
        if not args.skip_sacrebleu_ar:
            t_sb_ar, sb_ar = _sacrebleu(folder, names, "--paired-ar", args.ar)
        else:
            t_sb_ar, sb_ar = None, None
        rows.append(("approximate randomization", args.ar, t_ar, t_sb_ar))

    # agreement with sacrebleu (sacrebleu-compatible p-values; same seed, same resamples)
    agreement = {}
    for row, system in zip(sb_bs, names):
        for metric, key in (("bleu", "BLEU"), ("chrf", "chrF2")):
            ours = bs_compat.results[system][metric]
            agreement[f"bs/{system}/{metric}"] = {
                "score_diff": abs(ours.score - row[key]["score"]),
                "p_ours": ours.p_value,
                "p_sacrebleu": row[key]["p_value"],
            }
    if sb_ar:
        for row, system in zip(sb_ar, names):
            for metric, key in (("bleu", "BLEU"), ("chrf", "chrF2")):
                agreement[f"ar/{system}/{metric}"] = {"p_ours": ar.results[system][metric].p_value, "p_sacrebleu": row[key]["p_value"]}

    print(f"{args.segments} segments, {len(names)} systems, BLEU + chrF, {platform.processor() or platform.machine()}")
    print(f"{'test':28} {'N':>6} {'mteval s':>9} {'sacrebleu s':>12} {'speed-up':>9}")
    for label, n, ours, theirs in rows:
        ratio = f"{theirs / ours:8.1f}x" if theirs else "      n/a"
        theirs_s = f"{theirs:12.2f}" if theirs else "     skipped"
        print(f"{label:28} {n:>6} {ours:9.2f} {theirs_s} {ratio}")
    sb_total = (t_sb_bs + t_sb_ar) if t_sb_ar else None
    print(f"{'both, statistics shared':28} {'':>6} {t_both:9.2f} {sb_total or 0:12.2f} "
          f"{(sb_total / t_both) if sb_total else float('nan'):8.1f}x   (extraction {t_extract:.2f} s)")
    print(f"sacrebleu-compatible bootstrap: {t_bs_compat:.2f} s; max |score diff| to sacrebleu "
          f"{max(v['score_diff'] for k, v in agreement.items() if 'score_diff' in v):.2e}")
    for key, value in agreement.items():
        if value["p_sacrebleu"] is not None:
            print(f"  {key:24} p mteval {value['p_ours']:.4f}  sacrebleu {value['p_sacrebleu']:.4f}")

    out = REPO / "benchmarks" / "results" / "significance.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "segments": args.segments, "systems": names, "metrics": ["bleu", "chrf"],
        "rows": [{"test": l, "n": n, "mteval_s": o, "sacrebleu_s": t, "speedup": (t / o if t else None)} for l, n, o, t in rows],
        "mteval_both_shared_s": t_both,
        "mteval_extract_s": t_extract,
        "sacrebleu_both_s": sb_total,
        "default_p_values": {s: {m: bs.results[s][m].p_value for m in ("bleu", "chrf")} for s in names[1:]},
        "agreement": agreement,
        "python": sys.version.split()[0],
    }, indent=2), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
