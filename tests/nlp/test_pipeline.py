"""End to end through the bundled models: the output honours the contract and behaves like a reviewer would."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from nlp.bundle import load_bundle
from nlp.errors import PrereviewError
from nlp.pipeline import analyze
from nlp.round import with_near_copies
from tests.builders import make_docx

SCHEMA = json.loads(resources.files("nlp").joinpath("data/analysis.schema.json").read_text(encoding="utf-8"))

# fmt: off
GOOD = [
    ("title", "安平县水利局2024年度法治政府建设情况报告"),
    ("h1", "一、主要举措和成效"),
    ("p", "局党组书记、局长认真履行推进法治建设第一责任人职责，全年主持召开党组会议专题研究法治工作4次。全年办理水行政处罚案件23件，重大执法决定全部经过法制审核。"),
    ("h1", "二、存在的不足和原因"),
    ("p", "一是河道采砂执法力量不足，全局持证执法人员仅9人，难以覆盖全县186公里河道；二是2件行政处罚案卷存在送达程序瑕疵，在案卷评查中被通报；三是规范性文件合法性审核把关不严，1件文件被县司法局指出超越权限。"),
    ("p", "究其原因，主要是局党组对执法规范化重视不够，对法制审核的刚性要求认识不到位，执法培训针对性不强。"),
    ("h1", "三、下一年度主要安排"),
    ("p", "下一步，我局将在2025年6月底前争取增配持证执法人员5名，组建河道采砂联合执法小组；每季度开展一次执法案卷交叉评查，逐件整改送达程序问题；修订规范性文件合法性审核规程，实行审核意见书面化。"),
]
BRAGGING = [
    ("title", "安平县民政局2024年度法治政府建设情况报告"),
    ("h1", "一、主要举措和成效"),
    ("p", "局主要负责人认真履行第一责任人职责，全年专题研究法治工作5次。全年办理社会救助审批事项1260件，全部在法定时限内办结。开展法治宣传活动32场，受教育群众1.2万人次。"),
    ("p", "全面推行行政执法三项制度，执法信息公示率100%。建成村（社区）法律服务点46个，实现全覆盖。修订内部管理制度18项，工作规范化水平明显提升。"),
    ("h1", "二、下一年度主要安排"),
    ("p", "下一步，我局将继续深入学习贯彻习近平法治思想，持续推进法治政府建设。"),
]
# fmt: on


@pytest.fixture(scope="module")
def bundle():  # type: ignore[no-untyped-def]
    return load_bundle()


def test_result_validates_against_the_contract(bundle) -> None:  # type: ignore[no-untyped-def]
    result = analyze(make_docx(GOOD), "good.docx", bundle)
    payload = json.loads(result.model_dump_json())
    jsonschema.validate(payload, SCHEMA)
    text = payload["document"]["text"]
    for s in payload["sentences"]:
        assert text[s["start"]:s["end"]] == s["text"]
    for issue in payload["issues"]:
        for ev in issue["evidence"]:
            assert text[ev["start"]:ev["end"]] == ev["text"]


def test_a_report_with_a_real_problem_part_passes(bundle) -> None:  # type: ignore[no-untyped-def]
    result = analyze(make_docx(GOOD), "good.docx", bundle)
    assert result.metrics.problem_share >= 0.3
    assert result.metrics.problems_total == 3
    assert result.verdict.decision == "pass", [r.code for r in result.verdict.reasons]


def test_an_achievements_only_report_is_returned(bundle) -> None:  # type: ignore[no-untyped-def]
    result = analyze(make_docx(BRAGGING), "brag.docx", bundle)
    assert result.verdict.decision == "return"
    assert "NO_PROBLEMS" in [r.code for r in result.verdict.reasons]
    jsonschema.validate(json.loads(result.model_dump_json()), SCHEMA)


def test_a_near_copy_of_an_earlier_report_is_returned(bundle) -> None:  # type: ignore[no-untyped-def]
    original = analyze(make_docx(GOOD), "a.docx", bundle)
    copy = [(k, t.replace("水利局", "林业局").replace("23件", "25件")) for k, t in GOOD]
    alone = analyze(make_docx(copy), "b.docx", bundle)
    assert alone.verdict.decision != "return"  # on its own, a report is nobody's copy
    result = with_near_copies([original, alone], bundle.config)[1]
    assert result.verdict.decision == "return"
    assert any(r.code == "NEAR_DUPLICATE" and "a.docx" in r.message for r in result.verdict.reasons)


def test_bad_input_is_refused_with_the_parser_codes(bundle) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PrereviewError) as info:
        analyze(b"MZ" + b"\x00" * 100, "x.pdf", bundle)
    assert info.value.code == "UNSUPPORTED_TYPE"


def test_result_round_trips_through_json(bundle) -> None:  # type: ignore[no-untyped-def]
    from nlp.doc import AnalysisResult

    result = analyze(make_docx(GOOD), "good.docx", bundle)
    again = AnalysisResult.model_validate_json(result.model_dump_json())
    assert again == result
