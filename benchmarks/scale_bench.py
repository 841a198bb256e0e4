"""Streaming runs at growing corpus sizes: peak memory stays flat, time grows linearly; the same corpus on Ray.

Synthetic corpora as in e2e_bench.py (paragraphs of the bundled example, each
document's paragraphs tagged with its number so that no two documents share
them), a random-weight Marian of the real opus-mt-id-en size through
CTranslate2 int8 (asked for explicitly: on CPUs whose int8 kernels
saturate the default is float32, and the sizes should stay comparable), COMET off. Each configuration is a fresh `mteval run`
process on a cold cache:

- streamed: `--out DIR --chunk-size 64` at each size (memory must stay within
  1.5x from the smallest to the largest size; time about proportional);
- one chunk: the largest size with `--chunk-size N`, every document record in
  memory at once (what streaming saves);
- Ray: the smallest size with `--executor ray` on a local cluster of this
  machine with 2 workers (its overhead over the local run).

Peak memory is sampled (every 0.2 s) as the summed RSS of the process and all
its descendants, Ray's own processes included, and also read as the main
process's own peak (wait4). Prints one table; JSON to benchmarks/results/.
"""
from __future__ import annotations

import argparse
import atexit
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples" / "antara-kominfo-2024"
MEMORY_RATIO_MAX = 1.5  # the streaming target: peak memory of the largest size over the smallest's
sys.path.insert(0, str(HERE))


