"""Batch pre-review of a folder, zip or glob of reports: resumable, parallel, with round-level outputs."""
