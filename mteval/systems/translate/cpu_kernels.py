"""Which library computes CTranslate2's matrix products on this CPU, chosen before ``ctranslate2`` is imported.

CTranslate2 uses Intel MKL on Intel CPUs and oneDNN on every other vendor's.
On a CPU without VNNI, oneDNN's int8 kernels add pairs of u8 x s8 products in
saturating 16-bit lanes (``vpmaddubsw``), which loses precision the model
cannot afford: on an AVX2-only AMD EPYC, int8 kept 2 of the test model's 34
greedy outputs of float32 with oneDNN and 30 with MKL (``tests/test_ct2.py``),
and ``benchmarks/translate_bench.py`` shows the same on the real-size model.
So where the CPU has no VNNI, mteval asks CTranslate2 for MKL, unless the user
has chosen with ``CT2_USE_MKL``. CTranslate2 reads that variable once, when
its library is loaded, so every import of ``ctranslate2`` in mteval goes
through :func:`import_ctranslate2`.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

_CPUINFO = Path("/proc/cpuinfo")
_VNNI_FLAGS = ("avx512_vnni", "avx_vnni", "avx_vnni_int8")
_choice: list[str] = []  # the sentence for provenance, set by the first import through this module


def cpu_flags(cpuinfo: Path = _CPUINFO) -> set[str] | None:
    """The CPU's feature flags as Linux lists them, or None where they cannot be read."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("flags") and ":" in line:
            return set(line.split(":", 1)[1].split())
    return None


def choose_kernels(*, flags: set[str] | None, environ, already_loaded: bool) -> str:
    """Set ``CT2_USE_MKL`` in ``environ`` where oneDNN's int8 kernels would saturate; a sentence saying what holds."""
    if "CT2_USE_MKL" in environ:
        return f"as set by the user (CT2_USE_MKL={environ['CT2_USE_MKL']})"
    if already_loaded:
        return "CTranslate2's default (ctranslate2 was imported before mteval could choose)"
    if flags is None:
        return "CTranslate2's default (the CPU's features could not be read)"
    if any(flag in flags for flag in _VNNI_FLAGS):
        return "CTranslate2's default (the CPU has VNNI)"
    environ["CT2_USE_MKL"] = "1"
    return "Intel MKL (the CPU has no VNNI, where oneDNN's int8 kernels saturate)"


def import_ctranslate2():
    """``ctranslate2``, imported after the kernel choice; :func:`kernels_statement` says what was chosen."""
    if not _choice:
        _choice.append(choose_kernels(flags=cpu_flags(), environ=os.environ,
                                      already_loaded="ctranslate2" in sys.modules))
    import ctranslate2

    return ctranslate2


def kernels_statement() -> str | None:
    return _choice[0] if _choice else None
