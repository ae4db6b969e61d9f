"""The ``prereview`` command: the analysis commands (``nlp/cli.py``), the training commands
(``nlp/training/cli.py``) and the service's own, ``serve`` and ``token create``, in one Typer app.

The console script ``prereview`` is ``api.cli:main``; ``python -m api.cli`` is the same command. ``nlp/`` never
imports this package: the service's commands live here, and this module is the one place that puts the library,
its training side and the service together.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from nlp.cli import app as analysis_app
from nlp.cli import setup_logging
from nlp.errors import PrereviewError
from nlp.training.cli import app as training_app

if TYPE_CHECKING:  # the service loads only when a service command runs
    from api.uploads import Upload

service_app = typer.Typer(add_completion=False, no_args_is_help=True, help="预审服务与访问令牌")


def demo_uploads() -> list[Upload]:
    """The demo round's reports, generated from corpora/ (``prereview serve --demo``)."""
    from api.demo import DEMO_REPORTS, DEMO_ROUND
    from api.uploads import Upload
    from nlp.training.demo import demo_reports

    return [Upload(r.filename, r.data, r.unit, r.kind, r.year) for r in demo_reports(DEMO_REPORTS, DEMO_ROUND)]


@service_app.command()
def serve(
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8000,
    demo: Annotated[bool, typer.Option("--demo", help="seed a demo round and print a reviewer token")] = False,
) -> None:
    """启动预审服务（API、审核网页）；数据库与文件位置见 PREREVIEW_* 环境变量。"""
    import uvicorn

    from api.app import create_app
    from api.settings import load_settings

    setup_logging(False)
    settings = load_settings()
    if demo:
        from api.demo import DEMO_ROUND, seed_demo

        token, seeded = seed_demo(settings, demo_uploads)
        typer.echo(f"预审服务：http://{host}:{port}/   接口文档：http://{host}:{port}/docs")
        typer.echo(f"数据目录：{settings.data_dir.resolve()}；" + (f"已排队演示批次“{DEMO_ROUND}”，后台预审中。" if seeded
                                                                else f"演示批次“{DEMO_ROUND}”已存在。"))
        typer.echo("审核员令牌（网页登录或 Authorization: Bearer 使用）：")
        typer.echo(token)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


@contextmanager
def _database() -> Iterator[tuple[Any, Any]]:
    """A session on the configured database (migrated first) and the settings, for the service's commands."""
    from api.db import make_engine, migrate, session_factory
    from api.settings import load_settings

    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.url)
    migrate(engine)
    try:
        with session_factory(engine)() as s:
            yield s, settings
    finally:
        engine.dispose()


token_app = typer.Typer(no_args_is_help=True, help="访问令牌")
service_app.add_typer(token_app, name="token")


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
    from api.tokens import create_token

    try:
        with _database() as (s, _):
            token = create_token(s, role.value, unit, label)
    except PrereviewError as err:
        typer.echo(f"错误：{err.detail}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"已创建{'审核员' if role is Role.reviewer else '报送单位'}令牌（请妥善保存，只显示这一次）：")
    typer.echo(token)


feedback_app = typer.Typer(no_args_is_help=True, help="审核员更正（反馈）")
service_app.add_typer(feedback_app, name="feedback")


SINCE_HELP = "只导出此 ISO 时间（含）之后的更正；无时区按 UTC"


@feedback_app.command("export")
def feedback_export(
    out: Annotated[Path, typer.Option("--out", help="写入的 JSON lines 文件")],
    since: Annotated[str | None, typer.Option("--since", help=SINCE_HELP)] = None,
) -> None:
    """导出审核员的每条更正为一行标注样例（与 GET /api/v1/feedback 相同），读所配置的数据库。"""
    from api.feedback import feedback_examples, since_utc
    from nlp.bundle import bundle_config
    from nlp.feedback import write_feedback

    try:
        start = since_utc(since)
    except ValueError:
        typer.echo(f"错误：--since 不是 ISO 时间：{since}", err=True)
        raise typer.Exit(2) from None
    with _database() as (s, settings):
        n = write_feedback(feedback_examples(s, bundle_config(settings.model_dir), start), out)
    typer.echo(f"已导出 {n} 条更正：{out}")


def build_app() -> typer.Typer:
    """``prereview``: every command of the three apps at the top level."""
    app = typer.Typer(add_completion=False, no_args_is_help=True, help=analysis_app.info.help)
    for part in (analysis_app, training_app, service_app):
        app.registered_commands += part.registered_commands
        app.registered_groups += part.registered_groups
    return app


app = build_app()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
