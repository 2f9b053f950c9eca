"""Helping authors: new entries, a new repository, renames, reviews, CODEOWNERS."""
