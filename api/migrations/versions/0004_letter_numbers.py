"""Letter numbers (文号): one per letter and year, never given twice.

Revision ID: 0004_letter_numbers
Revises: 0002_status_codes (the file 0003_status_codes.py)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_letter_numbers"
down_revision = "0002_status_codes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "letter_numbers",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.String(32), sa.ForeignKey("reports.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("year", "number"),
        sa.UniqueConstraint("report_id", "kind", "year", name="uq_letter_numbers_letter"),
    )


def downgrade() -> None:
    op.drop_table("letter_numbers")
