"""Facility claims' occurrence, occurrence span and value codes, and a charge's own service
date.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 18:20:00

The three code lists are text on the encounter (comma-joined, empty by default), so existing
encounters have none; ``charges.service_date`` is nullable, and a charge without one is billed
on its encounter's date of service as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

_CODES = ("occurrence_codes", "occurrence_spans", "value_codes")


def upgrade() -> None:
    for column in _CODES:
        op.add_column("encounters", sa.Column(column, sa.Text(), server_default="",
                                              nullable=False))
    op.add_column("charges", sa.Column("service_date", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("charges", "service_date")
    for column in reversed(_CODES):
        op.drop_column("encounters", column)
