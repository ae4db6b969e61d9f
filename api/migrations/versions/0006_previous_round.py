"""Year over year: a round may name the earlier round of the same units (屡改屡犯 are marked against it).

Revision ID: 0006_previous_round
Revises: 0004_letter_numbers (another migration may come between when branches merge)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_previous_round"
down_revision = "0005_corrections"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rounds") as batch:
        batch.add_column(sa.Column("previous_round_id", sa.Integer()))
        batch.create_foreign_key("fk_rounds_previous_round", "rounds", ["previous_round_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("rounds") as batch:
        batch.drop_constraint("fk_rounds_previous_round", type_="foreignkey")
        batch.drop_column("previous_round_id")
