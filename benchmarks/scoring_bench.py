"""(c) sacrebleu scoring rates through mteval's scoring module, and sentence-alignment rates.

Scoring: BLEU, chrF and TER, corpus level and sentence level, on synthetic
segments (the example's English sentences against seeded word-drop/swap
copies of themselves), through :mod:`mteval.metrics.lexical` and, side by
side in the same run, through sacrebleu's own metric objects (the ratio is
mteval's time over sacrebleu's: the cost of the wrapper). Alignment: :func:`mteval.pair_audit.align.sentences.align_sentences`
on the example article pair with the default offline embedder (embedding
included), and on a long synthetic pair with precomputed embeddings (the
dynamic programme and bead scoring only).

    python benchmarks/scoring_bench.py [--quick]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
EXAMPLE = REPO / "examples" / "antara-kominfo-2024"
sys.path.insert(0, str(REPO))


def _lines(lang: str) -> list[str]:
    return [l.strip() for l in (EXAMPLE / f"antara-kominfo-2024.{lang}.txt").read_text("utf-8").split("\n") if l.strip()]


def synthetic_pairs(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    refs = _lines("en")
    hyps, out_refs = [], []
    for i in range(n):
        words = refs[i % len(refs)].split()
        kept = [w for w in words if rng.random() > 0.15] or words[:1]
        if len(kept) > 2:
            j = rng.randrange(len(kept) - 1)
            kept[j], kept[j + 1] = kept[j + 1], kept[j]
        hyps.append(" ".join(kept))
        out_refs.append(" ".join(words))
    return hyps, out_refs


def best_time(fn, repeats: int, *, warm: bool = True) -> float:
    if warm:
        fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def scoring_rows(n: int, repeats: int) -> list[dict]:
    """Each metric and level through mteval's scoring module and through sacrebleu's own objects, side by side."""
    import sacrebleu

    from mteval.metrics.lexical import score_corpus, score_segments

    hyps, refs = synthetic_pairs(n)
    make = {"bleu": sacrebleu.BLEU, "chrf": sacrebleu.CHRF, "ter": sacrebleu.TER}

    def ours(metric, level):
        if level == "corpus":
            return lambda: score_corpus(hypotheses=hyps, references=refs, metrics=[metric])
        return lambda: score_segments(hypotheses=hyps, references=refs, metrics=[metric])

    def theirs(metric, level):
        if level == "corpus":
            return lambda: make[metric]().corpus_score(hyps, [refs])
        scorer = make[metric](effective_order=True) if metric == "bleu" else make[metric]()  # as `sacrebleu -sl`
        return lambda: [scorer.sentence_score(h, [r]) for h, r in zip(hyps, refs)]

    rows = []
    for metric in ("bleu", "chrf", "ter"):
        for level in ("corpus", "sentence"):
            seconds = best_time(ours(metric, level), repeats)
            baseline = best_time(theirs(metric, level), repeats)
            rows.append({"task": f"{metric} {level}", "items": n, "unit": "segments", "seconds": round(seconds, 4),
                         "per_s": round(n / seconds, 1), "sacrebleu_seconds": round(baseline, 4),
                         "time_over_sacrebleu": round(seconds / baseline, 2)})
    return rows


def alignment_rows(copies: int, repeats: int) -> list[dict]:
    import numpy as np

    from mteval.pair_audit.align.sentences import align_sentences

    from mteval.errors import MtevalError

    src, ref = _lines("id"), _lines("en")
    rows = []
    try:
        from mteval.pair_audit.embedders import default_embedder
        embedder = default_embedder()
        embedder.encode(src[:2])  # load the model outside the timing
        seconds = best_time(lambda: align_sentences(src, ref, embedder=embedder), repeats, warm=False)
        rows.append({"task": "align example pair (embedding included)", "items": len(src) + len(ref),
                     "unit": "sentences", "seconds": round(seconds, 4), "per_s": round((len(src) + len(ref)) / seconds, 1)})
        es, er = embedder.encode(src), embedder.encode(ref)
    except (ImportError, OSError, RuntimeError, MtevalError) as err:
        print(f"embedder unavailable ({type(err).__name__}: {err}); using random embeddings", file=sys.stderr)
        rng = np.random.default_rng(0)
        es, er = rng.normal(size=(len(src), 384)), rng.normal(size=(len(ref), 384))
        es /= np.linalg.norm(es, axis=1, keepdims=True)
        er /= np.linalg.norm(er, axis=1, keepdims=True)
    long_src, long_ref = src * copies, ref * copies
    les, ler = np.concatenate([es] * copies), np.concatenate([er] * copies)
    seconds = best_time(lambda: align_sentences(long_src, long_ref, source_embeddings=les, reference_embeddings=ler,
                                                joined=False), repeats)
    items = len(long_src) + len(long_ref)
    rows.append({"task": f"align {copies}x example pair (precomputed embeddings)", "items": items,
                 "unit": "sentences", "seconds": round(seconds, 4), "per_s": round(items / seconds, 1)})
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer segments, one pass")
    parser.add_argument("--out", type=Path, default=RESULTS / "scoring_bench.json")
    args = parser.parse_args(argv)
    repeats = 1 if args.quick else 3
    score = scoring_rows(500 if args.quick else 2000, repeats)
    align = alignment_rows(4 if args.quick else 10, repeats)

    print("(c) scoring through mteval.metrics.lexical beside sacrebleu's own objects; "
          "alignment through mteval.pair_audit.align.sentences.align_sentences")
    print(f"{'task':52} {'items':>7} {'seconds':>8} {'per s':>10}            {'sacrebleu s':>11} {'ratio':>6}")
    for row in score + align:
        beside = (f"{row['sacrebleu_seconds']:11.3f} {row['time_over_sacrebleu']:5.2f}x"
                  if "sacrebleu_seconds" in row else "")
        print(f"{row['task']:52} {row['items']:7d} {row['seconds']:8.3f} {row['per_s']:10.1f} "
              f"{row['unit'] + '/s':>11} {beside}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"benchmark": "scoring", "quick": args.quick, "rows": score + align},
                                   indent=1), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
