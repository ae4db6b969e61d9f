from __future__ import annotations

import random

from nlp.classify.encoders import HashEncoder
from nlp.cluster.rounds import RoundIssue, common_threshold, group_issues, scope_by_issue
from nlp.config import GroupingPolicy


def round_issues() -> list[RoundIssue]:
    issues = []
    for u in range(10):
        issues.append(RoundIssue(f"a{u}", f"单位{u}", f"涉企行政检查多头重复，全年检查{u + 3}次", "business_environment"))
    for u in range(4):
        issues.append(RoundIssue(f"b{u}", f"单位{u}", "规范性文件合法性审核把关不严", "normative_documents"))
    issues.append(RoundIssue("c0", "单位9", "信访积案化解进度缓慢", "dispute_resolution"))
    return issues


def test_threshold() -> None:
    assert [common_threshold(n) for n in (3, 10, 15, 16, 200)] == [3, 3, 3, 4, 40]


def test_groups_scopes_and_no_issue_dropped() -> None:
    issues = round_issues()
    groups = group_issues(issues, HashEncoder(), n_units=10)
    scopes = scope_by_issue(groups)
    assert set(scopes) == {i.id for i in issues}
    assert scopes["a0"][0] == "common" and scopes["a0"][1] == scopes["a9"][1]
    assert scopes["b0"][0] == "common"  # 4 units ≥ max(3, 20% of 10)
    assert scopes["c0"][0] == "specific"
    top = groups[0]
    assert len(top.units) == 10 and top.domain == "business_environment" and "涉企行政检查" in top.representative


def test_same_groups_in_any_order() -> None:
    issues = round_issues()
    baseline = group_issues(issues, HashEncoder(), n_units=10)
    for seed in range(5):
        shuffled = list(issues)
        random.Random(seed).shuffle(shuffled)
        assert group_issues(shuffled, HashEncoder(), n_units=10) == baseline


def test_scope_is_null_below_three_units() -> None:
    issues = round_issues()[:2]
    assert {g.scope for g in group_issues(issues, HashEncoder(), n_units=2)} == {None}


def test_blocks_bound_the_distance_matrix() -> None:
    issues = round_issues()
    groups = group_issues(issues, HashEncoder(), n_units=10, max_block=5)
    assert sum(len(g.members) for g in groups) == len(issues)


def test_issues_of_a_known_type_form_one_group_titled_by_the_type() -> None:
    from nlp.classify.encoders import HashEncoder
    from nlp.cluster.rounds import RoundIssue, group_issues

    types = {"le_cert": ("执法人员持证上岗管理不到位", "law_enforcement")}
    issues = [RoundIssue(id=f"i{k}", unit=f"单位{k}", text=f"第{k}种说法的无证执法问题", domain="law_enforcement",
                         problem_type="le_cert") for k in range(4)]
    issues += [RoundIssue(id="x", unit="单位9", text="档案室漏雨未修", domain="other")]
    groups = group_issues(issues, HashEncoder(), n_units=5, types=types)
    typed = [g for g in groups if g.problem_type == "le_cert"]
    assert len(typed) == 1 and typed[0].id == "T-le_cert" and typed[0].representative == types["le_cert"][0]
    assert typed[0].members == ("i0", "i1", "i2", "i3") and typed[0].scope == "common"
    assert any(g.members == ("x",) and g.problem_type is None for g in groups)
    assert group_issues(list(reversed(issues)), HashEncoder(), n_units=5, types=types) == groups


class _OnePointEncoder:
    """Puts every text on the same point: whatever the grouping joins, only the wording can tell apart."""

    group_similarity = 0.5

    def encode(self, texts):  # type: ignore[no-untyped-def]
        import numpy as np

        return np.ones((len(texts), 4), dtype=np.float32) / 2


def test_a_discovered_group_whose_lines_share_no_wording_is_dissolved() -> None:
    from nlp.cluster.rounds import cohesion

    unrelated = ["全年围绕中心大局谋划推进各项工作", "我们将奋发有为迎难而上", "地区生产总值增长百分之五点二",
                 "必须坚持稳中求进工作总基调", "展望新的一年任务光荣而艰巨"]
    assert cohesion(unrelated) < 0.2
    issues = [RoundIssue(f"x{k}", f"单位{k}", text, "other") for k, text in enumerate(unrelated)]
    groups = group_issues(issues, _OnePointEncoder(), n_units=10)
    assert len(groups) == len(unrelated) and {g.scope for g in groups} == {"specific"}


