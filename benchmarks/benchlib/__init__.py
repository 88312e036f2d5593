"""The benchmark harness's library; ``benchmarks/run.py`` is the entry point."""
