"""End-to-end `mteval run` over a synthetic corpus: cold cache versus warm cache, and peak memory.

The corpus is made from the bundled example: each of N document pairs keeps a
random subset of its paragraphs and ends each paragraph with its own number,
so no two documents share a paragraph's last sentence; the sentences before it
do repeat across documents (about a quarter of the source sentences in a
--quick run), so a cold run translates and embeds the distinct ones only, and
the warm/cold ratio is if anything understated. The model is a random-weight
Marian of the real opus-mt-id-en size (built by translate_bench.py), so
translation cost is real even though the output is not; output length is capped with --max-length. COMET is off
(its cost is measured by comet_bench.py).

Each run is a fresh `mteval run` process; its wall time and peak RSS are
measured from outside. The warm run repeats the same command on the same
cache and must load no model at all (read from the results' provenance).
"""
from __future__ import annotations

import argparse
import atexit
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
EXAMPLE = REPO / "examples" / "antara-kominfo-2024"
sys.path.insert(0, str(HERE))


def make_corpus(directory: Path, n_documents: int, *, seed: int = 0) -> int:
    """Write n document pairs; returns the number of source lines written."""
    rng = random.Random(seed)
    source = [p for p in (EXAMPLE / "antara-kominfo-2024.id.txt").read_text("utf-8").split("\n\n") if p.strip()]
    reference = [p for p in (EXAMPLE / "antara-kominfo-2024.en.txt").read_text("utf-8").split("\n\n") if p.strip()]
    directory.mkdir(parents=True, exist_ok=True)
    lines = 0
    for number in range(n_documents):
        keep_source = sorted(rng.sample(range(len(source)), k=6))
        keep_reference = sorted(rng.sample(range(len(reference)), k=6))
        tag = f" (berkas {number})"
        doc_source = [source[i].rstrip(".") + tag + "." for i in keep_source]
        doc_reference = [reference[i].rstrip(".") + f" (file {number})." for i in keep_reference]
        (directory / f"doc{number:04d}.id.txt").write_text("\n\n".join(doc_source) + "\n", "utf-8")
        (directory / f"doc{number:04d}.en.txt").write_text("\n\n".join(doc_reference) + "\n", "utf-8")
        lines += len(doc_source)
    return lines


def timed_run(command: list[str], env: dict[str, str]) -> dict:
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, err = process.communicate()
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{err}")
    return {"seconds": seconds}


def child_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--max-length", type=int, default=32)
    parser.add_argument("--engine", default="auto")
    parser.add_argument("--quick", action="store_true", help="40 documents")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "e2e_bench.json")
    args = parser.parse_args(argv)
    n_documents = 40 if args.quick else args.documents

    from translate_bench import MODEL_VERSION, WORK, build_random_marian

    work = Path(tempfile.mkdtemp(prefix="mteval-e2e-"))
    atexit.register(shutil.rmtree, work, True)  # the corpus, caches and outputs: hundreds of MB
    model = build_random_marian(WORK / f"marian-random-opus-id-en-v{MODEL_VERSION}")
    corpus = work / "corpus"
    source_lines = make_corpus(corpus, n_documents)
    env = dict(os.environ, MTEVAL_CACHE_DIR=str(work / "cache"), HF_HUB_OFFLINE="1")
    mteval = str(Path(sys.executable).parent / "mteval")
    rows = {}
    for phase in ("cold", "warm"):
        out = work / phase
        command = [mteval, "run", str(corpus), "--model", f"random={model}", "--engine", args.engine,
                   "--max-length", str(args.max_length), "--no-comet", "--bootstrap", "200", "--out", str(out)]
        rows[phase] = timed_run(command, env)
        # RUSAGE_CHILDREN keeps the maximum over all finished children: the cold run is the larger.
        rows[phase]["peak_rss_mb_so_far"] = child_peak_rss_mb()
        provenance = json.loads((out / "results.json").read_text())["provenance"]
        system = provenance["systems"]["random"]
        rows[phase]["translation_model_loaded"] = system["model_loaded"]
        rows[phase]["sentences_translated"] = system["sentences_translated"]
        rows[phase]["embedding_model_loaded"] = provenance["audit"].get("embedder_loaded")
        rows[phase]["embeddings_computed"] = provenance["audit"].get("embeddings_computed")
        rows[phase]["engine"] = system["engine"] + "/" + system["precision"]
    speedup = rows["cold"]["seconds"] / rows["warm"]["seconds"]
    result = {
        "documents": n_documents,
        "source_paragraph_lines": source_lines,
        "max_length": args.max_length,
        "cold": rows["cold"],
        "warm": rows["warm"],
        "warm_speedup": speedup,
        "targets": {"warm_speedup_min": 20, "warm_loads_no_model": True, "peak_rss_mb_max": 4096},
    }
    print(f"end-to-end `mteval run`, {n_documents} document pairs, random-weight opus-mt-size Marian, "
          f"max length {args.max_length}, COMET off")
    print(f"{'phase':<6} {'seconds':>9} {'translated':>11} {'embedded':>9} {'MT model':>9} {'embedder':>9}  engine")
    for phase in ("cold", "warm"):
        r = rows[phase]
        print(f"{phase:<6} {r['seconds']:>9.1f} {r['sentences_translated']:>11} {str(r['embeddings_computed']):>9} "
              f"{'loaded' if r['translation_model_loaded'] else 'no':>9} {'loaded' if r['embedding_model_loaded'] else 'no':>9}"
              f"  {r['engine']}")
    targets = result["targets"]
    met = (speedup >= targets["warm_speedup_min"] and not rows["warm"]["translation_model_loaded"]
           and rows["cold"]["peak_rss_mb_so_far"] < targets["peak_rss_mb_max"])
    print(f"warm re-run {speedup:.1f}x faster than cold (target >= 20x), translation model "
          f"{'loaded' if rows['warm']['translation_model_loaded'] else 'not loaded'} when warm (target: not); "
          f"peak RSS of the runs {rows['cold']['peak_rss_mb_so_far']:.0f} MB (target < 4096 MB) "
          f"{'ok' if met else 'BELOW TARGET'}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    return 0 if met else 1  # 1: a target missed (see run_all.py)


if __name__ == "__main__":
    sys.exit(main())
