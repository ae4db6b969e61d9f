"""Configuration objects. Thresholds are policy and live here with documented defaults, never in code."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class IngestLimits(BaseModel):
    """Limits on what a single file may cost to read."""

    model_config = ConfigDict(frozen=True)

    max_bytes: int = Field(50 * 1024 * 1024, description="refuse files larger than this (default 50 MB)")
    max_unzipped_bytes: int = Field(200 * 1024 * 1024, description="refuse DOCX whose parts unzip past this")
    max_zip_ratio: float = Field(200.0, description="refuse DOCX parts compressed more than this ratio")
    max_pages: int = Field(2000, description="read at most this many PDF pages")
    min_chinese_share: float = Field(0.3, description="share of Han characters among letters below which a text is not Chinese")
    min_common_char_share: float = Field(0.85, description="share of common Han characters below which text is garbled")
