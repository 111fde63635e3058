"""Drop the postings index on (practice_id, account): no query reads it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 20:10:00

Balances are summed by the dimension columns copied out of the account key (``patient_id``,
``claim_id``, ``payer_id``, ``account_kind``), never by the key itself, and a query by
practice alone is served as well by the ``(practice_id, patient_id)`` and
``(practice_id, claim_id)`` composites. The key is the widest column of the table (up to 200
characters: an insurance receivable names payer, patient, claim and line), so this index was
the largest a 100,000-claim 835 maintained: about 14 % of the bytes the posting wrote.
"""

from __future__ import annotations

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.drop_index("ix_postings_practice_account", table_name="postings")


def downgrade() -> None:
    op.create_index("ix_postings_practice_account", "postings", ["practice_id", "account"])
