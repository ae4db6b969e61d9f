"""The part each sentence stands in: a problems paragraph opened by a lead-in, not only a heading."""

from __future__ import annotations

from nlp.pipeline import parse
from nlp.segment.parts import is_problem_lead, read_parts

REPORT = "\n".join([
    "2024年滨江市人民政府工作报告",
    "一、2024年工作回顾",
    "全年地区生产总值增长5.2%，新增城镇就业3.1万人。",
    "（七）着力缩小城乡差距，共同富裕取得新进展。",
    "农村居民人均可支配收入增长6.5%。",
    "在看到成绩的同时，我们也清醒认识到，我市发展还面临不少困难：消费恢复偏慢，民间投资意愿不强；"
    "部分中小企业经营困难。对此，我们将采取有力措施认真加以解决。",
    "二、2025年工作总体要求和重点任务",
    "全力扩大有效需求，加快培育消费新场景。",
])


def parts_of(text: str) -> tuple[dict[str, str | None], frozenset[str]]:
    parsed = parse(text.encode("utf-8"), "report.txt")
    parts, listing = read_parts(parsed.document.text, parsed.sections, parsed.sentences)
    by_text = {s.text: p for s, p in zip(parsed.sentences, parts, strict=True)}
    return by_text, frozenset(s.text for s in parsed.sentences if s.i in listing)


def test_a_lead_in_paragraph_is_the_problems_part_up_to_its_pledge() -> None:
    by_text, listing = parts_of(REPORT)
    problems = [t for t, p in by_text.items() if p == "problems"]
    assert any("消费恢复偏慢" in t for t in problems) and any("部分中小企业经营困难" in t for t in problems)
    assert by_text[next(t for t in by_text if t.startswith("对此"))] == "measures"
    assert all("消费恢复偏慢" in t or "中小企业" in t or "清醒" in t for t in listing)


def test_headings_give_the_other_parts() -> None:
    by_text, _ = parts_of(REPORT)
    assert by_text["全年地区生产总值增长5.2%，新增城镇就业3.1万人。"] == "achievements"
    assert by_text["农村居民人均可支配收入增长6.5%。"] == "achievements"  # 差距 in a tasks-done heading
    assert by_text["全力扩大有效需求，加快培育消费新场景。"] == "measures"


def test_lead_ins() -> None:
    assert is_problem_lead("我们也要清醒看到，全区发展中还存在一些短板：")
    assert is_problem_lead("我们要把成绩讲够，也要把问题说透。")
    assert not is_problem_lead("对此，我们将正视问题，认真研究解决。")
    assert not is_problem_lead("全年办理群众反映的问题1.2万件，办结率98%。")
