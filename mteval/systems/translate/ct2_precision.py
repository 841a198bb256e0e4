"""CTranslate2's default precision on this machine: int8, except on CPUs whose int8 kernels saturate.

CTranslate2 computes int8 matrix products with Intel MKL on Intel CPUs and
with oneDNN on every other vendor's. On a CPU without VNNI, oneDNN's kernels
add pairs of u8 x s8 products in saturating 16-bit lanes (``vpmaddubsw``),
which the model cannot afford: on an AVX2-only AMD EPYC, int8 kept 2 of the
test model's 34 greedy outputs of float32, and 106 of 256 of the real-size
benchmark model's (221 with MKL's kernels, as on CPUs with VNNI). MKL is no
way out there: its int8 path ran 6.6x slower than oneDNN's on that CPU, and
oneDNN's float32 ran faster than its int8 (``benchmarks/translate_bench.py``
prints all three). So on such a CPU the default is float32; an explicit
``--precision int8`` is still honoured (as is ``CT2_USE_MKL=1``, which makes
int8 the default again), and provenance says why the default was what it was.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

_CPUINFO = Path("/proc/cpuinfo")
_VNNI_FLAGS = ("avx512_vnni", "avx_vnni", "avx_vnni_int8")


def cpu_info(cpuinfo: Path = _CPUINFO) -> tuple[str | None, set[str] | None]:
    """The CPU's vendor and feature flags as Linux lists them; ``(None, None)`` where they cannot be read."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None, None
    vendor, flags = None, None
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "vendor_id" and vendor is None:
            vendor = value.strip()
        elif key.strip() == "flags" and flags is None:
            flags = set(value.split())
    return vendor, flags


def int8_saturates(vendor: str | None, flags: set[str] | None) -> bool:
    """Whether CTranslate2's int8 kernels on this CPU are oneDNN's without VNNI (unknown CPUs: no)."""
    if vendor is None or flags is None or vendor == "GenuineIntel":
        return False
    return not any(flag in flags for flag in _VNNI_FLAGS)


def default_precision(device: str, *, cpu: tuple[str | None, set[str] | None] | None = None,
                      environ: Mapping[str, str] | None = None) -> tuple[str, str]:
    """The precision ``--precision default`` means for CTranslate2 on ``device`` ("cpu"/"cuda"), and why."""
    if device != "cpu":
        return "int8", "int8, CTranslate2's fastest on this device"
    if (os.environ if environ is None else environ).get("CT2_USE_MKL") == "1":
        return "int8", "int8: CT2_USE_MKL=1 asks CTranslate2 for MKL's int8 kernels, which do not saturate"
    vendor, flags = cpu_info() if cpu is None else cpu
    if int8_saturates(vendor, flags):
        return "float32", ("float32: this CPU has no VNNI, and CTranslate2's int8 kernels for it (oneDNN) "
                           "saturate and change the output")
    return "int8", "int8: this CPU's int8 kernels do not saturate"


def ct2_device(device_setting: str) -> str:
    """"cuda" or "cpu" for a ``--device`` setting ("auto" asks CTranslate2 whether it sees a GPU)."""
    if device_setting.startswith("cuda"):
        return "cuda"
    if device_setting == "cpu":
        return "cpu"
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() else "cpu"