def make_corpus(directory: Path, n_documents: int, *, paragraphs: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    source = [p for p in (EXAMPLE / "antara-kominfo-2024.id.txt").read_text("utf-8").split("\n\n") if p.strip()]
    reference = [p for p in (EXAMPLE / "antara-kominfo-2024.en.txt").read_text("utf-8").split("\n\n") if p.strip()]
    directory.mkdir(parents=True, exist_ok=True)
    for number in range(n_documents):
        src = [source[i].rstrip(".") + f" (berkas {number})." for i in sorted(rng.sample(range(len(source)), paragraphs))]
        ref = [reference[i].rstrip(".") + f" (file {number})." for i in sorted(rng.sample(range(len(reference)), paragraphs))]
        (directory / f"doc{number:05d}.id.txt").write_text("\n\n".join(src) + "\n", "utf-8")
        (directory / f"doc{number:05d}.en.txt").write_text("\n\n".join(ref) + "\n", "utf-8")


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        root = psutil.Process(pid)
        processes = [root] + root.children(recursive=True)
    except psutil.Error:
        return 0
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.Error:
            pass
    return total


def measured_run(command: list[str], env: dict[str, str]) -> dict:
    """Wall time, sampled peak RSS of the process tree, and the main process's own peak RSS."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss(process.pid))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{stderr.decode(errors='replace')[-3000:]}")
    return {"seconds": round(seconds, 1), "peak_tree_rss_mb": round(peak[0] / 2**20), "main_peak_rss_mb":
            round(usage.ru_maxrss / 1024)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="corpus sizes (documents)")
    parser.add_argument("--paragraphs", type=int, default=6, help="paragraphs per side of each document")
    parser.add_argument("--chunk-size", type=int, default=64)
    parser.add_argument("--max-length", type=int, default=32)
    parser.add_argument("--no-ray", action="store_true")
    parser.add_argument("--no-one-chunk", action="store_true")
    parser.add_argument("--quick", action="store_true", help="sizes 100 and 300, two paragraphs")
    parser.add_argument("--model-dir", type=Path, default=None, help="random Marian built by translate_bench.py")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "scale_bench.json")
    args = parser.parse_args(argv)
    sizes, paragraphs = ([100, 300], 2) if args.quick else (sorted(args.sizes), args.paragraphs)

    from translate_bench import MODEL_VERSION, WORK, build_random_marian

    model = build_random_marian(args.model_dir or WORK / f"marian-random-opus-id-en-v{MODEL_VERSION}")
    work = Path(tempfile.mkdtemp(prefix="mteval-scale-"))
    atexit.register(shutil.rmtree, work, True)  # the corpus, caches and outputs: hundreds of MB
    mteval = str(Path(sys.executable).parent / "mteval")
    rows = []
    # The model's CTranslate2 conversion is made once, outside the measurements, and shared by every run's cache.
    seed = work / "seed-cache"
    make_corpus(work / "corpus-seed", 1, paragraphs=4)
    subprocess.run([mteval, "run", str(work / "corpus-seed"), "--model", f"random={model}", "--engine", "ctranslate2",
                    "--precision", "int8", "--max-length", "4", "--no-comet", "--bootstrap", "0", "-q"], check=True, capture_output=True,
                   env=dict(os.environ, MTEVAL_CACHE_DIR=str(seed), HF_HUB_OFFLINE="1"))
    if not (seed / "ct2").is_dir():
        raise RuntimeError(f"{seed}: the warm-up run converted no model")

    def run(label: str, size: int, *extra: str) -> None:
        corpus = work / f"corpus-{size}"
        if not corpus.exists():
            make_corpus(corpus, size, paragraphs=paragraphs)
        cache = work / f"cache-{label}-{size}"
        cache.mkdir()
        (cache / "ct2").symlink_to(seed / "ct2", target_is_directory=True)
        env = dict(os.environ, MTEVAL_CACHE_DIR=str(cache), HF_HUB_OFFLINE="1")
        command = [mteval, "run", str(corpus), "--model", f"random={model}", "--engine", "ctranslate2",
                   "--precision", "int8", "--max-length", str(args.max_length), "--no-comet", "--bootstrap", "200", "-q",
                   "--out", str(work / f"out-{label}-{size}"), *extra]
        row = {"run": label, "documents": size, **measured_run(command, env)}
        row["per_document_ms"] = round(1000 * row["seconds"] / size, 1)
        rows.append(row)
        print(f"{label:<10} {size:>7} {row['seconds']:>9.1f} {row['per_document_ms']:>9.1f} "
              f"{row['peak_tree_rss_mb']:>10} {row['main_peak_rss_mb']:>10}", flush=True)

    print(f"`mteval run`, cold caches, random opus-mt-size Marian (CTranslate2 int8), {paragraphs} paragraphs per "
          f"side, COMET off, chunks of {args.chunk_size}")
    print(f"{'run':<10} {'docs':>7} {'seconds':>9} {'ms/doc':>9} {'tree MB':>10} {'main MB':>10}")
    for size in sizes:
        run("streamed", size, "--chunk-size", str(args.chunk_size))
    if not args.no_one_chunk:
        run("one-chunk", sizes[-1], "--chunk-size", str(sizes[-1]))
    if not args.no_ray:
        run("ray-2", sizes[0], "--chunk-size", str(args.chunk_size), "--executor", "ray")
    streamed = [r for r in rows if r["run"] == "streamed"]
    summary = {
        "memory_ratio": streamed[-1]["peak_tree_rss_mb"] / streamed[0]["peak_tree_rss_mb"],
        "time_per_document_ratio": streamed[-1]["per_document_ms"] / streamed[0]["per_document_ms"],
        "size_ratio": streamed[-1]["documents"] / streamed[0]["documents"],
    }
    ray = [r for r in rows if r["run"] == "ray-2"]
    if ray:
        local = next(r for r in streamed if r["documents"] == ray[0]["documents"])
        summary["ray_over_local_time"] = ray[0]["seconds"] / local["seconds"]
    met = summary["memory_ratio"] <= MEMORY_RATIO_MAX
    print(f"memory {summary['memory_ratio']:.2f}x from {streamed[0]['documents']} to {streamed[-1]['documents']} "
          f"documents (target <= {MEMORY_RATIO_MAX}x) {'ok' if met else 'BELOW TARGET'}; time per document "
          f"{summary['time_per_document_ratio']:.2f}x (1.0 = linear)"
          + (f"; Ray, 2 workers, {summary['ray_over_local_time']:.2f}x the local time" if ray else ""))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"sizes": sizes, "paragraphs": paragraphs, "chunk_size": args.chunk_size,
                                    "rows": rows, "summary": summary, "targets": {"memory_ratio_max": MEMORY_RATIO_MAX}},
                                   indent=1))
    return 0 if met else 1  # 1: a target missed (see run_all.py)


if __name__ == "__main__":
    sys.exit(main())
