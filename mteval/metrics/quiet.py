"""Silence the third-party noise a user cannot act on, where it is raised: around COMET's import and loading.

``import comet`` warns that ``pkg_resources`` is deprecated (torchmetrics
imports it) and calls ``logging.basicConfig(level=INFO)``, after which every
checkpoint load prints "Encoder model frozen." and Lightning's info lines and
tips. :func:`quiet_third_party` lets those pass silently and puts the root
logger back as it found it; warnings and errors of these libraries still show.
"""
from __future__ import annotations

import logging
import warnings
from contextlib import contextmanager
from typing import Iterator

#: loggers whose info-level chatter (device summaries, tips, "model frozen") is not for users
NOISY_LOGGERS = ("comet", "pytorch_lightning", "lightning", "lightning.pytorch", "lightning_fabric", "lightning.fabric")
#: warning messages (regular expressions, matched at the start) that users cannot act on
NOISY_WARNINGS = (
    r"pkg_resources is deprecated",
    r"Lightning automatically upgraded your loaded checkpoint",
    r".*litmodels",
)


@contextmanager
def quiet_third_party() -> Iterator[None]:
    """Run the enclosed import or model load without the noise above; logging is restored afterwards."""
    root = logging.getLogger()
    root_handlers, root_level = list(root.handlers), root.level
    loggers = [logging.getLogger(name) for name in NOISY_LOGGERS]
    levels = [logger.level for logger in loggers]
    with warnings.catch_warnings():
        for message in NOISY_WARNINGS:
            warnings.filterwarnings("ignore", message=message)
        for logger in loggers:
            logger.setLevel(logging.WARNING)
        try:
            yield
        finally:
            for handler in list(root.handlers):
                if handler not in root_handlers:  # what comet's logging.basicConfig added
                    root.removeHandler(handler)
            root.setLevel(root_level)
            for logger, level in zip(loggers, levels):
                logger.setLevel(level)
