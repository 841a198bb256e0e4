"""Device names as every engine takes them: ``auto``, ``cpu``, ``cuda`` or ``cuda:N``."""
from __future__ import annotations

import re

from mteval.errors import InputError

_DEVICE = re.compile(r"auto|cpu|cuda(:\d+)?")


def check_device_name(device: object, *, what: str) -> str:
    """``device`` when it is such a name; otherwise one sentence naming ``what`` asked for it."""
    if not isinstance(device, str) or not _DEVICE.fullmatch(device):
        raise InputError(f"{what} must be cpu, cuda, cuda:N or auto, not {device!r}.")
    return device