def test_a_discovered_group_of_one_problem_worded_alike_stays_common() -> None:
    from nlp.cluster.rounds import cohesion

    alike = ["行政执法案卷评查发现文书制作不规范", "执法案卷文书制作不够规范", "部分执法文书制作不规范、说理不充分",
             "案卷评查中发现执法文书制作不规范问题", "行政执法文书制作仍不规范"]
    assert cohesion(alike) >= 0.2
    issues = [RoundIssue(f"y{k}", f"单位{k}", text, "law_enforcement") for k, text in enumerate(alike)]
    groups = group_issues(issues, _OnePointEncoder(), n_units=10)
    assert len(groups) == 1 and groups[0].scope == "common" and len(groups[0].units) == 5


def test_a_problem_split_between_a_rare_type_and_untyped_lines_is_found_whole() -> None:
    """Two units' lines got a type, two others' none: the type alone spans too few units, the four lines together
    are one common problem."""
    types = {"le_cert": ("执法人员持证上岗管理不到位", "law_enforcement")}
    texts = ["部分执法人员执法证件过期仍在执法", "个别执法人员执法证件过期后仍在执法",
             "有的执法人员证件过期仍上路执法", "少数执法人员执法证过期仍然执法"]
    issues = [RoundIssue(f"s{k}", f"单位{k}", text, "law_enforcement", "le_cert" if k < 2 else None)
              for k, text in enumerate(texts)]
    groups = group_issues(issues, _OnePointEncoder(), n_units=10, types=types)
    assert len(groups) == 1 and groups[0].scope == "common" and groups[0].members == ("s0", "s1", "s2", "s3")
    assert group_issues(list(reversed(issues)), _OnePointEncoder(), n_units=10, types=types) == groups


def test_typed_lines_of_a_dissolved_group_go_back_to_their_type() -> None:
    types = {"le_cert": ("执法人员持证上岗管理不到位", "law_enforcement")}
    issues = [RoundIssue("t0", "单位0", "部分执法人员执法证件过期仍在执法", "law_enforcement", "le_cert"),
              RoundIssue("t1", "单位1", "个别协管员未取得证件独立执法", "law_enforcement", "le_cert"),
              RoundIssue("u", "单位2", "全年围绕中心大局谋划推进各项工作", "other")]
    groups = group_issues(issues, _OnePointEncoder(), n_units=10, types=types)
    by_id = {g.id: g for g in groups}
    assert by_id["T-le_cert"].members == ("t0", "t1") and by_id["T-le_cert"].scope == "specific"
    assert [g.members for g in groups if g.problem_type is None] == [("u",)]


