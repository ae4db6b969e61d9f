"""prereview core library: parse, classify and review Chinese rule-of-law reports and transcripts.

The public surface is imported lazily so that light tools (the corpus checker) do not pay for
pydantic, jieba or spaCy at import time.
"""

from __future__ import annotations

__version__ = "0.1.0"
