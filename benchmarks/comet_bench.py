"""Benchmark: COMET segments/s on this CPU, stock ``comet`` predict versus mteval's path.

The model is a COMET ``RegressionMetric`` over a random-weight encoder of the real
``xlm-roberta-large`` size (24 layers, hidden 1024, 16 heads, FFN 4096, 250,002-row
embedding matrix, ~560M parameters), so the cost is real although the scores are
not. The tokenizer is a small sentencepiece vocabulary trained on the seed
articles (only its first few hundred embedding rows are ever used; the matrix has
the full size). Nothing is downloaded.

Every variant scores the same segments with the same model object:
  stock       ``model.predict`` (Lightning Trainer, COMET's length sorting), fp32
  fp32/bf16/int8  ``mteval.metrics.comet.predict_fast`` after ``_apply_precision``:
              what ``CometScorer.score`` runs for the segments missing from its cache.
Reported: segments/s, speed-up over stock, max |score - stock fp32|, and the peak
resident memory during the variant (VmHWM, reset before each variant).

Usage: python benchmarks/comet_bench.py [--segments 64] [--batch-size 16]
Writes benchmarks/results/comet.json.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))


def _reset_peak_rss() -> bool:
    try:
        with open(f"/proc/{os.getpid()}/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def _rss_mib(field: str) -> float:
    with open(f"/proc/{os.getpid()}/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _segments(n: int) -> list[dict]:
    from _tiny_comet import seed_lines

    lines = seed_lines()
    half = len(lines) // 2
    clauses = []
    for line in lines:
        clauses.extend(c.strip() for c in re.split(r"(?<=[.!?])\s+", line) if len(c.split()) >= 3)
    samples = []
    for i in range(n):
        src = clauses[i % len(clauses)]
        mt = clauses[(i + half) % len(clauses)]
        ref = clauses[(i + half + 1) % len(clauses)]
        samples.append({"src": src, "mt": mt, "ref": ref})
    return samples


def build_large_random_comet(workdir: Path):
    """A RegressionMetric over a random xlm-roberta-large-sized encoder (config + tokenizer on disk only)."""
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaTokenizer, XLMRobertaTokenizerFast

    from _tiny_comet import _train_vocab, seed_lines

    encoder_dir = workdir / "xlmr-large-random"
    encoder_dir.mkdir()
    spm_file = encoder_dir / "sentencepiece.bpe.model"
    spm_file.write_bytes(_train_vocab(seed_lines()))
    slow = XLMRobertaTokenizer(vocab_file=str(spm_file))
    XLMRobertaTokenizerFast(vocab_file=str(spm_file)).save_pretrained(encoder_dir)
    XLMRobertaConfig(
        vocab_size=250002,
        hidden_size=1024,
        num_hidden_layers=24,
        num_attention_heads=16,
        intermediate_size=4096,
        max_position_embeddings=514,
        type_vocab_size=1,
        layer_norm_eps=1e-5,
        pad_token_id=slow.pad_token_id,
        bos_token_id=slow.bos_token_id,
        eos_token_id=slow.eos_token_id,
    ).save_pretrained(encoder_dir)

    from comet.models import RegressionMetric

    torch.manual_seed(0)
    model = RegressionMetric(
        pretrained_model=str(encoder_dir),
        load_pretrained_weights=False,
        local_files_only=True,
        hidden_sizes=[3072, 1024],
        activations="Tanh",
        layer="mix",
        layer_transformation="sparsemax",
        pool="avg",
        layer_norm=False,
    )
    model.eval()
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--variants", default="stock,fp32,bf16,int8")
    args = parser.parse_args()

    import torch

    from mteval.metrics.comet.precision import apply_precision as _apply_precision
    from mteval.metrics.comet.predict import predict_fast

    samples = _segments(args.segments)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        model = build_large_random_comet(Path(tmp))
        build_s = time.perf_counter() - start
        params = sum(p.numel() for p in model.encoder.parameters())
        print(f"encoder parameters: {params / 1e6:.0f}M (built in {build_s:.0f} s); "
              f"{len(samples)} segments, batch {args.batch_size}, torch {torch.__version__}, threads {torch.get_num_threads()}")

        # warm-up (first-call allocations, oneDNN kernel creation) on a few segments, not timed
        predict_fast(model, samples[:4], batch_size=4)

        results = {}
        reference = None
        for variant in args.variants.split(","):
            target = model
            if variant in ("int8", "bf16"):
                target = _apply_precision(copy.deepcopy(model), variant, "cpu")
            if variant != "stock":  # one untimed batch, as above
                predict_fast(target, samples[:4], batch_size=4, precision=variant)
            peak_ok = _reset_peak_rss()
            start = time.perf_counter()
            if variant == "stock":
                scores = model.predict(samples, batch_size=args.batch_size, gpus=0, progress_bar=False).scores
            else:
                scores = predict_fast(target, samples, batch_size=args.batch_size, precision=variant)
            elapsed = time.perf_counter() - start
            peak = _rss_mib("VmHWM") if peak_ok else float("nan")
            if reference is None:
                reference = scores
            results[variant] = {
                "seconds": elapsed,
                "segments_per_s": len(samples) / elapsed,
                "max_abs_diff_to_stock_fp32": max(abs(a - b) for a, b in zip(scores, reference)),
                "peak_rss_mib": peak,
                "score_range": [min(scores), max(scores)],
            }
            if target is not model:
                del target

    stock = results.get("stock")
    print(f"{'variant':8} {'seg/s':>7} {'speed-up':>9} {'max |d|':>9} {'peak RSS MiB':>13}")
    for variant, row in results.items():
        speed = row["segments_per_s"] / stock["segments_per_s"] if stock else float("nan")
        row["speedup_vs_stock"] = speed
        print(f"{variant:8} {row['segments_per_s']:7.2f} {speed:8.2f}x {row['max_abs_diff_to_stock_fp32']:9.5f} {row['peak_rss_mib']:13.0f}")
    out = REPO / "benchmarks" / "results" / "comet.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "segments": len(samples), "batch_size": args.batch_size, "encoder_parameters": params,
        "torch": torch.__version__, "threads": torch.get_num_threads(), "results": results,
    }, indent=2), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
