"""Write the reviewer notebooks (thin: all logic lives in nlp.explore). Run after editing the cells below.

``python notebooks/make_notebooks.py --execute`` also runs each one on the demo round and stores its outputs (the
committed notebooks are stored executed, so a reader sees the tables and figures without running anything).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).parent
SETUP = """# 批量预审输出目录（prereview batch 输入目录 --out 输出目录 的输出目录），例如 批次目录 = "/data/2024述法/输出"。
# 留空（None）时读取环境变量 PREREVIEW_ROUND_DIR；两者都没有则使用演示批次（首次使用时自动生成）。
批次目录 = None

import pandas as pd
from IPython.display import HTML, display

from nlp.explore import plots
from nlp.explore.data import alerts, load_round, pick_report, worst_first, zh
from nlp.training.demo import choose_folder, is_demo

FOLDER = choose_folder(批次目录)
data = load_round(FOLDER)
print("使用演示批次" if is_demo(FOLDER) else f"批次目录：{FOLDER}")
print(f"成功预审 {len(data.reports)} 份报告，共 {len(data.issues)} 个问题；未能预审 {len(data.failures)} 份文件。"
      f"图表字体：{plots.setup_cjk_font() or '未找到中文字体'}")"""

NOTEBOOKS = {
    "01_round_overview.ipynb": [
        new_markdown_cell("# 一批报告的总体情况\n未能预审的文件、结论分布、问题占比与30%要求线、领域×单位热力图、"
                          "主要共性问题、表述空泛的单位、指标预警。\n\n在下一个单元格的 `批次目录` 中填写要查看的批量预审输出目录。"),
        new_code_cell(SETUP),
        new_code_cell("if data.failures.empty:\n"
                      "    print('本批次的文件全部预审成功。')\n"
                      "else:\n"
                      "    print(f'以下 {len(data.failures)} 份文件未能预审，请核对后重新提交：')\n"
                      "    display(zh(data.failures))"),
        new_code_cell("plots.plot_decisions(data.reports);"),
        new_code_cell("if data.reports.empty:\n"
                      "    print('本批次没有成功预审的报告。')\n"
                      "else:\n"
                      "    display(zh(worst_first(data.reports),\n"
                      "               ['unit', 'kind', 'decision', 'problem_share', 'problems', 'vague', 'reasons']))"),
        new_code_cell("plots.plot_problem_share(data.reports, line=0.30);"),
        new_code_cell("plots.plot_domain_heatmap(data.issues);"),
        new_code_cell("common = data.common\n"
                      "if common.empty:\n"
                      "    print('本批次没有达到共性标准的问题。')\n"
                      "else:\n"
                      "    common = common.assign(单位数=common['units'].map(len)).sort_values('单位数', ascending=False)\n"
                      "    display(zh(common, ['title', 'domain_name', '单位数', 'units']).head(10))"),
        new_code_cell("plots.plot_vague_units(data.issues);"),
        new_code_cell("预警 = alerts(data.indicators)\n"
                      "if not 预警.empty:\n"
                      "    display(zh(预警, ['unit', 'name', 'value', 'measure', 'file']))\n"
                      "elif data.indicators.empty:\n"
                      "    print('本批次的报告没有引用考核指标。')\n"
                      "else:\n"
                      "    print(f'本批次引用的 {len(data.indicators)} 项指标均未触发预警。')"),
    ],
    "02_report_deep_dive.ipynb": [
        new_markdown_cell("# 单份报告详查\n句子按角色着色、问题徽标、退改理由与证据、指标表、与上年报告对比。\n\n"
                          "在下一个单元格的 `批次目录` 中填写批量预审输出目录，在其后的 `报告文件` 中填写要详查的报告。"),
        new_code_cell(SETUP),
        new_code_cell("# 要详查的报告文件名（如 \"某某局_shufa_report.txt\"）；留空则取第一份需修改或退回的报告\n"
                      "报告文件 = None\n"
                      "from nlp.explore.render import render_report_html\n"
                      "result = pick_report(data, 报告文件)\n"
                      "if result is None:\n"
                      "    print('本批次没有成功预审的报告，无可详查。')\n"
                      "else:\n"
                      "    display(HTML(render_report_html(result)))"),
        new_code_cell("if result is not None and not result.verdict.reasons:\n"
                      "    print('这份报告没有退改理由。')\n"
                      "elif result is not None:\n"
                      "    display(pd.DataFrame([{'理由': r.message, '证据': '；'.join(e.text for e in r.evidence)}\n"
                      "                          for r in result.verdict.reasons]))"),
        new_code_cell("if result is not None:\n"
                      "    指标 = data.indicators[data.indicators['file'] == result.document.filename]\n"
                      "    if 指标.empty:\n"
                      "        print('这份报告没有引用考核指标。')\n"
                      "    else:\n"
                      "        display(zh(指标, ['name', 'value', 'measure', 'alert']))"),
        new_code_cell("# 上年度的批量预审输出目录，用于与同一单位的上年报告对比；留空时演示批次使用自带的上年度报告，其他批次跳过对比\n"
                      "上年度目录 = None\n"
                      "from nlp.bundle import load_bundle\n"
                      "from nlp.explore.search import compare_table\n"
                      "上年 = 上年度目录 or (FOLDER.parent / 'previous-out' if is_demo(FOLDER) else None)\n"
                      "if result is None:\n"
                      "    pass\n"
                      "elif 上年 is None:\n"
                      "    print('未填写上年度目录，跳过与上年报告的对比。')\n"
                      "else:\n"
                      "    last_year = {r.document.unit: r for r in load_round(上年).results if r.document.unit}\n"
                      "    this_year = result if result.document.unit in last_year else next(\n"
                      "        (r for r in data.results if r.document.unit in last_year), None)\n"
                      "    if this_year is None:\n"
                      "        print('上年度目录中没有本批次单位的报告，无法对比。')\n"
                      "    else:\n"
                      "        print(f'{this_year.document.unit}：与上年报告对比')\n"
                      "        display(compare_table(last_year[this_year.document.unit], this_year, load_bundle().encoder))"),
    ],
    "03_problem_search.ipynb": [
        new_markdown_cell("# 问题检索\n用项目自带的编码器按语义检索本批次的全部问题，浏览共性问题分组，把选中的问题导出到Excel。\n\n"
                          "在下一个单元格的 `批次目录` 中填写批量预审输出目录，在其后的 `检索词` 中填写要找的问题。"),
        new_code_cell(SETUP),
        new_code_cell("# 要检索的问题（用一句话描述即可）与返回条数\n"
                      "检索词 = '涉企行政检查过多、多头检查'\n"
                      "条数 = 8\n"
                      "from nlp.bundle import load_bundle\n"
                      "from nlp.explore.search import export_selection, search_problems\n"
                      "hits = search_problems(data.issues, 检索词, load_bundle().encoder, k=条数)\n"
                      "if hits.empty:\n"
                      "    print('本批次没有可检索的问题。')\n"
                      "else:\n"
                      "    display(zh(hits, ['unit', 'text', 'domain_name', 'scope', 'similarity']))"),
        new_code_cell("if data.common.empty:\n"
                      "    print('本批次没有达到共性标准的问题分组。')\n"
                      "for g in data.summary.common_problems[:5]:\n"
                      "    print(f\"{g.title}（{g.domain_name}，{len(g.units)}个单位）\")"),
        new_code_cell("# 导出到批次目录下的 selection.xlsx\n"
                      "if hits.empty:\n"
                      "    print('没有选中的问题，不导出。')\n"
                      "else:\n"
                      "    try:\n"
                      "        path = export_selection(hits, str(FOLDER / 'selection.xlsx'))\n"
                      "    except OSError as e:\n"
                      "        print(f'无法写入批次目录：{e}')\n"
                      "    else:\n"
                      "        print(f'已导出 {len(hits)} 条问题到批次目录下的 selection.xlsx')\n"
                      "        display(pd.read_excel(path).head())"),
    ],
}


def main(execute: bool = False) -> None:
    for name, cells in NOTEBOOKS.items():
        nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                "language": "python"}})
        for k, cell in enumerate(nb.cells):  # stable ids: regenerating changes only what changed
            cell.id = f"{name[:2]}-{k:02d}"
        nbformat.write(nb, HERE / name)
        if execute:
            from nlp.training.notebooks import errors, execute_notebook

            nb = execute_notebook(HERE / name)
            assert not errors(nb), (name, errors(nb))
            nb.metadata.pop("language_info", None)  # the kernel's exact Python version: noise in diffs
            nbformat.write(nb, HERE / name)


if __name__ == "__main__":
    import sys

    main(execute="--execute" in sys.argv[1:])
