"""Executors: what maps the per-chunk work over a corpus's chunks (this process, or a Ray cluster)."""
