"""Feedback on long work: how long each stage took, and what each progress bar counts.

:class:`StageClock` is a lap timer: ``clock.lap("pair audit")`` after a stage
records the seconds since the previous lap, so the pipeline marks a stage's
end with one line and its code keeps its shape. The laps go into the
provenance (``timing``) and the CLI prints them at the end of ``run``.
"""
from __future__ import annotations

import time

#: what the progress bar of each stage counts (the stage name's first word)
UNITS = {"translate": "sentences", "audit": "documents", "embed": "sentences", "comet": "segments"}


def unit_of(stage: str) -> str:
    return UNITS.get(stage.split(" ", 1)[0], "items")


class StageClock:
    def __init__(self) -> None:
        self._start = self._last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, stage: str) -> float:
        """Seconds since the previous lap (or the start), added to ``stage``."""
        now = time.perf_counter()
        seconds = now - self._last
        self._last = now
        self.laps[stage] = self.laps.get(stage, 0.0) + seconds
        return seconds

    def add(self, laps: dict[str, float]) -> None:
        """Add laps measured elsewhere (a chunk's stages); what follows is timed from now."""
        for stage, seconds in laps.items():
            self.laps[stage] = self.laps.get(stage, 0.0) + seconds
        self._last = time.perf_counter()

    def to_dict(self) -> dict[str, float]:
        """``{stage: seconds}`` in the order the stages ran, and ``total``."""
        record = {stage: round(seconds, 3) for stage, seconds in self.laps.items()}
        record["total"] = round(self._last - self._start, 3)
        return record
