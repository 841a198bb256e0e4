"""The main job end to end on the bundled example, with the tiny Marian model."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from _tiny_marian import tiny_marian  # noqa: F401
from mteval.results.records import Results

BIN = Path(sys.executable).parent


def mteval(*args, env=None):
    environment = dict(os.environ, HF_HUB_OFFLINE="1", **(env or {}))
    return subprocess.run([str(BIN / "mteval"), *map(str, args)], capture_output=True, text=True, env=environment)


@pytest.fixture(scope="module")
def run_dir(tiny_marian, example_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    cache = tmp_path_factory.mktemp("cache")
    # A second system: the source copied through, one line per source sentence.
    from mteval.documents.loaders import load_directory

    doc = load_directory(example_dir).documents[0]
    copy = out / "copy.txt"
    copy.write_text("\n".join(s.text for s in doc.source_sentences()) + "\n", encoding="utf-8")
    result = mteval("run", example_dir, "--model", f"tiny={tiny_marian}", "--hyp", f"copy={copy}",
                    "--engine", "transformers", "--beam-size", "1", "--max-length", "24", "--no-comet",
                    "--bootstrap", "200", "--out", out, env={"MTEVAL_CACHE_DIR": str(cache)})
    assert result.returncode == 0, result.stderr
    return out, result


def test_results_have_whole_and_parallel_scores(run_dir):
    out, result = run_dir
    results = Results.from_json(out / "results.json")
    assert results.systems == ["copy", "tiny"]  # precomputed outputs first, then models
    for system in results.systems:
        for part in ("whole", "parallel"):
            for metric in ("bleu", "chrf", "chrf++", "ter"):
                entry = results.corpus[system].get(metric, part)
                assert entry.ci_low <= entry.score <= entry.ci_high or entry.ci_low == entry.ci_high
                assert entry.signature.startswith("nrefs:1")
    whole = results.corpus["tiny"].get("bleu", "whole").n_segments
    parallel = results.corpus["tiny"].get("bleu", "parallel").n_segments
    assert parallel < whole
    assert "whole" in result.stdout and "parallel" in result.stdout


def test_parallel_part_excludes_divergent_beads(run_dir):
    out, _ = run_dir
    results = Results.from_json(out / "results.json")
    doc = results.documents[0]
    major = {d.bead for d in doc.audit.divergences if d.severity == "major"}
    for segment in doc.segments:
        if segment.parallel:
            assert segment.bead not in major and segment.source and segment.reference
        else:
            assert segment.bead in major or not (segment.source_ids and segment.reference_ids)
    only_reference = [s for s in doc.segments if not s.source_ids and s.role == "body"]
    assert only_reference and all(s.hypotheses["tiny"] == "" for s in only_reference)
    # the tiny model's own errors are listed under it and take no bead out of the parallel part
    errors = doc.systems["tiny"].mt_errors
    assert errors and all(e.system == "tiny" for e in errors)
    assert results.corpus["tiny"].get("mt_errors").details["errors"] == len(errors)


def test_provenance_and_round_trip(run_dir):
    out, _ = run_dir
    data = json.loads((out / "results.json").read_text())
    provenance = data["provenance"]
    assert provenance["systems"]["tiny"]["engine"] == "transformers"
    assert len(provenance["systems"]["tiny"]["model_fingerprint"]) == 64
    assert provenance["systems"]["copy"] == {"precomputed": True}
    assert {i["path"].rsplit("/", 1)[-1] for i in provenance["inputs"]} >= {"antara-kominfo-2024.id.txt", "copy.txt"}
    assert provenance["metrics"]["bleu"].startswith("nrefs:1|case:mixed")
    # the summary names the streamed documents; read back, it is the same summary, and inline it round-trips
    assert data["documents_file"] == "results.jsonl" and "documents" not in data
    results = Results.from_json(out / "results.json")
    assert data["n_documents"] == len(results.documents) == 1
    from mteval.results.schema import results_to_dict

    assert results_to_dict(results, documents_file="results.jsonl") == data
    inline = results.to_dict()
    assert Results.from_dict(inline).to_dict() == inline and len(inline["documents"]) == 1
    assert data["significance"] is not None


def test_to_pandas_levels(run_dir, example_dir):
    out, _ = run_dir
    results = Results.from_json(out / "results.json")
    corpus = results.to_pandas("corpus")
    assert set(corpus["part"]) == {"whole", "parallel"} and set(corpus["system"]) == {"tiny", "copy"}
    beads = results.to_pandas("bead")
    assert {"doc_id", "bead", "system", "hypothesis", "bleu", "parallel"} <= set(beads.columns)
    divergences = results.to_pandas("divergence")
    assert "entity_mismatch" in set(divergences["kind"])
    assert len(results.to_pandas("document")) == 2
    # the columns an empty table names are those of a filled one
    from mteval.results.tables import EMPTY_COLUMNS

    for level, columns in EMPTY_COLUMNS.items():
        filled = results.to_pandas(level)
        assert len(filled) and list(filled.columns) == columns, level
    from mteval.api import audit

    audit_only = audit(corpus=example_dir)
    for level in ("corpus", "significance"):
        empty = audit_only.to_pandas(level)
        assert empty.empty and list(empty.columns) == EMPTY_COLUMNS[level], level


def test_unfetchable_model_is_skipped_and_reported(example_dir, tmp_path):
    result = mteval("run", example_dir, "--model", "Helsinki-NLP/opus-mt-id-en", "--no-comet", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "skipped translation with opus-mt-id-en: Cannot fetch Marian model 'Helsinki-NLP/opus-mt-id-en'" in result.stderr
    results = Results.from_json(tmp_path / "results.json")
    assert results.skipped[0].stage == "translation"
    assert results.documents[0].audit.divergences  # the audit still ran
    strict = mteval("run", example_dir, "--model", "Helsinki-NLP/opus-mt-id-en", "--no-comet", "--strict")
    assert strict.returncode == 1


def test_results_from_other_schema_version_is_refused(tmp_path):
    from mteval.errors import InputError

    path = tmp_path / "old.json"
    path.write_text(json.dumps({"schema": "mteval.results", "schema_version": 0}))
    with pytest.raises(InputError, match="schema version 0 is not supported"):
        Results.from_json(path)


def test_warm_rerun_loads_no_model(tiny_marian, example_dir, tmp_path):
    env = {"MTEVAL_CACHE_DIR": str(tmp_path / "cache")}
    args = ("run", example_dir, "--model", f"tiny={tiny_marian}", "--engine", "transformers", "--beam-size", "1",
            "--max-length", "24", "--no-comet", "--bootstrap", "50")
    for phase in ("cold", "warm"):
        result = mteval(*args, "--out", tmp_path / phase, env=env)
        assert result.returncode == 0, result.stderr
    cold = Results.from_json(tmp_path / "cold" / "results.json")
    warm = Results.from_json(tmp_path / "warm" / "results.json")
    assert cold.provenance["systems"]["tiny"]["model_loaded"] and cold.provenance["audit"]["embedder_loaded"]
    assert not warm.provenance["systems"]["tiny"]["model_loaded"]
    assert warm.provenance["systems"]["tiny"]["sentences_translated"] == 0
    # the engine version that made the cached translations is still stated (the cache key holds it)
    transformers_version = cold.provenance["systems"]["tiny"]["engine_versions"]["transformers"]
    assert warm.provenance["systems"]["tiny"]["engine_versions"] == {"transformers": transformers_version}
    assert not warm.provenance["audit"]["embedder_loaded"] and warm.provenance["audit"]["embeddings_computed"] == 0
    # per stage, what was computed and what came from the caches: the pair audit too
    assert (cold.provenance["audit"]["audits_computed"], cold.provenance["audit"]["audits_from_cache"]) == (1, 0)
    assert (warm.provenance["audit"]["audits_computed"], warm.provenance["audit"]["audits_from_cache"]) == (0, 1)
    assert warm.corpus == cold.corpus


def test_system_outputs_in_the_corpus_stand_in_for_the_default_model(tmp_path):
    # a corpus that carries its systems is scored on them; the default hub model is not tried (it is for no-output runs)
    path = tmp_path / "c.jsonl"
    record = {"id": "x", "source": "Menteri datang ke Jakarta pada hari Senin.",
              "reference": "The minister came to Jakarta on Monday.",
              "systems": {"m": ["The minister came to Jakarta on Monday."]}}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = mteval("run", path, "--no-comet", "--strict", "--bootstrap", "0", "-f", "json")
    assert result.returncode == 0, result.stderr
    assert "skipped translation" not in result.stderr
    assert list(json.loads(result.stdout)["corpus"]) == ["m"]
