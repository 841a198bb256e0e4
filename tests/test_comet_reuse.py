"""COMET sentence-embedding reuse: exact scores, what a second candidate encodes, N systems, joint models."""
from __future__ import annotations

import pytest

from _tiny_comet import seed_lines, tiny_comet  # noqa: F401  (fixture)
from mteval.metrics.comet.scorer import CometScorer


@pytest.fixture(scope="module")
def test_set():
    """Indonesian sources, English references, and three candidates' outputs that differ from each other."""
    lines = seed_lines()
    sources = [l for l in lines if " yang " in l or " dan " in l][:10]
    references = [l for l in lines if " the " in l][: len(sources)]
    assert len(sources) == len(references) >= 6
    candidates = {
        "first": [r.replace(" the ", " a ") for r in references],
        "second": [r.split(",")[0] + " today." for r in references],
        "third": [" ".join(reversed(r.split())) for r in references],
    }
    texts = [set(sources), set(references), *(set(c) for c in candidates.values())]
    assert sum(len(t) for t in texts) == len(set().union(*texts))  # no sentence in two roles or systems
    return sources, references, candidates


class EncoderSpy:
    """Records every sequence the COMET encoder runs (as token ids without padding)."""

    def __init__(self, scorer: CometScorer):
        self.model = scorer._load()
        self.pad = self.model.encoder.tokenizer.pad_token_id
        self.sequences: list[tuple[int, ...]] = []
        inner = self.model.encoder.forward

        def forward(input_ids, attention_mask, **kwargs):
            self.sequences.extend(tuple(i for i in row.tolist() if i != self.pad) for row in input_ids)
            return inner(input_ids, attention_mask, **kwargs)

        self.model.encoder.forward = forward

    def token_ids(self, texts) -> set[tuple[int, ...]]:
        rows = self.model.encoder.prepare_sample(list(texts))["input_ids"]
        return {tuple(i for i in row.tolist() if i != self.pad) for row in rows}


def _uncached(model, sources, hypotheses, references=None, precision="fp32"):
    """Whole segments through the model's own forward pass, nothing cached or reused."""
    return CometScorer(str(model), cache=False, precision=precision, reuse_embeddings=False, batch_size=4).score(
        sources=sources, hypotheses=hypotheses, references=references
    ).scores


def test_second_candidate_encodes_no_source_or_reference_and_scores_exactly(tmp_path, tiny_comet, test_set):  # noqa: F811
    sources, references, candidates = test_set
    cache = tmp_path / "comet.sqlite"
    first = CometScorer(str(tiny_comet.da), cache=cache, batch_size=3).score(
        sources=sources, hypotheses=candidates["first"], references=references
    )
    work = first.provenance["work"]
    assert work["sentences"]["source"]["encoded"] == len(set(sources))
    assert work["sentences"]["reference"]["encoded"] == len(set(references))

    # A later run (a new scorer on the same cache file) for a new candidate.
    scorer = CometScorer(str(tiny_comet.da), cache=cache, batch_size=3)
    spy = EncoderSpy(scorer)
    second = scorer.score(sources=sources, hypotheses=candidates["second"], references=references)
    encoded = set(spy.sequences)
    assert len(spy.sequences) == len(set(candidates["second"]))
    assert encoded == spy.token_ids(candidates["second"])
    assert not encoded & spy.token_ids(sources) and not encoded & spy.token_ids(references)
    work = second.provenance["work"]
    assert work["encoder_sequences"] == len(set(candidates["second"]))
    assert work["sentences"]["source"] == {"encoded": 0, "from_cache": len(set(sources)), "from_run": 0}
    assert work["sentences"]["reference"] == {"encoded": 0, "from_cache": len(set(references)), "from_run": 0}

    for result, name in ((first, "first"), (second, "second")):
        assert result.scores == pytest.approx(_uncached(tiny_comet.da, sources, candidates[name], references), abs=1e-6)
    assert max(second.scores) - min(second.scores) > 1e-3  # real, varying scores, not a constant


