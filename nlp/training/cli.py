"""The training commands of ``prereview``: train, evaluate, calibrate-encoder, and corpus check | stats | generate.

The only command-line module that reaches training and corpus code; ``api/cli.py`` mounts it into ``prereview``
(and ``python -m nlp.training.cli`` runs it alone).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from nlp.cli import OutputFormat, setup_logging

app = typer.Typer(add_completion=False, no_args_is_help=True, help="prereview：训练、评测与语料库")


@contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """Two trainings into one bundle folder would interleave their files: the second waits for the first."""
    import fcntl

    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@app.command()
def train(
    files: Annotated[list[Path] | None, typer.Argument(help="with --feedback: feedback files (JSON lines)",
                                                       show_default=False)] = None,
    out: Annotated[Path | None, typer.Option("--out", help="bundle folder (default: models/default; with "
                                                           "--feedback: models/feedback)")] = None,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    corpus: Annotated[Path | None, typer.Option("--corpus")] = None,
    feedback: Annotated[bool, typer.Option("--feedback", help="learn from reviewers' corrections: the FILES "
                                                              "exported by `prereview feedback export`")] = False,
    models: Annotated[Path | None, typer.Option("--models", help="with --feedback: the bundle the reviewers saw "
                                                                 "(default: models/default)")] = None,
    reports: Annotated[Path | None, typer.Option("--reports", help="with --feedback: a folder holding the corrected "
                                                                   "reports; their uncorrected sentences are learned "
                                                                   "too")] = None,
    real: Annotated[Path | None, typer.Option("--real", help="with --feedback: a real annotated round to measure "
                                                             "before and after")] = None,
    weight: Annotated[int, typer.Option("--weight", min=1, help="with --feedback: repeats of each corrected "
                                                                "sentence")] = 5,
) -> None:
    """由 corpora/ 重新训练全部模型，保存到 models/ 并生成模型说明（含测试集指标）。
    --feedback 文件…：在 corpora/ 之上学习审核人员的更正，输出学习前后的评测结果。"""
    from nlp.bundle import default_model_dir, load_bundle
    from nlp.training.card import write_card
    from nlp.training.evaluate import evaluate_bundle, format_report
    from nlp.training.train import train_bundle

    setup_logging(False)
    if files and not feedback:
        raise typer.BadParameter("feedback files are given with --feedback", param_hint="FILES")
    if feedback:
        if not files:
            raise typer.BadParameter("--feedback needs one or more feedback files", param_hint="FILES")
        _train_feedback(files, out, models, reports, real, _corpus_dir(corpus), seed, weight)
        return
    if reports or real or models:
        raise typer.BadParameter("--models, --reports and --real go with --feedback", param_hint="--feedback")
    root = _corpus_dir(corpus)
    target = out or default_model_dir()
    with _exclusive(target.with_name(target.name + ".lock")):
        train_bundle(root, target, seed=seed, log=typer.echo)
        results = evaluate_bundle(load_bundle(target), root)
        write_card(target, results)
    typer.echo(format_report(results))
    typer.echo(f"模型已保存：{target}")


def _train_feedback(files: list[Path], out: Path | None, models: Path | None, reports: Path | None,
                    real: Path | None, root: Path, seed: int, weight: int) -> None:
    """``train --feedback``: the base bundle refitted with the corrections, figures before and after."""
    from nlp.bundle import default_model_dir, load_bundle
    from nlp.feedback import read_feedback
    from nlp.training.card import write_feedback_card
    from nlp.training.evaluate import evaluate_bundle
    from nlp.training.feedback import feedback_bundle, format_before_after, reviewed_analyses

    missing = [str(p) for p in files if not p.is_file()]
    if missing:
        typer.echo(f"找不到更正文件：{'、'.join(missing)}", err=True)
        raise typer.Exit(2)
    try:
        examples = read_feedback(files)
    except ValueError as err:
        typer.echo(f"更正文件格式有误：{err}", err=True)
        raise typer.Exit(2) from err
    base = models or default_model_dir()
    target = out or base.with_name("feedback")
    base_bundle = load_bundle(base)  # in memory: every "before" figure is the base's, even when out is base
    before = evaluate_bundle(base_bundle, root, splits=("test",), with_round=False)
    real_before = None
    if real is not None:
        from nlp.training.real_cli import real_figures

        real_before = real_figures(real, [base_bundle])
    reviewed = reviewed_analyses(reports, examples, base_bundle) if reports is not None else []
    if not reviewed:  # benchmarks/RESULTS.md: corrections alone can make a kind the corpus lacks worse
        typer.echo("提示：未找到被更正的报告（--reports），仅用更正本身训练；更正只反映错误之处，"
                   "语料库中没有的报告类型可能因此变差。", err=True)
    with _exclusive(target.with_name(target.name + ".lock")):
        feedback_bundle(examples, base, target, root, seed=seed, weight=weight, files=files, reviewed=reviewed,
                        log=typer.echo)
    after_bundle = load_bundle(target)
    after = evaluate_bundle(after_bundle, root, splits=("test",), with_round=False)
    real_after = None
    if real is not None:
        from nlp.training.real_cli import real_figures

        real_after = real_figures(real, [after_bundle])
    write_feedback_card(target, before, after, real_before, real_after)
    typer.echo(format_before_after(before, after, real_before, real_after))
    typer.echo(f"模型已保存：{target}")


@app.command("calibrate-encoder")
def calibrate_encoder(
    folder: Annotated[Path, typer.Argument(help="a sentence-transformers model folder on disk")],
    corpus: Annotated[Path | None, typer.Option("--corpus")] = None,
) -> None:
    """为自带的句向量模型校准共性问题分组阈值（写入该目录的 prereview_encoder.json）。"""
    from nlp.training.encoder_train import calibrate_encoder_folder

    setup_logging(False)
    if not folder.is_dir():
        typer.echo(f"不是模型目录：{folder}", err=True)
        raise typer.Exit(2)
    calibrate_encoder_folder(_corpus_dir(corpus), folder, log=typer.echo)


@app.command()
def evaluate(
    models: Annotated[Path | None, typer.Option("--models")] = None,
    corpus: Annotated[Path | None, typer.Option("--corpus")] = None,
    format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.text,
    update_card: Annotated[bool, typer.Option("--update-card", help="write the figures into the bundle's card")] = False,
    real: Annotated[Path | None, typer.Option("--real", help="a real annotated round (docs/, gold.jsonl): figures by "
                                                             "folds of units instead of the corpus splits")] = None,
    adapt: Annotated[bool, typer.Option("--adapt", help="with --real: each fold analysed by the bundle adapted on "
                                                        "the other folds' reports (prereview adapt)")] = False,
) -> None:
    """在测试集与留出风格集上评测：各类别精确率、召回率、F1、混淆矩阵、结论一致率、问题抽取与分类、批次共性问题。
    --real 目录：在真实标注批次上按单位分折评测（问题抽取、显隐性、成绩多问题少、类型与单位）。"""
    from nlp.bundle import default_model_dir, load_bundle
    from nlp.training.card import write_card
    from nlp.training.evaluate import evaluate_bundle, format_report

    setup_logging(False)
    if real is not None:
        from nlp.training.real import format_real
        from nlp.training.real_cli import fold_bundles, format_sentences, real_figures

        bundle = load_bundle(models)
        bundles = fold_bundles(bundle, real, _corpus_dir(corpus), log=typer.echo) if adapt else [bundle]
        figures = real_figures(real, bundles)
        test = evaluate_bundle(bundle, _corpus_dir(corpus), splits=("test",), with_round=False)["test"]
        figures["test_split"] = {**test["issue_extraction"], "visibility_accuracy": test["visibility_accuracy"]}
        typer.echo(json.dumps(figures, ensure_ascii=False) if format is OutputFormat.json
                   else format_real(figures) + "\n" + format_sentences(figures))
        return
    results = evaluate_bundle(load_bundle(models), _corpus_dir(corpus))
    if update_card:
        write_card(models or default_model_dir(), results)
    typer.echo(json.dumps(results, ensure_ascii=False) if format is OutputFormat.json else format_report(results))


@app.command()
def adapt(
    folder: Annotated[Path, typer.Argument(help="a folder of real reports (an office's archive of past years)")],
    out: Annotated[Path | None, typer.Option("--out", help="bundle folder to write (default: models/adapted)")] = None,
    models: Annotated[Path | None, typer.Option("--models", help="base bundle (default: models/default)")] = None,
    corpus: Annotated[Path | None, typer.Option("--corpus")] = None,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    per_report: Annotated[int, typer.Option("--per-report", help="weak examples per report and label")] = 20,
) -> None:
    """由一批真实报告（无需标注）改进句子分类器：按“存在的问题/清醒看到…”等引导语划分的部分生成弱标注，与语料库一起
    重新训练；新模型的说明写明学习来源及适配前后的指标。"""
    from nlp.bundle import default_model_dir, load_bundle
    from nlp.training.adapt import adapt_bundle
    from nlp.training.card import write_adapted_card
    from nlp.training.evaluate import evaluate_bundle

    setup_logging(False)
    base = models or default_model_dir()
    target = out or base.with_name("adapted")
    root = _corpus_dir(corpus)
    base_bundle = load_bundle(base)  # in memory: every "before" figure is the base's, even when out is base
    before = evaluate_bundle(base_bundle, root, splits=("test",), with_round=False)
    real_before = real_after = None
    if (folder / "gold.jsonl").exists():  # an annotated round: held-out figures, each fold adapted without it
        from nlp.training.real_cli import fold_bundles, real_figures

        real_before = real_figures(folder, [base_bundle])
        real_after = real_figures(folder, fold_bundles(base_bundle, folder, root, seed=seed, cap=per_report,
                                                       log=typer.echo))
    with _exclusive(target.with_name(target.name + ".lock")):
        learned = adapt_bundle(folder, base, target, root, seed=seed, cap=per_report, log=typer.echo)
    after = evaluate_bundle(load_bundle(target), root, splits=("test",), with_round=False)
    text = write_adapted_card(target, learned, before, after, real_before, real_after)
    typer.echo(text)
    typer.echo(f"模型已保存：{target}")


corpus_app = typer.Typer(no_args_is_help=True, help="语料库：校验、统计、生成")
app.add_typer(corpus_app, name="corpus")


def _corpus_dir(path: Path | None) -> Path:
    from nlp.training.corpus import default_corpus_dir

    return path or default_corpus_dir()


@corpus_app.command("check")
def corpus_check(
    corpus: Annotated[Path | None, typer.Option("--corpus", help="corpus folder (default: corpora/)")] = None,
) -> None:
    """校验语料：标注位置与文本一致、标签与分类代码有效、数据划分不交叉、训练与测试无近似重复句。"""
    from nlp.training.corpus.check import check_corpus

    problems = check_corpus(_corpus_dir(corpus))
    for problem in problems:
        typer.echo(f"  - {problem}", err=True)
    if problems:
        typer.echo(f"语料校验未通过：{len(problems)}个问题", err=True)
        raise typer.Exit(1)
    typer.echo("语料校验通过。")


@corpus_app.command("stats")
def corpus_stats_cmd(
    format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.text,
    corpus: Annotated[Path | None, typer.Option("--corpus")] = None,
) -> None:
    """语料统计：文档、句子、标签、问题、显隐性与空泛比例、领域分布。"""
    from nlp.training.corpus import load_splits
    from nlp.training.corpus.schema import load_documents
    from nlp.training.corpus.stats import corpus_stats

    root = _corpus_dir(corpus)
    stats = corpus_stats(load_documents(root / "annotated"), load_splits(root))
    if format is OutputFormat.json:
        typer.echo(json.dumps(stats, ensure_ascii=False))
        return
    for key, value in stats.items():
        typer.echo(f"{key}: {value}")


@corpus_app.command("generate")
def corpus_generate(
    n: Annotated[int, typer.Option("--n", min=1, help="number of documents")],
    out: Annotated[Path, typer.Option("--out", help="output folder")],
    seed: Annotated[int, typer.Option("--seed")] = 0,
    formats: Annotated[str, typer.Option("--formats", help="comma-separated: txt,docx,pdf")] = "txt",
    units: Annotated[int | None, typer.Option("--units", min=1, help="units in the review round (default: one per document)")] = None,
    noise: Annotated[float, typer.Option("--noise", min=0.0, max=1.0, help="share of documents with injected noise")] = 0.3,
    chars: Annotated[int, typer.Option("--chars", min=500, help="target characters per report")] = 6000,
    corpus: Annotated[Path | None, typer.Option("--corpus")] = None,
) -> None:
    """由语料片段生成任意数量的报告（确定性，可复现），附带精确标注，用于扩充、批处理测试与基准测试。"""
    from nlp.training.corpus.generate import GeneratorConfig
    from nlp.training.corpus.writer import load_pools, write_generated

    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    bad = [f for f in wanted if f not in ("txt", "docx", "pdf")]
    if bad or not wanted:
        raise typer.BadParameter(f"unknown formats {bad}; choose from txt, docx, pdf", param_hint="--formats")
    cfg = GeneratorConfig(n=n, seed=seed, units=units, noise_rate=noise, target_chars=chars)
    written = write_generated(cfg, load_pools(_corpus_dir(corpus)), out, wanted, progress=True)
    typer.echo(f"已生成{cfg.n}份报告（{'、'.join(wanted)}），共{written}个文件：{out}")


if __name__ == "__main__":
    app()
