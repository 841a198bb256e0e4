"""A system's scores never depend on which other systems are compared with it, nor on the baseline.

The seed pair with three precomputed systems: ``good`` (each source
sentence's gold reference), ``bad`` (the same with 40% of the words dropped)
and ``copy`` (the source copied through). Every figure of every system is
compared alone, in pairs in both orders, all three, and with each baseline.
"""
from __future__ import annotations

import random

import pytest

import mteval


def _systems(seed_gold) -> dict[str, list[str]]:
    source = [s["text"] for s in seed_gold["source_sentences"]]
    reference = [s["text"] for s in seed_gold["reference_sentences"]]
    good = list(source)
    for bead in seed_gold["alignment"]:
        if bead["source"] and bead["reference"]:
            text = " ".join(reference[j] for j in bead["reference"])
            for i in bead["source"]:
                good[i] = text if i == bead["source"][0] else ""
    rng = random.Random(7)
    bad = [" ".join(w for w in line.split() if rng.random() > 0.4) for line in good]
    return {"good": good, "bad": bad, "copy": source}


def _figures(results, name: str) -> dict:
    """Everything scored for ``name``: corpus scores with intervals, per document, per segment."""
    corpus = {(part, metric): (e.score, e.ci_low, e.ci_high, e.n_segments)
              for part, metrics in results.system_scores(name).parts.items() for metric, e in metrics.items()}
    documents = {(doc.doc_id, part, metric): e.score
                 for doc in results.documents for part, metrics in doc.systems[name].scores.items()
                 for metric, e in metrics.items()}
    segments = [(doc.doc_id, s.bead, s.parallel, s.hypotheses.get(name), tuple(sorted(s.scores.get(name, {}).items())))
                for doc, s in results.iter_segments()]
    errors = [(e.kind, e.bead, tuple(sp.text for sp in e.spans))
              for doc in results.documents for e in doc.systems[name].mt_errors]
    return {"corpus": corpus, "documents": documents, "segments": segments, "mt_errors": errors}


@pytest.fixture(scope="module")
def runs(seed_gold, example_dir):
    systems = _systems(seed_gold)
    source = example_dir / "antara-kominfo-2024.id.txt"
    reference = example_dir / "antara-kominfo-2024.en.txt"

    def run(names, baseline=None):
        return mteval.evaluate(source=source, reference=reference, hypotheses={n: systems[n] for n in names},
                               n_bootstrap=200, baseline=baseline)

    orders = [("good",), ("bad",), ("copy",), ("good", "bad"), ("bad", "good"), ("good", "bad", "copy"),
              ("copy", "bad", "good")]
    results = {order: run(order) for order in orders}
    for baseline in ("good", "bad", "copy"):
        results[("good", "bad", "copy", f"baseline={baseline}")] = run(("good", "bad", "copy"), baseline)
    return results


@pytest.mark.parametrize("name", ["good", "bad", "copy"])
def test_every_figure_is_the_same_alone_in_any_company_and_with_any_baseline(runs, name):
    alone = _figures(runs[(name,)], name)
    assert alone["corpus"][("whole", "chrf")][3] > 0 and alone["corpus"][("parallel", "bleu")][3] > 0
    for order, results in runs.items():
        if name in order:
            assert _figures(results, name) == alone, f"{name} changed in run {order}"


def test_the_parallel_part_is_the_pairs_not_a_systems(runs):
    flags = {order: [(d.doc_id, s.bead, s.parallel) for d, s in r.iter_segments()] for order, r in runs.items()}
    assert len(set(map(tuple, flags.values()))) == 1
    fingerprints = {r.provenance["audit"]["alignment_fingerprint"] for r in runs.values()}
    assert len(fingerprints) == 1


def test_mt_errors_are_the_systems_own_and_remove_no_bead(runs):
    results = runs[("good", "bad", "copy")]
    doc = results.documents[0]
    bad_errors = doc.systems["bad"].mt_errors
    assert bad_errors and all(e.system == "bad" and e.kind.startswith("mt_") for e in bad_errors)
    assert not any(d.kind.startswith("mt_") for d in doc.audit.divergences)
    # a bead where `bad` lost a name or number is still in the parallel part for everyone
    parallel = {s.bead for s in doc.segments if s.parallel}
    assert any(e.bead in parallel for e in bad_errors)
    rate = {n: results.system_scores(n).get("mt_errors").score for n in ("good", "bad")}
    assert rate["bad"] > rate["good"]
    table = results.to_pandas("divergence")
    assert set(table.loc[table["kind"].str.startswith("mt_"), "system"]) <= {"good", "bad", "copy"}
    assert table.loc[~table["kind"].str.startswith("mt_"), "system"].isna().all()


def test_align_with_is_explicit_and_recorded(seed_gold, example_dir):
    systems = _systems(seed_gold)
    source = example_dir / "antara-kominfo-2024.id.txt"
    reference = example_dir / "antara-kominfo-2024.en.txt"
    plain = mteval.evaluate(source=source, reference=reference, hypotheses={"bad": systems["bad"]}, n_bootstrap=0)
    helped = mteval.evaluate(source=source, reference=reference, hypotheses=systems, n_bootstrap=0, align_with="good")
    assert plain.provenance["audit"]["align_with"] is None
    assert helped.provenance["audit"]["align_with"] == "good"
    assert plain.provenance["audit"]["alignment_fingerprint"] != helped.provenance["audit"]["alignment_fingerprint"]
    with pytest.raises(mteval.errors.InputError, match="--align-with system 'nope'"):
        mteval.evaluate(source=source, reference=reference, hypotheses=systems, align_with="nope")
