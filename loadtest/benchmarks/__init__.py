"""Experiments this round re-runs, each `python -m loadtest.benchmarks.X --help`; their figures and
the exact commands are in docs/BENCHMARKS.md."""
