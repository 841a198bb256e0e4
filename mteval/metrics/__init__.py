"""Metrics: sacrebleu's lexical metrics, COMET, and significance tests."""
