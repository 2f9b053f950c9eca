"""Plumbing that knows no playbook: output written whole, the build cache, worker
processes, garbage-collection pauses."""
