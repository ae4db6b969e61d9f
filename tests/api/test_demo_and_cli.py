"""`make run`'s demo seed, the token command, and the composed `prereview` command."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from api.cli import app, demo_uploads
from api.db import make_engine, session_factory
from api.demo import DEMO_REPORTS, DEMO_ROUND, seed_demo
from api.settings import Settings
from api.tables import JobFile, Token
from api.tokens import principal_for


def test_demo_round_is_queued_once_and_every_run_gets_a_working_token(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path)
    first, seeded = seed_demo(settings, demo_uploads)
    second, seeded_again = seed_demo(settings, lambda: pytest.fail("generated twice"))
    assert seeded and not seeded_again and first != second
    engine = make_engine(settings.url)
    with session_factory(engine)() as s:
        assert s.scalar(select(func.count()).select_from(JobFile)) == DEMO_REPORTS
        kinds = {f.name.rsplit(".", 1)[1] for f in s.scalars(select(JobFile))}
        assert kinds == {"docx", "txt"}
        assert principal_for(s, first).role == "reviewer" and principal_for(s, second).role == "reviewer"
    engine.dispose()
    assert DEMO_ROUND


@pytest.mark.parametrize(("args", "code", "role"), [
    (["--role", "reviewer"], 0, "reviewer"),
    (["--role", "submitter", "--unit", "甲县司法局"], 0, "submitter"),
    (["--role", "submitter"], 2, None),
    (["--role", "admin"], 2, None),
])
def test_token_create_prints_the_token_last(tmp_path, monkeypatch, args, code, role) -> None:
    monkeypatch.setenv("PREREVIEW_DATA_DIR", str(tmp_path))
    res = CliRunner().invoke(app, ["token", "create", *args])
    assert res.exit_code == code, res.output
    if role:
        token = res.output.strip().splitlines()[-1]
        engine = make_engine(Settings(data_dir=tmp_path).url)
        with session_factory(engine)() as s:
            who = principal_for(s, token)
            assert who is not None and who.role == role
            assert s.scalar(select(Token.token_hash).where(Token.id == who.token_id)) != token  # only a hash is kept
        engine.dispose()


def test_prereview_has_every_command_with_its_options() -> None:
    runner = CliRunner()
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0
    for command in ("parse", "analyze", "batch", "train", "evaluate", "calibrate-encoder", "corpus", "serve", "token"):
        assert command in top.output
    for args, options in ((["serve", "--help"], ("--host", "--port", "--demo")),
                          (["token", "create", "--help"], ("--role", "--unit", "--label")),
                          (["train", "--help"], ("--out", "--seed", "--corpus", "--feedback", "--reports", "--real")),
                          (["evaluate", "--help"], ("--models", "--corpus", "--format", "--update-card")),
                          (["corpus", "generate", "--help"], ("--n", "--out", "--formats"))):
        res = runner.invoke(app, args)
        assert res.exit_code == 0 and all(o in res.output for o in options), (args, res.output)
