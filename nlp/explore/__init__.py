"""Helpers for the reviewer notebooks: load a batch output, plot it, render a report, search problems.

The notebooks stay thin and call these; everything here is tested like any module.
"""
