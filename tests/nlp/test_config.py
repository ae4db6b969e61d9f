from __future__ import annotations

import pytest

from nlp.config import load_config
from nlp.errors import ConfigError


def test_default_policy_matches_the_domain_notes() -> None:
    cfg = load_config()
    assert cfg.verdict.min_problem_share == 0.30
    assert "leadership" in dict(cfg.required_topics["annual_report"])


def test_unknown_keys_fail_with_the_file_named(tmp_path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('[verdict]\nmin_problem_shar = 0.2\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="policy.toml"):
        load_config(str(path))


def test_custom_threshold(tmp_path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('[verdict]\nmin_problem_share = 0.25\n', encoding="utf-8")
    assert load_config(str(path)).verdict.min_problem_share == 0.25
