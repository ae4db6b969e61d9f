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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
