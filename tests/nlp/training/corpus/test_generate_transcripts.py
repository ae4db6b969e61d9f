"""Generated interview rounds: deterministic, every turn style, gold that matches the text the pipeline reads."""

from __future__ import annotations

import re

import pytest

from nlp.training.corpus import default_corpus_dir
from nlp.training.corpus.generate_transcripts import STYLES, InterviewRoundConfig, generate_interview_round
from nlp.training.corpus.schema import AnnotatedDocument
from nlp.training.corpus.writer import load_pools


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return generate_interview_round(InterviewRoundConfig(units=10, seed=5), load_pools(default_corpus_dir()))


def test_same_seed_same_round(records: list[dict]) -> None:
    again = generate_interview_round(InterviewRoundConfig(units=10, seed=5), load_pools(default_corpus_dir()))
    assert [r["text"] for r in again] == [r["text"] for r in records]
    other = generate_interview_round(InterviewRoundConfig(units=10, seed=6), load_pools(default_corpus_dir()))
    assert [r["text"] for r in other] != [r["text"] for r in records]


def test_a_report_and_a_transcript_per_unit_in_every_style(records: list[dict]) -> None:
    reports, talks = records[::2], records[1::2]
    assert all(r["kind"] != "transcript" for r in reports) and all(t["kind"] == "transcript" for t in talks)
    assert [r["unit"] for r in reports] == [t["unit"] for t in talks] and len({r["unit"] for r in reports}) == 10
    assert {t["style"] for t in talks} == set(STYLES)
    for record in records:
        AnnotatedDocument.model_validate(record)  # the corpus record shape


def test_planted_contradictions_pair_a_claim_with_a_denial(records: list[dict]) -> None:
    planted = 0
    for report, talk in zip(records[::2], records[1::2], strict=True):
        keys = {c["key"] for c in report["claims"]}
        for issue in talk["issues"]:
            if issue["contra"]:
                planted += 1
                assert issue["contra"] in keys
        omitted = [i for i in talk["issues"] if i["latent_basis"] == "cross_source"]
        assert all(i["evidence"] for i in omitted)
        stated = {i["group"] for i in report["issues"] if i["group"]}
        assert not {i["group"] for i in omitted if i["group"]} & stated  # an omission is not in the report
    assert planted > 0


def test_the_pipeline_reads_the_gold_offsets_unchanged(records: list[dict]) -> None:
    """No ingest repair (a repeated line, a space after an organisation) may shift the transcript's offsets, and
    every full name in the header is hidden."""
    from nlp.pipeline import parse

    for record in records[1:6:2]:
        parsed = parse(record["text"].encode("utf-8"), record["file"], kind="transcript", unit=record["unit"])
        assert len(parsed.document.text) == len(record["text"])
        header = "\n".join(line for line in record["text"].split("\n")[:7] if "：" in line)
        names = set(re.findall(r"(?:^|[：、 ，])([\u4e00-\u9fff]{2,3})(?=[，、（\n]|$)", header, flags=re.M))
        names -= {"谈话人", "谈话对象", "记录人", "主持人", "参加人员"}
        assert names and not any(n in parsed.document.text for n in names)
