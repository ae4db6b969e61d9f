"""Line-level recognition of Chinese official text (numbered headings, transcript turn openings), shared by
``ingest`` and ``segment``; imports nothing else of ``nlp``."""
