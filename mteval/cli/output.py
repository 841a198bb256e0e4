"""Terminal output: rich tables on a terminal, plain aligned text otherwise."""
from __future__ import annotations

import json
import os
import sys
from typing import Any, Sequence


def use_colour(stream=sys.stdout) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], *, stream=sys.stdout) -> None:
    cells = [[_cell(v) for v in row] for row in rows]
    if use_colour(stream):
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title, title_justify="left")
        for index, header in enumerate(headers):
            table.add_column(header, justify="left" if index == 0 else "right")
        for row in cells:
            table.add_row(*row)
        Console(file=stream).print(table)
        return
    widths = [max(len(str(h)), *(len(r[i]) for r in cells)) if cells else len(str(h)) for i, h in enumerate(headers)]
    print(title, file=stream)
    print("  ".join(str(h).ljust(w) if i == 0 else str(h).rjust(w) for i, (h, w) in enumerate(zip(headers, widths))), file=stream)
    for row in cells:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))), file=stream)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 2 else f"{value:.2f}"
    return str(value)


def print_json(data: Any, *, stream=sys.stdout) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=1), file=stream)


def warn(message: str) -> None:
    print(f"mteval: {message}", file=sys.stderr)


class StageProgress:
    """A tqdm bar per stage on stderr, counting the stage's own unit (hidden when stderr is not a terminal)."""

    def __init__(self, enabled: bool | None = None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._bars: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        from mteval.pipeline.timing import unit_of

        bar = self._bars.get(stage)
        if bar is None:
            unit = unit_of(stage)
            bar = self._bars[stage] = tqdm(total=total, desc=stage, unit=f" {unit}", file=sys.stderr, leave=False)
        bar.total = total
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()
