"""Three tenant indexes that ERA posting maintained for no reader.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 19:10:00

``ix_postings_practice_id`` is redundant with the three ``(practice_id, ...)`` composites of
``postings``, which serve every query by practice alone as well. Every read of
``remittance_claims`` goes through ``remittance_id`` and every read of ``remittance_lines``
through ``remittance_claim_id``, so their ``practice_id`` indexes served no query either. A
100,000-claim 835 writes some 600,000 postings and 100,000 rows of each remittance table: each
dropped index is one B-tree insert fewer per row. Row-level security is unchanged (it is a
policy on the column, not on the index).
"""

from __future__ import annotations

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

_TABLES = ("postings", "remittance_claims", "remittance_lines")


def upgrade() -> None:
    for table in _TABLES:
        op.drop_index(op.f(f"ix_{table}_practice_id"), table_name=table)


def downgrade() -> None:
    for table in reversed(_TABLES):
        op.create_index(op.f(f"ix_{table}_practice_id"), table, ["practice_id"])
