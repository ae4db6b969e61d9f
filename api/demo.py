"""`make run`'s demo: a round of reports generated from corpora/, queued for the service, and a reviewer token."""

from __future__ import annotations

import random

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


def demo_uploads(n: int = DEMO_REPORTS, seed: int = 7) -> list[Upload]:
    """``n`` generated reports (half DOCX, half TXT) from the corpus pools, each for its own unit."""
    from nlp.corpus import default_corpus_dir
    from nlp.corpus.generate import GeneratorConfig, generate
    from nlp.corpus.writer import load_pools, render

    cfg = GeneratorConfig(n=n, seed=seed, units=n, noise_rate=0.2, target_chars=4000, round_name=DEMO_ROUND)
    rng = random.Random(seed)
    out = []
    for k, record in enumerate(generate(cfg, load_pools(default_corpus_dir()))):
        fmt = "docx" if k % 2 == 0 else "txt"
        out.append(Upload(f"{record['unit']}_{record['kind']}.{fmt}", render(record, fmt, rng), record["unit"],
                          record["kind"], record["year"]))
    return out


def seed_demo(settings: Settings) -> tuple[str, bool]:
    """Queue the demo round once (the service analyses it in the background); always a fresh reviewer token.

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
                enqueue(s, round_row, demo_uploads(), open_blobs(settings.store_kind, settings.files_dir, engine), None,
                        new_id())
        with sessions() as s:
            token = create_token(s, "reviewer", label="演示审核员")
    finally:
        engine.dispose()
    return token, seeded
