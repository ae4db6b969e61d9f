"""The ``prereview`` command line. An edge: it reads files, prints, and sets exit codes.

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


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
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
    """解析自带的示例报告并显示结构（make run 的默认任务）。"""
    from nlp.pipeline import parse as parse_bytes

    _setup_logging(False)
    sample = Path(__file__).parent / "data" / "sample_report.txt"
    parsed = parse_bytes(sample.read_bytes(), sample.name)
    typer.echo(parsed_to_text(parsed))
    typer.echo("\n用法：prereview parse 文件 [--format json|text]")


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
