"""sacrebleu's TER with its cost bounded on pathologically long segments.

TER's edit distance holds a full matrix of hypothesis × reference words and
its shift search recomputes it up to a thousand times, so one segment of
150,000 words would need tens of gigabytes. :class:`BoundedTER` is
sacrebleu's ``TER`` (same tokenizer, signature and score) for every segment
of at most :data:`MAX_TER_WORDS` words on each side; a longer segment is cut
into aligned pieces of about :data:`PIECE_WORDS` words (the hypothesis and
the reference at the same relative positions) whose edits are summed against
the full reference length. That is an approximation, counted in
``capped_segments`` so callers can say so.
"""
from __future__ import annotations

import math
from typing import Any

from sacrebleu.metrics import TER
from sacrebleu.metrics.lib_ter import translation_edit_rate

# One segment of 2,000 words on each side takes 0.6 s and ~110 MB here; both grow with its square.
MAX_TER_WORDS = 2000
PIECE_WORDS = 1000


class BoundedTER(TER):
    """``sacrebleu.metrics.TER`` whose segments over :data:`MAX_TER_WORDS` words are scored in pieces."""

    def __init__(self, *args: Any, **kwargs: Any):
        self.capped_segments = 0
        super().__init__(*args, **kwargs)

    def _compute_segment_statistics(self, hypothesis: str, ref_kwargs: dict) -> list[float]:
        words_hyp = hypothesis.split()
        refs = ref_kwargs["ref_words"]
        if max([len(words_hyp)] + [len(words) for words in refs]) <= MAX_TER_WORDS:
            return super()._compute_segment_statistics(hypothesis, ref_kwargs)
        self.capped_segments += 1
        best = min(piecewise_edits(words_hyp, words) for words in refs)
        return [best, sum(len(words) for words in refs) / len(refs)]


def piecewise_edits(words_hyp: list[str], words_ref: list[str], piece: int = PIECE_WORDS) -> int:
    """TER edits summed over aligned pieces of at most about ``piece`` words per side."""
    count = math.ceil(max(len(words_hyp), len(words_ref)) / piece)
    edits = 0
    for k in range(count):
        hyp = words_hyp[k * len(words_hyp) // count : (k + 1) * len(words_hyp) // count]
        ref = words_ref[k * len(words_ref) // count : (k + 1) * len(words_ref) // count]
        edits += translation_edit_rate(hyp, ref)[0]
    return edits
