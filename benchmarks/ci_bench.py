"""Benchmark: the CI path for a new candidate, `mteval run` whole process, first candidate versus a second one.

The corpus: D pseudo-documents cut from PANL-BPPT ``int`` (L consecutive
Indonesian lines and their English counterparts per document, one paragraph
per line). COMET is the RegressionMetric over a random xlm-roberta-large-size
encoder of comet_bench.py, at ``--comet-precision auto``.

The two candidates (``--candidates``):
  hyp     (default) precomputed outputs (``--hyp NAME=DIR``): for each source
          sentence, the English of its paragraph with words dropped and swapped,
          different for each candidate, so the outputs are distinct and of
          realistic length; no translation runs in either process.
  marian  two random-weight Marian models of the real opus-mt-id-en size (the
          model of translate_bench.py, and a copy with perturbed weights),
          output capped at ``--max-length``. Random weights give degenerate
          output (few distinct sentences, about twice the reference's length),
          which understates what a real candidate costs COMET; use it to see
          the translation stage in the loop.

Each run is a fresh `mteval run` process on one cache directory:
  first   nothing cached: (translate,) embed and align, COMET encodes sources,
          references and the candidate's outputs;
  second  a new candidate: (translates it,) finds the pair audit and the
          source/reference embeddings in the caches, encodes its outputs.
Reported: wall time of each process, the ratio, and per stage what was computed
and what came from the caches (read from the results' provenance).

    python benchmarks/ci_bench.py [--documents 40] [--lines 25] [--candidates hyp|marian] [--max-length 24] [--quick]
Writes benchmarks/results/ci_bench.json.
"""
from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from comet_bench import BIG_COMET, WORK, build_big_comet, candidate, panl_lines  # noqa: E402

TARGET = 3.0  # the target: a second candidate's run at least 3x faster than the first


def make_corpus(directory: Path, documents: int, lines: int) -> int:
    """Pseudo-documents of consecutive PANL-BPPT int lines; returns the number of source lines written."""
    source, reference = panl_lines("int", "id"), panl_lines("int", "en")
    directory.mkdir(parents=True, exist_ok=True)
    written = 0
    for number in range(documents):
        start = number * lines
        pairs = [(s.strip(), r.strip()) for s, r in zip(source[start : start + lines], reference[start : start + lines])
                 if s.strip() and r.strip()]
        (directory / f"doc{number:03d}.id.txt").write_text("\n\n".join(s for s, _ in pairs) + "\n", "utf-8")
        (directory / f"doc{number:03d}.en.txt").write_text("\n\n".join(r for _, r in pairs) + "\n", "utf-8")
        written += len(pairs)
    return written


def write_candidate(corpus: Path, directory: Path, k: int) -> None:
    """Candidate k's output, one line per source sentence (``<doc_id>.txt``), made from the English paragraphs."""
    from mteval.documents.loaders import load_directory

    directory.mkdir(parents=True, exist_ok=True)
    for doc in load_directory(corpus).documents:
        english = [p.strip() for p in (corpus / f"{doc.doc_id}.en.txt").read_text("utf-8").split("\n\n") if p.strip()]
        lines = []
        for index, sentence in enumerate(doc.source_sentences()):
            paragraph = english[min(sentence.paragraph, len(english) - 1)].split()
            # a stretch of the paragraph as long as the source sentence, then made into this candidate's wording
            take = max(3, len(sentence.text.split()))
            start = (index * 7) % max(1, len(paragraph) - take + 1)
            lines.append(candidate(" ".join(paragraph[start : start + take]), k) + f" ({index})")
        (directory / f"{doc.doc_id}.txt").write_text("\n".join(lines) + "\n", "utf-8")


def second_marian(first: Path, directory: Path) -> Path:
    """A copy of the random Marian with every weight perturbed (seeded), so it translates differently."""
    stamp = directory / "BUILD"
    if stamp.is_file() and stamp.read_text() == (first / "BUILD").read_text():
        return directory
    import torch
    from transformers import MarianMTModel

    if directory.exists():
        shutil.rmtree(directory)
    shutil.copytree(first, directory)
    model = MarianMTModel.from_pretrained(first)
    generator = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.add_(torch.randn(parameter.shape, generator=generator) * parameter.std().clamp(min=1e-3) * 0.5)
    model.save_pretrained(directory)
    stamp.write_text((first / "BUILD").read_text())
    return directory


