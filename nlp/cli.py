"""The ``prereview`` command line. An edge: it reads files, prints, and sets exit codes.

Exit codes: 0 success, 2 usage error, 3 the input file was refused (with a coded message).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from nlp.doc import ParsedDocument
from nlp.errors import PrereviewError
from nlp.glossary import KINDS, SECTION_ROLES

EXIT_BAD_INPUT = 3
app = typer.Typer(add_completion=False, no_args_is_help=True, help="prereview：法治报告与谈话记录预审工具")


class OutputFormat(str, Enum):
    json = "json"
    text = "text"


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("nlp.batch.progress").setLevel(logging.INFO)  # batch progress lines off a terminal
    import jieba

    jieba.setLogLevel(logging.WARNING)


def _fail(err: PrereviewError, path: Path) -> typer.Exit:
    typer.echo(f"错误 [{err.code}] {path.name}：{err.message_zh}（{err.detail or err.code}）", err=True)
    return typer.Exit(EXIT_BAD_INPUT)


@app.command()
def parse(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="PDF, DOCX, TXT or HTML")],
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="json or text")] = OutputFormat.text,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """解析一份文件：正文、标题层级、段落与句子（带字符位置）。"""
    from nlp.pipeline import parse as parse_bytes

    _setup_logging(verbose)
    try:
        parsed = parse_bytes(file.read_bytes(), file.name)
    except PrereviewError as err:
        raise _fail(err, file) from None
    if format is OutputFormat.json:
        typer.echo(json.dumps(parsed_to_json(parsed), ensure_ascii=False))
    else:
        typer.echo(parsed_to_text(parsed))


def parsed_to_json(parsed: ParsedDocument) -> dict:  # type: ignore[type-arg]
    """The ``parse --format json`` shape: contract field names, sentences without labels yet."""
    return {
        "document": parsed.document.model_dump(mode="json"),
        "sections": [s.model_dump(mode="json") for s in parsed.sections],
        "sentences": [s.model_dump(mode="json", exclude={"label", "score"}) for s in parsed.sentences],
    }


def parsed_to_text(parsed: ParsedDocument) -> str:
    """A readable Chinese summary of a parse."""
    doc = parsed.document
    out = [
        f"文件：{doc.filename}（{doc.media_type}，{doc.pages or '-'}页，{doc.chars}字）",
        f"标题：{doc.title or '（未识别）'}",
        f"类型：{KINDS.get(doc.kind, doc.kind)}　单位：{doc.unit or '（未识别）'}　年度：{doc.year or '（未识别）'}",
    ]
    if doc.warnings:
        out.append("处理说明：")
        out += [f"  - {w}" for w in doc.warnings]
    out.append(f"结构（{len(parsed.sections)}个标题，{len(parsed.sentences)}句）：")
    counts = [0] * len(parsed.sections)
    for sent in parsed.sentences:
        if sent.section is not None:
            counts[sent.section] += 1
    for k, sec in enumerate(parsed.sections):
        role = SECTION_ROLES.get(sec.role or "", "")
        out.append(f"{'  ' * sec.level}{sec.title}  [{role or '—'}，{counts[k]}句]")
    return "\n".join(out)


@app.command()
def demo() -> None:
    """预审自带的示例报告并显示结论（make run 的默认任务）。"""
    from nlp.bundle import load_bundle
    from nlp.pipeline import analyze as analyze_bytes
    from nlp.report.summary import result_to_text

    _setup_logging(False)
    sample = Path(__file__).parent / "data" / "sample_report.txt"
    result = analyze_bytes(sample.read_bytes(), sample.name, load_bundle())
    typer.echo(result_to_text(result))
    typer.echo("\n用法：prereview analyze 文件… [--format json|text]；prereview parse 文件；prereview --help")


@app.command()
def analyze(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, readable=True, help="one or more reports")],
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="json (one result per line) or text")] = OutputFormat.text,
    kind: Annotated[str | None, typer.Option("--kind", help="document kind, if known")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="reporting unit, if known")] = None,
    models: Annotated[Path | None, typer.Option("--models", help="model bundle folder (default: models/default)")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """预审报告：句子角色、问题占比、问题清单与“通过 / 修改 / 退回”结论。多个文件时按顺序相互比对是否雷同。"""
    from nlp.bundle import load_bundle
    from nlp.doc import KINDS as DOC_KINDS
    from nlp.pipeline import analyze as analyze_bytes
    from nlp.report.summary import result_to_text
    from nlp.round import with_near_copies

    _setup_logging(verbose)
    if kind is not None and kind not in DOC_KINDS:
        raise typer.BadParameter(f"unknown kind {kind!r}; expected one of {', '.join(DOC_KINDS)}", param_hint="--kind")
    try:
        bundle = load_bundle(models)
    except PrereviewError as err:
        typer.echo(f"错误 [{err.code}] {err.message_zh}（{err.detail}）", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    results = []
    failed = 0
    for path in files:
        try:
            results.append(analyze_bytes(path.read_bytes(), path.name, bundle, kind=kind, unit=unit))
        except PrereviewError as err:
            typer.echo(f"错误 [{err.code}] {path.name}：{err.message_zh}（{err.detail or err.code}）", err=True)
            failed += 1
    for result in with_near_copies(results, bundle.config):  # several files: each compared with those before it
        if format is OutputFormat.json:
            typer.echo(result.model_dump_json())
        else:
            typer.echo(result_to_text(result))
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)


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
    out: Annotated[Path | None, typer.Option("--out", help="bundle folder (default: models/default)")] = None,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    corpus: Annotated[Path | None, typer.Option("--corpus")] = None,
) -> None:
    """由 corpora/ 重新训练全部模型，保存到 models/ 并生成模型说明（含测试集指标）。"""
    from nlp.bundle import default_model_dir, load_bundle
    from nlp.classify.card import write_card
    from nlp.classify.evaluate import evaluate_bundle, format_report
    from nlp.classify.train import train_bundle

    _setup_logging(False)
    root = _corpus_dir(corpus)
    target = out or default_model_dir()
    with _exclusive(target.with_name(target.name + ".lock")):
        train_bundle(root, target, seed=seed, log=typer.echo)
        results = evaluate_bundle(load_bundle(target), root)
        write_card(target, results)
    typer.echo(format_report(results))
    typer.echo(f"模型已保存：{target}")


@app.command("calibrate-encoder")
def calibrate_encoder(
    folder: Annotated[Path, typer.Argument(help="a sentence-transformers model folder on disk")],
    corpus: Annotated[Path | None, typer.Option("--corpus")] = None,
) -> None:
    """为自带的句向量模型校准共性问题分组阈值（写入该目录的 prereview_encoder.json）。"""
    from nlp.classify.encoder_train import calibrate_encoder_folder

    _setup_logging(False)
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
) -> None:
    """在测试集与留出风格集上评测：各类别精确率、召回率、F1、混淆矩阵、结论一致率、问题抽取与分类、批次共性问题。"""
    from nlp.bundle import default_model_dir, load_bundle
    from nlp.classify.card import write_card
    from nlp.classify.evaluate import evaluate_bundle, format_report

    _setup_logging(False)
    results = evaluate_bundle(load_bundle(models), _corpus_dir(corpus))
    if update_card:
        write_card(models or default_model_dir(), results)
    typer.echo(json.dumps(results, ensure_ascii=False) if format is OutputFormat.json else format_report(results))


class Engine(str, Enum):
    local = "local"
    dask = "dask"


@app.command()
def batch(
    input: Annotated[str, typer.Argument(help="a folder, a zip, or a glob of reports")],
    out: Annotated[Path, typer.Option("--out", help="output folder")],
    round_name: Annotated[str | None, typer.Option("--round", help="name of the review round")] = None,
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="worker processes (default: one per available core)")] = None,
    engine: Annotated[Engine, typer.Option("--engine", help="local process pool or a Dask cluster")] = Engine.local,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address, tcp://host:8786")] = None,
    models: Annotated[Path | None, typer.Option("--models", help="model bundle folder")] = None,
    encoder: Annotated[Path | None, typer.Option("--encoder", help="sentence-transformers model folder for grouping")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """批量预审：逐份给出结论，汇总共性问题，输出清单、函件与汇总表；中断后重跑可续跑。"""
    from nlp.batch.inputs import BatchInputError
    from nlp.batch.runner import BatchOptions, run_batch

    _setup_logging(verbose)
    if scheduler and engine is not Engine.dask:
        raise typer.BadParameter("--scheduler goes with --engine dask", param_hint="--scheduler")
    opts = BatchOptions(input=input, out=out, round_name=round_name, workers=workers, engine=engine.value,
                        scheduler=scheduler, models=str(models) if models else None,
                        encoder=str(encoder) if encoder else None)
    try:
        outcome = run_batch(opts)
    except BatchInputError as err:
        typer.echo(f"输入有误：{err}", err=True)
        raise typer.Exit(2) from None
    except PrereviewError as err:
        typer.echo(f"错误 [{err.code}] {err.message_zh}（{err.detail}）", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    typer.echo(f"完成：共{outcome.total}份，成功{outcome.done}份（其中续跑跳过{outcome.skipped}份），失败{outcome.failed}份，"
               f"用时{outcome.seconds:.1f}秒。输出：{out}")
    for failure in outcome.failures:
        typer.echo(f"  失败 [{failure['code']}] {failure['file']}：{failure['message']}", err=True)
    raise typer.Exit(outcome.exit_code)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8000,
    demo: Annotated[bool, typer.Option("--demo", help="seed a demo round and print a reviewer token")] = False,
) -> None:
    """启动预审服务（API、审核网页）；数据库与文件位置见 PREREVIEW_* 环境变量。"""
    import uvicorn

    from api.app import create_app
    from api.settings import load_settings

    _setup_logging(False)
    settings = load_settings()
    if demo:
        from api.demo import DEMO_ROUND, seed_demo

        token, seeded = seed_demo(settings)
        typer.echo(f"预审服务：http://{host}:{port}/   接口文档：http://{host}:{port}/docs")
        typer.echo(f"数据目录：{settings.data_dir.resolve()}；" + (f"已排队演示批次“{DEMO_ROUND}”，后台预审中。" if seeded
                                                                else f"演示批次“{DEMO_ROUND}”已存在。"))
        typer.echo("审核员令牌（网页登录或 Authorization: Bearer 使用）：")
        typer.echo(token)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


token_app = typer.Typer(no_args_is_help=True, help="访问令牌")
app.add_typer(token_app, name="token")


class Role(str, Enum):
    reviewer = "reviewer"
    submitter = "submitter"


@token_app.command("create")
def token_create(
    role: Annotated[Role, typer.Option("--role", help="reviewer（审核员）或 submitter（报送单位）")],
    unit: Annotated[str | None, typer.Option("--unit", help="报送单位名称（submitter 必填）")] = None,
    label: Annotated[str, typer.Option("--label", help="显示名称，记入审计")] = "",
) -> None:
    """新建访问令牌（使用所配置的数据库）；令牌在最后一行输出，只显示这一次。"""
    from api.db import make_engine, migrate, session_factory
    from api.settings import load_settings
    from api.tokens import create_token

    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.url)
    migrate(engine)
    try:
        with session_factory(engine)() as s:
            token = create_token(s, role.value, unit, label)
    except PrereviewError as err:
        typer.echo(f"错误：{err.detail}", err=True)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    typer.echo(f"已创建{'审核员' if role is Role.reviewer else '报送单位'}令牌（请妥善保存，只显示这一次）：")
    typer.echo(token)


corpus_app = typer.Typer(no_args_is_help=True, help="语料库：校验、统计、生成")
app.add_typer(corpus_app, name="corpus")


def _corpus_dir(path: Path | None) -> Path:
    from nlp.corpus import default_corpus_dir

    return path or default_corpus_dir()


@corpus_app.command("check")
def corpus_check(
    corpus: Annotated[Path | None, typer.Option("--corpus", help="corpus folder (default: corpora/)")] = None,
) -> None:
    """校验语料：标注位置与文本一致、标签与分类代码有效、数据划分不交叉、训练与测试无近似重复句。"""
    from nlp.corpus.check import check_corpus

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
    from nlp.corpus import load_splits
    from nlp.corpus.schema import load_documents
    from nlp.corpus.stats import corpus_stats

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
    from nlp.corpus.generate import GeneratorConfig
    from nlp.corpus.writer import load_pools, write_generated

    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    bad = [f for f in wanted if f not in ("txt", "docx", "pdf")]
    if bad or not wanted:
        raise typer.BadParameter(f"unknown formats {bad}; choose from txt, docx, pdf", param_hint="--formats")
    cfg = GeneratorConfig(n=n, seed=seed, units=units, noise_rate=noise, target_chars=chars)
    written = write_generated(cfg, load_pools(_corpus_dir(corpus)), out, wanted, progress=True)
    typer.echo(f"已生成{cfg.n}份报告（{'、'.join(wanted)}），共{written}个文件：{out}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
