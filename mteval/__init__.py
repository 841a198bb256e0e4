"""mteval: how good is a translation model on your own articles, and where is the reference not to be trusted.

``import mteval`` is cheap: models, torch and pandas load only when used.

    >>> import mteval
    >>> results = mteval.evaluate(source="doc.id.txt", reference="doc.en.txt", models={"opus": "path/to/marian"})
    >>> results.to_pandas("corpus")
    >>> mteval.explore(results)          # in Jupyter: summary, .show(doc_id), .plot
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "evaluate", "audit", "load_corpus", "explore", "Results", "Corpus", "DocumentPair"]


def __getattr__(name: str):
    if name in ("evaluate", "audit"):
        from mteval import api

        return getattr(api, name)
    if name == "load_corpus":
        from mteval.documents.loaders import load_corpus

        return load_corpus
    if name == "explore":
        from mteval.report.jupyter import explore

        return explore
    if name == "Results":
        from mteval.results.records import Results

        return Results
    if name in ("Corpus", "DocumentPair"):
        from mteval import documents

        return getattr(documents, name)
    raise AttributeError(f"module 'mteval' has no attribute '{name}'")
