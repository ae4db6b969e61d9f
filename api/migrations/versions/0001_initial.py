"""Initial schema: tokens, rounds, reports, jobs, job files, issues and their history.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("unit", sa.String(200)),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("dirty", sa.Boolean(), nullable=False),
        sa.Column("summary_json", sa.Text()),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("round_id", sa.Integer(), sa.ForeignKey("rounds.id")),
        sa.Column("round_key", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(500), nullable=False),
        sa.Column("unit", sa.String(200)),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("year", sa.Integer()),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("submitted_by", sa.Integer(), sa.ForeignKey("tokens.id")),
        sa.Column("result_json", sa.Text(), nullable=False),
        sa.UniqueConstraint("sha256", "round_key", name="uq_reports_sha_round"),
    )
    op.create_index("ix_reports_sha256", "reports", ["sha256"])
    op.create_index("ix_reports_round_id", "reports", ["round_id"])
    op.create_index("ix_reports_unit", "reports", ["unit"])
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("round_id", sa.Integer(), sa.ForeignKey("rounds.id"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("finished_at", sa.String(32)),
        sa.Column("submitted_by", sa.Integer(), sa.ForeignKey("tokens.id")),
    )
    op.create_index("ix_jobs_round_id", "jobs", ["round_id"])
    op.create_index("ix_jobs_status", "jobs", ["status"])
    op.create_table(
        "job_files",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("job_id", sa.String(32), sa.ForeignKey("jobs.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("unit", sa.String(200)),
        sa.Column("kind", sa.String(32)),
        sa.Column("year", sa.Integer()),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(40)),
        sa.Column("message", sa.Text()),
        sa.Column("report_id", sa.String(32), sa.ForeignKey("reports.id")),
        sa.UniqueConstraint("job_id", "position", name="uq_job_files_position"),
    )
    op.create_index("ix_job_files_job_id", "job_files", ["job_id"])
    op.create_index("ix_job_files_status", "job_files", ["status"])
    op.create_table(
        "issues",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("report_id", sa.String(32), sa.ForeignKey("reports.id"), nullable=False),
        sa.Column("round_id", sa.Integer(), sa.ForeignKey("rounds.id")),
        sa.Column("unit", sa.String(200)),
        sa.Column("domain", sa.String(64), nullable=False),
        sa.Column("visibility", sa.String(16), nullable=False),
        sa.Column("scope", sa.String(16)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("item_json", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    for col in ("report_id", "round_id", "unit", "domain", "status"):
        op.create_index(f"ix_issues_{col}", "issues", [col])
    op.create_table(
        "issue_history",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("issue_id", sa.String(80), sa.ForeignKey("issues.id"), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("token_id", sa.Integer(), sa.ForeignKey("tokens.id")),
        sa.Column("from_status", sa.String(16)),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    )
    op.create_index("ix_issue_history_issue_id", "issue_history", ["issue_id"])


def downgrade() -> None:
    for table in ("issue_history", "issues", "job_files", "jobs", "reports", "rounds", "tokens"):
        op.drop_table(table)
