"""The batch's own state: which inputs (by content hash) are done or failed, in SQLite next to the outputs.

A result file is written first (atomically) and the row second, so a crash between the two at worst
repeats one report and never loses or duplicates one.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path


class BatchState:
    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=WAL")
        # durable across a crash of this process; fsync only at checkpoints
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS files (sha256 TEXT PRIMARY KEY, name TEXT, status TEXT, "
                        "code TEXT, message TEXT, output TEXT)")
        # 文号: one number a year per letter, stored here so a re-run keeps a letter's number and no number is
        # ever given twice
        self.db.execute("CREATE TABLE IF NOT EXISTS letter_numbers (year INTEGER NOT NULL, number INTEGER NOT NULL, "
                        "letter TEXT NOT NULL, PRIMARY KEY (year, number), UNIQUE (letter, year))")
        self.db.commit()

    def letter_number(self, letter: str, year: int) -> int:
        """The number of ``letter`` (a name that stays the same across runs) in ``year``: its own when it has one,
        else the year's next, never one given before."""
        row = self.db.execute("SELECT number FROM letter_numbers WHERE letter = ? AND year = ?",
                              (letter, year)).fetchone()
        if row:
            return int(row[0])
        with self.db:
            (last,) = self.db.execute("SELECT MAX(number) FROM letter_numbers WHERE year = ?", (year,)).fetchone()
            number = (last or 0) + 1
            self.db.execute("INSERT INTO letter_numbers VALUES (?, ?, ?)", (year, number, letter))
        return number

    def done(self) -> dict[str, tuple[str, str | None]]:
        """sha256 → (status, output) of every input already finished."""
        return {row[0]: (row[1], row[2]) for row in self.db.execute("SELECT sha256, status, output FROM files")}

    def record(self, sha256: str, name: str, status: str, code: str | None = None, message: str | None = None,
               output: str | None = None) -> None:
        self.db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
                        (sha256, name, status, code, message, output))
        self.db.commit()

    def failures(self) -> list[dict[str, str]]:
        rows = self.db.execute("SELECT name, code, message FROM files WHERE status = 'failed' ORDER BY name")
        return [{"file": n, "code": c, "message": m} for n, c, m in rows]

    def close(self) -> None:
        self.db.close()


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write to a temporary name and rename: a reader (or a resumed run) never sees half a file.

    No fsync: the guarantee is against a killed process (the batch's resume case), not a power cut.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)
    os.replace(tmp, path)  # atomic: a killed process leaves the old file or the new one, never half of one


def write_json(path: Path, payload: object) -> None:
    write_atomic(path, json.dumps(payload, ensure_ascii=False, indent=1))
