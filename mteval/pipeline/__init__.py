"""The main job, one stage per module: documents → pair audit (once per pair) → per-system work → results.

:mod:`~mteval.pipeline.run` orchestrates; :mod:`~mteval.pipeline.systems`
produces each system's output; :mod:`~mteval.pipeline.scoring` scores every
system on the pair audit's segments; :mod:`~mteval.pipeline.provenance` says
how it all was produced.
"""
