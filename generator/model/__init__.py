"""The playbook as data: frozen dataclasses, the kinds, levels, team overlays and
queries over them. Imports nothing of ours but errors and text."""
