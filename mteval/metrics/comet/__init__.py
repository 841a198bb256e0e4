"""COMET scores through ``unbabel-comet``: model resolution, loading, the fast predict path and the scorer.

``resolve`` finds a model (hub name or local path) and reads its hparams safely,
``loading`` loads it and applies a precision, ``predict`` scores whole segments,
``sentence_embeddings`` encodes sentences once and applies a model's head, and
``scorer.CometScorer`` puts these together with the caches of
``mteval.caches.comet_scores`` and ``mteval.caches.comet_embeddings``.
Nothing here imports torch or comet at import time.
"""
