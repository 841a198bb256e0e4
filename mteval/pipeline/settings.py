"""What an evaluation run is asked to do."""
from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral
from typing import Any, Sequence

from mteval.metrics.base import LEXICAL_METRICS
from mteval.metrics.lexical import LexicalOptions


@dataclass
class EvaluationSettings:
    metrics: Sequence[str] = LEXICAL_METRICS
    n_bootstrap: int = 1000
    n_trials: int = 10000
    n_paired_bootstrap: int | None = None  # None: n_bootstrap, else 1000 (sacrebleu's --paired-bs-n; see scoring)
    seed: int = 12345
    comet_model: str | None = None
    comet_batch_size: int = 16
    comet_precision: str = "auto"
    comet_device: str = "auto"
    comet_cache: Any = None  # path, None for the user cache directory, False for none
    significance: bool = True
    audit: bool = True
    embedder: str | None = None
    embedding_cache: Any = None  # path, None for the user cache directory, False for none
    audit_cache: Any = None  # likewise, for pair audits
    baseline: str | None = None  # the system the others are tested against (default: the first); changes no score
    align_with: str | None = None  # a system whose output is an alignment signal for every system (opt-in)
    progress_bars: bool = False  # COMET's own progress bar (the CLI turns it on for a terminal)
    lexical_options: LexicalOptions | None = None  # -tok/-lc/-l; None: sacrebleu's tokenizer for the reference language
    paired_compat: str = "mteval"  # "sacrebleu": p-values computed exactly as sacrebleu --paired-bs/--paired-ar
    review: Any = None  # a reviewer's decisions (mteval.pair_audit.review.Review), applied after the pair audit

    def __post_init__(self) -> None:
        from mteval.errors import InputError

        if not isinstance(self.n_bootstrap, Integral) or self.n_bootstrap < 0:
            raise InputError(f"n_bootstrap must be 0 (no intervals) or a positive number of samples, "
                             f"not {self.n_bootstrap!r}.")
        if not isinstance(self.n_trials, Integral) or self.n_trials < 1:
            raise InputError(f"n_trials (--trials) must be a positive number of randomization trials, "
                             f"not {self.n_trials!r}.")
        if self.n_paired_bootstrap is not None and (not isinstance(self.n_paired_bootstrap, Integral)
                                                    or self.n_paired_bootstrap < 1):
            raise InputError(f"n_paired_bootstrap (--paired-bs-n) must be a positive number of resamples, "
                             f"not {self.n_paired_bootstrap!r}.")
        if self.paired_compat not in ("mteval", "sacrebleu"):
            raise InputError(f"paired_compat (--paired-compat) is 'mteval' or 'sacrebleu', not {self.paired_compat!r}.")

    @property
    def lexical_metrics(self) -> list[str]:
        from mteval.metrics.base import metric_info

        return [m for m in self.metrics if metric_info(m).kind == "statistics"]
