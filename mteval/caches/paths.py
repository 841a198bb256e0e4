"""Where mteval keeps its caches."""
from __future__ import annotations

import os
from pathlib import Path


def default_cache_dir() -> Path:
    """``$MTEVAL_CACHE_DIR`` or the platform's user cache directory."""
    override = os.environ.get("MTEVAL_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("mteval"))