class _TableEncoder:
    def __init__(self, table: dict[str, list[float]]) -> None:
        self.table = table

    def encode(self, texts):  # type: ignore[no-untyped-def]
        import numpy as np

        out = np.array([self.table[t] for t in texts], dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_sub_problems_of_one_kind_too_small_apart_are_joined_into_a_theme() -> None:
    """Two units report late filing of normative documents, two others filings left unreviewed: each problem alone
    spans too few units, the kind (备案审查) spans four of ten."""
    from nlp.config import GroupingPolicy

    late = ["规范性文件报送备案不及时", "个别规范性文件未按时报送备案"]
    unreviewed = ["报送备案的规范性文件审查不及时", "规范性文件备案后审查滞后"]
    other = ["执法车辆管理台账缺失", "普法阵地长期闲置"]
    table = {t: [1.0, 0.0, 0.0, 0.0] for t in late} | {t: [0.75, 0.66, 0.0, 0.0] for t in unreviewed}
    table |= {other[0]: [0.0, 0.0, 1.0, 0.0], other[1]: [0.0, 0.0, 0.0, 1.0]}
    issues = [RoundIssue(f"r{k}", f"单位{k}", t, "normative_documents") for k, t in enumerate(late + unreviewed + other)]
    joined = group_issues(issues, _TableEncoder(table), n_units=10, similarity=0.9)
    assert joined[0].members == ("r0", "r1", "r2", "r3") and joined[0].scope == "common"
    apart = group_issues(issues, _TableEncoder(table), n_units=10, similarity=0.9,
                         policy=GroupingPolicy(theme_similarity=None))
    assert {g.scope for g in apart} == {"specific"} and len(apart) == 4
    assert group_issues(list(reversed(issues)), _TableEncoder(table), n_units=10, similarity=0.9) == joined


def test_lines_near_a_common_type_count_with_it() -> None:
    """A kind four units have in common takes in a fifth unit's line that is only near it (no type of its own)."""
    types = {"gg_property": ("房地产市场风险仍需防范化解", "general_governance")}
    issues = [RoundIssue(id=f"i{k}", unit=f"单位{k}", text=f"楼市调整第{k}种说法", domain="general_governance",
                         problem_type="gg_property") for k in range(4)]
    issues += [RoundIssue(id="n", unit="单位8", text="住房市场走势尚不明朗", domain="general_governance",
                          near_type="gg_property"),
               RoundIssue(id="x", unit="单位9", text="档案室漏雨未修", domain="other")]
    groups = group_issues(issues, HashEncoder(), n_units=10, types=types)
    scopes = scope_by_issue(groups)
    assert scopes["n"] == ("common", "T-gg_property") and scopes["x"][0] == "specific"
    assert group_issues(list(reversed(issues)), HashEncoder(), n_units=10, types=types) == groups


def test_near_lines_make_a_type_common_only_with_enough_lines_of_its_own() -> None:
    """Common from 3 units of 10: one typed line and two near ones stay specific (the type's own lines are under
    half the threshold); two typed and one near are common; near lines alone never form a type's group."""
    types = {"gg_safety": ("安全生产和防灾减灾存在短板", "general_governance")}

    lines = ["本质安全水平有待提升", "应急救援力量薄弱", "防汛设施老旧", "矿山隐患排查不彻底"]  # no wording shared

    def issue(k: int, typed: bool) -> RoundIssue:
        return RoundIssue(id=f"i{k}", unit=f"单位{k}", text=lines[k], domain="general_governance",
                          problem_type="gg_safety" if typed else None, near_type=None if typed else "gg_safety")

    one = group_issues([issue(0, True), issue(1, False), issue(2, False)], HashEncoder(), n_units=10, types=types)
    assert {s for s, _ in scope_by_issue(one).values()} == {"specific"}
    two = group_issues([issue(0, True), issue(1, True), issue(2, False)], HashEncoder(), n_units=10, types=types)
    assert set(scope_by_issue(two).values()) == {("common", "T-gg_safety")}
    none = group_issues([issue(k, False) for k in range(4)], HashEncoder(), n_units=10, types=types)
    assert all(g.problem_type is None for g in none)


def test_a_near_line_of_another_rule_of_law_domain_does_not_count_with_the_type() -> None:
    types = {"le_cert": ("执法人员持证上岗管理不到位", "law_enforcement")}
    issues = [RoundIssue(id=f"i{k}", unit=f"单位{k}", text=f"无证执法第{k}种说法", domain="law_enforcement",
                         problem_type="le_cert") for k in range(4)]
    issues += [RoundIssue(id="near", unit="单位7", text="执法证件年审滞后", domain="law_enforcement",
                          near_type="le_cert"),
               RoundIssue(id="other", unit="单位8", text="普法讲师未经培训上岗", domain="legal_publicity",
                          near_type="le_cert")]
    scopes = scope_by_issue(group_issues(issues, HashEncoder(), n_units=10, types=types))
    assert scopes["near"] == ("common", "T-le_cert") and scopes["other"][1] != "T-le_cert"


def test_a_discovered_common_problem_keeps_its_own_domain() -> None:
    """Four units word one problem alike; a fifth unit's line of another domain that the encoder puts with them
    stands alone."""
    issues = [RoundIssue(id=f"i{k}", unit=f"单位{k}", text=f"行政执法案卷归档不及时第{k}例", domain="law_enforcement")
              for k in range(4)]
    issues.append(RoundIssue(id="s", unit="单位9", text="行政执法案卷评查覆盖面窄", domain="enforcement_oversight"))
    scopes = scope_by_issue(group_issues(issues, _OnePointEncoder(), n_units=10))
    assert {scopes[f"i{k}"] for k in range(4)} == {("common", "G-i0")}
    assert scopes["s"] == ("specific", "G-s")
    assert scope_by_issue(group_issues(list(reversed(issues)), _OnePointEncoder(), n_units=10)) == scopes


def _moved_round() -> list[RoundIssue]:
    """Three units report one problem (common from 3 units of 5), two others another (specific)."""
    issues = [RoundIssue(f"a{u}", f"单位{u}", "行政执法案卷归档不及时", "law_enforcement") for u in range(3)]
    return issues + [RoundIssue(f"b{u}", f"单位{u}", "规范性文件备案审查滞后", "normative_documents") for u in (3, 4)]


def test_an_issue_a_reviewer_moved_is_counted_where_they_put_it() -> None:
    from dataclasses import replace

    before = scope_by_issue(group_issues(_moved_round(), HashEncoder(), n_units=5))
    assert before["a2"] == ("common", "G-a0") and before["b3"] == ("specific", "G-b3")
    issues = [replace(i, group="G-b3") if i.id == "a2" else i for i in _moved_round()]
    groups = group_issues(issues, HashEncoder(), n_units=5)
    by_id = {g.id: g for g in groups}
    assert by_id["G-b3"].members == ("a2", "b3", "b4") and by_id["G-b3"].units == ("单位2", "单位3", "单位4")
    assert by_id["G-b3"].scope == "common" and by_id["G-a0"].scope == "specific"
    assert by_id["G-b3"].representative == "规范性文件备案审查滞后"  # the group keeps its title
    for seed in range(3):
        shuffled = list(issues)
        random.Random(seed).shuffle(shuffled)
        assert group_issues(shuffled, HashEncoder(), n_units=5) == groups


def test_a_group_named_by_an_issue_it_holds_or_no_more_is_still_found() -> None:
    from dataclasses import replace

    # G-b4 is no group's id, but b4 is in G-b3: the move follows the issue
    issues = [replace(i, group="G-b4") if i.id == "a2" else i for i in _moved_round()]
    assert scope_by_issue(group_issues(issues, HashEncoder(), n_units=5))["a2"] == ("common", "G-b3")
    # a group the round has no more: made of the issues put in it, and no issue dropped
    issues = [replace(i, group="G-gone") if i.id in ("a1", "a2") else i for i in _moved_round()]
    groups = group_issues(issues, HashEncoder(), n_units=5)
    assert next(g for g in groups if g.id == "G-gone").members == ("a1", "a2")
    assert sorted(m for g in groups for m in g.members) == sorted(i.id for i in issues)


def test_an_issue_moved_to_a_type_counts_as_the_types_own() -> None:
    from dataclasses import replace

    types = {"le_cert": ("执法人员持证上岗管理不到位", "law_enforcement")}
    issues = [RoundIssue(f"i{k}", f"单位{k}", f"无证执法第{k}种说法", "law_enforcement", "le_cert") for k in range(2)]
    issues += [RoundIssue("x", "单位5", "协管员独立上路执法", "law_enforcement")]
    apart = scope_by_issue(group_issues(issues, HashEncoder(), n_units=10, types=types))
    assert apart["i0"] == ("specific", "T-le_cert") and apart["x"][1] != "T-le_cert"
    moved = [replace(i, group="T-le_cert") if i.id == "x" else i for i in issues]
    scopes = scope_by_issue(group_issues(moved, HashEncoder(), n_units=10, types=types))
    assert {scopes[k] for k in ("i0", "i1", "x")} == {("common", "T-le_cert")}  # three units of the type's own
    assert group_issues(list(reversed(moved)), HashEncoder(), n_units=10, types=types) == \
        group_issues(moved, HashEncoder(), n_units=10, types=types)


def test_theme_similarity_comes_from_the_policy_then_the_encoder_then_the_default() -> None:
    from nlp.cluster.rounds import DEFAULT_THEME_SIMILARITY, theme_similarity

    class Calibrated:
        theme_similarity = 0.55

    assert theme_similarity(Calibrated()) == 0.55  # the policy's default defers to the encoder
    assert theme_similarity(HashEncoder()) == DEFAULT_THEME_SIMILARITY  # an encoder nobody calibrated
    assert theme_similarity(Calibrated(), GroupingPolicy(theme_similarity=0.8)) == 0.8
    assert theme_similarity(Calibrated(), GroupingPolicy(theme_similarity=None)) is None  # never join into themes


def test_the_domain_bonus_joins_alike_issues_of_one_domain_only() -> None:
    import numpy as np

    from nlp.cluster.rounds import _cluster

    # three issues 0.5 alike; at similarity 0.6 none join, unless a bonus of 0.15 counts a shared domain
    emb = np.array([[1, 0, 0], [0.5, np.sqrt(0.75), 0], [0.5, 0, np.sqrt(0.75)]], dtype=np.float32)
    domains = ["law_enforcement", "law_enforcement", "leadership"]
    assert len(set(_cluster(emb, domains, 0.6, 0.0))) == 3
    labels = _cluster(emb, domains, 0.6, 0.15)
    assert labels[0] == labels[1] != labels[2]
