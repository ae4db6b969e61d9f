"""Configuration objects. Thresholds are policy and live here with documented defaults, never in code."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from nlp.doc import KINDS


class IngestLimits(BaseModel):
    """Limits on what a single file may cost to read."""

    model_config = ConfigDict(frozen=True)

    max_bytes: int = Field(50 * 1024 * 1024, description="refuse files larger than this (default 50 MB)")
    max_unzipped_bytes: int = Field(500 * 1024 * 1024, description="refuse a DOCX or an archive of reports that unzips past this (default 500 MB; the service: $PREREVIEW_MAX_UNZIPPED_MB)")
    max_zip_ratio: float = Field(200.0, description="refuse DOCX parts compressed more than this ratio")
    max_pages: int = Field(2000, description="read at most this many PDF pages")
    min_chinese_share: float = Field(0.3, description="share of Han characters among letters below which a text is not Chinese")
    min_common_char_share: float = Field(0.85, description="share of common Han characters below which text is garbled")


class VerdictPolicy(BaseModel):
    """Thresholds of the pass / revise / return decision (``nlp/data/policy.toml``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_problem_share: float = 0.30
    share_margin: float = 0.03
    max_vague_share: float = 0.5
    max_unanswered_share: float = 0.5
    # PROBLEMS_WITHOUT_MEASURES is not asked of these kinds: a 政府工作报告 lists its problems in one short paragraph
    # that the year's tasks answer as a whole, not item by item (the real round: 352 problems, 112 with a measure
    # that takes up their content).
    measures_per_problem_skip: tuple[str, ...] = ("work_report",)
    require_causes: tuple[str, ...] = ("annual_report", "shufa_report")
    near_duplicate_jaccard: float = 0.6
    # Per kind: which kinds owe a problem part (NO_PROBLEMS), which owe the problem share (LOW_PROBLEM_SHARE), and
    # which are not reports at all (decision not_applicable, reason NOT_A_REPORT).
    require_problems: tuple[str, ...] = ("annual_report", "shufa_report", "self_report", "rectification_report",
                                         "work_report")
    require_problem_share: tuple[str, ...] = ("annual_report", "shufa_report", "self_report", "rectification_report")
    not_reports: tuple[str, ...] = ("news", "other")
    # metrics.achievement_heavy: problem share below this while achievements are at least ``ratio`` times it.
    achievement_heavy_share: float = 0.20
    achievement_heavy_ratio: float = 2.0
    achievement_heavy_skip: tuple[str, ...] = ("transcript",)
    # READS_AS_PUBLICITY: in these kinds, revise when legal-publicity sentences (普法宣传, 法治讲座, 送法下乡…) make
    # up more than ``max_publicity_share`` of the body's characters (measured on the corpus: ``policy.toml``).
    publicity_kinds: tuple[str, ...] = ("shufa_report",)
    max_publicity_share: float = 0.40
    # NO_PERSONAL_DUTY: kinds where the leader must show their own part (本人主持, 亲自部署, 带头…).
    require_personal_duty: tuple[str, ...] = ("shufa_report",)

    @model_validator(mode="after")
    def _known_kinds(self) -> VerdictPolicy:
        for name in ("require_causes", "require_problems", "require_problem_share", "not_reports",
                     "achievement_heavy_skip", "publicity_kinds", "require_personal_duty",
                     "measures_per_problem_skip"):
            unknown = sorted(set(getattr(self, name)) - set(KINDS))
            if unknown:
                raise ValueError(f"{name}: unknown kind(s) {unknown}; expected some of {sorted(KINDS)}")
        return self


class GroupingPolicy(BaseModel):
    """Common-problem grouping of a review round (``nlp.cluster.rounds``), ``[grouping]`` in policy.toml.

    ``similarity`` precedence: this value when set; else the one ``prereview train`` / ``calibrate-encoder``
    calibrated and stored beside the encoder (``prereview_encoder.json``); else ``DEFAULT_SIMILARITY``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    similarity: float | None = None
    domain_bonus: float = 0.0
    min_units: int = Field(3, description="a problem is common from this many units (and no scope below it)")
    common_share: float = Field(0.2, description="... or from this share of the round's units, whichever is more")
    theme_similarity: float | Literal["encoder"] | None = Field(
        "encoder", description="clusters too small to be common are joined when their centroids are this alike (one "
                               "kind of problem in several wordings); \"encoder\": the value calibrated with the "
                               "encoder, else 0.7; none: never")


class CrossSourcePolicy(BaseModel):
    """Reports against interview transcripts (``nlp.checklist.cross_source``), ``[cross_source]`` in policy.toml."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_contradiction: float = Field(0.8, description="pair score from which a contradiction is reported")
    min_stated_similarity: float = Field(0.72, description="encoder similarity from which a raised problem is stated")
    min_stated_wording: float = Field(0.45, description="share of a raised problem's bigrams in one report sentence, "
                                                        "from which it is stated")


class PipelineFiles(BaseModel):
    """``pipeline.toml`` of a bundle: which models it holds and where (written by ``prereview train``)."""

    model_config = ConfigDict(frozen=True)

    sentence_model: str = "sklearn"  # sklearn, spacy or ensemble
    issue_typer: str = "issue_typer.joblib"
    encoder: str | None = None  # folder of the bundle's own sentence-transformers encoder

    @classmethod
    def from_toml(cls, data: dict[str, dict[str, str]]) -> PipelineFiles:
        return cls(sentence_model=data.get("sentence_model", {}).get("kind", "sklearn"),
                   issue_typer=data.get("issue_typer", {}).get("file", "issue_typer.joblib"),
                   encoder=data.get("encoder", {}).get("path"))


class ProblemTypePolicy(BaseModel):
    """Problem types (``nlp/data/problem_types.json``) and when an issue is given one, ``[problem_types]``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str | None = Field(None, description="an office's own types file (new types, more wordings), read with "
                                                "the bundled one")
    min_score: float = Field(0.377, description="confidence (best score plus its lead over the runner-up) from which "
                                                "the best type is given (else none): calibrated by "
                                                "nlp.extract.problem_typing.calibrate_min_score at precision 0.80")
    join_score: float | None = Field(0.254, description="lower confidence from which an untyped issue is counted with "
                                                        "its nearest type in a round, when that type is common there "
                                                        "(see nlp.cluster.rounds.group_issues); calibrated like "
                                                        "min_score at precision 0.70; none: never")


class AnalysisConfig(BaseModel):
    """Everything analysis needs besides the models: verdict policy, required topics, indicator overrides."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    verdict: VerdictPolicy = VerdictPolicy()
    required_topics: dict[str, tuple[tuple[str, str], ...]] = {}
    expected_topics: dict[str, tuple[tuple[str, str], ...]] = {}
    indicators: dict[str, tuple[str, float]] = {}
    limits: IngestLimits = IngestLimits()
    grouping: GroupingPolicy = GroupingPolicy()
    cross_source: CrossSourcePolicy = CrossSourcePolicy()
    problem_types: ProblemTypePolicy = ProblemTypePolicy()


def load_config(path: str | None = None) -> AnalysisConfig:
    """Read a policy TOML (default: the one shipped in ``nlp/data``); unknown keys are an error."""
    import tomllib
    from importlib import resources

    from nlp.errors import ConfigError

    raw = (open(path, "rb").read() if path else resources.files("nlp").joinpath("data/policy.toml").read_bytes())
    try:
        data = tomllib.loads(raw.decode("utf-8"))
        data.pop("version", None)
        return AnalysisConfig.model_validate(data)
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        raise ConfigError(f"invalid policy file {path or 'policy.toml'}: {exc}") from exc
