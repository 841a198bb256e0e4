"""mteval: how good is a translation model on your own articles, and where is the reference not to be trusted.

``import mteval`` is cheap: models, torch and pandas load only when used.

    >>> import mteval
    >>> results = mteval.evaluate(source="doc.id.txt", reference="doc.en.txt", models={"opus": "path/to/marian"})
    >>> results.to_pandas("corpus")
    >>> mteval.explore(results)          # in Jupyter: summary, .show(doc_id), .plot
"""
from __future__ import annotations

__version__ = "0.1.0"

# Where each public name lives; imported on first use so that ``import mteval`` stays cheap.
_EXPORTS = {
    "evaluate": "mteval.api",
    "audit": "mteval.api",
    "load_corpus": "mteval.documents.loaders",
    "explore": "mteval.report.jupyter",
    "Results": "mteval.results.records",
    "Corpus": "mteval.documents.corpus",
    "DocumentPair": "mteval.documents.corpus",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'mteval' has no attribute '{name}'")
    from importlib import import_module

    return getattr(import_module(_EXPORTS[name]), name)