def test_scores_equal_stock_predict_to_1e6(tiny_comet, test_set):  # noqa: F811
    import comet

    sources, references, candidates = test_set
    hyps = candidates["third"]
    reused = CometScorer(str(tiny_comet.da), cache=False, batch_size=3).score(
        sources=sources, hypotheses=hyps, references=references
    )
    stock = comet.load_from_checkpoint(str(tiny_comet.da_ckpt)).predict(
        [{"src": s, "mt": t, "ref": r} for s, t, r in zip(sources, hyps, references)],
        batch_size=4, gpus=0, progress_bar=False,
    )
    assert reused.scores == pytest.approx(stock.scores, abs=1e-6)
    assert "sentence embeddings" in reused.provenance["reuse"]


def test_bf16_reused_embeddings_stay_within_tolerance(tmp_path, tiny_comet, test_set):  # noqa: F811
    sources, references, candidates = test_set
    cache = tmp_path / "comet.sqlite"
    CometScorer(str(tiny_comet.da), cache=cache, precision="bf16").score(
        sources=sources, hypotheses=candidates["first"], references=references
    )
    warm = CometScorer(str(tiny_comet.da), cache=cache, precision="bf16").score(
        sources=sources, hypotheses=candidates["second"], references=references
    )
    assert warm.provenance["precision"] == "bf16"
    assert warm.provenance["work"]["sentences"]["source"]["encoded"] == 0
    uncached = _uncached(tiny_comet.da, sources, candidates["second"], references, precision="bf16")
    # the project's bf16 tolerance on COMET scores
    assert max(abs(a - b) for a, b in zip(warm.scores, uncached)) <= 0.005


def test_embeddings_are_per_precision(tmp_path, tiny_comet, test_set):  # noqa: F811
    sources, references, candidates = test_set
    cache = tmp_path / "comet.sqlite"
    CometScorer(str(tiny_comet.da), cache=cache).score(sources=sources, hypotheses=candidates["first"], references=references)
    other = CometScorer(str(tiny_comet.da), cache=cache, precision="bf16").score(
        sources=sources, hypotheses=candidates["second"], references=references
    )
    assert other.provenance["work"]["sentences"]["source"]["from_cache"] == 0


def test_n_systems_cost_n_plus_2_encodings_per_segment(tiny_comet, test_set):  # noqa: F811
    sources, references, candidates = test_set
    scorer = CometScorer(str(tiny_comet.da), cache=False, batch_size=4)
    spy = EncoderSpy(scorer)
    together = scorer.score_systems(candidates, sources=sources, references=references)
    distinct = set(sources) | set(references) | {h for hyps in candidates.values() for h in hyps}
    assert len(spy.sequences) == len(distinct) <= (len(candidates) + 2) * len(sources)
    assert list(together) == list(candidates)
    for name, hyps in candidates.items():
        assert together[name].scores == pytest.approx(_uncached(tiny_comet.da, sources, hyps, references), abs=1e-6)

    # One call per system (how a caller may loop) shares the encodings too, with no cache file at all.
    looping = CometScorer(str(tiny_comet.da), cache=False, batch_size=4)
    spy = EncoderSpy(looping)
    for index, (name, hyps) in enumerate(candidates.items()):
        before = len(spy.sequences)
        result = looping.score(sources=sources, hypotheses=hyps, references=references)
        assert result.scores == pytest.approx(together[name].scores, abs=1e-6)
        if index:
            assert len(spy.sequences) - before == len(set(hyps))
            assert result.provenance["work"]["sentences"]["source"]["from_run"] == len(set(sources))
    totals = looping.provenance()["work"]
    assert totals["segments"] == len(candidates) * len(sources)
    assert totals["sentences"]["source"]["encoded"] == len(set(sources))


def test_reference_free_regression_reuses_source_embeddings(tmp_path, tiny_comet, test_set):  # noqa: F811
    import comet

    sources, _, candidates = test_set
    cache = tmp_path / "comet.sqlite"
    CometScorer(str(tiny_comet.qe), cache=cache).score(sources=sources, hypotheses=candidates["first"])
    warm = CometScorer(str(tiny_comet.qe), cache=cache).score(sources=sources, hypotheses=candidates["second"])
    assert warm.provenance["work"]["sentences"]["source"]["encoded"] == 0
    stock = comet.load_from_checkpoint(str(tiny_comet.qe_ckpt)).predict(
        [{"src": s, "mt": t} for s, t in zip(sources, candidates["second"])], batch_size=4, gpus=0, progress_bar=False
    )
    assert warm.scores == pytest.approx(stock.scores, abs=1e-6)


