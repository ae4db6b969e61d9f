"""Write the reviewer notebooks (thin: all logic lives in nlp.explore). Run after editing the cells below."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).parent
SETUP = """import pandas as pd
from IPython.display import HTML, display

from nlp.explore import plots
from nlp.explore.data import load_round
from nlp.training.demo import demo_round

# A batch output folder (`prereview batch … --out FOLDER`); the demo round is generated on first use.
FOLDER = demo_round()
data = load_round(FOLDER)
print(f"{len(data.reports)} 份报告，{len(data.issues)} 个问题，字体：{plots.setup_cjk_font()}")"""

NOTEBOOKS = {
    "01_round_overview.ipynb": [
        new_markdown_cell("# 一批报告的总体情况\n结论分布、问题占比与30%要求线、领域×单位热力图、主要共性问题、表述空泛的单位、指标预警。"),
        new_code_cell(SETUP),
        new_code_cell("plots.plot_decisions(data.reports);"),
        new_code_cell("plots.plot_problem_share(data.reports, line=0.30);"),
        new_code_cell("plots.plot_domain_heatmap(data.issues);"),
        new_code_cell("common = data.common\n"
                      "if not common.empty:\n"
                      "    common = common.assign(单位数=common['units'].map(len)).sort_values('单位数', ascending=False)\n"
                      "    display(common[['title', 'domain_name', '单位数', 'units']].head(10))\n"
                      "else:\n"
                      "    print('本批次没有达到共性标准的问题')"),
        new_code_cell("plots.plot_vague_units(data.issues);"),
        new_code_cell("data.indicators[data.indicators['alert']].sort_values('value')"),
    ],
    "02_report_deep_dive.ipynb": [
        new_markdown_cell("# 单份报告详查\n句子按角色着色、问题徽标、退改理由与证据、指标表、与上年报告对比。"),
        new_code_cell(SETUP),
        new_code_cell("result = next(r for r in data.results if r.verdict.decision != 'pass')\n"
                      "from nlp.explore.render import render_report_html\n"
                      "HTML(render_report_html(result))"),
        new_code_cell("pd.DataFrame([{'代码': r.code, '理由': r.message, '证据': '；'.join(e.text for e in r.evidence)}\n"
                      "              for r in result.verdict.reasons])"),
        new_code_cell("pd.DataFrame([i.model_dump() for i in result.metrics.indicators])"),
        new_code_cell("from nlp.bundle import load_bundle\n"
                      "from nlp.explore.search import compare_reports\n"
                      "previous = load_round(FOLDER.parent / 'previous-out')\n"
                      "last_year = {r.document.unit: r for r in previous.results}\n"
                      "this_year = next(r for r in data.results if r.document.unit in last_year)\n"
                      "diff = compare_reports(last_year[this_year.document.unit], this_year, load_bundle().encoder)\n"
                      "print(this_year.document.unit)\n"
                      "pd.DataFrame([(k, t) for k, items in diff.items() for t in items], columns=['变化', '问题'])"),
    ],
    "03_problem_search.ipynb": [
        new_markdown_cell("# 问题检索\n用项目自带的编码器按语义检索本批次的全部问题，浏览共性问题分组，把选中的问题导出到Excel。"),
        new_code_cell(SETUP),
        new_code_cell("from nlp.bundle import load_bundle\n"
                      "from nlp.explore.search import export_selection, search_problems\n"
                      "encoder = load_bundle().encoder\n"
                      "hits = search_problems(data.issues, '涉企行政检查过多、多头检查', encoder, k=8)\n"
                      "hits[['unit', 'text', 'domain_name', 'scope', 'similarity']]"),
        new_code_cell("for g in data.summary.common_problems[:5]:\n"
                      "    print(f\"{g.title}（{g.domain_name}，{len(g.units)}个单位）\")"),
        new_code_cell("path = export_selection(hits, str(FOLDER / 'selection.xlsx'))\n"
                      "pd.read_excel(path).head()"),
    ],
}


def main() -> None:
    for name, cells in NOTEBOOKS.items():
        nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                "language": "python"}})
        nbformat.write(nb, HERE / name)


if __name__ == "__main__":
    main()
