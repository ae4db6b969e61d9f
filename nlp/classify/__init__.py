"""Sentence roles: achievement / problem / cause / measure / other."""
