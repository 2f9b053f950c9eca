"""Benchmarks: what a build costs and how it grows (`make bench`)."""
