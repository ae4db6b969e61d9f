"""Golden cases for problem clauses: items, lead-ins and explicit/latent by wording (our own sentences)."""

from __future__ import annotations

import pytest

from nlp.extract.clauses import clause_spans, states_problem, visibility


def items(text: str) -> list[str]:
    return [text[a:b] for a, b in clause_spans(text)]


# fmt: off
@pytest.mark.parametrize(("text", "expected"), [
    # a lead-in and its colon, then one item per clause with its own predicate
    ("同时也要清醒看到，我市发展还面临一些困难和挑战，主要是：居民收入增长偏慢，县域产业基础薄弱；",
     ["居民收入增长偏慢", "县域产业基础薄弱"]),
    # two clauses shorter than six characters stay one item
    ("出口回落，用工偏紧，部分园区企业订单不足；", ["出口回落，用工偏紧", "部分园区企业订单不足"]),
    # a clause without a predicate carries its subject to the next one
    ("从财政看，土地出让收入明显减少，刚性支出压力较大。", ["从财政看，土地出让收入明显减少", "刚性支出压力较大"]),
    # an elaboration without a subject joins the clause before it
    ("基层治理还有不少短板，有的还相当突出。", ["基层治理还有不少短板，有的还相当突出"]),
    # an umbrella lead-in names no problem
    ("我们也清醒地认识到，全市经济社会发展仍面临不少困难和问题。", []),
    # slogans and tasks are no items
    ("深入推进城乡融合发展，和美乡村建设格局逐步形成。", []),
])
# fmt: on
def test_items_of_a_problem_sentence(text: str, expected: list[str]) -> None:
    assert [t for t in items(text) if states_problem(t)] == expected


@pytest.mark.parametrize("text", [
    "面对外部需求收缩的复杂形势，我们顶住压力完成了全年目标",  # a difficulty overcome
    "加快化解平台公司存量债务风险",  # a measure that names a problem
    "虽然外部环境不确定性上升，但长期向好的支撑条件没有改变",  # outlook weighed against good news
])
def test_what_is_not_a_problem(text: str) -> None:
    assert not states_problem(text)


# fmt: off
@pytest.mark.parametrize(("text", "expected"), [
    ("县域产业基础薄弱", "explicit"),
    ("部分小微企业经营困难", "explicit"),  # 部分 does not make it latent
    ("财政收支矛盾突出", "explicit"),
    ("城乡公共服务水平还需进一步提高", "latent"),  # a hedge
    ("产业转型升级任重道远", "latent"),
    ("少数干部不担当不作为问题仍然存在", "latent"),  # a minimiser
    ("稳就业面临较大压力", "latent"),  # a euphemism
    ("养老托育服务与群众期盼还有差距", "latent"),  # a gap against a benchmark
    ("生态环境保护还有短板弱项", "latent"),  # only implied
])
# fmt: on
def test_visibility_by_wording(text: str, expected: str) -> None:
    assert visibility(text)[0] == expected
