"""Benchmarks: `make bench` (python -m bench) prints figures and ratios against hand-written SQL."""
