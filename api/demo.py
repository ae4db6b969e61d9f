"""`make run`'s demo: a round of reports, queued for the service, and a reviewer token.

The reports are generated from corpora/ by ``nlp.training.demo``; the command line (``api/cli.py``) hands them
in, so the service itself never imports corpus code."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from api.blobs import open_blobs
from api.db import make_engine, migrate, session_factory
from api.jobs import enqueue
from api.settings import Settings
from api.store import ensure_round, new_id
from api.tables import Job
from api.tokens import create_token
from api.uploads import Upload

DEMO_ROUND = "示例批次（演示数据）"
DEMO_REPORTS = 12


def seed_demo(settings: Settings, make_uploads: Callable[[], list[Upload]]) -> tuple[str, bool]:
    """Queue the demo round once (the service analyses it in the background); always a fresh reviewer token.
    ``make_uploads`` is called only when the round is queued now.

    Returns (token, seeded now)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.url)
    try:
        migrate(engine)
        sessions = session_factory(engine)
        with sessions.begin() as s:
            round_row = ensure_round(s, DEMO_ROUND)
            seeded = s.scalar(select(Job.id).where(Job.round_id == round_row.id).limit(1)) is None
            if seeded:
                enqueue(s, round_row, make_uploads(), open_blobs(settings.store_kind, settings.files_dir, engine), None,
                        new_id())
        with sessions() as s:
            token = create_token(s, "reviewer", label="演示审核员")
    finally:
        engine.dispose()
    return token, seeded
