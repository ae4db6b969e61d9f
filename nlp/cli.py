"""The analysis commands of the ``prereview`` command line: parse, demo, analyze, batch. An edge: it reads files,
prints, and sets exit codes.

``api/cli.py`` composes the whole ``prereview`` command: these commands, the training ones
(``nlp/training/cli.py``) and the service's (``serve``, ``token``). ``python -m nlp.cli`` runs these alone.

Exit codes: 0 success, 2 usage error, 3 the input file was refused (with a coded message).
"""

from __future__ import annotations

import json
import logging
import sys
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


class _ReviewerFormatter(logging.Formatter):
    """The batch's lines (``nlp.batch.*``: progress, files that failed, the round step) in Chinese, with the level
    in Chinese too; the other modules' lines as developers read them."""

    LEVELS = {"DEBUG": "调试", "INFO": "信息", "WARNING": "警告", "ERROR": "错误", "CRITICAL": "严重错误"}
    _batch = logging.Formatter("%(asctime)s [批量预审] %(level_zh)s：%(message)s", "%Y-%m-%d %H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        if record.name.startswith("nlp.batch"):
            record.level_zh = self.LEVELS.get(record.levelname, record.levelname)
            return self._batch.format(record)
        return super().format(record)


def setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_ReviewerFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[handler])
    logging.getLogger("nlp.batch.progress").setLevel(logging.INFO)  # batch progress lines off a terminal
    import jieba

    jieba.setLogLevel(logging.WARNING)


def _fail(err: PrereviewError, path: Path) -> typer.Exit:
    typer.echo(f"错误 [{err.code}] {path.name}：{err.reviewer_message}", err=True)
    return typer.Exit(EXIT_BAD_INPUT)


@app.command()
def parse(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="PDF, DOCX, TXT or HTML")],
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="json or text")] = OutputFormat.text,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """解析一份文件：正文、标题层级、段落与句子（带字符位置）。"""
    from nlp.pipeline import parse as parse_bytes

    setup_logging(verbose)
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

    setup_logging(False)
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

    setup_logging(verbose)
    if kind is not None and kind not in DOC_KINDS:
        raise typer.BadParameter(f"unknown kind {kind!r}; expected one of {', '.join(DOC_KINDS)}", param_hint="--kind")
    try:
        bundle = load_bundle(models)
    except PrereviewError as err:
        typer.echo(f"错误 [{err.code}] {err.reviewer_message}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    results = []
    failed = 0
    for path in files:
        try:
            results.append(analyze_bytes(path.read_bytes(), path.name, bundle, kind=kind, unit=unit))
        except PrereviewError as err:
            typer.echo(f"错误 [{err.code}] {path.name}：{err.reviewer_message}", err=True)
            failed += 1
    for result in with_near_copies(results, bundle.config):  # several files: each compared with those before it
        if format is OutputFormat.json:
            typer.echo(result.model_dump_json())
        else:
            typer.echo(result_to_text(result))
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)


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
    office: Annotated[str, typer.Option("--office", envvar="PREREVIEW_OFFICE",
                                        help="发文机关（函件版头、署名）")] = "依法治理办公室",
    letter_prefix: Annotated[str, typer.Option("--letter-prefix", envvar="PREREVIEW_LETTER_PREFIX",
                                               help="文号的机关代字，如“青法审”（得“青法审〔2026〕1号”）")] = "",
    contact: Annotated[str, typer.Option("--contact", envvar="PREREVIEW_CONTACT", help="函件的联系人")] = "",
    phone: Annotated[str, typer.Option("--phone", envvar="PREREVIEW_PHONE", help="联系电话")] = "",
    previous: Annotated[Path | None, typer.Option(
        "--previous", help="上一轮同批单位的批量预审输出文件夹：标出各单位屡改屡犯的问题")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """批量预审：逐份给出结论，汇总共性问题，输出清单、函件与汇总表；中断后重跑可续跑。"""
    from nlp.batch.inputs import BatchInputError
    from nlp.batch.runner import BatchOptions, run_batch
    from nlp.report.word import LetterHead

    setup_logging(verbose)
    if scheduler and engine is not Engine.dask:
        raise typer.BadParameter("--scheduler goes with --engine dask", param_hint="--scheduler")
    opts = BatchOptions(input=input, out=out, round_name=round_name, workers=workers, engine=engine.value,
                        scheduler=scheduler, models=str(models) if models else None,
                        encoder=str(encoder) if encoder else None,
                        previous=previous, head=LetterHead(office or "依法治理办公室", letter_prefix, contact, phone))
    try:
        outcome = run_batch(opts)
    except BatchInputError as err:
        typer.echo(f"输入有误：{err}", err=True)
        raise typer.Exit(2) from None
    except PrereviewError as err:
        typer.echo(f"错误 [{err.code}] {err.reviewer_message}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    typer.echo(f"完成：共{outcome.total}份，成功{outcome.done}份（其中续跑跳过{outcome.skipped}份），失败{outcome.failed}份，"
               f"用时{outcome.seconds:.1f}秒。输出：{out}")
    for failure in outcome.failures:
        typer.echo(f"  失败：{failure['file']}：{failure['message']}", err=True)  # the code is in summary.csv
    raise typer.Exit(outcome.exit_code)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
