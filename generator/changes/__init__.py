"""The meaning of a change: two models compared entry by entry, and which changes
need the owner's approval."""
