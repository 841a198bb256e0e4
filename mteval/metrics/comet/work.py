"""What a COMET scorer computed and what it took from caches, for provenance."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

ROLES = ("source", "reference", "hypothesis")


@dataclass
class SentenceCounts:
    """Distinct sentences of one role that a computed segment needed, by where their embedding came from."""

    encoded: int = 0  # run through the encoder now
    from_cache: int = 0  # read from the persistent COMET cache
    from_run: int = 0  # computed earlier by the same scorer (another system, an earlier call)

    def add(self, other: "SentenceCounts") -> None:
        self.encoded += other.encoded
        self.from_cache += other.from_cache
        self.from_run += other.from_run


@dataclass
class CometWork:
    """Counters of one ``score``/``score_systems`` call, or of a scorer's life when summed."""

    segments: int = 0  # segment scores asked for, over all systems
    segments_from_cache: int = 0  # served whole from the segment-score cache
    segments_computed: int = 0  # distinct segments whose score was computed
    encoder_sequences: int = 0  # sequences run through the encoder (the cost)
    sentences: dict[str, SentenceCounts] | None = field(default=None)  # None: the model encodes jointly

    def add(self, other: "CometWork") -> None:
        self.segments += other.segments
        self.segments_from_cache += other.segments_from_cache
        self.segments_computed += other.segments_computed
        self.encoder_sequences += other.encoder_sequences
        if other.sentences is not None:
            if self.sentences is None:
                self.sentences = {role: SentenceCounts() for role in ROLES}
            for role in ROLES:
                self.sentences[role].add(other.sentences[role])

    def to_dict(self) -> dict:
        return asdict(self)