def timed_run(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    process = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{process.stderr[-3000:]}")
    return seconds


def stages(results_file: Path, system: str) -> dict:
    """Per stage, what the run computed and what it took from the caches (from the results' provenance)."""
    provenance = json.loads(results_file.read_text(encoding="utf-8"))["provenance"]
    translation = provenance["systems"][system]
    audit = provenance.get("audit", {})
    comet = provenance.get("comet", {})
    work = comet.get("work") or {}
    sentences = work.get("sentences") or {}
    return {
        "translation": {"sentences_translated": translation.get("sentences_translated"),
                        "model_loaded": translation.get("model_loaded")},
        "audit": {key: audit.get(key) for key in ("embeddings_computed", "embedder_loaded", "audits_computed",
                                                   "audits_from_cache") if key in audit},
        "comet": {"segments": work.get("segments"), "segments_from_cache": work.get("segments_from_cache"),
                  "encoder_sequences": work.get("encoder_sequences"),
                  **{f"{role}_encoded": counts.get("encoded") for role, counts in sentences.items()},
                  **{f"{role}_from_cache": counts.get("from_cache") for role, counts in sentences.items()},
                  "precision": comet.get("precision")},
    }


def mean_tokens(results_file: Path, system: str) -> dict:
    """Mean COMET encoder tokens of the scored segments' sources, references and this system's outputs."""
    from transformers import XLMRobertaTokenizerFast

    tokenizer = XLMRobertaTokenizerFast.from_pretrained(str(BIG_COMET / "encoder"))
    from mteval.results.records import Results

    results = Results.from_json(results_file)  # the documents are read from results.jsonl beside it
    scored = [s for _, s in results.iter_segments() if "comet" in s.scores.get(system, {})]
    texts = {"source": [s.source for s in scored], "reference": [s.reference for s in scored],
             "hypothesis": [s.hypotheses[system] for s in scored]}
    return {"segments": len(scored), **{role: sum(len(ids) for ids in tokenizer(t)["input_ids"]) / max(len(t), 1)
                                         for role, t in texts.items()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # the scenario: a 1,000-sentence test set (40 x 25 lines); at 96 lines (8 x 12) loading COMET, a
    # fixed cost of every run, is a larger share of the second run's time
    parser.add_argument("--documents", type=int, default=40)
    parser.add_argument("--lines", type=int, default=25, help="source lines per document")
    parser.add_argument("--candidates", choices=["hyp", "marian"], default="hyp")
    parser.add_argument("--max-length", type=int, default=24, help="Marian output tokens at most")
    parser.add_argument("--quick", action="store_true", help="4 documents of 8 lines")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "ci_bench.json")
    args = parser.parse_args(argv)
    if args.quick:
        args.documents, args.lines = 4, 8

    comet_model = build_big_comet(BIG_COMET)
    work = Path(tempfile.mkdtemp(prefix="mteval-ci-"))
    atexit.register(shutil.rmtree, work, True)  # the corpus, caches and outputs: hundreds of MB
    corpus = work / "corpus"
    lines = make_corpus(corpus, args.documents, args.lines)
    if args.candidates == "marian":
        from translate_bench import MODEL_VERSION, build_random_marian

        first_model = build_random_marian(WORK / f"marian-random-opus-id-en-v{MODEL_VERSION}")
        second_model = second_marian(first_model, WORK / f"marian-random-opus-id-en-v{MODEL_VERSION}-perturbed")
        systems = {"first": ["--model", f"first={first_model}", "--max-length", str(args.max_length)],
                   "second": ["--model", f"second={second_model}", "--max-length", str(args.max_length)]}
    else:
        systems = {}
        for k, phase in enumerate(("first", "second")):
            write_candidate(corpus, work / f"hyp-{phase}", k)
            systems[phase] = ["--hyp", f"{phase}={work / f'hyp-{phase}'}"]
    env = dict(os.environ, MTEVAL_CACHE_DIR=str(work / "cache"), HF_HUB_OFFLINE="1")
    mteval = str(Path(sys.executable).parent / "mteval")
    rows = {}
    for phase, options in systems.items():
        out = work / phase
        command = [mteval, "run", str(corpus), *options, "--comet-model", str(comet_model),
                   "--bootstrap", "200", "--out", str(out)]
        rows[phase] = {"seconds": timed_run(command, env), **stages(out / "results.json", phase),
                       "comet_tokens": mean_tokens(out / "results.json", phase)}
        print(f"{phase}: {rows[phase]['seconds']:.1f} s", flush=True)
    ratio = rows["first"]["seconds"] / rows["second"]["seconds"]
    result = {"documents": args.documents, "source_lines": lines, "candidates": args.candidates,
              "max_length": args.max_length if args.candidates == "marian" else None,
              "first": rows["first"], "second": rows["second"], "second_vs_first_speedup": ratio,
              "target_speedup_min": TARGET}
    what = (f"random opus-mt-size Marian candidates (max length {args.max_length})" if args.candidates == "marian"
            else "precomputed candidates (--hyp)")
    print(f"\n`mteval run`, {args.documents} documents, {lines} source lines (PANL-BPPT int), {what}, "
          f"COMET RegressionMetric over a random xlm-roberta-large")
    print(f"{'run':7} {'seconds':>8} {'translated':>11} {'audit emb.':>11} {'COMET seqs':>11} {'src enc/cache':>14} "
          f"{'ref enc/cache':>14} {'hyp enc':>8}")
    for phase in ("first", "second"):
        r = rows[phase]
        c = r["comet"]
        print(f"{phase:7} {r['seconds']:8.1f} {str(r['translation']['sentences_translated']):>11} "
              f"{str(r['audit'].get('embeddings_computed')):>11} {str(c['encoder_sequences']):>11} "
              f"{str(c.get('source_encoded'))+'/'+str(c.get('source_from_cache')):>14} "
              f"{str(c.get('reference_encoded'))+'/'+str(c.get('reference_from_cache')):>14} "
              f"{str(c.get('hypothesis_encoded')):>8}")
    tokens = rows["first"]["comet_tokens"]
    print(f"COMET segments {tokens['segments']}; mean encoder tokens: source {tokens['source']:.1f}, reference "
          f"{tokens['reference']:.1f}, candidates {tokens['hypothesis']:.1f} / {rows['second']['comet_tokens']['hypothesis']:.1f}")
    met = ratio >= TARGET
    print(f"second candidate's run {ratio:.2f}x faster than the first (target >= {TARGET:.0f}x) "
          f"{'ok' if met else 'BELOW TARGET'}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0 if met else 1  # 1: a target missed (see run_all.py)


if __name__ == "__main__":
    sys.exit(main())
