"""Reviewers' corrections of analyses and their letter drafts: two append-only tables (the audit trail).

Revision ID: 0005_corrections
Revises: 0004_letter_numbers
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_corrections"
down_revision = "0004_letter_numbers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("report_id", sa.String(32), sa.ForeignKey("reports.id"), nullable=False),
        sa.Column("issue_id", sa.String(80), nullable=True),
        sa.Column("target", sa.String(16), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("token_id", sa.Integer(), sa.ForeignKey("tokens.id"), nullable=True),
        sa.Column("before_json", sa.Text(), nullable=False),
        sa.Column("after_json", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    )
    op.create_index("ix_corrections_report_id", "corrections", ["report_id"])
    op.create_index("ix_corrections_issue_id", "corrections", ["issue_id"])
    op.create_index("ix_corrections_at", "corrections", ["at"])
    op.create_table(
        "letter_drafts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("report_id", sa.String(32), sa.ForeignKey("reports.id"), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("token_id", sa.Integer(), sa.ForeignKey("tokens.id"), nullable=True),
        sa.Column("draft_json", sa.Text(), nullable=False),
    )
    op.create_index("ix_letter_drafts_report_id", "letter_drafts", ["report_id"])


def downgrade() -> None:
    op.drop_table("letter_drafts")
    op.drop_table("corrections")
