"""End to end by document kind: news and other texts are not pre-reviewed, a work report is held to the rules it
owes, and every result honours the contract. Texts are our own, with invented units."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from nlp.bundle import load_bundle
from nlp.pipeline import analyze

SCHEMA = json.loads(resources.files("nlp").joinpath("data/analysis.schema.json").read_text(encoding="utf-8"))

NEWS = """云溪县法治政府建设工作成效明显
本报讯 今年以来，云溪县坚持把法治政府建设作为全局性工作来抓，各项工作取得明显成效。
近日，记者从云溪县司法局了解到，该县全年审查规范性文件42件，全部按期完成备案，行政复议案件办结率达到100%。
该县建成村（社区）公共法律服务工作室186个，实现村居全覆盖，全年为群众提供法律咨询1.3万人次。
该县负责同志表示，下一阶段将持续巩固提升，努力打造法治建设示范县。"""
WORK_REPORT = """2025年临江省政府工作报告
——2025年1月10日在临江省第十四届人民代表大会第三次会议上
各位代表：
现在，我代表省人民政府，向大会报告工作，请予审议。
一、2024年工作回顾
过去一年，全省地区生产总值增长5.3%，城镇新增就业62万人，居民人均可支配收入增长5.6%。
新建改建农村公路4200公里，新增高标准农田180万亩，粮食总产量创历史新高。
全面推进数字政府建设，政务服务事项网上可办率达到98%，企业开办时间压缩至1个工作日。
新增各类学位12万个，建成城市社区嵌入式服务设施320处，城乡居民医保财政补助标准进一步提高。
同时我们也清醒看到，经济回升基础还不稳固，部分企业生产经营困难。
二、2025年主要任务
今年将着力扩大有效投资，全年实施省重点项目500个以上，加快建设沿江高铁。
持续优化营商环境，开展涉企行政检查专项整治，年内实现“综合查一次”全覆盖。"""


@pytest.fixture(scope="module")
def bundle():  # type: ignore[no-untyped-def]
    return load_bundle()


def test_a_news_item_is_not_applicable_and_flagged_as_achievement_heavy(bundle) -> None:  # type: ignore[no-untyped-def]
    result = analyze(NEWS.encode("utf-8"), "news.txt", bundle)
    assert result.document.kind == "news"
    assert result.verdict.decision == "not_applicable"
    assert [r.code for r in result.verdict.reasons] == ["NOT_A_REPORT"]
    assert result.metrics.achievement_heavy is True
    jsonschema.validate(json.loads(result.model_dump_json()), SCHEMA)


def test_a_work_report_is_held_to_what_it_owes(bundle) -> None:  # type: ignore[no-untyped-def]
    result = analyze(WORK_REPORT.encode("utf-8"), "gwr.txt", bundle)
    assert (result.document.kind, result.document.unit, result.document.year) == ("work_report", "临江省", 2025)
    codes = [r.code for r in result.verdict.reasons]
    assert "LOW_PROBLEM_SHARE" not in codes and "MISSING_REQUIRED_TOPIC" not in codes
    assert not [i for i in result.issues if i.latent_basis == "omission"]
    assert result.verdict.decision != "not_applicable"
    assert result.metrics.achievement_heavy is True
    jsonschema.validate(json.loads(result.model_dump_json()), SCHEMA)


def test_a_work_report_without_any_problem_is_returned(bundle) -> None:  # type: ignore[no-untyped-def]
    text = WORK_REPORT.replace("同时我们也清醒看到，经济回升基础还不稳固，部分企业生产经营困难。\n", "")
    result = analyze(text.encode("utf-8"), "gwr2.txt", bundle)
    assert result.verdict.decision == "return"
    assert "NO_PROBLEMS" in [r.code for r in result.verdict.reasons]


def test_the_kind_given_by_a_manifest_wins(bundle) -> None:  # type: ignore[no-untyped-def]
    result = analyze(NEWS.encode("utf-8"), "news.txt", bundle, kind="self_report")
    assert result.document.kind == "self_report" and result.verdict.decision != "not_applicable"