def test_jointly_encoding_model_falls_back_to_segment_scores(tmp_path, tiny_comet, test_set, monkeypatch):  # noqa: F811
    import comet

    sources, references, candidates = test_set
    hyps = candidates["first"]
    cache = tmp_path / "comet.sqlite"
    scorer = CometScorer(str(tiny_comet.unified), cache=cache, batch_size=3)
    assert not scorer.reference_free and not scorer.reuses_embeddings
    result = scorer.score(sources=sources, hypotheses=hyps, references=references)
    stock = comet.load_from_checkpoint(str(tiny_comet.unified_ckpt)).predict(
        [{"src": s, "mt": t, "ref": r} for s, t, r in zip(sources, hyps, references)],
        batch_size=4, gpus=0, progress_bar=False,
    )
    assert result.scores == pytest.approx(stock.scores, abs=5e-5)
    assert max(result.scores) - min(result.scores) > 1e-4
    provenance = result.provenance
    assert provenance["model_class"] == "unified_metric" and "jointly" in provenance["reuse"]
    # source+hypothesis, reference+hypothesis and all three: three joint sequences per segment
    assert provenance["work"]["sentences"] is None and provenance["work"]["encoder_sequences"] == 3 * len(hyps)

    from mteval.metrics.comet import scorer as comet_scorer

    def refuse(*args, **kwargs):
        raise AssertionError("a fully cached call loaded a model")

    monkeypatch.setattr(comet_scorer, "load_model", refuse)
    again = CometScorer(str(tiny_comet.unified), cache=cache).score(sources=sources, hypotheses=hyps, references=references)
    assert again.scores == result.scores and again.provenance["work"]["segments_from_cache"] == len(hyps)


def test_fast_loading_gives_the_stock_parameters(tmp_path, tiny_comet):  # noqa: F811
    import comet
    import torch

    from mteval.metrics.comet.loading import _load_mapped, _load_without_random_init

    stock = comet.load_from_checkpoint(str(tiny_comet.da_ckpt)).state_dict()
    fast = _load_without_random_init(comet.load_from_checkpoint, tiny_comet.da_ckpt).state_dict()
    assert fast.keys() == stock.keys() and all(torch.equal(fast[k], stock[k]) for k in stock)

    # memory-mapped (the path every scoring test above runs through): each model class of the tiny checkpoints
    # gets the stock parameters and hyper-parameters
    from mteval.metrics.comet.resolve import resolve_model

    for directory in (tiny_comet.da, tiny_comet.qe, tiny_comet.unified):
        resolved = resolve_model(str(directory))
        mapped = _load_mapped(resolved)
        reference = comet.load_from_checkpoint(str(resolved.checkpoint))
        assert mapped is not None and type(mapped) is type(reference)
        want, got = reference.state_dict(), mapped.state_dict()
        assert got.keys() == want.keys() and all(torch.equal(got[k], want[k]) for k in want)
        assert mapped.hparams == reference.hparams

    # A checkpoint that lacks a parameter is loaded the stock way (the parameter gets its random initialisation).
    target = tmp_path / "partial"
    (target / "checkpoints").mkdir(parents=True)
    (target / "hparams.yaml").write_text((tiny_comet.da / "hparams.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    checkpoint = torch.load(tiny_comet.da_ckpt, map_location="cpu", weights_only=True)
    dropped = next(k for k in checkpoint["state_dict"] if k.endswith("dense.weight"))
    del checkpoint["state_dict"][dropped]
    torch.save(checkpoint, target / "checkpoints" / "model.ckpt")
    torch.manual_seed(5)
    partial = comet.load_from_checkpoint(str(target / "checkpoints" / "model.ckpt")).state_dict()
    torch.manual_seed(5)
    loaded = _load_without_random_init(comet.load_from_checkpoint, target / "checkpoints" / "model.ckpt").state_dict()
    assert all(torch.equal(loaded[k], partial[k]) for k in partial)
    assert _load_mapped(resolve_model(str(target))) is None
