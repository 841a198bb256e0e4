"""mteval's one-extraction scorer gives sacrebleu's numbers for every view."""
import random

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER

from mteval.errors import InputError
from mteval.metrics.lexical import LexicalScorer

CORPUS = {"bleu": BLEU(), "chrf": CHRF(), "chrf++": CHRF(word_order=2), "ter": TER()}
SENTENCE = {"bleu": BLEU(effective_order=True), "chrf": CHRF(), "chrf++": CHRF(word_order=2), "ter": TER()}


@pytest.fixture(scope="module")
def segments(example_dir):
    lines = [l.strip() for l in (example_dir / "antara-kominfo-2024.en.txt").read_text("utf-8").splitlines() if l.strip()]
    rng = random.Random(0)
    hypotheses = [" ".join(rng.sample(l.split(), len(l.split()))) if i % 2 else l[: len(l) // 2] for i, l in enumerate(lines)]
    return hypotheses + ["", "x"], lines + ["something", ""]


@pytest.mark.parametrize("metric", list(CORPUS))
def test_every_view_equals_sacrebleu(segments, metric):
    hypotheses, references = segments
    scorer = LexicalScorer(hypotheses=hypotheses, references=references, metrics=[metric])
    assert scorer.corpus()[metric].score == pytest.approx(CORPUS[metric].corpus_score(hypotheses, [references]).score, abs=1e-9)
    subset = [1, 3, 5, len(hypotheses) - 1]
    expected = CORPUS[metric].corpus_score([hypotheses[i] for i in subset], [[references[i] for i in subset]]).score
    assert scorer.corpus(subset)[metric].score == pytest.approx(expected, abs=1e-9)
    sentence = [SENTENCE[metric].sentence_score(h, [r]).score for h, r in zip(hypotheses, references)]
    assert scorer.segment_scores()[metric] == pytest.approx(sentence, abs=1e-9)


def test_interval_brackets_the_score_and_is_seeded(segments):
    hypotheses, references = segments
    scorer = LexicalScorer(hypotheses=hypotheses, references=references, metrics=["chrf"])
    first = scorer.corpus(n_bootstrap=200, seed=7)["chrf"]
    assert first.ci_low <= first.score <= first.ci_high
    assert scorer.corpus(n_bootstrap=200, seed=7)["chrf"].ci_low == first.ci_low
    assert scorer.corpus(n_bootstrap=200, seed=8)["chrf"].ci_low != first.ci_low


def test_bad_metric_and_empty_subset(segments):
    hypotheses, references = segments
    with pytest.raises(InputError, match="Unknown metric"):
        LexicalScorer(hypotheses=hypotheses, references=references, metrics=["meteor"])
    with pytest.raises(InputError, match="no segments"):
        LexicalScorer(hypotheses=hypotheses, references=references, metrics=["ter"]).corpus([])
