"""Benchmarks: plain modules that print figures (`python -m bench.<name>`); never pass/fail."""
