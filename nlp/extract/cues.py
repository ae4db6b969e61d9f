"""Word lists behind the rules: anchors that make a problem concrete, hedges that make it latent, lead-ins."""

from __future__ import annotations

import re

# A concrete anchor: a number, a date, a named law or document, a named process, a case, or a sub-unit.
# fmt: off
NAMED_PROCESSES = (
    "三项制度", "执法全过程记录", "行政执法公示", "法制审核", "合法性审核", "合法性审查", "备案审查", "报备", "出庭应诉",
    "行政复议", "行政诉讼", "裁量基准", "双随机", "权责清单", "负面清单", "重大行政决策", "决策目录", "公众参与",
    "专家论证", "风险评估", "集体讨论", "法律顾问", "公职律师", "谁执法谁普法", "八五普法", "以案释法", "述法",
    "中心组学法", "会前学法", "法治督察", "回头看", "销号", "案卷评查", "涉企检查", "综合查一次", "信访", "人民调解",
    "行政调解", "诉源治理", "村规民约", "法律明白人", "政务公开", "年度报告", "容缺受理", "告知承诺", "一网通办",
    "执法证", "持证", "听证", "行政协议", "生效裁判", "败诉", "纠错", "案卷", "台账", "执法记录仪",
    "法规科", "法制科", "办公室", "执法大队", "执法中队", "支队", "司法所", "监管所", "科室", "股室",
)
# fmt: on
_ANCHOR = re.compile(
    r"\d|[一二三四五六七八九十两百千]+(?:件|个|次|名|人|项|家|起|份|批|宗|户|所|条|部|年|月|天|日|周|余)"
    r"|《[^》]+》|“[^”]{2,}”|某[\u4e00-\u9fff]{1,8}(?:案|公司|企业|项目)"
    r"|[\u4e00-\u9fff]{1,8}(?:科|股|室|所|队|大队|中队|中心|站|镇|乡|街道|村|社区|局|委|办)(?:[、，和]|在|的|未|没有|仍|尚|存在)"
    r"|" + "|".join(NAMED_PROCESSES))
# Words that soften a problem (its latent form): the hedge rule and the issue typer's features both start from these.
HEDGE_WORDS = ("还有提升空间", "提升空间", "有待", "个别", "部分", "不同程度", "还需", "仍需", "尚需", "需要进一步", "有所欠缺", "还不够",
               "略显", "稍显", "偶有", "少数", "一定程度", "不尽", "仍有", "还有差距", "还不能完全", "不够理想", "尚未完全")
HEDGES = re.compile("|".join((*HEDGE_WORDS, r"离.{0,8}还有", r"与.{0,12}相比")))
LEAD_IN = re.compile(r"以下|如下|主要表现|具体表现|表现在|几个方面|以下几点|主要有")
CONTINUATION = re.compile(r"^(其中|比如|例如|如|特别是|尤其是|具体表现为|具体来看|有的|此外还|同时，|另外，|这)")
OBJECTIVE_CAUSE = re.compile(r"人员|编制|经费|资金|任务重|工作量|力量不足|人手|客观|条件|基础薄弱|历史遗留|上级|政策调整|疫情|设备")
SUBJECTIVE_CAUSE = re.compile(r"认识|重视|思想|责任|主观|意识|担当|作风|落实不力|不到位|站位|理念|能力|本领|主体责任|工作方法|抓得不")


def has_anchor(text: str) -> bool:
    """True when a problem names something checkable."""
    return bool(_ANCHOR.search(text))


def is_hedged(text: str) -> bool:
    return bool(HEDGES.search(text))


def is_lead_in(text: str) -> bool:
    """“对照上级要求，我局还存在以下不足：” announces the problem list; it is not an item of it. A stock
    sentence that announces nothing (“工作中还存在一些不足。”) is a (vague) problem, not a lead-in."""
    if text.endswith("：") and len(text) <= 60:
        return True
    return len(text) <= 50 and bool(LEAD_IN.search(text)) and not has_anchor(text)

# Legal-publicity activity (普法): what a 述法报告 that reads as a 普法 report is mostly made of.
PUBLICITY = re.compile(r"普法|法治宣传|法律宣传|宣传活动|法治讲座|法律讲座|送法|以案释法|宣讲|法律明白人"
                       r"|宪法宣传|民法典宣传"
                       r"|法治文化|宣传周|宣传月|宣传日|宣传栏|宣传册|宣传资料|宣传品|法律咨询"
                       r"|法治进(?:机关|乡村|社区|学校|企业|单位)"
                       r"|法律进(?:机关|乡村|社区|学校|企业|单位)|法治教育|知识竞赛|有奖竞答|展板|横幅")
# The leader's own part in a 述法报告 (亲力亲为), as opposed to what the unit did (我局, 局党组, 本单位).
PERSONAL_DUTY = re.compile(r"本人|亲自|亲力亲为|带头|以身作则|率先垂范|作为第一责任人"
                           r"|我(?![局县市区们国省院委办镇乡所队校部司厅处科站单中党系公街村])")
