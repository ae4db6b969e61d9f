"""A readable Chinese summary of one analysis, for the terminal (``prereview analyze --format text``)."""

from __future__ import annotations

from nlp.doc import AnalysisResult
from nlp.glossary import DECISIONS, KINDS, LABELS, VISIBILITY, reason_name
from nlp.taxonomy import load_taxonomy

_MARK = {label: f"【{LABELS[label]}】" for label in ("problem", "cause", "measure")}


def result_to_text(result: AnalysisResult, show_sentences: bool = True) -> str:
    doc, m, v = result.document, result.metrics, result.verdict
    tax = load_taxonomy()
    out = [
        f"━━ {doc.title or doc.filename} ━━",
        f"类型：{KINDS.get(doc.kind, doc.kind)}　单位：{doc.unit or '（未识别）'}　年度：{doc.year or '（未识别）'}　{doc.chars}字",
        f"预审结论：{DECISIONS[v.decision]}",
    ]
    for r in v.reasons:
        out.append(f"  · 【{reason_name(r.code)}】{r.message}")
    out.append(f"问题占比 {m.problem_share:.0%}（成绩 {m.achievement_share:.0%}，措施 {m.measure_share:.0%}）；"
               f"问题 {m.problems_total} 个，其中表述空泛 {m.problems_vague} 个，有对应措施 {m.problems_with_measure} 个")
    if m.indicators:
        out.append("指标：" + "；".join(f"{i.name} {i.value:g}%{'（超预警线）' if i.alert else ''}" for i in m.indicators))
    if result.issues:
        out.append("问题清单：")
        for k, issue in enumerate(result.issues, start=1):
            tags = [tax.name(issue.domain), VISIBILITY[issue.visibility]]
            if issue.vague:
                tags.append("空泛")
            if issue.measure is None and issue.latent_basis not in ("omission",):
                tags.append("无对应措施")
            out.append(f"  {k}. {issue.text}（{'，'.join(tags)}）")
    if doc.warnings:
        out.append("文件处理说明：" + "；".join(doc.warnings))
    if show_sentences:
        marked = [f"  {_MARK[s.label]}{s.text}" for s in result.sentences if s.label in _MARK]
        if marked:
            out.append(f"问题、原因与措施句（共{len(result.sentences)}句，{LABELS['problem']}句已标出）：")
            out += marked
    return "\n".join(out)
