"""COMET inside `mteval run`: whole and parallel parts, reference-free scoring of source-only beads, skips."""
import pytest

from _tiny_comet import tiny_comet  # noqa: F401
from mteval.api import evaluate
from mteval.metrics.comet.scorer import CometScorer


@pytest.fixture(scope="module")
def copy_lines(example_dir):
    from mteval.documents.loaders import load_directory

    return [s.text for s in load_directory(example_dir).documents[0].source_sentences()]


def _evaluate(example_dir, lines, model, tmp_path):
    return evaluate(corpus=example_dir, hypotheses={"copy": lines}, comet_model=str(model),
                    n_bootstrap=50, translation_cache=False, metrics=("chrf",))


def test_reference_based_comet_whole_and_parallel(example_dir, copy_lines, tiny_comet, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("MTEVAL_CACHE_DIR", str(tmp_path))
    results = _evaluate(example_dir, copy_lines, tiny_comet.da, tmp_path)
    whole, parallel = results.corpus["copy"].get("comet", "whole"), results.corpus["copy"].get("comet", "parallel")
    assert parallel.n_segments < whole.n_segments
    scored = [s for _, s in results.iter_segments() if "comet" in s.scores.get("copy", {})]
    assert all(s.reference and s.source for s in scored)  # a reference-based model needs both sides
    precision = results.provenance["comet"]["precision"]  # "auto" resolved: bf16 where the CPU has it
    direct = CometScorer(str(tiny_comet.da), cache=False, precision=precision).score(
        sources=[s.source for s in scored], hypotheses=[s.hypotheses["copy"] for s in scored],
        references=[s.reference for s in scored])
    assert [round(s.scores["copy"]["comet"], 6) for s in scored] == [round(v, 6) for v in direct.scores]
    assert round(whole.score, 6) == round(sum(direct.scores) / len(direct.scores), 6)
    assert whole.ci_low <= whole.score <= whole.ci_high
    assert results.provenance["comet"]["comet_version"] and results.provenance["comet"]["model"] == str(tiny_comet.da)


def test_reference_free_comet_scores_source_only_beads(example_dir, copy_lines, tiny_comet, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("MTEVAL_CACHE_DIR", str(tmp_path))
    results = _evaluate(example_dir, copy_lines, tiny_comet.qe, tmp_path)
    body = [s for _, s in results.iter_segments() if s.source and s.role == "body"]
    # Needing no reference, the QE model scores every translated bead, source-only ones included.
    assert body and all("comet" in s.scores["copy"] for s in body)
    reference_based = _evaluate(example_dir, copy_lines, tiny_comet.da, tmp_path)
    unscored = [s for _, s in reference_based.iter_segments()
                if s.source and s.role == "body" and "comet" not in s.scores["copy"]]
    assert all(not s.reference for s in unscored)


def test_unfetchable_comet_model_is_skipped_not_fatal(example_dir, copy_lines, tmp_path, monkeypatch):
    monkeypatch.setenv("MTEVAL_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    results = _evaluate(example_dir, copy_lines, "Unbabel/wmt22-comet-da", tmp_path)
    assert results.skipped == [results.skipped[0]] and results.skipped[0].stage == "comet"
    assert "Unbabel/wmt22-comet-da" in results.skipped[0].reason
    assert results.corpus["copy"].get("chrf") is not None


def test_comet_is_tested_on_the_segments_it_scored(example_dir, copy_lines, tiny_comet, tmp_path, monkeypatch):  # noqa: F811
    """The seed pair has source-only beads, which a reference-based model does not score: COMET's paired tests
    run over the beads it scored (their own count), beside chrF's over every body bead."""
    import numpy as np

    monkeypatch.setenv("MTEVAL_CACHE_DIR", str(tmp_path))
    shuffled = copy_lines[1:] + copy_lines[:1]  # a worse system: each sentence's output is its neighbour's
    results = evaluate(corpus=example_dir, hypotheses={"copy": copy_lines, "shifted": shuffled},
                       comet_model=str(tiny_comet.da), n_bootstrap=50, translation_cache=False,
                       metrics=("chrf",))
    for part in ("whole", "parallel"):
        test = results.significance[part]["paired_bootstrap"]
        assert test["metrics"] == ["chrf", "comet"]
        comet_segments = results.corpus["copy"].get("comet", part).n_segments
        assert test.get("n_segments_by_metric", {}).get("comet", test["n_segments"]) == comet_segments
        row = test["results"]["shifted"]["comet"]
        expected = (results.corpus["shifted"].get("comet", part).score - results.corpus["copy"].get("comet", part).score)
        assert np.isclose(row["difference"], expected) and 0 < row["p_value"] <= 1
    whole = results.significance["whole"]["approximate_randomization"]
    assert whole["n_segments_by_metric"]["comet"] < whole["n_segments"]  # chrF also scores the source-only beads
